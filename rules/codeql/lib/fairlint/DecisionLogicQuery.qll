/**
 * Global taint tracking from protected attributes to decision logic (DL01): a group-specific
 * threshold or score offset, possibly decided in another function than the one that reads the
 * attribute.
 */

private import python
import semmle.python.dataflow.new.DataFlow
import semmle.python.dataflow.new.TaintTracking
import fairlint.ModelInputCustomizations
import fairlint.DecisionLogicCustomizations

private module DecisionLogicConfig implements DataFlow::ConfigSig {
  predicate isSource(DataFlow::Node source) {
    source.(ModelInputFlow::Source).getKind() = "protected"
  }

  predicate isSink(DataFlow::Node sink) { sink instanceof DecisionLogic::Sink }

  predicate isBarrier(DataFlow::Node node) { node instanceof FairnessApiArgument }

  predicate isBarrierIn(DataFlow::Node node) { isSource(node) }

  // One alert per condition: `if df["sex"] == "F"` is reported at `"sex"`, not again at `df["sex"]`.
  predicate isBarrierOut(DataFlow::Node node) { isSink(node) }

  predicate isAdditionalFlowStep(DataFlow::Node pred, DataFlow::Node succ) {
    featureStep(pred, succ)
  }
}

/** Taint tracking from protected attributes to thresholds and score offsets (DL01). */
module DecisionLogicFlow = TaintTracking::Global<DecisionLogicConfig>;
