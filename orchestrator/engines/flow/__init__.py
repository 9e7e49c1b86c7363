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
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

from orchestrator.engines.flow.analysis import (Context, Hit, ModuleState, ModuleSummary, Repository, Terms, _statements,
                                                repository_context, summarise)
from orchestrator.engines.interface import Engine, EngineRequest, EngineResult, Target
from orchestrator.model import Location, Match, Skipped
from orchestrator.pipeline import snippets
from orchestrator.pipeline.memo import LRU
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
             )
#: Hand-written splits (slices at a count, random masks and index draws, split helpers): they
#: count only in a file that also names a training part and a held-out one (tensor libraries
#: are full of `_split(` and `def split`).
_SPLITS = ("def split", "def _split", "def partition", "= split_", "split_data(", "split_train", "_split(",
           "n_train", "num_train", "train_idx", "train_ind", "rand(len(", "replace=False")
#: ... except a call that unpacks a data split helper's parts (`a, b = split_rows(people)`).
_SPLIT_CALLS = re.compile(r",\s*\w+\s*=\s*split_(?:data|rows|dataset|train|samples|set|df|frame)\w*\(")
_SPLIT_PARTS = (("train",), ("test", "val", "dev", "hold"))
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
        plan = self.plan(request)
        return plan.result({part: self.run_part(plan, part) for part in plan.parts})

    # ------------------------------------------------------------------ parts
    def plan(self, request: EngineRequest, digests: Mapping[str, str] | None = None,
             prepare: Callable[[Sequence[Target]], None] | None = None) -> "Plan":
        """Read, filter and parse the targets, and cut the modules into :class:`Part` s.

        With ``digests`` (display path -> content digest), a content read before in this process
        is neither read nor parsed again (:data:`_FACTS`), and ``prepare`` is called only with
        the targets that must be read."""
        vocab = request.vocabulary
        terms = Terms(vocab.find_terms, vocab.protected_exact)
        term_regex = _term_prefilter(vocab)
        memo = _facts_memo(term_regex)
        digests = digests or {}
        known = {t.display_path: memo.get(digests[t.display_path]) for t in request.targets
                 if t.display_path in digests}
        unread = [t for t in request.targets if known.get(t.display_path) is None]
        if prepare is not None and unread:
            prepare(unread)
        prepared = {t.display_path for t in unread}
        modules: list[ModuleState] = []
        texts: dict[str, str] = {}
        names: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        skipped: list[Skipped] = []
        deferred: list[Target] = []  # files the prefilter left out: read if the task asks
        toxic = False

        def facts_of(target: Target, force: bool) -> _Facts | None:
            key = digests.get(target.display_path)
            key = f"{key}:all" if key and force else key
            facts = memo.get(key) if key else None
            if facts is None:
                if prepare is not None and target.display_path not in prepared:
                    prepare([target])  # a content known only unforced: it must be on disk now
                    prepared.add(target.display_path)
                try:
                    data = Path(target.scan_path).read_bytes()
                except OSError as exc:
                    skipped.append(Skipped(target.display_path, "flow: could not read", exc.strerror or str(exc)))
                    return None
                facts = _read_facts(data, term_regex, force, names=bool(_KEEP[0]))
                if key:
                    memo.put(key, facts)
            return facts

        def add(target: Target, facts: _Facts) -> None:
            if facts.size > MAX_FILE_BYTES:
                skipped.append(Skipped(target.display_path, "flow: not followed (file too large)",
                                       f"{facts.size} bytes; the flow engine reads files up to {MAX_FILE_BYTES}"))
                return
            if facts.tree is None:
                skipped.append(Skipped(target.display_path, "flow: could not parse", facts.problem))
                return
            modules.append(ModuleState(target.display_path, facts.tree))
            texts[target.display_path] = facts.text
            names[target.display_path] = (facts.names, facts.defines)

        for target in request.targets:
            named = bool(term_regex[0].search(target.display_path.rpartition("/")[2].lower()))
            facts = known.get(target.display_path) if not named else None
            facts = facts or facts_of(target, named)
            if facts is None:
                continue
            if request.max_file_bytes and facts.size > request.max_file_bytes:
                continue  # discovery lists huge files; the engines never see them
            if not facts.relevant:
                deferred.append(target)
                continue
            toxic = toxic or facts.toxic
            add(target, facts)
        if toxic:
            # a repository about toxicity trains its model wherever it likes, often in a script
            # that names nothing the prefilter looks for
            for target in deferred:
                facts = facts_of(target, True)
                if facts is not None:
                    add(target, facts)
        if not _KEEP[0]:  # a one-shot scan: one part, the whole repository (parts pay off across runs)
            contents = tuple((m.path, digests.get(m.path, "")) for m in modules)
            return Plan(terms, tuple(skipped), texts, (Part(tuple(modules), (), (contents, (), ())),), None)
        parts = _parts(modules, names, digests)
        if len(parts) <= 1:  # one part is the whole repository: it finds its own context
            return Plan(terms, tuple(skipped), texts, parts, None)
        summaries = {m.path: _summary(vocab, terms, m, digests.get(m.path)) for m in modules}
        context = repository_context(modules, terms, summaries)
        # each part is analysed with the whole repository's context: it is part of their keys
        parts = tuple(replace(p, key=(*p.key[:2], context.key())) for p in parts)
        return Plan(terms, tuple(skipped), texts, parts, context, summaries)

    def run_part(self, plan: "Plan", part: "Part") -> "PartResult":
        """The analysis of one part: the same hits a whole-repository run gives its modules."""
        modules = [ModuleState(m.path, m.tree) for m in part.modules]  # fresh per run (the analysis fills them)
        repo = Repository(modules, plan.terms, plan.context, plan.summaries)
        rank = {name: i for i, name in enumerate(part.order)}
        # The repository's own order of function names (a whole run visits them in that order).
        repo.functions = {n: repo.functions[n] for n in sorted(repo.functions, key=lambda n: rank.get(n, len(rank)))}
        hits = repo.run()
        rules = rulepack.rules_by_id()
        matches = [m for m in (_match(h, plan.texts, rules) for h in hits) if m is not None]
        partial = [Skipped(path, "flow: analysed partially", detail) for path, detail in sorted(repo.problems.items())]
        return PartResult(tuple(matches), tuple(partial))

    @staticmethod
    def part_result(matches: Sequence[Match], partial: Sequence[Skipped]) -> "PartResult":
        """A part's result from stored matches and skipped entries (the result cache)."""
        return PartResult(tuple(matches), tuple(partial))

    @staticmethod
    def assemble(skipped: Sequence[Skipped], done: Mapping[object, "PartResult"]) -> EngineResult:
        """One run's result from its per-file ``skipped`` entries (the plan's, in target order)
        and its parts' results (a plan's, or the result cache's for a tree seen before)."""
        matches = sorted((m for r in done.values() for m in r.matches),
                         key=lambda m: (m.location.path, m.location.start_line, m.rule_id))
        partial = sorted((s for r in done.values() for s in r.partial), key=lambda s: s.path)
        return EngineResult(tuple(matches), tuple(skipped) + tuple(partial), (), FlowEngine().version())


@dataclass(frozen=True)
class Part:
    """Modules whose analysis depends on nothing outside them: no module of a part names a function
    another part defines. ``key`` is everything its result depends on: each module's path and
    content, in order, and the order in which the whole repository lists its function names."""

    modules: tuple[ModuleState, ...] = field(compare=False)
    order: tuple[str, ...] = field(compare=False)
    key: tuple = ()


@dataclass(frozen=True)
class PartResult:
    matches: tuple[Match, ...]
    partial: tuple[Skipped, ...]  # "flow: analysed partially", by path


@dataclass(frozen=True)
class Plan:
    terms: Terms = field(compare=False)
    skipped: tuple[Skipped, ...]  # per file, in target order
    texts: dict[str, str] = field(compare=False)
    parts: tuple[Part, ...]
    context: Context | None = field(default=None, compare=False)  # None: one part, the whole repository
    summaries: Mapping[str, ModuleSummary] = field(default_factory=dict, compare=False)  # by path

    def result(self, done: Mapping[Part, PartResult]) -> EngineResult:
        """The parts' results as one run over the whole repository gives them."""
        return FlowEngine.assemble(self.skipped, done)


def _parts(modules: Sequence[ModuleState], names: Mapping[str, tuple[frozenset[str], tuple[str, ...]]],
           digests: Mapping[str, str]) -> tuple[Part, ...]:
    """``modules`` cut into independent parts.

    The analysis joins modules only through the repository's function index (a call resolves a
    name to the functions defined under it, anywhere): a module that names (as an identifier,
    an attribute or a string) a function another module defines is in that module's part.
    Each part keeps the modules' order, and its function names keep the order the whole
    repository's index gives them (the analysis summarises uncalled functions in that order)."""
    position = {m.path: i for i, m in enumerate(modules)}
    definers: dict[str, list[int]] = {}  # name -> the modules defining it, in the index's order
    for mod in modules:
        for name in names[mod.path][1]:
            definers.setdefault(name, []).append(position[mod.path])
    order = list(definers)
    parent = list(range(len(modules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    defined = definers.keys()
    for mod in modules:
        me = position[mod.path]
        for name in names[mod.path][0] & defined:  # the names some module defines (one C-level pass)
            for other in definers[name]:
                a, b = find(me), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[ModuleState]] = {}
    for i, mod in enumerate(modules):
        groups.setdefault(find(i), []).append(mod)
    functions: dict[int, list[str]] = {root: [] for root in groups}
    for name in order:
        for root in dict.fromkeys(find(i) for i in sorted(definers[name])):
            functions[root].append(name)
    parts = []
    for root, members in groups.items():
        listed = tuple(functions[root])
        contents = tuple((m.path, digests.get(m.path, "")) for m in members)
        parts.append(Part(tuple(members), listed, (contents, listed, ())))
    return tuple(parts)


class _Index:
    """Stands in for :class:`Repository` while its ``_index`` lists the function names."""

    _index = Repository._index

    def __init__(self) -> None:
        self.functions: dict[str, list] = {}


def _names_in(tree: ast.AST) -> frozenset[str]:
    """Every name a module may look a function up by: identifiers, attributes, imported names,
    keywords and strings (over-approximated: a part is never cut where the analysis could cross)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
        elif isinstance(node, ast.alias):
            out.update(node.name.split("."))
            if node.asname:
                out.add(node.asname)
        elif isinstance(node, ast.keyword) and node.arg:
            out.add(node.arg)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.add(node.value)
            out.update(re.findall(r"\w+", node.value))
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.update(node.module.split("."))
    return frozenset(out)


# ---------------------------------------------------------------------- per-content facts
@dataclass(frozen=True)
class _Facts:
    """What the engine learns of one content before the analysis (none of it depends on the
    other files): its size, whether the prefilter keeps it, its parsed module (read only by
    the analysis, never changed) and the names it uses."""

    size: int
    relevant: bool
    text: str = ""
    tree: ast.Module | None = None
    problem: str = ""
    names: frozenset[str] = frozenset()
    defines: tuple[str, ...] = ()  # the function (and class) names the analysis indexes, in its order
    toxic: bool = False  # may be about toxicity or hate speech (the analysis decides on whole parts)


def _read_facts(data: bytes, term_regex, force: bool = False, names: bool = True) -> _Facts:
    """``force``: read the file whatever the prefilter says (its name holds a protected term, or
    the repository is about toxicity)."""
    text = data.decode("utf-8", "surrogateescape")
    if not (force or _relevant(text, term_regex)):
        return _Facts(len(data), False)
    if len(data) > MAX_FILE_BYTES:
        return _Facts(len(data), True)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return _Facts(len(data), True, text, None, _reason(exc))
    if not names:  # what parts are cut by: only where parts are kept between runs
        return _Facts(len(data), True, text, tree, "", frozenset(), (), _toxicity_text(text))
    return _Facts(len(data), True, text, tree, "", _names_in(tree), _defines(tree), _toxicity_text(text))


def _defines(tree: ast.Module) -> tuple[str, ...]:
    """The names the analysis's function index gets from this module, in its order (its own
    ``_index`` does the listing)."""
    index = _Index()
    index._index(ModuleState("", tree), tree.body, None)
    # constructors look up __init__ by their class: a module naming a class joins the class's part
    classes = [n.name for n in _statements(tree.body) if isinstance(n, ast.ClassDef)]
    return tuple(n for n, infos in index.functions.items() for _ in infos) + tuple(classes)


#: Source bytes of parsed contents kept between runs in this process (a history walk scans
#: the same contents commit after commit); least recently used ones go first. A one-shot scan
#: keeps none (its parsed modules would only add to the peak beside Semgrep's processes): the
#: long-running callers (`fairlint history`, the language server) call :func:`keep_parsed_files`.
MEMO_TEXT_BYTES = 16_000_000
_KEEP = [0]


def keep_parsed_files(limit_bytes: int = MEMO_TEXT_BYTES) -> None:
    """Keep parsed contents (up to ``limit_bytes`` of source) between runs in this process."""
    _KEEP[0] = limit_bytes
    with _FACTS_LOCK:
        for memo in _FACTS:
            memo.limit = limit_bytes


class _FactsMemo:
    def __init__(self, key: tuple, limit: int) -> None:
        self.key = key
        self.limit = limit
        self.items: OrderedDict[str, _Facts] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, digest: str) -> _Facts | None:
        with self.lock:
            found = self.items.get(digest)
            if found is not None:
                self.items.move_to_end(digest)
            return found

    def put(self, digest: str, facts: _Facts) -> None:
        weight = _weight(facts)
        if weight > self.limit:
            return
        with self.lock:
            old = self.items.pop(digest, None)
            self.size += weight - (_weight(old) if old else 0)
            self.items[digest] = facts
            while self.size > self.limit and self.items:
                _, gone = self.items.popitem(last=False)
                self.size -= _weight(gone)


def _weight(facts: _Facts) -> int:
    return len(facts.text) + 200


_FACTS: list[_FactsMemo] = []
_FACTS_LOCK = threading.Lock()


def _facts_memo(term_regex) -> _FactsMemo:
    """The memo for this prefilter (another vocabulary starts a new one)."""
    key = tuple(r.pattern for r in term_regex)
    with _FACTS_LOCK:
        if not _FACTS or _FACTS[0].key != key:
            _FACTS[:] = [_FactsMemo(key, _KEEP[0])]
        return _FACTS[0]


#: Each module's :class:`ModuleSummary` by (vocabulary, content digest, path): a commit of a
#: history changes a few files, and the repository's context is combined anew from the others'.
_SUMMARIES: list = [None, LRU(100_000)]


def _summary(vocab, terms: Terms, module: ModuleState, digest: str | None) -> ModuleSummary:
    if not digest:
        return summarise(module.path, module.tree, terms)
    with _FACTS_LOCK:  # another vocabulary starts another memo (compared only when not the same object)
        if _SUMMARIES[0] is not vocab and _SUMMARIES[0] != vocab:
            _SUMMARIES[:] = [vocab, LRU(100_000)]
        memo = _SUMMARIES[1]
    return memo.get_or((digest, module.path), lambda: summarise(module.path, module.tree, terms))


def _toxicity_text(text: str) -> bool:
    """Whether a file may be about toxicity or hate speech (the analysis decides on whole parts)."""
    low = text.lower()
    return "toxic" in low or "jigsaw" in low or "detox" in low or bool(_HATE.search(text))


#: ``hate`` where an identifier part may start (``hate_speech``, ``HateSpeech``, ``isHateful``,
#: ``HATE_LABEL``), never inside a word (``whatever``, ``chatter``): a repository of generic code
#: must not read as a toxicity repository, which makes the engine parse every file.
_HATE = re.compile(r"(?<![A-Za-z])[Hh][Aa][Tt][Ee]|(?<=[a-z])Hate")


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
    if any(split in text for split in _SPLITS) and (all(any(w in low for w in words) for words in _SPLIT_PARTS)
                                                    or _SPLIT_CALLS.search(text)):
        return True
    if any(name in low for name in _DATASETS):
        return True
    protected, proxy = regexes
    if protected.search(low):
        return True
    return any(_in_short_string(low, m.start(), m.end()) for m in proxy.finditer(low))


def _in_short_string(low: str, start: int, end: int) -> bool:
    """The proxy at ``low[start:end]`` is inside a short string literal, as a column name is
    (``"zip_code"``, ``'native-language'``, ``"home address"``), not in a sentence of an error
    message or a docstring (``"no relationship between ..."``)."""
    line_start = low.rfind("\n", 0, start) + 1
    line_end = low.find("\n", end)
    line_end = len(low) if line_end < 0 else line_end
    before, after = low[max(line_start, start - 32):start], low[end:min(line_end, end + 32)]
    for quote in "'\"":
        i, j = before.rfind(quote), after.find(quote)
        if i >= 0 and j >= 0:
            inside = before[i + 1:] + low[start:end] + after[:j]
            if inside.count(" ") <= 2 and not any(q in inside for q in "'\"") \
                    and not re.fullmatch(r"[a-z_]\w*(?:\.[a-z_]\w*)+", inside):  # a module path
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
