"""The flow engine: protected-attribute provenance across a repository, in-process, pure Python.

It parses every target with Python's ``ast`` (nothing is imported or executed), follows which
values carry protected attributes and proxies through variables, frames, arrays, tensors and
the repository's own functions (:mod:`orchestrator.engines.flow.analysis`), and reports where
they reach a model's input or target, a binarising map, a binning or a category merge. Each
match carries its ``code_flow`` from source to sink and names the attributes in its message and
in ``metadata["attributes"]``. Rule ids and metadata are the Semgrep pack's, so a site both
engines find is one finding (``found_by`` lists both).

Why the standard library's ``ast`` rather than beniget, jedi or libcst: the engine needs one
walk in statement order with its own abstract values (which columns a frame holds), which none
of them models; their scopes and def-use chains would be a second full pass over every file
(beniget 6.5 s, jedi 26 s, libcst 89 s on 114k lines, measured for issue 20) for facts the
walk already has. The results depend on the whole repository, so the result cache keeps them
per set of contents (see :func:`orchestrator.pipeline.cache.run_engine`).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from orchestrator.engines.flow.analysis import Hit, ModuleState, Repository, Terms
from orchestrator.engines.interface import Engine, EngineRequest, EngineResult
from orchestrator.model import Location, Match, Skipped
from orchestrator.pipeline import snippets
from orchestrator.rules import pack as rulepack

#: Bumped when the analysis changes what it reports (part of the result cache's key).
VERSION = "2"
#: Bigger files are generated code or test tables far more often than data preparation: the flow
#: engine leaves them to Semgrep (and says so), which keeps a cold scan of PyTorch's sources cheap.
MAX_FILE_BYTES = 250_000
ENGINE = "flow"

#: A file is analysed when it holds a protected term, a proxy inside a string, or one of these
#: (the APIs that start or end a flow across modules: loading a table, training on one). A file
#: with none of them can add no source and no sink; its functions count as passing their
#: arguments through, which is what the analysis assumes of any function it has not read.
_RELEVANT = (".fit(", "face_score", "np.isnan(", "pd.isna(", "N/A", "' ?'", "\" ?\"", "train_test_split", "random_split", "TensorDataset", "from_tensor_slices", "train_on_batch",
             "read_csv", "read_table", "read_excel", "read_parquet", "loadtxt", "loadmat", "fetch_openml",
             # group evaluation, hand-written model selection, toxicity models
             "minority", "majority", "subgroup_", "worst_group", "sensitive_", "_parity", "disparit",
             "best_acc", "best_loss", "best_val", "best_score", "best_f1", "best_auc", "best_metric",
             "min_loss", "max_acc", "Toxic", "toxic", "hate_", "Hate",
             # integer codes for nominal columns
             "LabelEncoder", ".cat.codes", "factorize(",
             # splits written by hand (slices at a count, random masks and index draws, helpers)
             "split_", "_split(", "n_train", "num_train", "train_idx", "train_ind", "rand(len(", "replace=False")
#: Known people datasets, looked for in the lower-cased text.
_DATASETS = ("celeba", "compas", "adult", "german", "utkface", "imdb_crop", "wiki_crop", "afad", "fer2013",
             "adience", "lfw")


class FlowEngine(Engine):
    name = ENGINE

    def available(self) -> bool:
        return True

    def version(self) -> str | None:
        return f"{VERSION}-py{sys.version_info.major}.{sys.version_info.minor}"

    def run(self, request: EngineRequest) -> EngineResult:
        vocab = request.vocabulary
        terms = Terms(vocab.find_terms, vocab.protected_exact)
        term_regex = _term_prefilter(vocab)
        modules: list[ModuleState] = []
        texts: dict[str, str] = {}
        skipped: list[Skipped] = []
        deferred: list[tuple[str, str, int]] = []  # files the prefilter left out: read if the task asks
        toxic = False
        for target in request.targets:
            try:
                data = Path(target.scan_path).read_bytes()
            except OSError as exc:
                skipped.append(Skipped(target.display_path, "flow: could not read", exc.strerror or str(exc)))
                continue
            if request.max_file_bytes and len(data) > request.max_file_bytes:
                continue  # discovery lists huge files; the engines never see them
            text = data.decode("utf-8", "surrogateescape")
            if not (_relevant(text, term_regex) or term_regex[0].search(Path(target.display_path).name.lower())):
                deferred.append((target.display_path, text, len(data)))
                continue
            toxic = toxic or _toxicity_text(text)
            self._parse(target.display_path, text, len(data), modules, texts, skipped)
        if toxic:
            # a repository about toxicity trains its model wherever it likes, often in a script
            # that names nothing the prefilter looks for
            for path, text, size in deferred:
                self._parse(path, text, size, modules, texts, skipped)
        repo = Repository(modules, terms)
        hits = repo.run()
        skipped += [Skipped(path, "flow: analysed partially", detail) for path, detail in sorted(repo.problems.items())]
        rules = rulepack.rules_by_id()
        matches = [m for m in (_match(h, texts, rules) for h in hits) if m is not None]
        return EngineResult(tuple(matches), tuple(skipped), (), self.version())


    @staticmethod
    def _parse(path: str, text: str, size: int, modules: list[ModuleState], texts: dict[str, str],
               skipped: list[Skipped]) -> None:
        if size > MAX_FILE_BYTES:
            skipped.append(Skipped(path, "flow: not followed (file too large)",
                                   f"{size} bytes; the flow engine reads files up to {MAX_FILE_BYTES}"))
            return
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            skipped.append(Skipped(path, "flow: could not parse", _reason(exc)))
            return
        modules.append(ModuleState(path, tree))
        texts[path] = text


def _toxicity_text(text: str) -> bool:
    """Whether a file may be about toxicity or hate speech (the analysis decides on whole parts)."""
    low = text.lower()
    return "toxic" in low or "jigsaw" in low or "hate" in low


def _term_prefilter(vocab) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Protected terms (lower-cased text, whole parts), and proxies (kept only inside a string:
    ``zip``, ``address`` and ``language`` name other things in library code)."""
    def alts(words):
        return "|".join(sorted({re.escape(w.lower()).replace(r"\ ", "[ _-]?") for w in words}, key=len, reverse=True))

    protected = alts([*vocab.terms("protected"), *vocab.protected_exact])
    proxy = alts(vocab.terms("proxy"))
    return (re.compile(r"(?<![a-z])(?:" + protected + r")(?![a-z])(?![ _-]?conditions?\b)"),
            re.compile(r"(?<![a-z])(?:" + proxy + r")(?![a-z(])"))


def _relevant(text: str, regexes: tuple[re.Pattern[str], re.Pattern[str]]) -> bool:
    if any(api in text for api in _RELEVANT):  # substring tests: a regex over 46 MB costs seconds
        return True
    low = text.lower()
    if any(name in low for name in _DATASETS):
        return True
    protected, proxy = regexes
    if protected.search(low):
        return True
    for m in proxy.finditer(low):
        line_start = low.rfind("\n", 0, m.start()) + 1
        before = low[max(line_start, m.start() - 40):m.start()]
        if "'" in before or '"' in before:
            return True
    return False


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"line {exc.lineno}: {exc.msg}"
    return type(exc).__name__


def _location(step) -> Location:
    return Location(step.path, step.line, max(step.end_line, step.line), step.col, step.end_col)


def _match(hit: Hit, texts: dict[str, str], rules) -> Match | None:
    rule = rules.get(hit.rule_id)
    if rule is None:
        return None
    text = texts.get(hit.at.path, "")
    loc = _location(hit.at)
    attrs = ", ".join(f"`{a}`" for a in hit.attrs)
    seen: set[tuple[str, int]] = set()
    flow = tuple(_location(s) for s in hit.trail
                 if s.path and not ((s.path, s.line) in seen or seen.add((s.path, s.line))))
    origin = flow[0] if flow and (flow[0].path, flow[0].start_line) != (loc.path, loc.start_line) else None
    where = f" (from {origin.path}:{origin.start_line})" if origin else ""
    template = _MESSAGES.get(hit.rule_id, "Evidence of per-group evaluation: {detail}{where}.")
    message = template.format(attrs=attrs, detail=hit.detail, where=where)
    metadata = dict(rule.metadata)
    metadata["attributes"] = list(hit.attrs)
    start, end = _offsets(text, loc)
    return Match(ENGINE, hit.rule_id, loc, message, snippets.lines_snippet(text, loc.start_line, loc.end_line),
                 metadata, start, end, hit.evidence, flow if len(flow) > 1 else ())


def _offsets(text: str, loc: Location) -> tuple[int, int]:
    lines = text.split("\n")

    def offset(line: int, col: int) -> int:
        before = "\n".join(lines[:max(line - 1, 0)])
        prefix = len(before.encode("utf-8", "surrogateescape")) + (1 if line > 1 else 0)
        row = lines[line - 1] if 0 < line <= len(lines) else ""
        return prefix + len(row[:max(col - 1, 0)].encode("utf-8", "surrogateescape"))

    start = offset(loc.start_line, loc.start_col)
    return start, max(start, offset(loc.end_line, loc.end_col))


_ADVICE = "bias-prone, needs group-wise evaluation"
_MESSAGES = {
    "protected-attribute-as-model-input":
        "Protected attribute(s) {attrs} reach the model input at {detail}{where}: disparate treatment "
        "is {advice}. Drop the attribute from the features and keep it for per-group evaluation.",
    "proxy-feature-as-model-input":
        "Proxy feature(s) {attrs} reach the model input at {detail}{where}: a proxy can encode a "
        "protected attribute, so this is {advice}. Check the proxy's association with the protected "
        "attributes and evaluate per group.",
    "demographic-attribute-prediction-target":
        "{attrs} is used as what the model predicts ({detail}{where}): automatic demographic "
        "recognition is {advice}. Document why it is needed and evaluate error rates per group.",
    "gender-binarised":
        "Gender recoded to two values ({detail}{where}): people outside the binary are erased or "
        "misclassified; {advice}. Keep the recorded categories or document the coding.",
    "race-collapsed-to-binary":
        "{attrs} collapsed into fewer groups ({detail}{where}): differences between the merged groups "
        "disappear; {advice}. Keep the recorded categories for evaluation.",
    "protected-attribute-binned":
        "Age coarsened ({detail}{where}): binning or top-coding hides differences inside each bin; "
        "{advice}. Keep the raw value or justify the bins.",
    "high-stakes-tabular-benchmark":
        "{detail}{where}: a high-stakes benchmark (lending, recidivism, income) whose labels encode "
        "past decisions about people; a model trained on it as a real task is {advice}. Document "
        "the intended use and evaluate per group ({attrs}).",
    "face-dataset-with-demographic-skew":
        "{detail}{where}: a face dataset with documented demographic skew; a model trained on it is "
        "{advice}. Report its composition and evaluate per group ({attrs}).",
    "unstratified-split":
        "{detail}{where} splits the data at random or by position, without stratification: small "
        "groups can end up under-represented or missing in one part, and per-group numbers from "
        "one split vary a lot; {advice}. Stratify on the label and the protected attribute and report per-group "
        "results over several splits.",
    "toxicity-classifier-training":
        "A toxicity or hate-speech model is built ({detail}{where}): crowd-labelled toxicity data "
        "over-flags dialects and identity terms, so this is {advice}. Evaluate per identity group "
        "and dialect (subgroup AUC, BPSN/BNSP).",
    "aggregate-metric-model-selection":
        "Model selection on an aggregate metric ({detail}{where}): the checkpoint that is best on "
        "average is not the one that is best for the worst-off group; {advice}. Track a per-group "
        "(worst-group) metric when selecting the model.",
    "missing-rows-dropped":
        "Rows deleted for a missing value ({detail}{where}): who has missing data is rarely random "
        "(groups with less complete records lose more rows), so this is {advice}. Impute, or keep "
        "the rows and report per-group counts before and after.",
    "single-protected-attribute-evaluated":
        "One protected attribute evaluated ({detail}{where}): a model can be fair for each attribute "
        "alone and unfair for their intersections (Gender Shades), so this is {advice}. Evaluate every "
        "attribute the data holds, and their intersections.",
    "group-blind-loss-weights":
        "Weights chosen from the labels ({detail}{where}): balancing classes can still leave a group "
        "under-weighted, so this is {advice}. Weight by (group, label) or check per-group errors.",
    "face-detector-used-as-filter":
        "A face detector decides which images stay ({detail}{where}): detectors miss darker-skinned "
        "and older faces more often, so the kept data is skewed; {advice}. Report who the filter drops.",
    "label-encoding-of-nominal-feature":
        "Nominal values turned into integer codes ({detail}{where}): the codes impose an arbitrary "
        "order and distance on categories, so linear and distance-based models treat some groups as "
        "\"between\" others; {advice}. One-hot encode the feature, or feed the codes to an embedding.",
    "rare-categories-collapsed":
        "Categories of {attrs} merged ({detail}{where}): small groups disappear into larger ones; "
        "{advice}. Keep rare categories for per-group evaluation.",
}
_MESSAGES = {k: v.replace("{advice}", _ADVICE) for k, v in _MESSAGES.items()}
