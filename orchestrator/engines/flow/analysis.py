"""The flow engine's analysis: which values carry which protected attributes, and where they go.

An abstract interpreter over Python's ``ast`` (nothing is imported or executed). It walks each
module in statement order (a notebook's cells in order), keeps for every variable the
:class:`~orchestrator.engines.flow.values.Value` it holds, and reports a :class:`Hit` where a
value carrying a protected attribute or proxy reaches a sink: a model's input or target, a
binarising map, a binning, a category merge.

- **Sources**: columns named by the vocabulary (``df["sex"]``, ``df.sex``, column lists,
  ``names=``/``usecols=``, dict keys), frames of known people datasets (Adult, COMPAS, German
  credit, CelebA, UTKFace, IMDB-WIKI; by loader or file name), variables and parameters whose
  names are vocabulary terms (``age, gender, race, _ = name.split("_")``).
- **Propagation**: assignments and unpacking (``train_test_split`` pairs its outputs with its
  inputs), ``self`` attributes, method chains (``drop(columns=...)`` removes columns,
  selections keep the selected ones), conversions into arrays and tensors, and functions of
  the same repository: each function is summarised once (which parameters reach its return
  value and which reach a sink), so ``X, y = load(path)`` in one module and
  ``model.fit(X, y)`` in another are followed.
- **Precision**: a model-input finding needs a value that carries a protected attribute *and*
  other data (a feature matrix), a target finding a value that is the attribute alone;
  attributes handed to fairness APIs (``sensitive_features=``) are mitigations, not inputs.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from orchestrator.engines.flow import schemas
from orchestrator.engines.flow.values import EMPTY, UNKNOWN_DATA, Step, Tag, Value, join

# ----------------------------------------------------------------------------- vocabulary
_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

#: Sink rule ids (shared with the Semgrep pack, so one site found by both is one finding).
MODEL_INPUT = "protected-attribute-as-model-input"
PROXY_INPUT = "proxy-feature-as-model-input"
TARGET = "demographic-attribute-prediction-target"
GENDER_BINARY = "gender-binarised"
RACE_BINARY = "race-collapsed-to-binary"
BINNED = "protected-attribute-binned"
MERGED = "rare-categories-collapsed"
HIGH_STAKES = "high-stakes-tabular-benchmark"
SPLIT = "unstratified-split"
MISSING = "missing-rows-dropped"
ONE_ATTRIBUTE = "single-protected-attribute-evaluated"
WEIGHTS = "group-blind-loss-weights"
FACE_FILTER = "face-detector-used-as-filter"
LABEL_CODES = "label-encoding-of-nominal-feature"
#: Marks a parameter sink reached beside other data (the caller's value may be one column).
JOINED = "|joined"
#: Encoders whose output is one integer code per category (an arbitrary order).
CODE_ENCODERS = frozenset({"LabelEncoder"})
WEIGHT_KWARGS = frozenset({"weight", "pos_weight", "class_weight"})  # sample_weight often comes from Reweighing
#: Names and keywords that choose the attribute(s) a fairness evaluation is computed for.
CHOOSER_PARTS = frozenset({"pro", "prot", "protected", "sensitive", "sens"})
CHOOSER_KWARGS = frozenset({"protected_attribute_names", "sensitive_attributes", "protected_attributes",
                            "sensitive_feature_names"})
#: Strings that stand for a missing value in raw tables (Adult's " ?", COMPAS's "N/A").
MISSING_MARKERS = frozenset({"?", "na", "n/a", "nan", "null", "none", "", "missing", "unknown", "-"})
NAN_CHECKS = frozenset({"isnan", "isna", "isnull"})
TOXICITY = "toxicity-classifier-training"
SELECTION = "aggregate-metric-model-selection"
SELECTION_METRICS = frozenset({"acc", "accuracy", "loss", "auc", "f1", "score", "mae", "mse", "error", "err",
                               "acc1", "top1", "prec1", "map", "iou", "wer", "cer", "bleu"})
BEST_PARTS = frozenset({"best", "min", "max", "lowest", "highest", "top"})
FACE_DATASET = "face-dataset-with-demographic-skew"
LOADER_PARTS = frozenset({"load", "read", "fetch", "file", "data", "dataset", "loader"})
WRITE_PARTS = frozenset({"save", "out", "output", "outputs", "result", "results", "log", "logs", "cache",
                         "checkpoint", "ckpt", "dump", "export"})
#: Evidence rules (rules/evidence) whose kinds the flow engine also reports.
GROUP_METRIC = ("evidence-per-group-metric", "per-group-metric")
METRIC_WORDS = frozenset({"acc", "accuracy", "auc", "tpr", "fpr", "fnr", "tnr", "rate", "rates", "error",
                          "errors", "err", "precision", "recall", "f1", "score", "scores", "correct",
                          "disparity", "parity", "gap", "odds", "opportunity", "loss"})
#: Words that, beside a mask over a protected attribute, make it an evaluation (not a filter).
CONTEXT_WORDS = frozenset({"mean", "sum", "average", "accs", "pred", "preds", "predictions", "predicted",
                           "yhat", "evaluate", "evaluation", "eval", "metrics", "probs", "logits", "outputs"})
GROUP_METRIC_FUNCS = frozenset({"parity", "odds", "opportunity", "prule", "subgroup", "worst", "disparity",
                                "disparate", "gap", "bpsn", "bnsp", "equalized", "equalised", "fairness",
                                "amplification", "bias"})
#: Aggregations that count a group-by's rows: a group's size, no metric of the model on it.
GROUP_COUNTS = frozenset({"count", "size", "value_counts", "nunique"})
GROUP_NAMES = frozenset({"minority", "majority", "worst", "subgroup", "privileged", "unprivileged",
                         "protected", "group", "groups"})

#: Names of a model being built or loaded (``model = BertClassifier()``, ``clf = joblib.load(...)``).
MODEL_NAME_PARTS = frozenset({"model", "net", "network", "classifier", "clf", "estimator"})
#: Names of a model's settings or files, not the model (``model_name``, ``model_path``).
MODEL_NOT_PARTS = frozenset({"name", "names", "path", "paths", "dir", "file", "filename", "config", "conf", "cfg",
                             "type", "args", "params", "kwargs", "url", "id", "checkpoint", "ckpt", "optimizer",
                             "opt", "state", "dict", "list", "str", "tokenizer", "vectorizer", "output",
                             "outputs", "pred", "preds", "predictions", "results", "score", "scores", "loss",
                             "summary", "version", "class", "cls", "fn", "func", "dim", "size"})
#: Calls that build or load a model by their name (``create_graph``, ``build_model``, ``load_model``).
BUILDER_PARTS = frozenset({"create", "build", "make", "load", "get", "init", "from", "pretrained", "construct"})
#: Wrappers and moves of a model already built (the model is built where it was first made).
MODEL_WRAPPERS = frozenset({"DataParallel", "DistributedDataParallel", "Variable", "Parameter"})
#: A model that predicts the attribute only to remove it (adversarial debiasing) is a mitigation.
ADVERSARIAL_PARTS = frozenset({"adv", "adversary", "adversarial", "discriminator", "discrim", "debias",
                               "debiasing", "grl", "reverse", "reversal"})
#: Words that, with a protected attribute, name a script whose task is to recognise it
#: (``train_gender_classifier.py``, ``age_estimation.py``).
TASK_WORDS = frozenset({"classifier", "classification", "recognition", "recognizer", "estimation", "estimate",
                        "estimator", "prediction", "predictor", "detector", "detection", "regression", "regressor"})
#: Whole identifier or string parts that say a repository works on toxicity or hate speech.
TOXIC_PARTS = frozenset({"toxic", "toxicity", "jigsaw", "hatespeech", "detox", "hateful"})
HATE_COMPANIONS = frozenset({"speech", "offensive", "identity", "detection", "classifier", "label", "labels"})
#: Parts of a count of classes (``num_age_classes``, ``n_gender_outputs``).
CLASS_COUNT_PARTS = frozenset({"classes", "class", "categories", "bins", "outputs", "outs", "cls"})
#: Markers on TR08 hits, removed before they leave the engine (they are no evidence kinds).
READOUT, DEMOGRAPHIC_MODEL = "~readout", "~demographic-model"
#: Predictions read off a head (``softmax(gender_logits)``).
PREDICTION_CALLS = frozenset({"softmax", "argmax", "sigmoid", "log_softmax", "predict_classes"})
HEAD_OUTPUT_PARTS = frozenset({"logits", "logit", "pred", "preds", "output", "outputs", "out", "scores", "probs"})

FIT_METHODS = frozenset({"fit", "partial_fit", "train_on_batch", "fit_generator"})
TRANSFORMER_PARTS = frozenset({"scaler", "encoder", "imputer", "pca", "discretizer", "vectorizer",
                               "rfe", "rfecv", "kbest", "sfs", "selectkbest", "select",
                               "normalizer", "binarizer", "transformer", "tokenizer", "selector",
                               "svd", "tsne", "umap", "kmeans", "le", "ohe", "enc", "sc", "mms"})
CONVERSIONS = frozenset({"tensor", "from_numpy", "FloatTensor", "Tensor", "as_tensor", "DoubleTensor",
                         "from_tensor_slices", "TensorDataset", "convert_to_tensor", "constant"})
#: Calls whose result is a statistic or a model, not the data they were given.
OPAQUE = frozenset({"len", "print", "isinstance", "type", "range", "hasattr", "getattr", "id", "hash",
                    "repr", "format", "open", "super", "vars", "dir", "callable", "issubclass",
                    "value_counts", "count", "nunique", "sum", "mean", "std", "var", "median", "size",
                    "describe", "corr", "info", "shape", "keys", "items_count", "fit", "predict",
                    "predict_proba", "evaluate", "score", "compile", "save", "load_state_dict",
                    "state_dict", "parameters", "backward", "step", "zero_grad", "item", "any", "all",
                    "isnull", "isna", "notnull", "notna", "duplicated", "to_csv", "to_pickle",
                    "savefig", "plot", "show", "append_log", "log", "info", "debug", "warning"})
METRIC_PARTS = frozenset({"score", "accuracy", "acc", "loss", "metric", "metrics", "error", "auc",
                          "precision", "recall", "f1", "criterion", "mse", "mae", "entropy"})
PASS_METHODS = frozenset({"values", "to_numpy", "astype", "copy", "fillna", "reset_index", "float",
                          "double", "long", "int", "to", "cuda", "cpu", "numpy", "reshape", "view",
                          "squeeze", "unsqueeze", "T", "transpose", "tolist", "sample", "head", "tail",
                          "dropna", "pipe", "groupby", "sort_values", "set_index", "iloc", "loc",
                          "clone", "detach", "flatten", "ravel", "interpolate", "round", "abs",
                          "argmax", "softmax", "unique", "to_list", "infer_objects", "apply", "map",
                          "replace", "transform", "fit_transform", "select_dtypes", "filter", "where",
                          "mask", "clip", "get", "stack", "concat", "split", "strip", "lower", "upper",
                          "rename", "data", "array", "asarray", "concatenate", "hstack", "vstack",
                          "column_stack", "cat", "tile", "repeat", "expand_dims", "Variable"})
#: Transformers that bin a numeric column.
BINNERS = frozenset({"KBinsDiscretizer", "Discretization", "Binarizer"})
#: Names of a matrix that projects the protected directions out of the features.
PROJECTION_PARTS = frozenset({"proj", "projection", "compl", "complement", "nullspace", "orth", "orthogonal"})
#: Words of a function name that trains a model on its first argument (``train_nn``, ``fit_model``).
TRAIN_CALL_PARTS = frozenset({"train", "fit", "model", "models", "nn", "net", "network", "classifier", "clf",
                              "baseline", "mlp", "logistic", "regression", "svm", "lr", "predictor",
                              "estimator", "neural", "dnn", "and", "evaluate", "eval", "base", "simple"})
#: Frame methods that return the same table (its rows or order changed).
FRAME_METHODS = frozenset({"reset_index", "drop_duplicates", "sort_index", "query", "assign", "dropna",
                           "sample", "fillna", "rename", "astype", "copy", "infer_objects"})
NAME_ONLY_FUNCS = frozenset({"int", "float", "str", "list", "tuple", "sorted", "set", "zip",
                             "enumerate", "reversed", "dict", "bool", "round", "abs", "next", "iter"})
TEST_PARTS = frozenset({"test", "tst", "val", "valid", "validation", "eval", "dev", "holdout"})
TARGET_PARTS = frozenset({"y", "label", "labels", "target", "targets", "lbl", "lbls"})
#: Column names that say "this is what is predicted": encoding them as integers is intended.
TARGET_WORDS = TARGET_PARTS | frozenset({"class", "classes", "outcome", "income", "churn", "default",
                                         "survived", "diagnosis", "dx", "recid", "response", "output"})
GROUP_PARTS = frozenset({"group", "groups", "sensitive", "protected", "attr", "attrs", "a", "s",
                         "z", "prot", "priv", "privileged", "unprivileged", "subgroup", "demo"})
HEAD_PARTS = frozenset({"head", "logits", "logit", "classifier", "cls", "fc", "out", "output",
                        "pred", "predictor", "layer", "dense"})
LAYER_CALLS = frozenset({"Linear", "Dense", "fully_connected", "Conv2d", "Conv2D", "LazyLinear"})
DATA_KWARGS = frozenset({"df", "data", "dataframe", "X", "x", "features", "frame", "table"})
FAIRNESS_KWARGS = frozenset({"sensitive_features", "sensitive_feature", "protected_attribute_names",
                             "privileged_groups", "unprivileged_groups", "groups", "group",
                             "sensitive_attribute", "sensitive_attributes", "protected_attributes",
                             "prot_attr", "sens_attr", "sensitive"})
GENDER_WORDS = frozenset({"male", "female", "man", "woman", "men", "women", "m", "f", "boy", "girl"})
MODULE_HINTS = frozenset({"np", "numpy", "pd", "pandas", "torch", "tf", "tensorflow", "keras", "nn",
                          "F", "os", "sys", "math", "re", "json", "sklearn", "plt", "sns", "scipy",
                          "random", "time", "datetime", "cv2", "PIL", "Image", "logging", "argparse"})


def ident_parts(name: str) -> list[str]:
    return [p.lower() for p in _PART.findall(name)]


def binarise_rule(attr: str) -> str:
    if attr in ("sex", "gender"):
        return GENDER_BINARY
    if attr in ("race", "racial", "ethnicity", "ethnic", "skin colour", "skin color", "skin tone", "skin type"):
        return RACE_BINARY
    if attr in ("age", "birth year", "date of birth", "dob", "birthdate"):
        return BINNED
    return MERGED


def merge_rule(attr: str) -> str:
    if attr in ("race", "racial", "ethnicity", "ethnic"):
        return RACE_BINARY
    return MERGED


@dataclass(frozen=True)
class Hit:
    """A value carrying attributes reaching a sink: the rule it gives, where, and how it got there."""

    rule_id: str
    at: Step
    attrs: tuple[str, ...]
    trail: tuple[Step, ...]
    detail: str
    evidence: str | None = None  # for evidence hits: the kind reasoning indexes them by


class Terms:
    """Vocabulary look-ups on identifiers and strings, memoised (the vocabulary is fixed per run)."""

    def __init__(self, find: Callable[[str, str], list[str]], exact: Sequence[str] = ()) -> None:
        self._find = find
        self._memo: dict[tuple[str, bool], tuple[tuple[str, str], ...]] = {}
        self._exact = {"Male": "sex", "Young": "age", "Pale_Skin": "skin colour", "age_cat": "age",
                       **{e: "protected" for e in exact if e not in ("Male", "Young", "Pale_Skin", "age_cat")}}

    def of(self, text: str, string: bool = False) -> tuple[tuple[str, str], ...]:
        """(attr, kind) pairs ``text`` names; ``string``: a string literal (a column name)."""
        key = (text, string)
        found = self._memo.get(key)
        if found is None:
            found = self._compute(text, string)
            self._memo[key] = found
        return found

    def _compute(self, text: str, string: bool) -> tuple[tuple[str, str], ...]:
        if not string and {"feature", "col", "column", "attr", "attribute", "group"} & set(ident_parts(text)):
            group = [p for p in ident_parts(text) if p in ("white", "black", "male", "female")]
            if group:
                return (schemas.EXTRA_COLUMNS[group[0]],)
        if not text or len(text) > 48 or (string and text.count(" ") > 3) or "\n" in text:
            return ()
        stripped = text.strip()
        if stripped in self._exact:
            attr = self._exact[stripped]
            return ((attr if attr != "protected" else stripped.lower(), "protected"),)
        out = [(t, "protected") for t in self._find("protected", stripped)]
        out += [(t, "proxy") for t in self._find("proxy", stripped)]
        if not out:  # genders, ages, races: a list of the attribute's values; Common Voice's "accents"
            singular = "_".join(p[:-1] if p.endswith("s") and len(p) > 3 else p for p in ident_parts(stripped))
            if singular != "_".join(ident_parts(stripped)):
                out = [(t, "protected") for t in self._find("protected", singular)]
                out += [(t, "proxy") for t in self._find("proxy", singular)]
        if string and not out:
            low = stripped.lower().replace(" ", "_").replace("-", "_")
            if low in schemas.EXTRA_COLUMNS:
                out.append(schemas.EXTRA_COLUMNS[low])
            else:
                out.extend(schemas.EXTRA_COLUMNS[p] for p in ident_parts(stripped)
                           if p in schemas.EXTRA_COLUMNS and p in ("white", "black", "male", "female"))
        return tuple(dict.fromkeys((a, k) for a, k in out if a not in ("protected",)))


# ----------------------------------------------------------------------------- summaries
@dataclass
class Summary:
    """What a function does with its parameters, computed once (``param`` tags stand for them)."""

    returns: Value = EMPTY
    flows: frozenset[int] = frozenset()  # parameter positions that reach the return value
    sinks: list[tuple[int, str, Step, str]] = field(default_factory=list)  # (param, rule, where, detail)
    binary: bool = False  # returns at most two distinct constants (a binarising helper)
    #: ``return X, y, a`` everywhere: per position, its concrete value and the parameters reaching it
    positions: tuple[tuple[Value, frozenset[int]], ...] = ()
    split: tuple[Step, str] | None = None  # a split-named helper whose body splits by hand (where, how)


@dataclass
class FunctionInfo:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    module: "ModuleState"
    cls: str | None = None
    summary: Summary | None = None
    busy: bool = False

    @property
    def params(self) -> list[str]:
        a = self.node.args
        names = [p.arg for p in a.posonlyargs + a.args]
        if self.cls and names and names[0] in ("self", "cls"):
            names = names[1:]
        return names


@dataclass
class ModuleState:
    path: str
    tree: ast.Module
    modules: set[str] = field(default_factory=set)  # names bound to imported modules
    imported: dict[str, str] = field(default_factory=dict)  # name -> module it was imported from
    known_attrs: set[str] = field(default_factory=set)  # protected attributes the module names or loads
    fairness_objects: set[str] = field(default_factory=set)  # names bound to fairness-library objects
    encoders: set[str] = field(default_factory=set)  # names bound to a LabelEncoder()
    merge_maps: set[str] = field(default_factory=set)  # names bound to a many-to-fewer dict literal
    binners: dict[str, Step] = field(default_factory=dict)  # names bound to (a pipeline with) a binning step
    missing_rows: set[str] = field(default_factory=set)  # lists of the rows that hold a missing value
    gender_maps: set[str] = field(default_factory=set)  # names bound to a two-entry gender label map
    _loaded: set[str] | None = None

    def loaded_names(self) -> set[str]:
        """Every name the module reads somewhere (print() and len() alone do not count)."""
        if self._loaded is None:
            shown = {id(a) for n in ast.walk(self.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                     and n.func.id in ("print", "len", "display") for a in n.args}
            self._loaded = {n.id for n in ast.walk(self.tree)
                            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in shown}
        return self._loaded


def _param_tag(i: int) -> Tag:
    return Tag(f"#{i}", "param")


# ----------------------------------------------------------------------------- the analyser
@dataclass(frozen=True)
class Context:
    """What the analysis learns of the repository as a whole before it follows any value: dataset
    short names that mean a face set, model classes with demographic heads, whether the task is
    toxicity, the class names defined. A part of a repository is analysed with the whole's."""

    dataset_aliases: tuple[tuple[str, schemas.Schema], ...] = ()
    demographic_classes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    toxicity_task: bool = False
    class_names: tuple[str, ...] = ()

    def key(self) -> tuple:
        return (tuple(k for k, _ in self.dataset_aliases), self.demographic_classes, self.toxicity_task,
                self.class_names)


def repository_context(modules: Sequence[ModuleState], terms: Terms,
                       summaries: "Mapping[str, ModuleSummary] | None" = None) -> Context:
    """The :class:`Context` of ``modules``, from each one's :class:`ModuleSummary` (``summaries``
    by path: the ones computed before; the others are computed here)."""
    summaries = summaries or {}
    return _combine([summaries.get(m.path) or summarise(m.path, m.tree, terms) for m in modules]).context()


@dataclass(frozen=True)
class ModuleSummary:
    """What one module adds to the repository's :class:`Context`, and the protected attributes
    its short strings and dataset loaders name. A pure function of the module's path, its
    parsed content and the vocabulary: callers that see the same content again (a history
    walk, the language server) keep it and the repository's context is combined from them."""

    classes: tuple[str, ...]  # every class defined, once per definition, in walk order
    heads: tuple[tuple[str, tuple[str, ...]], ...]  # classes with demographic output heads
    toxic: bool  # the module names toxicity or hate speech (its file name, a name or a string)
    face_aliases: bool  # IMDB-WIKI's crops are read: "imdb" and "wiki" mean a face set
    known_attrs: frozenset[str]


def summarise(path: str, tree: ast.Module, terms: Terms) -> ModuleSummary:
    """The :class:`ModuleSummary` of one module (one walk of its tree)."""
    classes: list[str] = []
    heads: list[tuple[str, tuple[str, ...]]] = []
    known: set[str] = set()
    toxic = _toxicity_named(_stem(path))
    faces = False
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            classes.append(node.name)
            found = _heads(node, terms)
            if found:
                heads.append((node.name, found))
        if isinstance(node, (ast.Name, ast.Attribute, ast.ClassDef, ast.FunctionDef)) and not toxic:
            ident = node.id if isinstance(node, ast.Name) else \
                node.attr if isinstance(node, ast.Attribute) else node.name
            low = ident.lower()  # a substring test first: the part split costs a regex per name
            if _may_name_toxicity(low):
                toxic = _toxicity_named(ident)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 200:
            low = node.value.lower()
            if "imdb_crop" in low or "wiki_crop" in low:
                faces = True
            if not toxic and " " not in node.value and _may_name_toxicity(low):
                toxic = _toxicity_named(node.value)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 40:
            known.update(a for a, k in terms.of(node.value, True) if k == "protected")
        elif isinstance(node, ast.Call):
            schema = schemas.loader_schema(_last(node.func))
            if schema is not None:
                known.update(schema.protected)
    return ModuleSummary(tuple(classes), tuple(heads), toxic, faces, frozenset(known))


@dataclass
class _Combined:
    dataset_aliases: dict[str, schemas.Schema] = field(default_factory=dict)
    demographic_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    toxicity_task: bool = False
    class_names: set[str] = field(default_factory=set)

    def context(self) -> Context:
        return Context(tuple(sorted(self.dataset_aliases.items(), key=lambda kv: kv[0])),
                       tuple(sorted(self.demographic_classes.items())), self.toxicity_task,
                       tuple(sorted(self.class_names)))


def _combine(summaries: Iterable[ModuleSummary]) -> _Combined:
    """The repository's task from its modules' summaries, in the modules' order."""
    out = _Combined()
    counts: dict[str, int] = {}
    for s in summaries:
        for name in s.classes:
            counts[name] = counts.get(name, 0) + 1
        out.demographic_classes.update(s.heads)
        out.toxicity_task = out.toxicity_task or s.toxic
        if s.face_aliases:
            out.dataset_aliases.update({"imdb": schemas.IMDB_WIKI, "wiki": schemas.IMDB_WIKI})
    out.class_names = set(counts)
    for name, count in counts.items():
        if count > 1:
            out.demographic_classes.pop(name, None)  # two classes of that name: which one is built is unknown
    return out


def _heads(cls: ast.ClassDef, terms: Terms) -> tuple[str, ...]:
    """The protected attributes a model class has output heads for (``self.age_cls_head =
    nn.Linear(...)``, ``self.classifier_gender = nn.Sequential(...)``); adversarial heads,
    which predict the attribute to remove it, are no such head."""
    found: set[str] = set()
    for node in ast.walk(cls):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call)):
            continue
        target = node.targets[0]
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
            continue
        if _last(node.value.func) not in LAYER_CALLS | {"Sequential"}:
            continue
        p = set(ident_parts(target.attr))
        if not ({"head", "cls", "classifier", "out", "output", "logits", "pred", "predictor"} & p) or ADVERSARIAL_PARTS & p:
            continue
        found.update(a for a, k in terms.of(target.attr) if k == "protected")
    return tuple(sorted(found))


class Repository:
    """All modules of one repository, with their functions indexed by name."""

    def __init__(self, modules: Sequence[ModuleState], terms: Terms, context: "Context | None" = None,
                 summaries: "Mapping[str, ModuleSummary] | None" = None) -> None:
        self.modules = modules
        self.terms = terms
        self.functions: dict[str, list[FunctionInfo]] = {}
        self.hits: dict[tuple, Hit] = {}
        self.problems: dict[str, str] = {}  # path -> the first statement the analysis gave up on
        self.split_called: set[int] = set()  # id() of split helpers reported at a call site
        # The repository's task, from all its modules: which dataset short names mean a face set
        # (``"imdb"`` where IMDB-WIKI's ``imdb_crop`` is read), which model classes have output
        # heads for a protected attribute, and whether it works on toxicity or hate speech.
        summaries = summaries or {}
        own: list[ModuleSummary] = []
        for mod in modules:
            owner: dict[int, str] | None = None  # statement -> its function, computed when first needed
            for node in _statements(mod.tree.body):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    for alias in node.names:
                        if isinstance(node, ast.Import):
                            mod.modules.add((alias.asname or alias.name).split(".")[0])
                            if alias.asname:
                                mod.imported[alias.asname] = alias.name
                        elif node.module:
                            mod.imported[alias.asname or alias.name] = node.module
                elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and _merges(node.value):
                    mod.merge_maps.update(n for t in node.targets for n in _names(t))
                elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                    callee = node.value.func
                    root = _dotted(callee).split(".")[0] if _dotted(callee) else ""
                    origin = mod.imported.get(root, root)
                    if origin.split(".")[0] in FAIRNESS_MODULES or _last(callee) in FAIRNESS_CLASSES:
                        owner = _owners(mod.tree) if owner is None else owner
                        # scoped to the function that binds it: `clf = GridSearch(...)` in one
                        # experiment says nothing of `clf = models[name]` in the next
                        mod.fairness_objects.update(f"{owner.get(id(node), '')}:{n}"
                                                    for t in node.targets for n in _names(t))
            self._index(mod, mod.tree.body, None)
            summary = summaries.get(mod.path) or summarise(mod.path, mod.tree, terms)
            mod.known_attrs.update(summary.known_attrs)
            own.append(summary)
        task = _combine(own)
        self.dataset_aliases = task.dataset_aliases
        self.demographic_classes = task.demographic_classes
        self.toxicity_task = task.toxicity_task
        self.class_names = task.class_names
        if context is not None:  # one part of a repository: the task is the whole repository's
            self.dataset_aliases = dict(context.dataset_aliases)
            self.demographic_classes = dict(context.demographic_classes)
            self.toxicity_task = context.toxicity_task
            self.class_names = set(context.class_names)

    def context(self) -> "Context":
        return _Combined(self.dataset_aliases, self.demographic_classes, self.toxicity_task,
                         self.class_names).context()

    def _index(self, mod: ModuleState, body: Iterable[ast.stmt], cls: str | None) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(node.name, []).append(FunctionInfo(node, mod, cls))
                # helpers defined inside a function (``def group_race(x)`` in a preprocessing step)
                self._index(mod, node.body, None)
            elif isinstance(node, ast.ClassDef):
                self._index(mod, node.body, node.name)
            else:  # definitions under `if __name__ == "__main__":`, `try:`, `with ...:`
                for name in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, name, None)
                    if isinstance(inner, list):
                        self._index(mod, inner, cls)

    def emit(self, hit: Hit) -> None:
        key = (hit.rule_id, hit.at.path, hit.at.line)
        old = self.hits.get(key)
        if old is None:
            self.hits[key] = hit
        else:
            attrs = tuple(sorted(set(old.attrs) | set(hit.attrs)))
            self.hits[key] = Hit(old.rule_id, old.at, attrs, old.trail or hit.trail, old.detail, old.evidence)

    def run(self) -> list[Hit]:
        for mod in self.modules:
            frame = Frame(self, mod, None, {})
            frame.block(mod.tree.body)
            frame.finish()
        for infos in list(self.functions.values()):
            for info in infos:
                self.summary(info)
        for infos in self.functions.values():
            for info in infos:  # a split helper nobody here calls: its own body is the split
                split = info.summary.split if info.summary is not None else None
                if split is not None and id(info) not in self.split_called:
                    self.emit(Hit(SPLIT, split[0], (), (split[0],), split[1]))
        # a module that builds the demographic model is one finding: what it reads off the heads adds none
        built = {h.at.path for h in self.hits.values() if h.evidence == DEMOGRAPHIC_MODEL}
        hits = [Hit(h.rule_id, h.at, h.attrs, h.trail, h.detail) if h.evidence in (READOUT, DEMOGRAPHIC_MODEL) else h
                for h in self.hits.values() if not (h.evidence == READOUT and h.at.path in built)]
        return sorted(hits, key=lambda h: (h.at.path, h.at.line, h.rule_id))

    def summary(self, info: FunctionInfo) -> Summary:
        if info.summary is not None:
            return info.summary
        if info.busy:  # recursion: what is known so far
            return Summary(flows=frozenset(range(len(info.params))))
        info.busy = True
        frame = Frame(self, info.module, info, {})
        for i, name in enumerate(info.params):
            frame.env[name] = Value(frozenset({_param_tag(i)}), False)
        a = info.node.args
        defaults = list(zip(reversed(a.args), reversed(a.defaults)))
        for param, default in defaults + list(zip(a.kwonlyargs, a.kw_defaults)):
            if default is None:
                continue
            frame.check_two_way_default(param.arg, default)
            frame.dataset_path_default(default)
        frame.block(info.node.body)
        frame.finish()
        returns = join(*frame.returns) if frame.returns else EMPTY
        flows = frozenset(int(t.attr[1:]) for t in returns.tags if t.kind == "param")
        concrete = Value(frozenset(t for t in returns.tags if t.kind != "param"), returns.other,
                         returns.trail, returns.binary_map, returns.strings)
        binary = bool(frame.return_constants) and len(set(frame.return_constants)) <= 2 \
            and len(frame.returns) == len(frame.return_constants)
        positions: tuple[tuple[Value, frozenset[int]], ...] = ()
        tuples = frame.return_tuples
        if tuples and len(tuples) == len(frame.returns) and len({len(t) for t in tuples}) == 1:
            joined = [join(*(t[i] for t in tuples)) for i in range(len(tuples[0]))]
            positions = tuple((Value(frozenset(t for t in v.tags if t.kind != "param"), v.other, v.trail,
                                     v.binary_map, v.strings),
                               frozenset(int(t.attr[1:]) for t in v.tags if t.kind == "param")) for v in joined)
        info.summary = Summary(concrete, flows, frame.param_sinks, binary, positions=positions,
                               split=frame.body_split)
        info.busy = False
        return info.summary

    def resolve(self, name: str, method: bool, mod: ModuleState | None = None) -> list[FunctionInfo]:
        """The repository's definitions a call of ``name`` reaches: the caller's own module's,
        else the imported module's, else the only one there is (ambiguous names stay unknown)."""
        infos = self.functions.get(name, [])
        if method:
            infos = [i for i in infos if i.cls is not None]
            return infos if len(infos) == 1 else []
        infos = [i for i in infos if i.cls is None]
        if mod is not None and len(infos) > 1:
            local = [i for i in infos if i.module is mod]
            if local:
                return local[:1]
            source = mod.imported.get(name, "").split(".")[-1]
            infos = [i for i in infos if _stem(i.module.path) == source] if source else []
        return infos if len(infos) == 1 else []


    def qualified(self, func: ast.expr, mod: ModuleState) -> list[FunctionInfo]:
        """``helpers.load(...)`` where ``helpers`` is a module of this repository (``import
        helpers``, ``import pkg.helpers as helpers``): that module's function."""
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id in mod.modules):
            return []
        stem = mod.imported.get(func.value.id, func.value.id).split(".")[-1]
        found = [i for i in self.functions.get(func.attr, []) if i.cls is None and _stem(i.module.path) == stem]
        return found if len(found) == 1 else []


class Frame:
    """One scope being interpreted: a module's top level or one function's body."""

    def __init__(self, repo: Repository, mod: ModuleState, func: FunctionInfo | None,
                 env: dict[str, Value]) -> None:
        self.repo = repo
        self.mod = mod
        self.func = func
        self.env = env
        self.returns: list[Value] = []
        self.return_constants: list[object] = []
        self.return_tuples: list[list[Value]] = []  # the values of each `return a, b, c`
        self.positional: tuple[ast.AST, list[Value]] | None = None  # the last call's tuple result
        self.param_sinks: list[tuple[int, str, Step, str]] = []
        self.targets: list[str] = []  # names being assigned by the current statement
        self.in_kwarg = 0  # inside a keyword argument (weight=torch.tensor(...) is no model input)
        self.reported_names: set[str] = set()  # targets the current statement reported
        self._metric_context: bool | None = None
        self.eval_depth = 0  # inside a validation/test loop or a no_grad block
        self.loop_depth = 0
        self.loop_targets: list[str] = []  # names the enclosing for-loops bind
        self.stmt: ast.stmt | None = None
        self.counted: set[int] = set()  # group-by calls whose groups are only counted
        self.split_ends: dict[tuple[str, str], list[tuple[str, str, Step]]] = {}  # (base, bound) -> (end, role, where)
        self.modulo_parts: dict[str, dict[str, Step]] = {}  # `i % K` -> role -> where
        self.body_split: tuple[Step, str] | None = None
        self.part_sizes: set[str] = set()  # names holding the size of an existing train/test part
        self.metric_holders: set[str] = set()  # names built from aggregate metric values
        self._training_scope: bool | None = None
        self.model_fits: list[ast.AST] = []  # fit(X, y) calls of this scope
        self.model_builds: list[ast.AST] = []  # models built or loaded in this scope
        self.built_names: list[str] = []

    # ------------------------------------------------------------------ helpers
    def step(self, node: ast.AST) -> Step:
        return Step(self.mod.path, getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1,
                    getattr(node, "end_lineno", 0) or getattr(node, "lineno", 0),
                    (getattr(node, "end_col_offset", 0) or 0) + 1)

    def source(self, text: str, node: ast.AST, string: bool, other: bool = False) -> Value:
        found = self.repo.terms.of(text, string)
        if not found:
            return EMPTY
        where = self.step(node)
        via = "column" if string else "name"
        tags = frozenset(Tag(attr, kind, where, via) for attr, kind in found)
        return Value(tags, other, (where,))

    def sink(self, rule: str, value: Value, node: ast.AST, detail: str, kind: str = "protected") -> None:
        """Report ``value`` reaching a sink at ``node``."""
        self.sink_at(rule, value, self.step(node), detail, kind)

    def sink_at(self, rule: str, value: Value, where: Step, detail: str, kind: str = "protected") -> None:
        """Concrete tags of ``kind`` give a hit; parameter tags a summary entry (the caller decides)."""
        rule, joined, _ = rule.partition(JOINED)
        concrete = sorted({t.attr for t in value.tags if t.kind == kind and kind != "param"})
        if concrete:
            self.repo.emit(Hit(rule, where, tuple(concrete), value.step(where).trail, detail))
        if rule in (MODEL_INPUT, PROXY_INPUT) and (value.other or joined):
            rule += JOINED  # each parameter reaches the input beside other data (concat([X, a]))
        for t in value.tags:
            if t.kind == "param":
                self.param_sinks.append((int(t.attr[1:]), rule, where, detail))

    def call_sinks(self, info: FunctionInfo, args: Sequence[Value], node: ast.AST) -> None:
        """The sinks a call reaches through the callee's parameters, reported at the callee's sink."""
        for index, rule, where, detail in self.repo.summary(info).sinks:
            if index < len(args) and args[index].tags:
                value = args[index].step(self.step(node))
                base, joined, _ = rule.partition(JOINED)
                if value.reported or (base in (MODEL_INPUT, PROXY_INPUT)) != (value.other or bool(joined)):
                    continue  # an input needs a feature matrix, a target the attribute alone
                self.sink_at(rule, value, where, detail, "proxy" if base == PROXY_INPUT else "protected")

    def fairness_object(self, node: ast.expr) -> bool:
        """A receiver built by a fairness library (AIF360 post-processors, Fairlearn reductions)."""
        if not isinstance(node, ast.Name):
            return False
        scope = self.func.node.name if self.func is not None else ""
        return f"{scope}:{node.id}" in self.mod.fairness_objects or f":{node.id}" in self.mod.fairness_objects

    def is_module(self, node: ast.expr) -> bool:
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and (root.id in self.mod.modules or root.id in MODULE_HINTS)

    # ------------------------------------------------------------------ statements
    def block(self, body: Iterable[ast.stmt]) -> None:
        for stmt in body:
            try:
                self.statement(stmt)
            except Exception as exc:  # noqa: BLE001 - one odd statement never sinks the file
                self.repo.problems.setdefault(self.mod.path, f"line {getattr(stmt, 'lineno', '?')}: "
                                              f"{type(exc).__name__}")

    def statement(self, node: ast.stmt) -> None:
        self.stmt = node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return  # functions are summarised on their own; classes through their methods
        if isinstance(node, ast.Assign):
            self.model_selection(node)
            self.hand_split(node)
            binner = next((n for n in ast.walk(node.value) if isinstance(n, ast.Call)
                           and _last(n.func) in BINNERS), None)
            if binner is not None:
                self.mod.binners.update({_dotted(t): self.step(binner) for t in node.targets if _dotted(t)})
            if isinstance(node.value, ast.Call) and _last(node.value.func) in CODE_ENCODERS:
                self.mod.encoders.update(_dotted(t) for t in node.targets if _dotted(t))
            self.targets = [n for t in node.targets for n in _names(t)]
            self.record_build(self.targets, node.value)
            value = self.expr(node.value).step(self.step(node))
            self.reported_names.clear()
            value = self.assign_checks(node.targets, node.value, value)
            for target in node.targets:
                self.bind(target, value, node.value)
            for name in self.reported_names:
                if name in self.env:
                    self.env[name] = self.env[name].as_reported()
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self.targets = _names(node.target)
            value = self.expr(node.value).step(self.step(node))
            value = self.assign_checks([node.target], node.value, value)
            self.bind(node.target, value, node.value)
        elif isinstance(node, ast.AugAssign):
            self.targets = _names(node.target)
            if {"sex", "gender"} & {a for n in self.targets for a, k in self.repo.terms.of(n.split(".")[-1], True)} \
                    and _two_constants(node.value):
                self.repo.emit(Hit(GENDER_BINARY, self.step(node.value), ("gender",), (self.step(node.value),),
                                   "gender labels built from two constant lists"))
            value = join(self.expr(node.target), self.expr(node.value))
            self.bind(node.target, value.step(self.step(node)), node.value)
        elif isinstance(node, ast.Expr):
            self.targets = []
            self.expr(node.value)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                if isinstance(node.value, ast.Dict):
                    self.gender_label_space(node.value)
                self.targets = []
                if isinstance(node.value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in node.value.elts):
                    parts = [self.expr(e) for e in node.value.elts]
                    self.return_tuples.append(parts)
                    self.returns.append(join(*parts).with_other(True) if len(parts) > 1 else join(*parts))
                else:
                    self.returns.append(self.expr(node.value))
                if isinstance(node.value, ast.Constant):
                    self.return_constants.append(node.value.value)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            groups = self.expr(node.iter)
            self.bind(node.target, groups, node.iter)
            evaluating = any(_is_test_name(n) for n in _identifiers(node.iter))
            self.eval_depth += evaluating
            self.loop_depth += 1
            self.loop_targets.append(" ".join(_names(node.target)))
            if groups.tags and not groups.other and self.metric_context() and \
                    any(isinstance(n, ast.Compare) for b in node.body for n in ast.walk(b)):
                self.group_evaluation(node, [t.attr for t in groups.tags if t.kind == "protected"],
                                      "a loop over the groups of a protected attribute")
            self.block(node.body)
            self.block(node.orelse)
            self.eval_depth -= evaluating
            self.loop_depth -= 1
            self.loop_targets.pop()
        elif isinstance(node, ast.While):
            self.expr(node.test)
            self.block(node.body)
            self.block(node.orelse)
        elif isinstance(node, ast.If):
            self.model_selection(node)
            if self.loop_depth:
                self.modulo_routing(node)
            if self.loop_depth and len(node.body) == 1 and isinstance(node.body[0], ast.Continue):
                self.face_filter(node.test, node.test)
            if self.loop_depth and 1 <= len(node.body) <= 3 and isinstance(node.body[-1], ast.Continue) \
                    and _missing_check(node.test):
                self.repo.emit(Hit(MISSING, self.step(node.test), (), (self.step(node.test),),
                                   "rows with a missing value skipped in a loop"))
            if self.loop_depth and len(node.body) == 1 and _missing_check(node.test) \
                    and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Call) \
                    and _last(node.body[0].value.func) == "append" and isinstance(node.body[0].value.func, ast.Attribute):
                collected = _dotted(node.body[0].value.func.value)  # rows with a missing value, collected
                if collected:
                    self.mod.missing_rows.add(collected)
            self.expr(node.test)
            self.block(node.body)
            self.block(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            evaluating = False
            for item in node.items:
                value = self.expr(item.context_expr)
                evaluating = evaluating or _last(item.context_expr) in ("no_grad", "inference_mode")
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, item.context_expr)
            self.eval_depth += evaluating
            self.block(node.body)
            self.eval_depth -= evaluating
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.block(node.body)
            for handler in node.handlers:
                self.block(handler.body)
            self.block(node.orelse)
            self.block(node.finalbody)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    dropped = {a for a, _ in self._string_terms(target.slice)}
                    name = target.value.id
                    if name in self.env:
                        self.env[name] = self.env[name].without(dropped)
        elif isinstance(node, ast.Match):
            self.expr(node.subject)
            for case in node.cases:
                self.block(case.body)

    def bind(self, target: ast.expr, value: Value, source: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            elts = target.elts
            if isinstance(source, (ast.Tuple, ast.List)) and len(source.elts) == len(elts):
                for t, s in zip(elts, source.elts):
                    self.bind(t, self.expr(s), s)
                return
            pairs = self._split_pairs(source, len(elts))
            for i, t in enumerate(elts):
                if isinstance(t, ast.Starred):
                    t = t.value
                self.bind(t, pairs[i] if pairs is not None else value, None)
        elif isinstance(target, ast.Subscript):
            # df["col"] = ...: the frame gains the column (and whatever the value carries)
            base = target.value
            key = self._string_terms(target.slice)
            if isinstance(base, ast.Name):
                old = self.env.get(base.id, EMPTY)
                added = self.source_keys(target.slice, target) or EMPTY
                if key or value.tags or old.tags:
                    grown = join(old, value.with_other(True), added).with_other(True)
                    self.env[base.id] = grown.as_reported() if old.reported else grown
        elif isinstance(target, ast.Attribute):
            key = _dotted(target)
            if key:
                self.env[key] = value
            if target.attr == "columns" and isinstance(target.value, ast.Name) and value.tags \
                    and isinstance(source, (ast.List, ast.Tuple, ast.Name)):
                # df.columns = [...]: the frame's columns are named, and carry what they name
                old = self.env.get(target.value.id, EMPTY)
                self.env[target.value.id] = join(old, value).with_other(True)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, value, None)

    def _split_pairs(self, source: ast.expr | None, n: int) -> list[Value] | None:
        """``a_tr, a_te, b_tr, b_te = train_test_split(a, b)``: each output carries its input."""
        if isinstance(source, ast.Call) and _last(source.func) == "train_test_split":
            arrays = [self.expr(a) for a in source.args if not isinstance(a, ast.Starred)]
            if arrays and n == 2 * len(arrays):
                return [arrays[i // 2] for i in range(n)]
        if self.positional is not None and self.positional[0] is source and len(self.positional[1]) == n:
            return self.positional[1]  # X, y, a = load(path): each name gets its own position
        return None

    # ------------------------------------------------------------------ expressions
    def expr(self, node: ast.expr | None) -> Value:
        if node is None:
            return EMPTY
        method = getattr(self, "e_" + type(node).__name__, None)
        if method is None:
            return join(*(self.expr(c) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)))
        return method(node)

    def e_Constant(self, node: ast.Constant) -> Value:
        if isinstance(node.value, str):
            v = self.source(node.value, node, True)
            return Value(v.tags, False, v.trail, strings=(node.value,))
        return EMPTY

    def e_Name(self, node: ast.Name) -> Value:
        bound = self.env.get(node.id)
        if node.id in self.mod.modules:
            return EMPTY
        named = self.source(node.id, node, False) if not node.id[:1].isupper() else EMPTY
        if bound is None:
            return named
        if named.tags and not any(tag.kind != "param" for tag in bound.tags):
            joined = join(bound, named)
            return joined.as_reported() if bound.reported else joined
        return bound

    def e_Attribute(self, node: ast.Attribute) -> Value:
        key = _dotted(node)
        if key and key in self.env:
            return self.env[key]
        if self.is_module(node.value):
            return EMPTY
        if node.attr == "codes" and isinstance(node.value, ast.Attribute) and node.value.attr == "cat":
            value = self.expr(node.value.value)
            self.label_codes(node, node.value.value, value, "`.cat.codes`")
            return value
        base = self.expr(node.value)
        if node.attr in ("shape", "columns", "index", "dtype", "dtypes", "size", "ndim", "device"):
            return EMPTY if node.attr != "columns" else base
        named = self.source(node.attr, node, False)
        if named.tags:
            return Value(named.tags, False, named.trail)  # df.sex: that column
        return base

    def e_Subscript(self, node: ast.Subscript) -> Value:
        base = self.expr(node.value)
        key = node.slice
        if isinstance(node.value, ast.Name) and node.value.id in self.mod.gender_maps \
                and not isinstance(node.ctx, ast.Store):
            self.repo.emit(Hit(GENDER_BINARY, self.step(node), ("gender",), (self.step(node),),
                               f"a lookup in the two-entry gender map `{node.value.id}`"))
        if isinstance(node.value, ast.Name) and node.value.id in self.mod.merge_maps:
            looked = self.expr(key)  # dialect_map[row["accents"]]: a value looked up in a merging map
            if looked.tags and not looked.other:
                self.merged(looked, node, f"a lookup in `{node.value.id}` (a many-to-fewer mapping)")
            return Value(looked.tags, False, looked.trail)
        if isinstance(key, (ast.Compare, ast.BoolOp, ast.BinOp)) and _excludes_missing(key):
            self.repo.emit(Hit(MISSING, self.step(node), (), (self.step(node),),
                               "rows whose value is a missing-value marker filtered out"))
        if isinstance(key, (ast.Compare, ast.BoolOp, ast.BinOp)) and self.metric_context():
            masked = self.mask_of(key)
            if masked:
                self.group_evaluation(node, masked, "rows chosen by a protected attribute")
        if isinstance(key, ast.Tuple) and len(key.elts) == 2 and _last(node.value) in ("loc", "iloc", "ix", "at"):
            key = key.elts[1]  # .loc[rows, cols]
            if isinstance(key, ast.Slice):
                return base
        selected = self.source_keys(key, node)
        if selected is not None:
            if isinstance(node.value, ast.Name) and selected.tags and node.value.id in self.env:
                # df["sex"] says the frame has that column
                env_v = self.env[node.value.id]
                if env_v.other and not env_v.tags.issuperset(selected.tags):
                    self.env[node.value.id] = join(env_v, selected.with_other(True))
            return selected
        index = key.value if isinstance(key, ast.Constant) else (
            -key.operand.value if isinstance(key, ast.UnaryOp) and isinstance(key.op, ast.USub)
            and isinstance(key.operand, ast.Constant) else None)
        if isinstance(index, int) and not isinstance(index, bool) and isinstance(node.value, ast.Name) \
                and base.strings and base.tags and -len(base.strings) <= index < len(base.strings):
            named = self.source(base.strings[index], node, True)  # headers[9]: the column it names
            return Value(named.tags, not named.tags, named.trail, strings=(base.strings[index],))
        if isinstance(key, ast.Constant) and isinstance(key.value, (int, float)):
            return base
        keyv = self.expr(key)
        if keyv.tags and not base.tags and keyv.strings:
            return keyv  # batch[args.gender_column]
        key_name = _dotted(key).split(".")[-1] if _dotted(key) else ""
        if keyv.tags and not base.tags and {"col", "column", "field", "key"} & set(ident_parts(key_name)):
            # batch[data_args.age_column]: the column the name says it holds
            tags = frozenset(Tag(t.attr, t.kind, t.origin, "column") for t in keyv.tags if t.kind != "param")
            return Value(tags, False, keyv.trail)
        if all(tag.kind == "param" for tag in keyv.tags):
            return base  # rows chosen by an index: the frame's columns, not the index's
        return base if base.tags or not keyv.tags or keyv.other else join(base, keyv).with_other(base.other)

    def source_keys(self, key: ast.expr, node: ast.AST) -> Value | None:
        """What selecting columns by ``key`` gives: None when ``key`` does not name columns."""
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            v = self.source(key.value, key, True)
            return Value(v.tags, not v.tags, v.trail)
        if isinstance(key, (ast.List, ast.Tuple)) and key.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in key.elts):
            vs = [self.source(e.value, e, True) for e in key.elts]
            other = any(not v.tags for v in vs) or len(key.elts) > 1
            return join(*vs).with_other(other)
        if isinstance(key, ast.Name):
            bound = self.env.get(key.id)
            if bound is not None and bound.strings and not isinstance(key, ast.Constant):
                return bound.with_other(bound.other or len(bound.strings) > 1)
        if isinstance(key, ast.BinOp):  # cols + ["age"]
            left, right = self.source_keys(key.left, node), self.source_keys(key.right, node)
            if left is not None or right is not None:
                return join(left or UNKNOWN_DATA, right or UNKNOWN_DATA)
        return None

    def _string_terms(self, node: ast.expr, dummies: bool = True) -> list[tuple[str, str]]:
        """The attributes the strings in ``node`` name. ``dummies=False`` leaves out one-hot
        column names (``race_ Black``): dropping some dummies keeps the others."""
        if not dummies:
            strings = self.env[node.id].strings if isinstance(node, ast.Name) and node.id in self.env \
                else tuple(_strings(node)) if isinstance(node, (ast.List, ast.Tuple, ast.Constant)) else None
            if strings is not None:
                return [x for text in strings if not _dummy_name(text) for x in self.repo.terms.of(text, True)]
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return [x for e in node.elts for x in self._string_terms(e)]
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant) \
                and isinstance(node.slice.value, int):
            v = self.expr(node)  # headers[0]: the one column it names
            return [(t.attr, t.kind) for t in v.tags if t.kind != "param"] if v.strings else []
        found: list[tuple[str, str]] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                found.extend(self.repo.terms.of(sub.value, True))
            elif isinstance(sub, ast.Name) and sub.id in self.env:
                found.extend((t.attr, t.kind) for t in self.env[sub.id].tags if t.kind != "param"
                             and self.env[sub.id].strings)
        return found

    def e_List(self, node: ast.List | ast.Tuple | ast.Set) -> Value:
        vs = [self.expr(e) for e in node.elts]
        strings = tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
        v = join(*vs)
        other = v.other or any(not x.tags for x in vs) or len(vs) > 1
        return Value(v.tags, other, v.trail, strings=strings or v.strings)

    e_Tuple = e_List
    e_Set = e_List

    def e_Dict(self, node: ast.Dict) -> Value:
        keys = [self.expr(k) for k in node.keys if k is not None]
        vals = [self.expr(v) for v in node.values]
        v = join(*keys, *vals)
        consts = [x.value for x in node.values if isinstance(x, ast.Constant)]
        binary = len(node.values) >= 2 and len(consts) == len(node.values) and len(set(consts)) == 2 \
            and all(isinstance(c, (int, float, bool)) for c in consts)
        strings = tuple(k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
        return Value(v.tags, True, v.trail, binary, strings)

    def e_BinOp(self, node: ast.BinOp) -> Value:
        left, right = self.expr(node.left), self.expr(node.right)
        if isinstance(node.op, ast.FloorDiv) and isinstance(node.right, ast.Constant):
            self.binning(left, node, "floor division")
        if isinstance(node.op, ast.MatMult) and PROJECTION_PARTS & set(ident_parts(_dotted(node.right) or "")):
            return Value(other=True)  # X @ proj_compl: projected off the protected directions (SenSR, INLP)
        return join(left, right)

    def e_Compare(self, node: ast.Compare) -> Value:
        return join(self.expr(node.left), *(self.expr(c) for c in node.comparators)).with_other(False)

    def e_IfExp(self, node: ast.IfExp) -> Value:
        test = self.expr(node.test)
        body, orelse = self.expr(node.body), self.expr(node.orelse)
        if _constant(node.body) and _constant(node.orelse) and test.tags:
            # "F" if gender == 0 else "M", wherever it stands: gender shown as two values
            self.binarised(test, node, "a conditional expression", only=("sex", "gender"))
            return Value(test.tags, False, test.trail, binary_map=True)
        return join(body, orelse)

    def e_Lambda(self, node: ast.Lambda) -> Value:
        if isinstance(node.body, ast.Subscript) and isinstance(node.body.value, ast.Name) \
                and node.body.value.id in self.mod.gender_maps:
            self.expr(node.body)  # map(lambda g: gender_map[g], ...): the lookup is the recoding
        return EMPTY

    def e_ListComp(self, node: ast.ListComp | ast.GeneratorExp | ast.SetComp) -> Value:
        saved = dict(self.env)
        for gen in node.generators:
            self.bind(gen.target, self.expr(gen.iter), gen.iter)
        v = self.expr(node.elt)
        self.env = saved
        return v

    e_GeneratorExp = e_ListComp
    e_SetComp = e_ListComp

    def e_DictComp(self, node: ast.DictComp) -> Value:
        saved = dict(self.env)
        for gen in node.generators:
            self.bind(gen.target, self.expr(gen.iter), gen.iter)
        v = join(self.expr(node.key), self.expr(node.value))
        self.env = saved
        return v

    def e_JoinedStr(self, node: ast.JoinedStr) -> Value:
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return Value(strings=(text,)) if text else EMPTY

    def e_Starred(self, node: ast.Starred) -> Value:
        return self.expr(node.value)

    def e_NamedExpr(self, node: ast.NamedExpr) -> Value:
        v = self.expr(node.value)
        self.bind(node.target, v, node.value)
        return v

    # ------------------------------------------------------------------ calls
    def e_Call(self, node: ast.Call) -> Value:
        func = node.func
        last = _last(func)
        args = [self.expr(a) for a in node.args]
        self.in_kwarg += 1
        try:
            kwargs = {k.arg: self.expr(k.value) for k in node.keywords if k.arg}
        finally:
            self.in_kwarg -= 1
        for k in node.keywords:
            if k.arg and isinstance(k.value, (ast.List, ast.Tuple)) and kwargs[k.arg].tags:
                self.feature_list(k.arg, k.value, kwargs[k.arg])
            if k.arg in CHOOSER_KWARGS:
                self.one_attribute(k.arg, k.value)
        if last in GROUP_COUNTS and isinstance(func, ast.Attribute):
            self.counted.update(id(g) for g in _grouped_by(func.value))
        recv = self.expr(func.value) if isinstance(func, ast.Attribute) and not self.is_module(func.value) else EMPTY
        if isinstance(func, ast.Call):
            recv = self.expr(func)

        if last == "add_argument":
            self.dataset_default(node)
        if last:
            self.loss_weights(node, last)
        schema = self.dataset(node, last, args)
        if schema is not None:
            return schema
        self.toxicity_model(node, last)
        self.demographic_model(node, func, last)
        if last in FIT_METHODS and isinstance(func, ast.Attribute):
            return self.fit_call(node, func, args, kwargs)
        if last in CONVERSIONS:
            self.conversion(node, last, args, kwargs)
            first = args[0] if args else kwargs.get("data", EMPTY)
            out = join(*args) if last == "TensorDataset" else first
            return out.as_reported() if first.other and first.tags else out
        self.loss_call(node, func, last, args, kwargs)
        if last == "predict" and isinstance(func, ast.Attribute):
            self.named_predictor(node, func)
        if last in ("drop",) and isinstance(func, ast.Attribute):
            return self.drop(node, func, recv)
        if last == "pop" and isinstance(func, ast.Attribute) and node.args:
            return self.source_keys(node.args[0], node) or recv
        if last in ("replace", "map", "apply", "where", "transform") and isinstance(func, ast.Attribute):
            self.recode(node, last, recv, args, kwargs)
        if last in ("cut", "qcut", "digitize", "KBinsDiscretizer", "Discretization", "bucketize"):
            self.binning(args[0] if args else EMPTY, node, last)
        if last in ("ColumnTransformer", "make_column_transformer"):
            self.column_binning(node)
        if last and any(isinstance(a, ast.Constant) and a.value == 2 for a in (*node.args, *(k.value for k in node.keywords))):
            self.two_way_arguments(node, last)
        if last in ("delete", "drop") and len(node.args) >= (2 if last == "delete" else 1):
            rows = node.args[1] if last == "delete" else node.args[0]
            if isinstance(rows, ast.Name) and rows.id in self.mod.missing_rows:
                self.repo.emit(Hit(MISSING, self.step(node), (), (self.step(node),),
                                   f"rows with a missing value collected in `{rows.id}` and deleted"))
        if last == "min" and isinstance(func, ast.Name) or last == "clip":
            if any(isinstance(a, ast.Constant) for a in node.args[1:]) or last == "clip":
                self.binning(args[0] if args else recv, node, f"{last} (top-coding)", only=("age",))
        if last in ("where",) and self.is_module(func.value if isinstance(func, ast.Attribute) else func) \
                and len(node.args) == 3 and _constant(node.args[1]) and _constant(node.args[2]):
            self.binarised(args[0], node, "where(...)")
        if last == "fit_transform" and isinstance(func, ast.Attribute) and "LabelEncoder" in ast.unparse(func.value) \
                and node.args and _names_one_column(node.args[0]) and not args[0].other:
            self.binarised(args[0], node, "LabelEncoder", only=("sex", "gender"))
        if last in ("fit_transform", "transform") and isinstance(func, ast.Attribute) and node.args \
                and self.code_encoder(func.value):
            self.label_codes(node, node.args[0], args[0], f"`{_dotted(func.value) or 'LabelEncoder()'}.{last}(...)`")
        if last == "factorize" and (node.args or isinstance(func, ast.Attribute)):
            column, value = (node.args[0], args[0]) if node.args and self.is_module(func.value if isinstance(
                func, ast.Attribute) else func) else (func.value if isinstance(func, ast.Attribute) else None, recv)
            if column is not None:
                self.label_codes(node, column, value, "`factorize(...)`")
        if last in ("to_categorical", "one_hot") and len(node.args) >= 2 and \
                isinstance(node.args[1], ast.Constant) and node.args[1].value == 2:
            self.binarised(args[0], node, f"`{last}(..., 2)`", only=("sex", "gender"))
        if last == "get_dummies":
            frame = args[0] if args else kwargs.get("data", EMPTY)
            prefix = kwargs.get("prefix", EMPTY)
            columns = kwargs.get("columns", EMPTY)
            if self.targets and any(t.kind == "proxy" for t in columns.tags) and not self.in_kwarg:
                # get_dummies(df, columns=[..., "relationship"]): a proxy chosen and encoded as features
                self.sink(PROXY_INPUT, columns.of_kind("proxy"), node, "`get_dummies(..., columns=[...])`", kind="proxy")
            return join(frame, prefix, columns).with_other(True)
        if last == "assign" and isinstance(func, ast.Attribute):
            named = [self.source(k, node, True) for k in kwargs]
            return join(recv, *kwargs.values(), *named).with_other(True)
        if last in ("concat", "merge", "join", "hstack", "vstack", "column_stack", "concatenate", "cat", "stack"):
            return join(recv, *args, *kwargs.values())

        if last and len(node.args) + len(node.keywords) >= 2 and GROUP_METRIC_FUNCS & set(ident_parts(last)) \
                and (METRIC_WORDS | {"parity", "odds", "subgroup", "disparity", "disparate"}) & set(ident_parts(last)):
            self.group_evaluation(node, (), f"a call of `{last}`, named for a group metric")
        if last in ("sum", "mean", "average", "count_nonzero") and node.args and self.metric_context():
            masked = self.mask_of(node.args[0])
            if masked:
                self.group_evaluation(node, masked, "a metric over rows chosen by a protected attribute")
        if last == "groupby" and isinstance(func, ast.Attribute) and args and args[0].tags \
                and id(node) not in self.counted and self.metric_context():
            self.group_evaluation(node, [t.attr for t in args[0].tags if t.kind == "protected"],
                                  "a group-by on a protected attribute")
        self.split_call(node, func, last)
        infos = self.repo.resolve(last, isinstance(func, ast.Attribute), self.mod) if last else []
        qualified = self.repo.qualified(func, self.mod)
        self.training_call(node, last, args, infos if infos and not self.is_module(
            func.value if isinstance(func, ast.Attribute) else func) else qualified)
        if infos and not self.is_module(func.value if isinstance(func, ast.Attribute) else func):
            return self.repo_call(node, infos, args, kwargs)
        if qualified:
            return self.repo_call(node, qualified, args, kwargs)
        if last in OPAQUE or (last and METRIC_PARTS & set(ident_parts(last))):
            return EMPTY
        if isinstance(func, ast.Name) and func.id in NAME_ONLY_FUNCS:
            return join(*args)
        if last and last[:1].isupper() and last not in PASS_METHODS:
            # a constructor: a dataset or tensor built from its arguments, a model from none
            data = [a for a in args if a.tags] or [v for k, v in kwargs.items() if k in DATA_KWARGS and v.tags]
            return join(*data, *(v for k, v in kwargs.items() if k not in FAIRNESS_KWARGS)) if data else EMPTY
        if isinstance(func, ast.Attribute) and recv.tags:
            return join(recv, *args) if last in PASS_METHODS else recv
        if isinstance(func, ast.Attribute) and recv.other and last in PASS_METHODS | FRAME_METHODS:
            return recv  # read_csv(...).reset_index(drop=True): still the table
        return join(*args, *(v for k, v in kwargs.items() if k not in FAIRNESS_KWARGS))

    def training_call(self, node: ast.Call, last: str, args: list[Value], infos: list[FunctionInfo]) -> None:
        """``train_nn(X_train, y_train, ...)``, ``fit_model(X, y)``: a function named for training
        handed a feature matrix that still holds protected attributes. Where the repository's own
        definition already reports the input inside, that finding stands instead."""
        parts = set(ident_parts(last)) if last else set()
        if not ({"train", "fit"} & parts) or not parts <= TRAIN_CALL_PARTS or last in FIT_METHODS \
                or not node.args or not args or self.in_kwarg or self.eval_depth:
            return
        name = _dotted(node.args[0]).split(".")[-1]
        x = args[0]
        if not name or not (_x_named(name) or INPUT_PARTS & set(ident_parts(name))) or _is_test_name(name) \
                or not (x.other or _from_param(x)) or x.reported:
            return
        if any(i == 0 and rule.startswith(MODEL_INPUT) for info in infos for i, rule, _, _ in self.repo.summary(info).sinks):
            return
        self.sink(MODEL_INPUT, x, node, f"`{last}(...)`")

    def two_way_arguments(self, node: ast.Call, last: str) -> None:
        """``Net(n_age, 2)`` where the repository's ``Net.__init__(self, num_age_classes,
        num_gender_classes)``: the gender head is given two classes at the call."""
        infos = [i for i in self.repo.functions.get("__init__", []) if i.cls == last] if last[:1].isupper() \
            else self.repo.resolve(last, False, self.mod)
        if not infos or len({tuple(i.params) for i in infos}) != 1:
            return  # unknown, or definitions that disagree on their parameters
        params = infos[0].params
        given = list(zip(params, node.args)) + [(k.arg, k.value) for k in node.keywords if k.arg]
        for param, arg in given:
            if isinstance(arg, ast.Constant) and arg.value == 2 and _two_way_param(param, self.repo.terms):
                self.repo.emit(Hit(GENDER_BINARY, self.step(arg), ("gender",), (self.step(arg),),
                                   f"`{param}` given two classes"))

    def repo_call(self, node: ast.Call, infos: list[FunctionInfo], args: list[Value],
                  kwargs: dict[str, Value]) -> Value:
        out = []
        positional: list[list[Value]] = []
        for info in infos:
            params = info.params
            ordered = list(args) + [EMPTY] * max(0, len(params) - len(args))
            for k, v in kwargs.items():
                if k in params:
                    ordered[params.index(k)] = v
            summary = self.repo.summary(info)
            self.call_sinks(info, ordered, node)
            if summary.split is not None:
                self.repo.split_called.add(id(info))
                at = summary.split[0]
                self.repo.emit(Hit(SPLIT, self.step(node), (), (self.step(node),),
                                   f"`{info.node.name}(...)` (a helper that splits by hand at {at.path}:{at.line})"))
            flowed = [ordered[i] for i in summary.flows if i < len(ordered)]
            value = join(summary.returns, *flowed)
            if summary.binary:
                value = Value(value.tags, False, value.trail, binary_map=True)
            out.append(value)
            if summary.positions:
                positional.append([join(v, *(ordered[i] for i in flows if i < len(ordered))).step(self.step(node))
                                   for v, flows in summary.positions])
        if positional and len(positional) == len(infos) and len({len(p) for p in positional}) == 1:
            self.positional = (node, [join(*(p[i] for p in positional)) for i in range(len(positional[0]))])
        return join(*out).step(self.step(node))

    def dataset(self, node: ast.Call, last: str, args: list[Value]) -> Value | None:
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "self":
            return None  # a class's own loading step: the load is reported inside it, once
        if node.args and isinstance(node.args[0], ast.Name) and WRITE_PARTS & set(ident_parts(node.args[0].id)):
            return None  # open(save_dir): a cache or output file, not the dataset
        schema = schemas.loader_schema(last) if last else None
        if schema is not None and (last in schemas.BARE_NAMES or last not in schemas.LOADERS and schema.kind == "tabular") \
                and (self.repo.functions.get(last) or last in self.repo.class_names):
            return None  # `compas()` / `load_adult_data()` of the repository's own: its body holds the read
        if last == "open" and isinstance(node.func, ast.Name):
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
                return None  # a file written, not a dataset read
        if schema is None and last in ("read_csv", "read_table", "read_excel", "read_parquet", "read_json",
                                       "loadtxt", "genfromtxt", "fetch_openml", "read_fwf", "loadmat",
                                       "load_dataset", "read_feather", "open"):
            for arg in list(node.args[:1]) + [k.value for k in node.keywords if k.arg in ("name", "filepath_or_buffer", "path")]:
                text = " ".join(s for s in _strings(arg)) or " ".join(self.expr(arg).strings)
                schema = schemas.dataset_in_path(text) if text else None
                if schema:
                    break
            columns = [k.value for k in node.keywords if k.arg in ("names", "usecols", "columns")]
            named = join(*(self.expr(c) for c in columns)).with_other(True)
            if schema is None:
                return named if named.tags else UNKNOWN_DATA
        if schema is None and last and LOADER_PARTS & set(ident_parts(last)):
            named = [s for a in node.args for s in _strings(a) if schemas.dataset_in_path(s)]
            schema = schemas.dataset_in_path(named[0]) if named else None
            if schema is None:  # get_data_file("german"): the dataset by its name alone
                bare = [schemas.dataset_named(a.value) for a in node.args
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                schema = next((b for b in bare if b is not None), None)
        if schema is None and last and self.repo.functions.get(last) and not WRITE_PARTS & set(ident_parts(last)):
            # get_meta("./data/imdb_crop/imdb.mat", "imdb"): the repository's own reader, given the file
            paths = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)
                     and schemas.path_like(a.value)]
            schema = next((schemas.dataset_in_path(p) for p in paths if schemas.dataset_in_path(p)), None)
        if schema is None:
            return None
        where = self.step(node)
        rule = HIGH_STAKES if schema.kind == "tabular" else FACE_DATASET
        if schema.kind != "people":  # a people table that is no benchmark: its columns matter, not its fame
            self.repo.emit(Hit(rule, where, (schema.name,), (where,), f"`{last}(...)` loads {schema.name}"))
        self.mod.known_attrs.update(schema.protected)  # the table holds them, named or not
        tags = {Tag(a, "protected", where, "schema") for a in schema.protected}
        tags |= {Tag(a, "proxy", where, "schema") for a in schema.proxy}
        return Value(frozenset(tags), True, (where,), strings=schema.columns)

    def dataset_default(self, node: ast.Call) -> None:
        """``parser.add_argument("--db", default="./data/imdb_crop/imdb.mat")``: the dataset a
        script reads unless told otherwise."""
        for k in node.keywords:
            if k.arg == "default" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str) \
                    and ("/" in k.value.value or "." in k.value.value):
                schema = schemas.dataset_in_path(k.value.value)
                if schema is not None and schema.kind != "people":
                    rule = HIGH_STAKES if schema.kind == "tabular" else FACE_DATASET
                    self.repo.emit(Hit(rule, self.step(node), (schema.name,), (self.step(node),),
                                       f"the default `{k.value.value}` names {schema.name}"))

    def toxicity_model(self, node: ast.Call, last: str) -> None:
        """A model class named for toxicity or hate speech (``ToxicClassifier(config)``) is built."""
        p = set(ident_parts(last))
        if last[:1].isupper() and {"toxic", "toxicity", "hate", "offensive", "detox"} & p \
                and {"classifier", "model", "net", "detector"} & p:
            self.repo.emit(Hit(TOXICITY, self.step(node), (), (self.step(node),), f"`{last}(...)`"))

    def demographic_model(self, node: ast.Call, func: ast.expr, last: str) -> None:
        """A model that recognises a protected attribute, told by how it is built or read:
        ``AGNet(num_age_classes)`` (a model sized by the attribute's classes), ``Net(...)`` or
        ``Net.from_pretrained(...)`` of a repository class with a gender or age head, and
        ``softmax(gender_logits)`` outside training (the attribute read off the head)."""
        if not last:
            return
        name = last
        if isinstance(func, ast.Attribute) and last in ("from_pretrained", "from_config", "load_from_checkpoint"):
            name = _last(func.value)
        module_call = self.is_module(func.value if isinstance(func, ast.Attribute) else func)
        if name in self.repo.demographic_classes and not module_call \
                and not any(isinstance(n, ast.ClassDef) and n.name == name for n in self.mod.tree.body):
            attrs = self.repo.demographic_classes[name]
            self.repo.emit(Hit(TARGET, self.step(node), attrs, (self.step(node),),
                               f"`{name}` has output heads for {', '.join(attrs)}", DEMOGRAPHIC_MODEL))
            return
        if last[:1].isupper() and not module_call and last not in LAYER_CALLS:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                counted = _dotted(arg).split(".")[-1] if _dotted(arg) else ""
                p = set(ident_parts(counted))
                attrs = [a for a, k in self.repo.terms.of(counted) if k == "protected"] if CLASS_COUNT_PARTS & p else []
                if attrs and not ADVERSARIAL_PARTS & p:
                    self.repo.emit(Hit(TARGET, self.step(node), tuple(sorted(attrs)), (self.step(node),),
                                       f"`{last}(...)` is sized by `{counted}`"))
                    return
        if last in PREDICTION_CALLS and node.args and not self.training_scope():
            head = _dotted(node.args[0]).split(".")[-1] if _dotted(node.args[0]) else ""
            p = set(ident_parts(head))
            attrs = [a for a, k in self.repo.terms.of(head) if k == "protected"] if HEAD_OUTPUT_PARTS & p else []
            if attrs and not ADVERSARIAL_PARTS & p:
                self.repo.emit(Hit(TARGET, self.step(node), tuple(sorted(attrs)), (self.step(node),),
                                   f"`{last}({head})` reads {', '.join(attrs)} off a model's head", READOUT))

    def model_selection(self, node: ast.If | ast.Assign) -> None:
        """Hand-written model selection on an aggregate metric: ``if val_loss < best_loss:`` or
        ``best_acc = max(best_acc, acc)``. A worst-group or per-group criterion is group-aware."""
        running = False  # the kept value is replaced by the new one: a running best
        if isinstance(node, ast.If):
            test = node.test
            if not (isinstance(test, ast.Compare) and len(test.ops) == 1
                    and isinstance(test.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE))):
                return
            names = [_dotted(test.left), _dotted(test.comparators[0])]
            running = any(isinstance(b, ast.Assign) and len(b.targets) == 1 and _dotted(b.targets[0]) in names
                          and _dotted(b.value) in names and _dotted(b.value) != _dotted(b.targets[0])
                          for b in node.body)
        else:
            self.best_by_index(node)
            call = node.value
            if not (isinstance(call, ast.Call) and _last(call.func) in ("max", "min")
                    and isinstance(call.func, ast.Name) and len(call.args) == 2):
                return
            names = [_dotted(a) for a in call.args]
            kept = [_dotted(t) for t in node.targets]
            if any(THRESHOLD_PARTS & set(ident_parts(t)) for t in self.loop_targets):
                return  # the best decision threshold of one model, not a choice between models
            if len(kept) == 1 and kept[0] in names and names[1 - names.index(kept[0])]:
                names = [kept[0]]  # acc = max(acc, epoch_acc): the kept value names the metric
                running = True
        if not all(names):
            return
        parts = [set(ident_parts(n.split(".")[-1])) for n in names]
        metric = all(SELECTION_METRICS & q for q in parts)
        best = running or any(BEST_PARTS & q for q in parts)
        grouped = any((GROUP_NAMES | {"minority", "majority"}) & q for q in parts)
        if metric and best and not grouped:
            self.repo.emit(Hit(SELECTION, self.step(node), (), (self.step(node),),
                               f"`{' vs '.join(names)}` selects on an aggregate metric"))

    def best_by_index(self, node: ast.Assign) -> None:
        """``best_alpha = results.idxmax()`` / ``best_k = ks[np.argmax(val_accs)]``: a setting
        chosen where an aggregate metric peaks. ``results`` counts as a metric when it wraps one
        (``results = pd.Series(aucs, index=alphas)``); a sum of an error and other terms (a
        fairness-constrained objective) does not."""
        names = [n for t in node.targets for n in _names(t)]
        wrapped = node.value.args[0] if isinstance(node.value, ast.Call) and node.value.args else None
        if len(names) == 1 and (_holds_metric(names[0]) or isinstance(wrapped, ast.Name) and (
                wrapped.id in self.metric_holders or _holds_metric(wrapped.id))):
            self.metric_holders.add(names[0])  # aucs = [] / table = pd.Series(aucs, index=alphas)
        if len(names) != 1:
            return
        parts = set(ident_parts(names[0].split(".")[-1]))
        if not (BEST_PARTS & parts) or PICKED_PARTS & parts or GROUP_NAMES & parts:
            return
        for call in ast.walk(node.value):
            if not (isinstance(call, ast.Call) and _last(call.func) in ARG_BEST):
                continue
            scored = call.args[0] if call.args else call.func.value if isinstance(call.func, ast.Attribute) else None
            held = _dotted(scored) if scored is not None else ""
            if held and (held in self.metric_holders or _holds_metric(held)) \
                    and not GROUP_NAMES & set(ident_parts(held.split(".")[-1])):
                self.repo.emit(Hit(SELECTION, self.step(node), (), (self.step(node),),
                                   f"`{names[0]}` is where `{held}` peaks, an aggregate metric"))
                return

    def split_call(self, node: ast.Call, func: ast.expr, last: str) -> None:
        """An unstratified split named by its call, wherever the name was imported from (star
        imports and re-exports hide the module from Semgrep): ``train_test_split`` without
        ``stratify=``, ``random_split``, AIF360's ``dataset.split([0.8], shuffle=True)``."""
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        if last == "train_test_split" and not self.repo.functions.get(last):
            stratify = kw.get("stratify")
            if stratify is None or (isinstance(stratify, ast.Constant) and stratify.value is None):
                self.repo.emit(Hit(SPLIT, self.step(node), (), (self.step(node),), f"`{last}(...)` without `stratify=`"))
        elif last == "random_split" and not self.repo.functions.get(last):
            self.repo.emit(Hit(SPLIT, self.step(node), (), (self.step(node),), "`random_split(...)`"))
        elif last == "split" and isinstance(func, ast.Attribute) and not self.is_module(func.value) and node.args \
                and isinstance(node.args[0], ast.List) and len(node.args[0].elts) == 1 \
                and isinstance(node.args[0].elts[0], ast.Constant) and isinstance(node.args[0].elts[0].value, float):
            self.repo.emit(Hit(SPLIT, self.step(node), (), (self.step(node),), "`split([...])` of a dataset"))

    # ------------------------------------------------------------------ hand-written splits (DP11)
    def report_split(self, where: Step, detail: str) -> None:
        """A split written by hand. Inside a helper named for splitting (``split_data``) it is
        reported where the helper is called (that is where the data is); elsewhere here."""
        if self.func is not None and {"split", "partition"} & set(ident_parts(self.func.node.name)):
            if self.body_split is None:
                self.body_split = (where, detail)
            return
        self.repo.emit(Hit(SPLIT, where, (), (where,), detail))

    def hand_split(self, node: ast.Assign) -> None:
        """``X_train, X_test = X[:n], X[n:]`` (the two parts of one value, cut at one bound and
        named for training and held-out data), ``msk = np.random.rand(len(df)) < 0.8`` used to
        pick a named part, ``test_idx = np.random.choice(n, int(n * 0.2), replace=False)``, and
        ``train = [... if i % 5 != 0]`` beside ``test = [... if i % 5 == 0]``."""
        pairs: list[tuple[ast.expr, ast.expr]] = []
        for target in node.targets:
            if isinstance(target, (ast.Tuple, ast.List)) and isinstance(node.value, (ast.Tuple, ast.List)) \
                    and len(target.elts) == len(node.value.elts):
                pairs += list(zip(target.elts, node.value.elts))
            else:
                pairs.append((target, node.value))
        for target, value in pairs:
            name = _dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else ""
            if name and _size_of_part(value):
                self.part_sizes.add(name)  # n_train = X_train.shape[0]: the size of an existing part
            role = _split_role(name)
            if role:
                self.slice_part(name, role, value)
                self.modulo_part(role, value)
            if isinstance(target, ast.Name):
                self.random_mask(target.id, value)
                self.index_sample(target.id, role, value)
            if role and isinstance(value, ast.Call) and _last(value.func) == "sample" \
                    and isinstance(value.func, ast.Attribute) and not self.is_module(value.func.value):
                frac = next((k.value for k in value.keywords if k.arg == "frac"), None)
                if isinstance(frac, ast.Constant) and isinstance(frac.value, float) and 0 < frac.value < 1:
                    self.report_split(self.step(value), f"Sampling `{name}` as a share of the rows (`sample(frac=...)`)")
        if any(isinstance(t, (ast.Tuple, ast.List)) and any(_split_role(n) for n in _names(t)) for t in node.targets) \
                and isinstance(node.value, ast.Call) and _last(node.value.func) in ("split", "array_split") \
                and isinstance(node.value.func, ast.Attribute) and self.is_module(node.value.func.value) \
                and len(node.value.args) >= 2 and isinstance(node.value.args[1], (ast.List, ast.Tuple)) \
                and not any(k.arg == "axis" and not (isinstance(k.value, ast.Constant) and k.value.value == 0)
                            for k in node.value.keywords):
            self.report_split(self.step(node.value), f"Cutting the rows at given positions (`{_last(node.value.func)}(...)`)")

    def slice_part(self, name: str, role: str, value: ast.expr) -> None:
        if not isinstance(value, ast.Subscript):
            return
        key = value.slice
        if isinstance(key, ast.Tuple) and key.elts:
            key = key.elts[0]  # data[:n, :]
        base = _dotted(value.value)
        if isinstance(key, ast.Subscript):  # X[perm[:n]] / X[perm[n:]]: the index list is cut
            base, key = _dotted(key.value), key.slice
        if not isinstance(key, ast.Slice) or key.step is not None or not base:
            return
        if any(isinstance(n, ast.Name) and n.id in self.part_sizes or isinstance(n, ast.expr) and _size_of_part(n)
               for bound in (key.lower, key.upper) if bound is not None for n in ast.walk(bound)):
            return  # train and test stacked for a joint step, then cut back where they joined
        ends = []
        if key.upper is not None:
            ends.append(("end", ast.unparse(key.upper)))
        if key.lower is not None:
            ends.append(("start", ast.unparse(key.lower)))
        where = self.step(value)
        for end, bound in ends:
            seen = self.split_ends.setdefault((base, bound), [])
            other = "start" if end == "end" else "end"
            match = [w for e, r, w in seen if e == other and r != role]
            seen.append((end, role, where))
            if match:
                first = min([match[0], where], key=lambda w: (w.line, w.col))
                self.split_ends[(base, bound)] = []
                self.report_split(first, f"Cutting `{base}` at `{bound}` (`{base}[:{bound}]` / `{base}[{bound}:]`)")
                return

    def modulo_part(self, role: str, value: ast.expr) -> None:
        """``train = [r for i, r in enumerate(rows) if i % 5 != 0]`` / ``df[df.index % 5 == 0]``."""
        conds: list[ast.expr] = []
        if isinstance(value, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
            conds = [c for g in value.generators for c in g.ifs]
        elif isinstance(value, ast.Subscript):
            conds = [value.slice]
        for cond in conds:
            modulus = _modulus(cond)
            if modulus is None:
                continue
            seen = self.modulo_parts.setdefault(modulus, {})
            seen.setdefault(role, self.step(value))
            if len(seen) == 2:
                first = min(seen.values(), key=lambda w: (w.line, w.col))
                self.modulo_parts[modulus] = {}
                self.report_split(first, f"Routing rows to the training and held-out parts by `{modulus}`")
            return

    def modulo_routing(self, node: ast.If) -> None:
        """``if i % K == 0: test.append(row) else: train.append(row)`` inside a loop."""
        modulus = _modulus(node.test)
        if modulus is None or not node.orelse:
            return
        body = {_split_role(n) for b in node.body for n in _identifiers(b)} - {""}
        orelse = {_split_role(n) for b in node.orelse for n in _identifiers(b)} - {""}
        if len(body) == 1 and len(orelse) == 1 and body != orelse:
            self.report_split(self.step(node.test), f"Routing rows to the training and held-out parts by `{modulus}`")

    def random_mask(self, name: str, value: ast.expr) -> None:
        """``msk = np.random.rand(len(df)) < 0.8`` whose rows (or the others, ``~msk``) become a
        part named for training or held-out data."""
        if not (isinstance(value, ast.Compare) and len(value.ops) == 1
                and isinstance(value.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE))):
            return
        sides = (value.left, *value.comparators)
        draws = [c for c in sides if isinstance(c, ast.Call) and _last(c.func) in RANDOM_DRAWS
                 and (self.is_module(c.func) or isinstance(c.func, ast.Attribute)
                      and {"rng", "random", "generator", "gen"} & set(ident_parts(_dotted(c.func.value) or "")))]
        if not draws or not (draws[0].args or draws[0].keywords):
            return
        scope = self.func.node if self.func is not None else self.mod.tree
        named = bool(_split_role(name))
        for n in ast.walk(scope):
            if not isinstance(n, ast.Assign):
                continue
            uses = [s for s in ast.walk(n.value) if isinstance(s, ast.Subscript) and _mask_use(s.slice, name)]
            if uses and (named or any(_split_role(t) for tgt in n.targets for t in _names(tgt))):
                self.report_split(self.step(value), f"The random row mask `{name}`")
                return

    def index_sample(self, name: str, role: str, value: ast.expr) -> None:
        """``idx = np.random.choice(len(X), int(len(X) * 0.8), replace=False)`` /
        ``random.sample(range(n), n_test)``: a random share of the rows drawn as one part."""
        if not isinstance(value, ast.Call):
            return
        last = _last(value.func)
        kw = {k.arg: k.value for k in value.keywords if k.arg}
        if last == "choice":
            replace = kw.get("replace")
            if not (isinstance(replace, ast.Constant) and replace.value is False):
                return
        elif last != "sample" or not (isinstance(value.func, ast.Attribute) and _dotted(value.func.value) == "random"):
            return
        size = value.args[1] if len(value.args) > 1 else kw.get("size", kw.get("k"))
        if size is None or len(value.args) < 1:
            return
        fraction = _fraction(size)
        size_role = any(_split_role(n) for n in _identifiers(size) if isinstance(n, str))
        if role or size_role or (fraction is not None and 0.5 <= fraction <= 0.95):
            self.report_split(self.step(value), f"Drawing a random share of the rows with `{last}(...)`")

    def drop(self, node: ast.Call, func: ast.Attribute, recv: Value) -> Value:
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        rows = node.args[0] if node.args else kw.get("index")
        if isinstance(rows, ast.Attribute) and rows.attr == "index" and isinstance(rows.value, ast.Subscript) \
                and _marks_missing(rows.value.slice):
            self.repo.emit(Hit(MISSING, self.step(node), (), (self.step(node),),
                               "rows whose value is a missing-value marker dropped"))
        cols = kw.get("columns")
        axis = kw.get("axis")
        if cols is None and node.args:
            axis_arg = node.args[1] if len(node.args) > 1 else axis
            if axis_arg is not None and isinstance(axis_arg, ast.Constant) and axis_arg.value in (1, "columns"):
                cols = node.args[0]
            elif kw.get("labels") is not None and axis is not None:
                cols = kw["labels"]
        if cols is None:
            return recv
        self.dummies_dropped(cols, node)
        dropped = {a for a, _ in self._string_terms(cols, dummies=False)}
        result = recv.without(dropped).step(self.step(node))
        inplace = kw.get("inplace")
        if isinstance(inplace, ast.Constant) and inplace.value is True:
            key = _dotted(func.value)
            if key:
                self.env[key] = result
        return result

    def dummies_dropped(self, cols: ast.expr, node: ast.AST) -> None:
        """Two or more one-hot columns of race or gender deleted (``race_ Black``, ``race_ Asian``,
        ...): the categories left behind stand for everyone (often one ``race_ White`` column).
        Reported where the list of columns is written. One dropped dummy is ``drop_first``."""
        at = self.step(node)
        origins: dict[str, Step] = {}
        if isinstance(cols, ast.Name) and cols.id in self.env:
            bound = self.env[cols.id]
            strings = bound.strings
            for t in bound.tags:
                if t.origin.path and (t.attr not in origins or t.origin.line < origins[t.attr].line):
                    origins[t.attr] = t.origin
        else:
            strings = tuple(_strings(cols))
        by_attr: dict[str, set[str]] = {}
        for text in strings:
            m = re.match(r"\s*([A-Za-z][A-Za-z -]*?)\s*[_=]\s*(\S.*)$", text)
            if not m:
                continue
            for attr, kind in self.repo.terms.of(m.group(1), True):
                if kind == "protected" and binarise_rule(attr) in (RACE_BINARY, GENDER_BINARY) \
                        and ident_parts(m.group(1)) == ident_parts(attr):
                    by_attr.setdefault(attr, set()).add(m.group(2).strip().lower())
        for attr, values in sorted(by_attr.items()):
            if len(values) >= 2:
                where = origins.get(attr, at)
                self.repo.emit(Hit(binarise_rule(attr), where, (attr,), (where,),
                                   f"{len(values)} one-hot columns of {attr} deleted, the rest stand for everyone"))

    # ------------------------------------------------------------------ sinks
    def fit_call(self, node: ast.Call, func: ast.Attribute, args: list[Value], kwargs: dict[str, Value]) -> Value:
        receiver = ast.unparse(func.value)
        if TRANSFORMER_PARTS & set(ident_parts(receiver)) or self.fairness_object(func.value):
            return EMPTY
        x = args[0] if args else kwargs.get("x", kwargs.get("X", EMPTY))
        y = args[1] if len(args) > 1 else kwargs.get("y", kwargs.get("labels", EMPTY))
        if len(node.args) + sum(k.arg in ("x", "X", "y", "labels") for k in node.keywords) < 2:
            return EMPTY  # fit(X) alone: an unsupervised step or a fairness API's dataset object
        if not (node.args and _model_named(_dotted(node.args[0]) or "")):
            self.model_fits.append(node)  # trainer.fit(model, data) trains a model built elsewhere
        if (x.other or _from_param(x)) and not x.reported:
            self.sink(MODEL_INPUT, x, node, f"`{receiver}.{func.attr}(...)`")
            named = {a for s in _strings(node.args[0]) if node.args for a, k in self.repo.terms.of(s, True) if k == "proxy"}
            if named:
                self.sink(PROXY_INPUT, Value(frozenset(t for t in x.tags if t.attr in named), True, x.trail),
                          node, f"`{receiver}.{func.attr}(...)`", kind="proxy")
        if y.tags and not y.other and not y.reported:
            self.sink(TARGET, y, node, f"the target of `{receiver}.{func.attr}(...)`")
        return EMPTY

    def conversion(self, node: ast.Call, last: str, args: list[Value], kwargs: dict[str, Value]) -> None:
        first = args[0] if args else kwargs.get("data", EMPTY)
        names = self.targets + ([ast.unparse(node.args[0])] if node.args else [])
        if self.in_kwarg or first.reported or any(_is_test_name(n) for n in names):
            return
        if last not in ("TensorDataset", "from_tensor_slices") and not any(
                INPUT_PARTS & set(ident_parts(n.split(".")[-1])) or _x_named(n.split(".")[-1]) for n in names):
            return  # `torch_data = torch.tensor(df.values)`: not named as the model's input
        if any(TARGET_PARTS & set(ident_parts(n)) or GROUP_PARTS & set(ident_parts(n)) for n in self.targets):
            return
        if first.other or _from_param(first):
            self.sink(MODEL_INPUT, first, node, f"`{last}(...)`")

    def loss_call(self, node: ast.Call, func: ast.expr, last: str, args: list[Value], kwargs: dict[str, Value]) -> None:
        if self.eval_depth:
            return  # a validation loss trains nothing
        name = _dotted(func) if not isinstance(func, ast.Call) else _dotted(func.func)
        parts = set(ident_parts(name))
        if not ({"loss", "criterion", "entropy", "nll"} & parts):
            return
        target = kwargs.get("labels", kwargs.get("target", kwargs.get("y_true")))
        if target is None and len(args) > 1:
            target = args[1]
        adversarial = _adversarial(node, *self.targets) or (
            self.func is not None and bool(ADVERSARIAL_PARTS & set(ident_parts(self.func.node.name))))
        testing = _is_test_name(_stem(self.mod.path)) or (self.func is not None and _is_test_name(self.func.node.name))
        if target is not None and target.tags and not target.other and not target.reported and not adversarial \
                and not testing:  # a loss in a test trains nothing
            self.sink(TARGET, target, node, f"the target of `{name}(...)`")
        # loss(logits=age_logits, labels=age_labels): labels named for an attribute (a batch from a
        # reader the engine cannot see into) train a model to recognise it
        labels = next((k.value for k in node.keywords if k.arg in ("labels", "target", "y_true")),
                      node.args[1] if len(node.args) > 1 else None)
        label_name = _dotted(labels).split(".")[-1] if labels is not None and _dotted(labels) else ""
        p = set(ident_parts(label_name))
        if TARGET_PARTS & p and not GROUP_PARTS & p and not adversarial and not testing \
                and not (target is not None and target.reported):
            attrs = [a for a, k in self.repo.terms.of(label_name) if k == "protected"]
            if attrs:
                self.repo.emit(Hit(TARGET, self.step(node), tuple(sorted(attrs)), (self.step(node),),
                                   f"the target of `{name}(...)` is `{label_name}`"))

    def named_predictor(self, node: ast.Call, func: ast.Attribute) -> None:
        name = ast.unparse(func.value)
        parts = set(ident_parts(name))
        if {"classifier", "model", "net", "clf", "predictor", "estimator", "regressor"} & parts:
            found = self.source(name.split(".")[-1], node, False)
            self.sink(TARGET, found, node, f"`{name}.predict(...)`")

    def recode(self, node: ast.Call, last: str, recv: Value, args: list[Value], kwargs: dict[str, Value]) -> None:
        """``map``/``replace``/``apply``/``where`` on a column: binarising, or merging categories."""
        column = recv
        first = node.args[0] if node.args else None
        if last in ("apply", "map", "transform") and isinstance(first, ast.Lambda):
            body = first.body
            if isinstance(body, ast.IfExp) and _constant(body.body) and _constant(body.orelse):
                inner = Frame(self.repo, self.mod, self.func, dict(self.env))
                for a in first.args.args:
                    inner.env[a.arg] = recv
                test = inner.expr(body.test)
                if recv.other:
                    self.binarised(test, node, f"{last}(lambda ...)")
                elif test.tags or column.tags:
                    self.binarised(column, node, f"{last}(lambda ...)")
                return
            if isinstance(body, ast.Call) and _last(body.func) in ("float", "int", "bool", "float32", "int32",
                                                                    "int64", "float64", "int8", "uint8") \
                    and len(body.args) == 1 and isinstance(body.args[0], ast.Compare) \
                    and any(isinstance(n, ast.Constant) for n in body.args[0].comparators):
                if not column.other:  # apply(lambda x: float(x >= 26)): two values
                    self.binarised(column, node, f"{last}(lambda ...)")
                return
            if isinstance(body, ast.Call) and isinstance(body.func, ast.Name):
                infos = self.repo.resolve(body.func.id, False, self.mod)
                if infos and all(self.repo.summary(i).binary for i in infos) and not column.other:
                    self.binarised(column, node, f"{last}({body.func.id})")
                return
        if last in ("apply", "map") and isinstance(first, ast.Name):
            infos = self.repo.resolve(first.id, False, self.mod)
            if infos and all(self.repo.summary(i).binary for i in infos) and not column.other:
                self.binarised(column, node, f"{last}({first.id})")
                return
        if column.other or not column.tags:
            return
        if last in ("map", "replace") and first is not None and (
                isinstance(first, ast.Name) and first.id in self.mod.merge_maps
                or isinstance(first, ast.Dict) and _merges(first)):
            self.merged(column, node, f"`{last}(...)` with a many-to-fewer mapping")
            return
        mapping = args[0] if args else EMPTY
        if last in ("map", "replace") and mapping.binary_map:
            self.binarised(column, node, f"{last}({{...}})")
        elif last == "replace" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, str) and set(_strings(node.args[0])) != {node.args[1].value} \
                and node.args[1].value.strip() and all(any(c.isalnum() for c in s) for s in _strings(node.args[0])):
            for attr in column.attrs():
                if attr.startswith("#"):
                    continue  # a parameter: its callers' values decide
                rule = merge_rule(attr)
                self.sink(rule, column.of_kind("protected") if rule != MERGED else column, node,
                          "categories merged by `replace(...)`", kind=self._kind(column, attr))

    def code_encoder(self, node: ast.expr) -> bool:
        """``LabelEncoder()`` itself, or a name bound to one in this module."""
        if isinstance(node, ast.Call):
            return _last(node.func) in CODE_ENCODERS
        return bool(_dotted(node)) and _dotted(node) in self.mod.encoders

    def label_codes(self, node: ast.AST, column: ast.expr, value: Value, how: str) -> None:
        """A nominal column turned into integer codes (DP03): a protected attribute or proxy in any
        form; another column when the codes are written back into the table under a feature's name
        (``df["job"] = LabelEncoder().fit_transform(df["job"])``), whatever the encoder's import
        looks like (star imports hide it from Semgrep). Targets are encoded on purpose."""
        col = _column_node(column)
        if col is None:
            return
        names = [n for n in (_column_name(col), *self.targets) if n]
        if any(TARGET_WORDS & set(ident_parts(n)) for n in names):
            return
        kinds = {t.kind for t in value.tags} & {"protected", "proxy"}
        if kinds and not value.other:
            kind = "protected" if "protected" in kinds else "proxy"
            self.sink(LABEL_CODES, value.of_kind(kind), node, how, kind=kind)
            return
        stmt = self.stmt
        if isinstance(stmt, ast.Assign) and stmt.value is node and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Subscript) and _column_name(col):
            where = self.step(node)
            self.repo.emit(Hit(LABEL_CODES, where, (), (where,), f"`{_column_name(col)}` by {how}"))

    def column_binning(self, node: ast.Call) -> None:
        """``ColumnTransformer([("bin", KBinsDiscretizer(...), ["age"])])``, the binning step
        perhaps inside a pipeline built earlier: reported at the binning step."""
        specs = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "transformers"]
        items = [e for spec in specs if isinstance(spec, (ast.List, ast.Tuple)) for e in spec.elts] \
            if node.func and _last(node.func) == "ColumnTransformer" else list(node.args)
        for item in items:
            if not isinstance(item, ast.Tuple) or len(item.elts) < 2:
                continue
            step, cols = (item.elts[1], item.elts[2]) if len(item.elts) >= 3 else (item.elts[0], item.elts[1])
            where = self.step(step) if isinstance(step, ast.Call) and _last(step.func) in BINNERS \
                else self.mod.binners.get(_dotted(step)) if _dotted(step) else None
            if where is None and isinstance(step, ast.Call):
                inner = next((n for n in ast.walk(step) if isinstance(n, ast.Call) and _last(n.func) in BINNERS), None)
                where = self.step(inner) if inner is not None else None
            if where is not None:
                value = self.expr(cols)
                ages = Value(frozenset(t for t in value.tags if binarise_rule(t.attr) == BINNED), False, value.trail)
                if ages.tags:
                    self.sink_at(BINNED, ages, where, f"`{_last(node.func)}` bins {', '.join(ages.attrs())}")

    def merged(self, column: Value, node: ast.AST, how: str) -> None:
        for attr in column.attrs():
            if attr.startswith("#"):
                continue
            rule = merge_rule(attr)
            self.sink(rule, column.of_kind("protected") if rule != MERGED else column, node, how,
                      kind=self._kind(column, attr))

    def _kind(self, value: Value, attr: str) -> str:
        return next((t.kind for t in value.tags if t.attr == attr), "protected")

    def binarised(self, value: Value, node: ast.AST, how: str, only: Sequence[str] = ()) -> None:
        for attr in value.attrs():
            if attr.startswith("#") or (only and attr not in only):
                continue
            rule = binarise_rule(attr)
            single = Value(frozenset(t for t in value.tags if t.attr == attr), False, value.trail)
            self.sink(rule, single, node, f"{attr} recoded to two values by {how}", kind=self._kind(value, attr))
        for t in value.tags:
            if t.kind == "param":
                self.param_sinks.append((int(t.attr[1:]), GENDER_BINARY, self.step(node), how))

    def binning(self, value: Value, node: ast.AST, how: str, only: Sequence[str] = ()) -> None:
        ages = Value(frozenset(t for t in value.tags if binarise_rule(t.attr) == BINNED
                               and (not only or t.attr in only)), False, value.trail)
        if ages.tags and not value.other:
            self.sink(BINNED, ages, node, f"age coarsened by {how}")

    def assign_checks(self, targets: list[ast.expr], rhs: ast.expr, value: Value) -> Value:
        self.weights_assigned(list(targets), rhs)
        kept = _present_mask(rhs)
        if kept is not None and len(targets) == 1 and isinstance(targets[0], ast.Name) \
                and targets[0].id in self.mod.loaded_names() and any(t.kind == "protected" for t in self.expr(kept).tags):
            # known = np.logical_not(np.isnan(genders)): the mask that later deletes the rest
            self.repo.emit(Hit(MISSING, self.step(rhs), (), (self.step(rhs),),
                               f"`{targets[0].id}` keeps only rows whose value is present"))
        names = [n for t in targets for n in _names(t)]
        if not names:
            return value
        parts = [set(ident_parts(n.split(".")[-1])) for n in names]
        if any(GROUP_NAMES & p and METRIC_WORDS & p for p in parts):
            self.repo.emit(Hit(GROUP_METRIC[0], self.step(rhs), (), (self.step(rhs),),
                                   "a metric named for a group (worst-group, minority, per-group)", GROUP_METRIC[1]))
        if any("face" in q and "mask" in q for q in parts):
            self.face_filter(rhs, rhs)
        if len(names) == 1 and isinstance(targets[0], ast.Name) and CHOOSER_PARTS & parts[0]:
            self.one_attribute(names[0], rhs)
        if len(names) == 1 and value.tags and isinstance(targets[0], ast.Name):
            if isinstance(rhs, (ast.List, ast.Tuple, ast.BinOp)):
                self.feature_list(names[0], rhs, value)
            elif isinstance(rhs, (ast.Call, ast.Subscript, ast.Attribute)) and self.feature_matrix(names[0], rhs, value):
                value = value.as_reported()
        # x = df.sex == "M" / (df.sex == "M").astype(int): a two-valued recoding
        core = rhs.func.value if isinstance(rhs, ast.Call) and isinstance(rhs.func, ast.Attribute) \
            and rhs.func.attr == "astype" else rhs
        if isinstance(core, ast.Compare) and len(core.comparators) == 1 and \
                isinstance(core.ops[0], (ast.Eq, ast.NotEq, ast.GtE, ast.Gt, ast.Lt, ast.LtE)) and \
                _constant(core.comparators[0]):
            left = self.expr(core.left)
            if isinstance(core.ops[0], (ast.Eq, ast.NotEq)):
                self.binarised(left, rhs, "a comparison")
            else:
                self.binning(left, rhs, "a threshold")
        if isinstance(rhs, ast.IfExp) and value.binary_map and value.tags:
            self.binarised(value, rhs, "a conditional expression")
        # df["sex"] = df["personal_status"].replace(status_map): a two-valued recoding stored as sex
        stored = {a for n in names for a, k in self.repo.terms.of(n.split(".")[-1], True) if k == "protected"}
        if stored & {"sex", "gender"} and isinstance(rhs, ast.Call) and _last(rhs.func) in ("replace", "map") \
                and rhs.args and self.expr(rhs.args[0]).binary_map:
            self.repo.emit(Hit(GENDER_BINARY, self.step(rhs), ("sex",), value.step(self.step(rhs)).trail,
                               "a two-valued map stored as the sex column"))
        if isinstance(rhs, ast.Dict):
            if self.gender_label_space(rhs):
                self.mod.gender_maps.update(n for n in names if "." not in n)
        if names and {"sex", "gender"} & stored and _two_constants(rhs):
            # labels = [0 for _ in men] + [1 for _ in women]: gender coded from two lists
            self.repo.emit(Hit(GENDER_BINARY, self.step(rhs), ("gender",), (self.step(rhs),),
                               "gender labels built from two constant lists"))
        if len(names) == 1 and isinstance(rhs, ast.Constant) and rhs.value == 2 \
                and {"classes", "class"} & set(ident_parts(names[0])) \
                and {"gender", "sex"} & set(schemas.parts(self.mod.path.rsplit("/", 1)[-1])):
            # num_classes = 2 in train_gender_classifier.py: a two-way gender head
            self.repo.emit(Hit(GENDER_BINARY, self.step(rhs), ("gender",), (self.step(rhs),),
                               f"`{names[0]} = 2` in a gender classifier"))
        if len(names) == 1 and isinstance(rhs, (ast.Constant, ast.List, ast.Tuple)):
            self.dataset_selected(names[0], rhs)
        # gender_logits = Dense(2)(...) / self.gender_head = nn.Linear(h, 2): a two-way gender head
        call = rhs if isinstance(rhs, ast.Call) else None
        if call is not None:
            inner = call.func if isinstance(call.func, ast.Call) else call
            layer = _last(inner.func) in LAYER_CALLS
            for name, p in zip(names, parts):
                tagged = self.repo.terms.of(name.split(".")[-1])
                attrs = [a for a, k in tagged if k == "protected"]
                if not attrs or not layer or not (HEAD_PARTS & p):
                    continue
                if {"head", "cls", "classifier"} & p:
                    self.repo.emit(Hit(TARGET, self.step(rhs), tuple(attrs), (self.step(rhs),),
                                       f"`{name}` is an output head for {', '.join(attrs)}"))
                if {"sex", "gender"} & set(attrs) and _has_two(inner):
                    self.repo.emit(Hit(GENDER_BINARY, self.step(rhs), ("gender",), (self.step(rhs),),
                                       f"`{name}` has two outputs"))
        # y_age = ...: a training target made of an attribute
        literal_rhs = isinstance(rhs, ast.Call) or isinstance(rhs, ast.Subscript)
        if len(names) == 1 and not self.eval_depth and (value.tags and not value.other or literal_rhs) and \
                not isinstance(rhs, (ast.Constant, ast.List, ast.Dict, ast.Compare)):
            for name, p in zip(names, parts):
                if not ((TARGET_PARTS | {"classes"}) & p) or GROUP_PARTS & p or _is_test_name(name) \
                        or {"size", "shape", "dim", "num", "n"} & p or ADVERSARIAL_PARTS & p:
                    continue
                if value.reported and name in _identifiers(rhs):
                    continue  # gender_classes = gender_classes[mask]: the target already reported
                concrete = Value(frozenset(t for t in value.tags if t.kind == "protected" and t.via == "column"),
                                 False, value.trail)
                named = {a for a, k in self.repo.terms.of(name.split(".")[-1]) if k == "protected"}
                literal = {a for s in _strings(rhs) for a, k in self.repo.terms.of(s, True) if k == "protected"}
                if named & (set(concrete.attrs()) | literal):
                    attrs = named & (set(concrete.attrs()) | literal)
                    self.repo.emit(Hit(TARGET, self.step(rhs), tuple(sorted(attrs)),
                                       value.step(self.step(rhs)).trail, f"`{name}` is a training target"))
                    if "." not in name:
                        self.reported_names.add(name)
        return value

    def feature_list(self, name: str, node: ast.expr, value: Value) -> None:
        """A list of column names bound to a features-ish name: the model's inputs, named."""
        p = set(ident_parts(name.split(".")[-1])) | ({"x"} if name.split(".")[-1].endswith("X") else set())
        if not (FEATURE_PARTS & p) or EXCLUDE_PARTS & p or _is_test_name(name):
            return
        strings = [s for s in _strings(node)]
        if len(strings) < 3:
            return
        if not (SUBSET_PARTS & p):
            self.sink(MODEL_INPUT, value, node, f"the feature list `{name}`")
        self.sink(PROXY_INPUT, value, node, f"the feature list `{name}`", kind="proxy")

    def feature_matrix(self, name: str, rhs: ast.expr, value: Value) -> None:
        """``X = df.drop("income", axis=1)`` / ``X = df[[...]]``: a feature matrix built from a
        frame that still holds protected attributes."""
        last = name.split(".")[-1]
        p = set(ident_parts(last))
        x_named = last in ("X", "x") or last.endswith("_X") or last.startswith("X_") or "features" in p
        if not x_named or _is_test_name(name) or EXCLUDE_PARTS & p or not value.other or value.reported:
            return False
        if "." not in name and name not in self.mod.loaded_names():
            return False  # built and never used: no model sees it
        built = any(isinstance(n, ast.Call) and _last(n.func) == "drop" or
                    isinstance(n, ast.Subscript) and isinstance(n.slice, ast.List) and _strings(n.slice)
                    for n in ast.walk(rhs))
        if built and any(t.kind == "protected" for t in value.tags):
            self.sink(MODEL_INPUT, value, rhs, f"the feature matrix `{name}`")
            if any(t.kind == "proxy" for t in value.tags):
                self.sink(PROXY_INPUT, value, rhs, f"the feature matrix `{name}`", kind="proxy")
            return True
        return False

    def group_evaluation(self, node: ast.AST, attrs: Iterable[str], how: str) -> None:
        """Evidence that the repository evaluates per group by hand: a metric over rows chosen
        by a protected attribute, a loop over its groups, a function named for a group metric."""
        attrs = tuple(sorted(set(a for a in attrs if not a.startswith("#"))))
        if attrs or how.startswith("a call of"):
            self.repo.emit(Hit(GROUP_METRIC[0], self.step(node), attrs, (self.step(node),), how, GROUP_METRIC[1]))

    def metric_context(self) -> bool:
        """Whether the enclosing function (or module) computes something metric-like."""
        if self._metric_context is None:
            scope = self.func.node if self.func is not None else self.mod.tree
            words: set[str] = set(ident_parts(getattr(scope, "name", "")))
            for n in ast.walk(scope):
                if isinstance(n, ast.Name):
                    words.update(ident_parts(n.id))
                elif isinstance(n, ast.Attribute):
                    words.update(ident_parts(n.attr))
                elif isinstance(n, ast.arg):
                    words.update(ident_parts(n.arg))
            self._metric_context = bool(words & (METRIC_WORDS | CONTEXT_WORDS))
        return self._metric_context

    def mask_of(self, node: ast.expr) -> tuple[str, ...]:
        """The protected attributes a boolean mask compares (``df.race == "White"``, ``(a == i) & m``)."""
        found: list[str] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Compare) and len(sub.ops) == 1 and isinstance(sub.ops[0], (ast.Eq, ast.NotEq, ast.In)):
                for side in (sub.left, *sub.comparators):
                    v = self.expr(side)
                    if isinstance(side, ast.Subscript):  # data[group_col] == 1: the selector names it
                        v = join(v, self.expr(side.slice))
                    found += [t.attr for t in v.tags if t.kind == "protected"]
        return tuple(found)

    def gender_label_space(self, node: ast.Dict) -> bool:
        """``{"female": 0, "male": 1}`` / ``{0: "woman", 1: "man"}``: a binary gender label space."""
        if len(node.keys) != 2:
            return False
        words = [str(c.value).lower() for c in list(node.keys) + list(node.values)
                 if isinstance(c, ast.Constant) and isinstance(c.value, str)]
        if len(words) == 2 and all(w in GENDER_WORDS for w in words) and len(set(words)) == 2:
            self.repo.emit(Hit(GENDER_BINARY, self.step(node), ("gender",), (self.step(node),),
                               "a two-entry gender label map"))
            return True
        return False

    def one_attribute(self, name: str, node: ast.expr) -> None:
        """``pro_att_name = ["race"]`` / ``protected_attribute_names=["race"]`` while the module
        knows of other protected attributes: one attribute evaluated, no intersections (EV03)."""
        if not isinstance(node, (ast.List, ast.Tuple)) or len(node.elts) != 1:
            return
        elt = node.elts[0]
        if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
            return
        chosen = {a for a, k in self.repo.terms.of(elt.value, True) if k == "protected"}
        others = self.mod.known_attrs - chosen
        if chosen and others:
            self.repo.emit(Hit(ONE_ATTRIBUTE, self.step(node), tuple(sorted(chosen)), (self.step(node),),
                               f"`{name}` evaluates {', '.join(sorted(chosen))} alone while the code also "
                               f"names {', '.join(sorted(others))}"))

    def loss_weights(self, node: ast.Call, last: str) -> None:
        """``nn.BCELoss(weight=w)`` / ``fit(..., class_weight=cw)``: weights computed by the code
        (a variable, not a literal) chosen without group analysis (TR03)."""
        parts = set(ident_parts(last))
        if not ({"loss", "criterion", "entropy", "fit", "classifier", "regression"} & parts):
            return
        if self.eval_depth and last[:1].islower() and "fit" not in parts:
            return  # a loss computed under no_grad or in a validation loop trains nothing
        chosen = [(k.arg, k.value) for k in node.keywords if k.arg in WEIGHT_KWARGS]
        if {"loss", "criterion", "entropy"} & parts:  # focal_loss(pred, y, class_weights, 2)
            chosen += [(ast.unparse(a), a) for a in node.args if isinstance(a, (ast.Name, ast.Attribute))
                       and {"weight", "weights"} & set(ident_parts(_dotted(a).split(".")[-1]))
                       and "sample" not in ident_parts(_dotted(a))]
        for arg, value in chosen:
            if isinstance(value, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) \
                    and not _group_named(value) and not _dotted(value).startswith("self.") and not (
                        self.func is not None and isinstance(value, ast.Name) and value.id in self.func.params) \
                    and not self.weights_forwarded_or_grouped(value, node):
                shown = f"{arg}=..." if arg in WEIGHT_KWARGS else arg
                self.repo.emit(Hit(WEIGHTS, self.step(node), (), (self.step(node),),
                                   f"`{last}(..., {shown})` weights by label"))
                return

    def weights_forwarded_or_grouped(self, value: ast.expr, call: ast.Call) -> bool:
        """Weights read by name from a parameter (``weight = meta["weight"]``: a loss wrapper forwards
        what its caller chose), or computed from a group (``w = n / counts[y_a]``): no blind choice here."""
        scope = self.func.node if self.func is not None else self.mod.tree
        params = set(self.func.params) if self.func is not None else set()
        names, seen, frontier = set(), set(), [value]
        for _ in range(4):  # follow the local definitions a few assignments back
            nxt = []
            for expr in frontier:
                root = _root_name(expr)
                if root is not None and root in params and expr is not value \
                        and any("weight" in str(c).lower() for c in _strings(expr)):
                    return True  # meta["weight"] / kwargs.get("weights"): what the caller passed
                for n in ast.walk(expr):
                    if isinstance(n, ast.Name) and n.id not in seen:
                        seen.add(n.id)
                        names.add(n.id)
                        nxt += [a.value for a in ast.walk(scope) if isinstance(a, ast.Assign)
                                and a.lineno < call.lineno and any(_dotted(t) == n.id for t in a.targets)]
            frontier = nxt
        return any(GROUP_PARTS & set(ident_parts(n)) for n in names)

    def weights_assigned(self, targets: list[ast.expr], rhs: ast.expr) -> None:
        """``class_weights[i] = 1 - count / n`` / ``weights = {0: n / n0, 1: n / n1}``: class
        weights computed from label counts (TR03)."""
        for target in targets:
            name = _dotted(target.value) if isinstance(target, ast.Subscript) else _dotted(target)
            p = set(ident_parts(name.split(".")[-1])) if name else set()
            if not ({"weight", "weights"} & p) or GROUP_PARTS & p or {"decay", "init", "layer", "model"} & p:
                continue
            divides = any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) for n in ast.walk(rhs))
            per_class = isinstance(target, ast.Subscript) and {"class", "cls", "label", "labels"} & p
            table = isinstance(rhs, ast.Dict) and len(rhs.keys) >= 2 and all(
                isinstance(k, ast.Constant) and isinstance(k.value, int) for k in rhs.keys)
            if divides and (per_class or table):
                self.repo.emit(Hit(WEIGHTS, self.step(rhs), (), (self.step(rhs),), f"`{name}` computed from label counts"))

    def face_filter(self, test: ast.expr, node: ast.AST) -> None:
        """``if face_score[i] < 0.75: continue`` / ``mask = face_score > threshold``: images kept
        by a face detector's score (DS04)."""
        for c in ast.walk(test):
            sides = ()
            if isinstance(c, ast.Compare) and len(c.ops) == 1 and isinstance(c.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE)):
                sides = (c.left, *c.comparators)
            elif isinstance(c, ast.Call) and _last(c.func) in NAN_CHECKS and c.args:
                sides = (c.args[0],)
            for side in sides:
                name = _dotted(side.value if isinstance(side, ast.Subscript) else side)
                p = set(ident_parts(name.split(".")[-1])) if name else set()
                if "face" in p and {"score", "scores", "conf", "confidence", "prob", "detection"} & p:
                    self.repo.emit(Hit(FACE_FILTER, self.step(node), (), (self.step(node),),
                                       f"images kept or dropped by `{name}`"))
                    return

    def dataset_path_default(self, default: ast.expr) -> None:
        """``def load_data(path="./data/compas-scores-two-years.csv")``: the dataset a loader reads
        unless told otherwise."""
        if isinstance(default, ast.Constant) and isinstance(default.value, str) and schemas.path_like(default.value):
            schema = schemas.dataset_in_path(default.value)
            if schema is not None:
                rule = HIGH_STAKES if schema.kind == "tabular" else FACE_DATASET
                self.repo.emit(Hit(rule, self.step(default), (schema.name,), (self.step(default),),
                                   f"the default `{default.value}` names {schema.name}"))

    def dataset_selected(self, name: str, rhs: ast.expr) -> None:
        """``dataset_name = "fer2013"`` / ``datasets = ["utkface"]`` / ``DATASET = "imdb"`` where the
        repository reads IMDB-WIKI: the dataset a script chooses by name."""
        p = set(ident_parts(name.split(".")[-1]))
        if not {"dataset", "datasets", "db"} & p or _is_test_name(name.split(".")[-1]):
            return
        elts = rhs.elts if isinstance(rhs, (ast.List, ast.Tuple)) else [rhs]
        for elt in elts:
            if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
                continue
            text = elt.value
            schema = schemas.dataset_named(text) or self.repo.dataset_aliases.get(text.strip().lower())
            if schema is None and schemas.path_like(text):
                schema = schemas.dataset_in_path(text)
            if schema is not None:
                rule = HIGH_STAKES if schema.kind == "tabular" else FACE_DATASET
                self.repo.emit(Hit(rule, self.step(elt), (schema.name,), (self.step(elt),),
                                   f"`{name}` chooses {schema.name}"))
                return

    def training_scope(self) -> bool:
        """Whether the enclosing function (or module) computes a loss (trains), as opposed to
        only running a model."""
        if self._training_scope is None:
            scope = self.func.node if self.func is not None else self.mod.tree
            words = {w for n in _identifiers(scope) for w in ident_parts(n)}
            self._training_scope = bool(words & {"loss", "losses", "backward", "minimize", "optimizer", "fit"})
        return self._training_scope

    def record_build(self, names: list[str], rhs: ast.expr) -> None:
        """``model = BertClassifier()`` / ``clf = joblib.load(...)`` / ``net = create_graph(...)``:
        a model built or loaded, kept for :meth:`finish`."""
        if len(names) != 1 or not isinstance(rhs, ast.Call) or names[0].startswith("self.") or not _model_named(names[0]):
            return
        last = _last(rhs.func)
        root = _dotted(rhs.func).split(".")[0] if _dotted(rhs.func) else ""
        if not last or root == names[0].split(".")[0] or last in FIT_METHODS | MODEL_WRAPPERS | LAYER_CALLS \
                or last in PASS_METHODS or last in OPAQUE:
            return
        plain = isinstance(rhs.func, ast.Name) and last not in NAME_ONLY_FUNCS  # mini_xception(...), get_model()
        if plain or last[:1].isupper() or BUILDER_PARTS & set(ident_parts(last)) or (
                isinstance(rhs.func, ast.Attribute) and self.is_module(rhs.func.value)):  # models.resnet18(...)
            self.model_builds.append(rhs)
            self.built_names.append(names[0])

    def finish(self) -> None:
        """Where the scope trains or builds its model, in a repository whose task is toxicity or
        hate speech (TR07) or in a script named for recognising a protected attribute
        (``train_gender_classifier.py``, TR08): a fit on labelled data, else the first model the
        scope builds or loads. The same code in a repository about digits or sentiment says
        nothing."""
        builds = self.model_builds[:1]
        if self.func is not None and builds:
            returned = {n for r in ast.walk(self.func.node) if isinstance(r, ast.Return) and r.value is not None
                        for n in _identifiers(r.value)}
            if returned & set(self.built_names):
                builds = []  # a factory (`return model, tokenizer`): its callers build the model
        sites = self.model_fits or builds
        if not sites:
            return
        if self.repo.toxicity_task:
            for site in sites:
                self.repo.emit(Hit(TOXICITY, self.step(site), (), (self.step(site),),
                                   f"`{ast.unparse(site.func)[:60]}(...)` in a repository about toxicity or hate speech"))
        stem = _stem(self.mod.path)
        p = set(ident_parts(stem))
        attrs = tuple(sorted({a for a, k in self.repo.terms.of(stem) if k == "protected"}))
        if attrs and TASK_WORDS & p and not (ADVERSARIAL_PARTS | {"fair", "fairness", "bias", "protected",
                                                                 "sensitive", "privacy"}) & p:
            for site in sites:
                self.repo.emit(Hit(TARGET, self.step(site), attrs, (self.step(site),),
                                   f"the model of `{stem}`, a script named for recognising {', '.join(attrs)}"))

    def check_two_way_default(self, param: str, default: ast.expr) -> None:
        if isinstance(default, ast.Constant) and default.value == 2 and _two_way_param(param, self.repo.terms):
            self.repo.emit(Hit(GENDER_BINARY, self.step(default), ("gender",), (self.step(default),),
                               f"`{param}` defaults to two classes"))


# ----------------------------------------------------------------------------- small helpers
FEATURE_PARTS = frozenset({"feature", "features", "feat", "feats", "inputs", "predictors",
                           "categorical", "numerical", "numeric", "include", "x"})
#: Names of model inputs (the converted value or its target): `X_train`, `features`, `inputs`, `metadata`.
INPUT_PARTS = frozenset({"x", "features", "feature", "feats", "inputs", "input", "train", "metadata", "meta",
                         "tabular", "tab", "covariates", "predictors", "design"})
SUBSET_PARTS = frozenset({"continuous", "continous", "categorical", "numerical", "numeric", "cat", "num",
                          "actionable", "immutable", "binary", "ordinal", "nominal", "real", "discrete"})
EXCLUDE_PARTS = frozenset({"drop", "dropped", "protected", "sensitive", "exclude", "excluded", "remove",
                           "removed", "target", "label", "labels", "privileged", "unprivileged", "prot",
                           "sens", "attr", "attrs", "group", "groups", "ignore", "delete", "y"})
#: Fairness-library classes whose ``fit`` takes the protected attribute on purpose (AIF360's
#: pre-/in-/post-processing algorithms, Fairlearn's reductions and post-processing).
FAIRNESS_CLASSES = frozenset({
    "Reweighing", "DisparateImpactRemover", "LFR", "OptimPreproc", "AdversarialDebiasing",
    "PrejudiceRemover", "MetaFairClassifier", "GerryFairClassifier", "ARTClassifier",
    "ExponentiatedGradientReduction", "GridSearchReduction", "EqOddsPostprocessing",
    "CalibratedEqOddsPostprocessing", "RejectOptionClassification", "DeterministicReranking",
    "ExponentiatedGradient", "GridSearch", "ThresholdOptimizer", "CorrelationRemover",
    "AdversarialFairnessClassifier", "AdversarialFairnessRegressor", "FairlearnClassifier"})
FAIRNESS_MODULES = frozenset({"aif360", "fairlearn", "aequitas", "smclarify", "tensorflow_model_remediation",
                              "fairtorch", "inFairness"})


def _owners(tree: ast.Module) -> dict[int, str]:
    """For each statement inside a function, the name of the innermost function holding it."""
    owner: dict[int, str] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in _statements(fn.body):
                owner[id(node)] = fn.name  # inner functions come later in the walk and win
    return owner


def _statements(body: Iterable[ast.stmt]) -> Iterable[ast.stmt]:
    """Every statement, nested ones included (expressions are not visited)."""
    for node in body:
        yield node
        for name in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, name, None)
            if isinstance(inner, list):
                yield from _statements(inner)


RANDOM_DRAWS = frozenset({"rand", "random", "random_sample", "uniform", "rand_like"})
SPLIT_TRAIN = frozenset({"train", "training", "trn", "tr"})
SPLIT_HELD = TEST_PARTS | {"te", "hold", "held", "heldout", "testing", "validate"}


def _split_role(name: str) -> str:
    """``train`` for a name of the training part (``X_train``, ``train_idx``), ``held`` for a
    validation or test part (``val_df``, ``test_keys``), else ""."""
    parts = set(ident_parts(name.split(".")[-1])) if name else set()
    train, held = bool(SPLIT_TRAIN & parts), bool(SPLIT_HELD & parts)
    return "train" if train and not held else "held" if held and not train else ""


THRESHOLD_PARTS = frozenset({"threshold", "thresholds", "thresh", "thr", "cutoff", "cutoffs"})
ARG_BEST = frozenset({"idxmax", "idxmin", "argmax", "argmin", "nanargmax", "nanargmin"})
#: What a best-by-index name must not pick: a class, a prediction or a token is no model choice.
PICKED_PARTS = frozenset({"class", "classes", "label", "labels", "pred", "preds", "prediction", "token",
                          "tokens", "word", "words", "box", "boxes", "anchor", "action", "match", "path"})
#: Metric names for best-by-index (``score`` alone names detection and similarity scores too).
METRIC_HOLDER_PARTS = frozenset({"acc", "accs", "accuracy", "accuracies", "auc", "aucs", "f1", "f1s", "loss",
                                 "losses", "mae", "mse", "rmse", "error", "errors", "cv"})


def _holds_metric(name: str) -> bool:
    parts = set(ident_parts(name.split(".")[-1]))
    scored = {"score", "scores"} & parts and {"val", "valid", "cv", "mean", "test", "dev"} & parts
    return bool(METRIC_HOLDER_PARTS & parts or scored)


def _root_name(node: ast.expr) -> str | None:
    """The variable a chain of attributes, subscripts and method calls starts from."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None


def _size_of_part(node: ast.expr) -> bool:
    """``len(X_train)`` / ``X_train.shape[0]`` / ``X_train.size(0)``: the size of a part named
    for training or held-out data."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape":
        return bool(_split_role(_dotted(node.value.value)))
    if isinstance(node, ast.Call) and node.args and (
            isinstance(node.func, ast.Name) and node.func.id == "len"):
        return bool(_split_role(_dotted(node.args[0])))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "size":
        return bool(_split_role(_dotted(node.func.value)))
    return False


def _modulus(cond: ast.expr) -> str | None:
    """``i % 5 == 0`` / ``idx % k != 1`` / ``i % 5``: the ``i % K`` a condition routes rows by."""
    if isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], (ast.Eq, ast.NotEq)):
        sides = [cond.left, *cond.comparators]
        mods = [x for x in sides if isinstance(x, ast.BinOp) and isinstance(x.op, ast.Mod)]
        rest = [x for x in sides if x not in mods]
        if len(mods) == 1 and rest and _constant(rest[0]):
            cond = mods[0]
    if isinstance(cond, ast.BinOp) and isinstance(cond.op, ast.Mod) and not isinstance(cond.left, ast.Constant) \
            and not (isinstance(cond.right, ast.Constant) and cond.right.value in (1,)) \
            and not isinstance(cond.left, ast.JoinedStr):
        return ast.unparse(cond)
    return None


def _mask_use(key: ast.expr, name: str) -> bool:
    """``x[msk]``, ``x[~msk]``, ``x[msk == 0]``, ``x[np.logical_not(msk)]`` (a row selection by the mask)."""
    if isinstance(key, ast.Tuple) and key.elts:
        key = key.elts[0]
    if isinstance(key, ast.UnaryOp) and isinstance(key.op, (ast.Invert, ast.Not)):
        key = key.operand
    if isinstance(key, ast.Compare) and len(key.comparators) == 1 and _constant(key.comparators[0]):
        key = key.left
    if isinstance(key, ast.Call) and _last(key.func) == "logical_not" and key.args:
        key = key.args[0]
    return isinstance(key, ast.Name) and key.id == name


def _fraction(size: ast.expr) -> float | None:
    """The share in ``int(n * 0.8)`` / ``round(0.2 * len(x))`` / ``int(0.8 * n)``."""
    if isinstance(size, ast.Call) and _last(size.func) in ("int", "round", "floor", "ceil") and size.args:
        size = size.args[0]
    if isinstance(size, ast.BinOp) and isinstance(size.op, ast.Mult):
        for side in (size.left, size.right):
            if isinstance(side, ast.Constant) and isinstance(side.value, float) and 0 < side.value < 1:
                return side.value
    return None


def _may_name_toxicity(low: str) -> bool:
    """A substring test before the part split of :func:`_toxicity_named` (a regex per name)."""
    return "tox" in low or "jigsaw" in low or "hate" in low


def _toxicity_named(text: str) -> bool:
    """An identifier, path or column name about toxicity or hate speech (``severe_toxic``,
    ``ToxicDataset``, ``jigsaw-train.csv``, ``hate_speech``); ``hate`` alone is an English word."""
    p = set(ident_parts(text))
    return bool(TOXIC_PARTS & p) or ("hate" in p and bool(HATE_COMPANIONS & p))


def _adversarial(node: ast.AST, *names: str) -> bool:
    words = {w for n in [*_identifiers(node), *names] for w in ident_parts(n)}
    return bool(ADVERSARIAL_PARTS & words)


def _model_named(name: str) -> bool:
    p = set(ident_parts(name.split(".")[-1]))
    return bool(MODEL_NAME_PARTS & p) and not (MODEL_NOT_PARTS & p) and not _is_test_name(name.split(".")[-1])


def _missing_marker(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is None or (isinstance(node.value, str) and node.value.strip().lower() in MISSING_MARKERS)
    return False


def _marks_missing(node: ast.expr) -> bool:
    """A mask that selects rows holding a missing-value marker (``df[c] == " ?"``)."""
    return any(isinstance(c, ast.Compare) and len(c.ops) == 1 and isinstance(c.ops[0], (ast.Eq, ast.Is))
               and any(_missing_marker(x) for x in (c.left, *c.comparators)) for c in ast.walk(node))


def _excludes_missing(node: ast.expr) -> bool:
    """A mask that keeps rows without a missing-value marker (``df[c] != "N/A"``)."""
    return any(isinstance(c, ast.Compare) and len(c.ops) == 1 and isinstance(c.ops[0], (ast.NotEq, ast.IsNot))
               and any(_missing_marker(x) for x in (c.left, *c.comparators))
               and any(isinstance(x, ast.Subscript) for x in (c.left, *c.comparators)) for c in ast.walk(node))


def _missing_check(node: ast.expr) -> bool:
    """``np.isnan(x[i])``, ``pd.isna(row["c"])``, ``row["c"] is None``, ``x == "nan"`` (or several)."""
    for c in ast.walk(node):
        if isinstance(c, ast.Call) and _last(c.func) in NAN_CHECKS and c.args and isinstance(c.args[0], ast.Subscript):
            return True
        if isinstance(c, ast.Compare) and len(c.ops) == 1 and isinstance(c.ops[0], (ast.Eq, ast.Is)) \
                and any(_missing_marker(x) for x in (c.left, *c.comparators)) \
                and any(isinstance(x, ast.Subscript) for x in (c.left, *c.comparators)):
            return True
    return False


def _present_mask(node: ast.expr) -> ast.expr | None:
    """``np.logical_not(np.isnan(x))``, ``~np.isnan(x)``, ``~x.isna()``, ``x.notna()``,
    ``pd.notnull(x)``: the value ``x`` whose present rows the mask keeps, else None."""
    def nan_of(n: ast.expr) -> ast.expr | None:
        if isinstance(n, ast.Call) and _last(n.func) in NAN_CHECKS:
            if n.args:
                return n.args[0]
            return n.func.value if isinstance(n.func, ast.Attribute) else None
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        return nan_of(node.operand)
    if isinstance(node, ast.Call) and _last(node.func) == "logical_not" and node.args:
        return nan_of(node.args[0])
    if isinstance(node, ast.Call) and _last(node.func) in ("notna", "notnull"):
        if node.args:
            return node.args[0]
        return node.func.value if isinstance(node.func, ast.Attribute) else None
    return None


def _group_named(node: ast.expr) -> bool:
    name = _dotted(node.func if isinstance(node, ast.Call) else node) or ""
    return bool(GROUP_PARTS & set(ident_parts(name.split(".")[-1])))


def _identifiers(node: ast.AST) -> list[str]:
    return [n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(node) if isinstance(n, (ast.Name, ast.Attribute))]


def _from_param(value: Value) -> bool:
    return any(t.kind == "param" for t in value.tags)


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def _is_test_name(name: str) -> bool:
    low = name.lower()
    return bool(TEST_PARTS & set(ident_parts(name))) or "test" in low or "tst" in low


def _names_one_column(node: ast.expr) -> bool:
    if isinstance(node, ast.Subscript):
        key = node.slice
        return isinstance(key, ast.Constant) and isinstance(key.value, str)
    return isinstance(node, ast.Attribute)


def _two_way_param(param: str, terms: Terms) -> bool:
    """``num_gender_classes``, ``n_sex_outputs``: a parameter that sizes a gender head."""
    attrs = [a for a, k in terms.of(param) if k == "protected"]
    return bool({"sex", "gender"} & set(attrs)) and bool({"classes", "class", "num", "n", "outputs"} & set(ident_parts(param)))


def _two_constants(node: ast.expr) -> bool:
    """``[0 for _ in a] + [1 for _ in b]`` / ``[0] * n + [1] * m``: a list of two constant codes."""
    found: set[object] = set()
    parts = []

    def walk(n: ast.expr) -> bool:
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            return walk(n.left) and walk(n.right)
        parts.append(n)
        return True
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)) or not walk(node):
        return False
    for p in parts:
        if isinstance(p, ast.ListComp) and isinstance(p.elt, ast.Constant):
            found.add(p.elt.value)
        elif isinstance(p, ast.BinOp) and isinstance(p.op, ast.Mult) and isinstance(p.left, ast.List) \
                and len(p.left.elts) == 1 and isinstance(p.left.elts[0], ast.Constant):
            found.add(p.left.elts[0].value)
        else:
            return False
    return len(found) == 2


def _merges(node: ast.Dict) -> bool:
    """A dict literal that maps categories onto fewer, three or more (``{"Mme": "Mrs", "Ms": "Mrs", ...}``)."""
    keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    vals = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, (str, int))]
    return len(keys) >= 3 and len(keys) == len(node.keys) and len(vals) == len(node.values) \
        and 3 <= len(set(vals)) < len(set(keys))  # two values: a binarising map (DP07/DP08)


def _dummy_name(text: str) -> bool:
    """``race_ Black``, ``sex_Male``, ``native-country_ Cuba``: a one-hot column (prefix_value)."""
    return bool(re.match(r"\s*[A-Za-z][A-Za-z -]*?_\s*[A-Z ]", text)) and not text.isupper()


def _x_named(name: str) -> bool:
    """``X``, ``train_X``, ``XTAB``, ``Xtr``, ``X_all``: the name people give a feature matrix."""
    return name.endswith("X") or (name[:1] == "X" and (len(name) == 1 or not name[1:2].islower()
                                                       or name[1:] in ("tr", "trn", "ts", "te", "val", "all")))


def _column_node(node: ast.expr) -> ast.expr | None:
    """The one column under pass-through calls (``df["c"].astype(str).fillna("")``), or None."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in ("astype", "fillna", "strip", "lower", "upper", "values", "to_numpy", "ravel"):
        node = node.func.value
        if isinstance(node, ast.Attribute) and node.attr == "str":
            node = node.value
    while isinstance(node, ast.Attribute) and node.attr in ("values", "str"):
        node = node.value
    return node if _names_one_column(node) else None


def _column_name(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    return node.attr if isinstance(node, ast.Attribute) else ""


def _grouped_by(node: ast.expr) -> list[ast.Call]:
    """The ``groupby`` call a counting method is applied to: ``df.groupby(g).size()``,
    ``df.groupby(g)["x"].count()``, ``df.groupby(g).x.nunique()``."""
    while isinstance(node, (ast.Subscript, ast.Attribute)) and not (
            isinstance(node, ast.Attribute) and node.attr == "groupby"):
        node = node.value
        if isinstance(node, ast.Call) and _last(node.func) == "groupby":
            return [node]
    if isinstance(node, ast.Call) and _last(node.func) == "groupby":
        return [node]
    return []


def _last(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Call):
        return _last(func.func)
    return ""


def _dotted(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Attribute):
        d = _dotted(target)
        return [d] if d else []
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _names(e)]
    if isinstance(target, ast.Starred):
        return _names(target.value)
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return [key.value]
    return []


def _constant(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool, str))


def _strings(node: ast.expr) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _has_two(call: ast.Call) -> bool:
    values = list(call.args[1:2]) + [k.value for k in call.keywords
                                     if k.arg in ("out_features", "units", "num_outputs", "num_classes")]
    if _last(call.func) in ("Dense",):
        values = list(call.args[:1]) + values
    return any(isinstance(v, ast.Constant) and v.value == 2 for v in values)
