/**
 * Sinks for "a protected attribute decides a threshold or a score offset" (DL01): the condition
 * of an `if` whose branches set a threshold or shift a score, the condition of `np.where`,
 * `torch.where` or `tf.where` choosing between adjusted scores, and the key of a per-group
 * threshold table.
 */

private import python
private import semmle.python.dataflow.new.DataFlow
private import semmle.python.ApiGraphs
import fairlint.MachineLearning

/** Sinks for protected attributes in decision logic. */
module DecisionLogic {
  /** A node whose value decides a group-specific threshold or score offset. */
  abstract class Sink extends DataFlow::Node {
    /** Gets the construct that decides (`` `if` ``, `` `np.where` ``, ...), for alert messages. */
    abstract string getConstruct();

    /**
     * Gets an element the alert is reported at: the threshold or offset this sink decides (a
     * statement in a branch of an `if`, as the Semgrep rule reports it), or the sink itself.
     */
    AstNode getDecision() { result = this.asExpr() }
  }

  /** Holds if `name` names a threshold or a score adjustment. */
  bindingset[name]
  predicate isThresholdName(string name) {
    name.regexpMatch("(?i).*(thresh|cutoff|cut_off|offset|margin|boost|bonus|penalty|adjust).*")
  }

  /** Gets the name of a variable, attribute or subscripted container, if `e` has one. */
  string nameOf(Expr e) {
    result = e.(Name).getId()
    or
    result = e.(Attribute).getName()
    or
    result = nameOf(e.(Subscript).getObject())
  }

  /** Holds if `s` sets a threshold, shifts a score or returns a score comparison. */
  predicate setsThresholdOrOffset(Stmt s) {
    s instanceof AugAssign
    or
    isThresholdName(nameOf(s.(Assign).getATarget()))
    or
    s.(Return).getValue() instanceof Compare
  }

  /** Holds if `e` is a numeric adjustment: a float, or arithmetic with a numeric literal. */
  predicate isNumericAdjustment(Expr e) {
    e instanceof FloatLiteral
    or
    e.(UnaryExpr).getOperand() instanceof FloatLiteral
    or
    exists(BinaryExpr b | b = e |
      (b.getOp() instanceof Add or b.getOp() instanceof Sub or b.getOp() instanceof Mult) and
      b.getASubExpression() instanceof Num
    )
  }

  /** Holds if `e` tests for missing values (imputation, not a decision about a group). */
  private predicate isMissingValueTest(Expr e) {
    e.(Call).getFunc().(Attribute).getName().regexpMatch("(?i)(isna|isnull|notna|notnull|isnan)")
  }

  /** A sub-expression of a condition that selects a threshold or an offset. */
  private predicate decidingCondition(Expr cond, string construct) {
    exists(If stmt | cond = stmt.getTest() |
      setsThresholdOrOffset([stmt.getBody().getAnItem(), stmt.getOrelse().getAnItem()]) and
      construct = "`if`"
    )
    or
    exists(IfExp ifexp | cond = ifexp.getTest() |
      (
        isNumericAdjustment([ifexp.getBody(), ifexp.getOrelse()])
        or
        exists(Assign a | a.getValue() = ifexp and isThresholdName(nameOf(a.getATarget())))
      ) and
      construct = "conditional expression"
    )
    or
    exists(API::CallNode call, string lib |
      lib = ["numpy", "torch", "tensorflow"] and
      call = API::moduleImport(lib).getMember("where").getACall() and
      cond = call.getArg(0).asExpr() and
      isNumericAdjustment([call.getArg(1).asExpr(), call.getArg(2).asExpr()]) and
      not isMissingValueTest(cond) and
      construct = "`" + lib + ".where`"
    )
  }

  /** A node inside a condition that decides a threshold or an offset. */
  class ConditionSink extends Sink {
    string construct;

    ConditionSink() {
      exists(Expr cond |
        decidingCondition(cond, construct) and
        this.asExpr() = cond.getASubExpression*()
      )
    }

    override string getConstruct() { result = construct }

    override AstNode getDecision() {
      exists(If stmt | this.asExpr() = stmt.getTest().getASubExpression*() |
        result = [stmt.getBody().getAnItem(), stmt.getOrelse().getAnItem()] and
        setsThresholdOrOffset(result)
      )
      or
      not this.asExpr() = any(If stmt).getTest().getASubExpression*() and
      result = this.asExpr()
    }
  }

  /** The key of a per-group threshold table: `thresholds[applicant["race"]]`. */
  class ThresholdTableKeySink extends Sink {
    ThresholdTableKeySink() {
      exists(Subscript s |
        isThresholdName(nameOf(s.getObject())) and
        this.asExpr() = s.getIndex().getASubExpression*()
      )
    }

    override string getConstruct() { result = "a threshold table lookup" }
  }
}
