/**
 * Machine-learning concepts for fairlint: names that carry protected or proxy attributes,
 * DataFrame column selection and dropping, the inputs of scikit-learn, PyTorch and
 * TensorFlow/Keras models, and fairness APIs (whose arguments are mitigations, not inputs).
 */

private import python
private import semmle.python.dataflow.new.DataFlow
private import semmle.python.ApiGraphs
import fairlint.Vocabulary

/** A vocabulary kind: `"protected"` (protected attributes) or `"proxy"` (proxy features). */
class VocabularyKind extends string {
  VocabularyKind() { this = ["protected", "proxy"] }
}

/** Holds if `name`, an identifier or a string literal's text, names a term of `kind`. */
bindingset[name]
predicate namesTerm(string name, VocabularyKind kind) {
  kind = "protected" and isProtectedName(name)
  or
  kind = "proxy" and isProxyName(name)
}

/**
 * A data-flow node whose own text names a vocabulary term: a string literal (`"sex"`), an
 * attribute read (`df.race`), a parameter (`def score(gender)`) or an assigned variable
 * (`zip_code = ...`).
 */
class VocabularyName extends DataFlow::Node {
  string text;

  VocabularyName() {
    text = this.asExpr().(StringLiteral).getText()
    or
    text = this.(DataFlow::AttrRead).getAttributeName()
    or
    text = this.(DataFlow::ParameterNode).getParameter().getName()
    or
    exists(NameNode def | def = this.asCfgNode() and def.defines(_) and text = def.getId())
  }

  /** Gets the name as written (without quotes). */
  string getText() { result = text }

  /** Holds if this name names a term of `kind`. */
  predicate names(VocabularyKind kind) { namesTerm(text, kind) }
}

/** Holds if `e` is a string literal, or a list/tuple/set literal holding one, naming a term of `kind`. */
predicate mentionsTerm(Expr e, VocabularyKind kind) {
  namesTerm(e.(StringLiteral).getText(), kind)
  or
  mentionsTerm([e.(List).getAnElt(), e.(Tuple).getAnElt(), e.(Set).getAnElt()], kind)
}

/** Holds if `e` is, or locally refers to, a literal mentioning a term of `kind`. */
predicate refersToTerm(DataFlow::Node e, VocabularyKind kind) {
  mentionsTerm(e.getALocalSource().asExpr(), kind)
  or
  mentionsTerm(e.asExpr(), kind)
}

/**
 * A column selection `df[cols]` or `df.loc[:, cols]`: taint on the selected names flows to the
 * selection. Row masks (`df[df.sex == "F"]`, `df[mask]`) are not column selections.
 */
class ColumnSelection extends DataFlow::Node {
  Subscript sub;

  ColumnSelection() {
    this.asExpr() = sub and
    not isRowMask(sub.getIndex()) and
    not exists(DataFlow::Node index |
      index.asExpr() = sub.getIndex() and isRowMask(index.getALocalSource().asExpr())
    )
  }

  /** Gets the node for the selected column names (the index expression). */
  DataFlow::Node getColumns() { result.asExpr() = sub.getIndex() }
}

/** Holds if `e` builds a boolean row mask rather than naming columns. */
private predicate isRowMask(Expr e) {
  e instanceof Compare
  or
  e instanceof BoolExpr
  or
  e.(UnaryExpr).getOp() instanceof Invert
  or
  e.(BinaryExpr).getOp() instanceof BitAnd
  or
  e.(BinaryExpr).getOp() instanceof BitOr
  or
  e.(Call).getFunc().(Attribute).getName() =
    ["isin", "isna", "isnull", "notna", "notnull", "between", "duplicated", "any", "all"]
}

/**
 * A column drop, `df.drop(columns=cols)` or `df.drop(cols, axis=1)`, whose result no longer
 * carries the dropped names of `kind`.
 */
class ColumnDrop extends DataFlow::MethodCallNode {
  DataFlow::Node dropped;

  ColumnDrop() {
    this.getMethodName() = "drop" and
    (
      dropped = this.getArgByName("columns")
      or
      dropped = this.getArg(0) and
      exists(Expr axis | axis = this.getArgByName("axis").asExpr() |
        axis.(IntegerLiteral).getValue() = 1 or axis.(StringLiteral).getText() = "columns"
      )
    )
  }

  /** Holds if the dropped columns name a term of `kind`. */
  predicate dropsTerm(VocabularyKind kind) { refersToTerm(dropped, kind) }
}

/** Gets an API node of a data or ML library whose calls carry their arguments' values on. */
private API::Node dataLibraryNode() {
  result =
    API::moduleImport([
        "numpy", "pandas", "torch", "tensorflow", "keras", "sklearn", "scipy", "jax", "polars"
      ])
  or
  result = dataLibraryNode().getAMember()
  or
  result = dataLibraryNode().getReturn()
}

/**
 * Holds if taint on features steps from `pred` to `succ` through data handling that Python's
 * default taint steps do not model: column selection by a list of names, collection literals,
 * attribute reads and method calls on tainted data (`df[cols].values`, `.astype(float)`), and
 * calls into data and ML libraries (`np.column_stack([age, income])`, `scaler.fit_transform(X)`).
 */
predicate featureStep(DataFlow::Node pred, DataFlow::Node succ) {
  pred = succ.(ColumnSelection).getColumns()
  or
  exists(Expr coll | coll = succ.asExpr() |
    pred.asExpr() = [coll.(List).getAnElt(), coll.(Tuple).getAnElt(), coll.(Set).getAnElt()]
  )
  or
  pred = succ.(DataFlow::AttrRead).getObject()
  or
  pred = succ.(DataFlow::MethodCallNode).getObject()
  or
  exists(DataFlow::CallCfgNode call | call = dataLibraryNode().getACall() and succ = call |
    pred = [call.getArg(_), call.getArgByName(_)]
  )
}

/** A node where a model consumes features: training data, tensors, named model inputs. */
abstract class ModelInput extends DataFlow::Node {
  /** Gets a short description of the API, for alert messages (`` `fit` ``). */
  abstract string getApi();
}

/** The training data of `est.fit(X, y)` (and `partial_fit`, `fit_predict`, Keras `train_on_batch`). */
class EstimatorTrainingData extends ModelInput {
  string method;

  EstimatorTrainingData() {
    exists(DataFlow::MethodCallNode call |
      method = call.getMethodName() and
      method = ["fit", "partial_fit", "fit_predict", "fit_generator", "train_on_batch"] and
      (this = call.getArg(0) or this = call.getArgByName(["X", "x"])) and
      not call.getObject() = preprocessorNode().getAValueReachableFromSource()
    )
  }

  override string getApi() { result = "`" + method + "`" }
}

/** Gets an API node for a scikit-learn preprocessor: fitting one is preparation, not training. */
private API::Node preprocessorNode() {
  result =
    API::moduleImport("sklearn")
        .getMember(["preprocessing", "impute", "feature_selection", "decomposition"])
        .getAMember()
        .getReturn()
}

/** Gets the Keras module, standalone or `tf.keras`. */
API::Node kerasModule() {
  result = API::moduleImport("keras")
  or
  result = API::moduleImport("tensorflow").getMember("keras")
}

/** The data of a tensor or dataset built for a model (`torch.tensor`, `TensorDataset`, `from_tensor_slices`). */
class TensorData extends ModelInput {
  string api;

  TensorData() {
    exists(API::CallNode call |
      api = ["tensor", "as_tensor", "from_numpy", "Tensor", "FloatTensor"] and
      call = API::moduleImport("torch").getMember(api).getACall() and
      this = call.getParameter(0, "data").asSink()
      or
      api = "TensorDataset" and
      call =
        API::moduleImport("torch").getMember("utils").getMember("data").getMember(api).getACall() and
      this = call.getArg(_)
      or
      api = ["from_tensor_slices", "from_tensors"] and
      call =
        API::moduleImport("tensorflow")
            .getMember("data")
            .getMember("Dataset")
            .getMember(api)
            .getACall() and
      this = call.getParameter(0, "tensors").asSink()
      or
      api = "convert_to_tensor" and
      call = API::moduleImport("tensorflow").getMember(api).getACall() and
      this = call.getParameter(0, "value").asSink()
    )
  }

  override string getApi() { result = "`" + api + "`" }
}

/** The name of a Keras model input, `keras.Input(name=...)`: the input is that feature. */
class KerasInputName extends ModelInput {
  KerasInputName() {
    exists(API::Node keras, API::CallNode call |
      keras = [kerasModule(), kerasModule().getMember("layers")] and
      call = keras.getMember("Input").getACall() and
      this = call.getKeywordParameter("name").asSink()
    )
  }

  override string getApi() { result = "`keras.Input(name=...)`" }
}

/** Gets an API node of a fairness library named in the vocabulary (Fairlearn, AIF360, ...). */
API::Node fairnessApiNode() {
  result = API::moduleImport(fairnessModuleName())
  or
  result = fairnessApiNode().getAMember()
  or
  result = fairnessApiNode().getReturn()
}

/**
 * An argument that hands an attribute to a fairness API (`sensitive_features=`,
 * `protected_attribute_names=`, `privileged_groups=`, any argument of a Fairlearn or AIF360
 * call): a mitigation or group-wise evaluation, never a model input.
 */
class FairnessApiArgument extends DataFlow::Node {
  FairnessApiArgument() {
    exists(DataFlow::CallCfgNode call |
      this =
        call.getArgByName([
            "sensitive_features", "sensitive_feature_ids", "protected_attribute_names",
            "privileged_groups", "unprivileged_groups", "prot_attr", "sensitive_attr",
            "sensitive_attribute", "groups"
          ])
      or
      call = fairnessApiNode().getACall() and this = [call.getArg(_), call.getArgByName(_)]
    )
  }
}
