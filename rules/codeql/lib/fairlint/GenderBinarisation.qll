/**
 * Gender binarisation (DP07): a two-entry gender mapping (`{"Male": 1, "Female": 0}`, also
 * when defined far from its `.map`/`.replace` call), a comparison with one gender value turned
 * into a 0/1 feature (`(df.sex == "M").astype(int)`), and a two-way gender output head.
 */

private import python
private import semmle.python.dataflow.new.DataFlow
private import semmle.python.ApiGraphs
import fairlint.MachineLearning

/** Holds if `s` is a gender value as written in data (case-insensitive). */
bindingset[s]
predicate isGenderValue(string s) {
  s.toLowerCase() = ["male", "female", "m", "f", "man", "woman", "men", "women", "boy", "girl"]
}

/** Gets the name an expression carries: a variable, an attribute, or a column subscript. */
string carriedName(Expr e) {
  result = e.(Name).getId()
  or
  result = e.(Attribute).getName()
  or
  result = e.(Subscript).getIndex().(StringLiteral).getText()
}

/** A dict literal with exactly two gender keys mapped to numbers or booleans. */
class BinaryGenderMapping extends Dict {
  BinaryGenderMapping() {
    count(this.getAnItem()) = 2 and
    count(Expr k | k = this.getAKey()) = 2 and
    forall(Expr k | k = this.getAKey() | isGenderValue(k.(StringLiteral).getText())) and
    forall(Expr v | v = this.getAValue() |
      v instanceof Num or v instanceof BooleanLiteral
    )
  }
}

/** Value flow from a binary gender mapping to the argument of a `.map`/`.replace` call. */
private module GenderMappingConfig implements DataFlow::ConfigSig {
  predicate isSource(DataFlow::Node source) { source.asExpr() instanceof BinaryGenderMapping }

  predicate isSink(DataFlow::Node sink) {
    exists(DataFlow::MethodCallNode call |
      call.getMethodName() = ["map", "replace"] and
      sink = [call.getArg(0), call.getArgByName(["arg", "to_replace"])]
    )
  }
}

/** Global value flow of binary gender mappings, across functions and modules. */
module GenderMappingFlow = DataFlow::Global<GenderMappingConfig>;

/** A `.map`/`.replace` call applying the binary gender mapping `mapping`. */
predicate appliesBinaryGenderMapping(DataFlow::MethodCallNode call, BinaryGenderMapping mapping) {
  exists(DataFlow::Node source, DataFlow::Node sink |
    GenderMappingFlow::flow(source, sink) and
    source.asExpr() = mapping and
    sink = [call.getArg(0), call.getArgByName(["arg", "to_replace"])]
  )
}

/** Holds if the boolean `c` becomes a 0/1 feature: `.astype(...)`, `int(...)`, a new column, `where(c, 1, 0)`. */
private predicate usedAsBinaryFeature(Compare c) {
  exists(Call call, Attribute f | f = call.getFunc() and f.getObject() = c and f.getName() = "astype")
  or
  exists(Call call | call.getFunc().(Name).getId() = ["int", "float"] and call.getArg(0) = c)
  or
  exists(Assign a | a.getValue() = c and a.getATarget() instanceof Subscript)
  or
  exists(Call call |
    call.getFunc().(Attribute).getName() = "where" and
    call.getArg(0) = c and
    call.getArg(1) instanceof Num and
    call.getArg(2) instanceof Num
  )
}

/** A comparison of a gender attribute with one gender value, used as a 0/1 feature. */
class BinarisedGenderComparison extends Compare {
  StringLiteral value;

  BinarisedGenderComparison() {
    exists(Expr attr, Cmpop op |
      (this.compares(attr, op, value) or this.compares(value, op, attr)) and
      (op instanceof Eq or op instanceof NotEq) and
      isGenderValue(value.getText()) and
      isProtectedName(carriedName(attr))
    ) and
    usedAsBinaryFeature(this)
  }

  /** Gets the gender value compared with. */
  string getValue() { result = value.getText() }
}

/** A two-unit output layer assigned to a gender-named attribute: `self.gender_head = nn.Linear(512, 2)`. */
class BinaryGenderHead extends API::CallNode {
  BinaryGenderHead() {
    exists(Assign a | a.getValue() = this.asExpr() | isProtectedName(carriedName(a.getATarget()))) and
    (
      this = API::moduleImport("torch").getMember("nn").getMember("Linear").getACall() and
      this.getParameter(1, "out_features").asSink().asExpr().(IntegerLiteral).getValue() = 2
      or
      this = kerasModule().getMember("layers").getMember("Dense").getACall() and
      this.getParameter(0, "units").asSink().asExpr().(IntegerLiteral).getValue() = 2
    )
  }
}
