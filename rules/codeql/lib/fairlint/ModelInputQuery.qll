/**
 * Global taint tracking from protected attributes (DP12) and proxy features (DP14) to model
 * inputs, across function boundaries: the feature list is often built in one function and the
 * model trained in another.
 */

private import python
import semmle.python.dataflow.new.DataFlow
import semmle.python.dataflow.new.TaintTracking
import fairlint.ModelInputCustomizations

/** The flow configuration for attributes of one vocabulary kind. */
private module KindConfig<ModelInputFlow::KindSig K> implements DataFlow::ConfigSig {
  predicate isSource(DataFlow::Node source) { source.(ModelInputFlow::Source).getKind() = K::kind() }

  predicate isSink(DataFlow::Node sink) { sink instanceof ModelInputFlow::Sink }

  predicate isBarrier(DataFlow::Node node) { node.(ModelInputFlow::Sanitizer).removes(K::kind()) }

  // Report the nearest name: `gender = df["gender"]` starts at `gender`, not at the literal.
  predicate isBarrierIn(DataFlow::Node node) { isSource(node) }

  // One alert per flow: `TensorDataset(torch.tensor(X))` is reported at `torch.tensor`.
  predicate isBarrierOut(DataFlow::Node node) { isSink(node) }

  predicate isAdditionalFlowStep(DataFlow::Node pred, DataFlow::Node succ) {
    featureStep(pred, succ)
  }
}

private module ProtectedKind implements ModelInputFlow::KindSig {
  string kind() { result = "protected" }
}

private module ProxyKind implements ModelInputFlow::KindSig {
  string kind() { result = "proxy" }
}

/** Taint tracking from protected attributes to model inputs (DP12). */
module ProtectedAttributeFlow = TaintTracking::Global<KindConfig<ProtectedKind>>;

/** Taint tracking from proxy features to model inputs (DP14). */
module ProxyFeatureFlow = TaintTracking::Global<KindConfig<ProxyKind>>;
