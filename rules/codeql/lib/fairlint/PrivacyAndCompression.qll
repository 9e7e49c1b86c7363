/**
 * Training and compression APIs with documented disparate impact: differentially private
 * training (TR01), pruning (CM01) and quantization (CM02). API graphs resolve aliases
 * (`from opacus import PrivacyEngine as PE`, `import torch.nn.utils.prune as P`) and follow
 * objects across functions and attributes (`self.engine.make_private(...)`), so a method is
 * only reported on an object that really is a privacy engine.
 */

private import python
private import semmle.python.dataflow.new.DataFlow
private import semmle.python.ApiGraphs
import fairlint.MachineLearning

/** A fairness-relevant API use: a call (or, for TFLite, an attribute write) and its description. */
abstract class FairnessRelevantApiUse extends DataFlow::Node {
  /** Gets the API as written in documentation (`opacus.PrivacyEngine`). */
  abstract string getApi();
}

/** Gets the TensorFlow Privacy module, or one of its sub-modules. */
private API::Node tensorflowPrivacy() {
  result = API::moduleImport("tensorflow_privacy")
  or
  result = tensorflowPrivacy().getAMember()
}

/** Gets the TensorFlow Model Optimization toolkit module (`tfmot`). */
private API::Node tfmot() { result = API::moduleImport("tensorflow_model_optimization") }

/** Differentially private training: Opacus and TensorFlow Privacy. */
class DifferentiallyPrivateTraining extends FairnessRelevantApiUse, API::CallNode {
  string api;

  DifferentiallyPrivateTraining() {
    exists(API::Node engine | engine = API::moduleImport("opacus").getMember("PrivacyEngine") |
      this = engine.getACall() and api = "opacus.PrivacyEngine"
      or
      exists(string m |
        m = ["make_private", "make_private_with_epsilon", "make_private_with_epsilon_and_delta"] and
        this = engine.getReturn().getMember(m).getACall() and
        api = "PrivacyEngine." + m
      )
    )
    or
    exists(string m |
      m = ["GradSampleModule", "DPDataLoader"] and
      this = API::moduleImport("opacus").getMember(m).getACall() and
      api = "opacus." + m
    )
    or
    exists(string m |
      m.regexpMatch("(Vectorized)?DP.*(Optimizer|Model|Sequential)|make_(keras|gaussian)_optimizer_class") and
      this = tensorflowPrivacy().getMember(m).getACall() and
      api = "tensorflow_privacy." + m
    )
  }

  override string getApi() { result = api }
}

/** Gets `torch.nn.utils.prune`. */
private API::Node torchPrune() {
  result = API::moduleImport("torch").getMember("nn").getMember("utils").getMember("prune")
}

/** Pruning: `torch.nn.utils.prune`, `torch.ao.pruning` sparsifiers, `tfmot` pruning, head pruning. */
class ModelPruning extends FairnessRelevantApiUse, API::CallNode {
  string api;

  ModelPruning() {
    exists(string m |
      m =
        [
          "l1_unstructured", "random_unstructured", "ln_structured", "random_structured",
          "global_unstructured", "custom_from_mask", "identity"
        ] and
      this = torchPrune().getMember(m).getACall() and
      api = "torch.nn.utils.prune." + m
    )
    or
    // A custom pruning method: `class MyPruning(prune.BasePruningMethod)`, applied.
    this = torchPrune().getMember("BasePruningMethod").getASubclass+().getMember("apply").getACall() and
    api = "a BasePruningMethod subclass"
    or
    exists(string m |
      m.regexpMatch("[A-Za-z]*Sparsifier") and
      this = API::moduleImport("torch").getMember("ao").getMember("pruning").getMember(m).getACall() and
      api = "torch.ao.pruning." + m
    )
    or
    this =
      tfmot().getMember("sparsity").getMember("keras").getMember("prune_low_magnitude").getACall() and
    api = "tfmot.sparsity.keras.prune_low_magnitude"
  }

  override string getApi() { result = api }
}

/** Gets a PyTorch quantization module (`torch.quantization`, `torch.ao.quantization`, FX, PT2E). */
private API::Node torchQuantization() {
  exists(API::Node parent |
    parent = [API::moduleImport("torch"), API::moduleImport("torch").getMember("ao")] and
    result = parent.getMember("quantization")
  )
  or
  result = torchQuantization().getMember(["quantize_fx", "quantize_pt2e"])
}

/** Quantization: PyTorch, `tfmot` and TFLite post-training quantization. */
class ModelQuantization extends FairnessRelevantApiUse {
  string api;

  ModelQuantization() {
    exists(string m |
      m =
        [
          "quantize", "quantize_dynamic", "quantize_qat", "quantize_jit", "quantize_dynamic_jit",
          "prepare_qat", "convert", "convert_fx", "prepare_qat_fx", "convert_pt2e",
          "prepare_qat_pt2e", "QuantWrapper"
        ] and
      this = torchQuantization().getMember(m).getACall() and
      api = "torch quantization `" + m + "`"
    )
    or
    exists(string m |
      m = ["quantize_model", "quantize_apply"] and
      this = tfmot().getMember("quantization").getMember("keras").getMember(m).getACall() and
      api = "tfmot.quantization.keras." + m
    )
    or
    exists(DataFlow::AttrWrite write, API::Node opt, string level |
      level = ["DEFAULT", "OPTIMIZE_FOR_SIZE", "OPTIMIZE_FOR_LATENCY"] and
      opt = API::moduleImport("tensorflow").getMember("lite").getMember("Optimize").getMember(level) and
      write.getAttributeName() = "optimizations" and
      exists(DataFlow::Node used, Expr value |
        used = opt.getAValueReachableFromSource() and
        value = write.getValue().getALocalSource().asExpr()
      |
        used.asExpr() = value.(List).getAnElt() or used.asExpr() = value
      ) and
      this = write and
      api = "TFLite `Optimize." + level + "`"
    )
  }

  override string getApi() { result = api }
}
