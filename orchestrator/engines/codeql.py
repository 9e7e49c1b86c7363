"""The CodeQL engine: database, analysis with the fairlint pack, SARIF back into matches.

CodeQL follows data across function boundaries (a feature list built in one function, a model
trained in another), which Semgrep's open-source taint mode does not. The pack lives in
``rules/codeql`` (library, queries, tests); its vocabulary file ``lib/fairlint/Vocabulary.qll``
is generated from ``rules/vocabulary.yaml`` by :func:`render_vocabulary_qll` and a test fails
when it drifts. A user-extended vocabulary is rendered into a temporary copy of the pack, so
nobody edits queries to add ``caste`` or ``postcode``.

A query's ``@id`` is ``py/fairlint/<Semgrep rule id>``; the SARIF ``ruleId`` is mapped back to
the bare id so that the same finding from both engines merges in the pipeline's dedup.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from orchestrator import proc
from orchestrator.engines.interface import Engine, EngineRequest, EngineResult, Target
from orchestrator.model import Location, Match, Skipped
from orchestrator.pipeline import snippets
from orchestrator.rules import pack as rulepack
from orchestrator.rules import resources
from orchestrator.rules.taxonomy import PATTERNS
from orchestrator.rules.vocabulary import Vocabulary

ID_PREFIX = "py/fairlint/"
VOCABULARY_QLL = Path("lib") / "fairlint" / "Vocabulary.qll"
QUERY_PACK = "queries"
CI_SUITE = Path("queries") / "suites" / "fairlint-ci.qls"
AUDIT_SUITE = Path("queries") / "suites" / "fairlint-audit.qls"

_PRECISION_TO_CONFIDENCE = {"very-high": "HIGH", "high": "HIGH", "medium": "MEDIUM", "low": "LOW"}
_TOOL_TIMEOUT_FLOOR = 600  # database creation and analysis are slow even for small targets


# ----------------------------------------------------------------- vocabulary -> QL
def ql_regex(vocab: Vocabulary, kind: str) -> str:
    """The regex a QL ``regexpMatch`` needs for ``kind``: the Semgrep regex, whole-string.

    ``regexpMatch`` matches the whole string (Java semantics) while Semgrep's
    ``metavariable-regex`` is anchored at the start only, hence the trailing ``.*``. The
    constructs used (lookarounds, ``(?i:...)``, ``(?s)``) mean the same in both dialects.
    """
    return vocab.semgrep_regex(kind) + ".*"


def ql_string(text: str) -> str:
    """``text`` as a QL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ql_set(values: Iterable[str]) -> str:
    return "[" + ", ".join(ql_string(v) for v in values) + "]"


def render_vocabulary_qll(vocab: Vocabulary) -> str:
    """The text of ``lib/fairlint/Vocabulary.qll`` for ``vocab``."""
    return _VOCABULARY_TEMPLATE.format(
        protected=ql_string(ql_regex(vocab, "protected")),
        proxy=ql_string(ql_regex(vocab, "proxy")),
        modules=_ql_set(vocab.sanitizer_modules),
        symbols=_ql_set(vocab.sanitizer_symbols),
    )


def sync_vocabulary_qll(codeql_root: Path | None = None, vocab: Vocabulary | None = None) -> bool:
    """Rewrite the pack's ``Vocabulary.qll`` from the vocabulary; True when it changed."""
    root = Path(codeql_root or resources.codeql_dir())
    path = root / VOCABULARY_QLL
    text = render_vocabulary_qll(vocab or Vocabulary.load(root.parent / "vocabulary.yaml"))
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


_VOCABULARY_TEMPLATE = '''/**
 * The fairlint vocabulary: protected attributes, proxies and fairness-API sanitizers.
 *
 * GENERATED from `rules/vocabulary.yaml` by `orchestrator.engines.codeql.render_vocabulary_qll`
 * (`python -m orchestrator.engines.codeql sync`); do not edit by hand.
 * `tests/rules/test_codeql_pack.py` fails when this file drifts from the vocabulary.
 *
 * Terms match whole identifier parts (split at `_`, `-`, `.`, spaces, digits and camelCase),
 * never substrings: `age` matches `user_age` and `userAge`, not `page` or `average`.
 */

/** Gets the regular expression for names of protected attributes (whole-string match). */
string protectedNameRegex() {{
  result =
    {protected}
}}

/** Gets the regular expression for names of proxy features (whole-string match). */
string proxyNameRegex() {{
  result =
    {proxy}
}}

/** Holds if `name`, an identifier or a string literal's text, names a protected attribute. */
bindingset[name]
predicate isProtectedName(string name) {{ name.regexpMatch(protectedNameRegex()) }}

/** Holds if `name`, an identifier or a string literal's text, names a proxy feature. */
bindingset[name]
predicate isProxyName(string name) {{ name.regexpMatch(proxyNameRegex()) }}

/** Gets the name of a module whose use is evidence of group-wise evaluation or mitigation. */
string fairnessModuleName() {{ result = {modules} }}

/** Gets the name of a fairness metric or mitigation (a function or class, by its last name). */
string fairnessSymbolName() {{ result = {symbols} }}
'''


def pack_for(vocab: Vocabulary, dest: Path | None = None) -> Path:
    """The CodeQL pack root to analyse with: the installed one, or a copy for a custom vocabulary."""
    root = resources.codeql_dir()
    if vocab == Vocabulary.default():
        return root
    dest = Path(dest or tempfile.mkdtemp(prefix="fairlint-codeql-"))
    copy = dest / "codeql"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("test", ".codeql", "*.lock.yml"))
    (copy / VOCABULARY_QLL).write_text(render_vocabulary_qll(vocab), encoding="utf-8")
    return copy


# ----------------------------------------------------------------- SARIF -> matches
@dataclass(frozen=True)
class SarifRule:
    """A rule of a SARIF tool component: the bare fairlint id, its metadata as the pipeline wants
    it, and its short description."""

    id: str
    metadata: dict[str, Any]
    message: str


def bare_rule_id(sarif_id: str) -> str:
    """``py/fairlint/<id>`` -> ``<id>``; anything else is returned unchanged."""
    return sarif_id[len(ID_PREFIX):] if sarif_id.startswith(ID_PREFIX) else sarif_id


def rule_metadata(rule: Mapping[str, Any]) -> dict[str, Any]:
    """Pipeline metadata (the Semgrep pack's keys) from a SARIF rule's ``properties``.

    The bias-pattern comes from ``properties["bias-pattern"]`` (the query's ``@bias-pattern``)
    or, failing that, from an ``external/fairlint/<ID>`` tag; stage and detect class follow
    from the taxonomy; confidence from ``precision``. Keys the query does not state
    (likelihood, impact, references) come from the Semgrep rule of the same id, so both
    engines' findings of one rule score alike.
    """
    props = dict(rule.get("properties") or {})
    tags = [str(t) for t in props.get("tags") or ()]
    pattern = str(props.get("bias-pattern") or _pattern_from_tags(tags))
    meta: dict[str, Any] = {
        "bias-pattern": pattern,
        "pattern-name": str(props.get("name") or (rule.get("shortDescription") or {}).get("text", "")),
        "category": "fairness",
        "confidence": str(props.get("confidence")
                          or _PRECISION_TO_CONFIDENCE.get(str(props.get("precision")), "MEDIUM")).upper(),
        "technology": [t.split("/", 1)[1] for t in tags if t.startswith("technology/")],
        "references": list(_references(props)),
        "codeql-id": str(rule.get("id", "")),
        "codeql-kind": str(props.get("kind", "problem")),
    }
    if pattern in PATTERNS:
        meta["stage"] = PATTERNS[pattern].stage
        meta["detect-class"] = PATTERNS[pattern].detect_class
    for key in ("stage", "likelihood", "impact"):
        if key in props:
            meta[key] = str(props[key])
    stated = {k: v for k, v in meta.items() if v not in ("", [], None)}
    return {**_semgrep_metadata(bare_rule_id(str(rule.get("id", "")))), **stated}


def _semgrep_metadata(rule_id: str) -> dict[str, Any]:
    rule = rulepack.rules_by_id().get(rule_id)
    return dict(rule.metadata) if rule is not None else {}


def _pattern_from_tags(tags: Iterable[str]) -> str:
    for tag in tags:
        if tag.startswith("external/fairlint/"):
            return tag.rsplit("/", 1)[1]
    return ""


def _references(props: Mapping[str, Any]) -> Iterable[str]:
    refs = props.get("references") or ()
    if isinstance(refs, str):
        refs = [r.strip() for r in refs.split(";")]
    return [r for r in refs if r]


def sarif_rules(run: Mapping[str, Any]) -> list[list[SarifRule]]:
    """The rules of one SARIF run by tool component: the driver first, then each extension.

    CodeQL lists the rules of a custom pack under ``tool.extensions``; a result's
    ``rule.index`` counts within the component ``rule.toolComponent.index`` names.
    """
    tool = run.get("tool") or {}
    components = [tool.get("driver") or {}] + list(tool.get("extensions") or ())
    return [[SarifRule(bare_rule_id(r.get("id", "")), rule_metadata(r),
                       (r.get("shortDescription") or {}).get("text", ""))
             for r in c.get("rules") or ()] for c in components]


@dataclass(frozen=True)
class PathMap:
    """Maps SARIF artifact URIs (relative to the database's source root) to targets."""

    by_uri: Mapping[str, Target]

    def target(self, uri: str) -> Target | None:
        uri = uri.removeprefix("file://").lstrip("/") if uri.startswith("file://") else uri
        return self.by_uri.get(uri)


def read_sarif(doc: Mapping[str, Any], paths: PathMap, engine: str = "codeql") -> tuple[list[Match], list[str]]:
    """Matches from a CodeQL SARIF log; results outside the targets become errors, not matches."""
    matches: list[Match] = []
    errors: list[str] = []
    texts: dict[str, str] = {}
    for run in doc.get("runs") or ():
        components = sarif_rules(run)
        by_id = {r.id: r for rules in components for r in rules}
        for result in run.get("results") or ():
            rule = _result_rule(result, components, by_id)
            if rule is None:
                errors.append(f"codeql: result without a known rule: {result.get('ruleId')!r}")
                continue
            match = _result_match(result, rule, paths, texts, engine)
            if match is None:
                uri = _primary_uri(result)
                errors.append(f"codeql: {rule.id} reported {uri!r}, which is not a scanned file")
                continue
            matches.append(match)
    return matches, errors


def _result_rule(result: Mapping[str, Any], components: list[list[SarifRule]],
                 by_id: Mapping[str, SarifRule]) -> SarifRule | None:
    ref = result.get("rule") or {}
    rid = result.get("ruleId") or ref.get("id")
    if rid:
        return by_id.get(bare_rule_id(rid))
    index = ref.get("index", result.get("ruleIndex"))
    component = (ref.get("toolComponent") or {}).get("index", -1) + 1  # -1: the driver
    rules = components[component] if 0 <= component < len(components) else []
    return rules[index] if isinstance(index, int) and 0 <= index < len(rules) else None


_LINK = re.compile(r"\[([^\]]*)\]\(\d+\)")


def plain_message(text: str) -> str:
    """A SARIF message with its ``[label](n)`` related-location links reduced to ``label``."""
    return _LINK.sub(lambda m: m.group(1), text)


def _primary_uri(result: Mapping[str, Any]) -> str:
    locs = result.get("locations") or [{}]
    return locs[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")


def _result_match(result: Mapping[str, Any], rule: SarifRule, paths: PathMap,
                  texts: dict[str, str], engine: str) -> Match | None:
    locs = result.get("locations") or ()
    if not locs:
        return None
    located = _location(locs[0], paths)
    if located is None:
        return None
    target, loc = located
    text = texts.setdefault(target.display_path, _read(target.scan_path))
    start, end = _offsets(text, loc)
    return Match(
        engine=engine,
        rule_id=rule.id,
        location=loc,
        message=plain_message((result.get("message") or {}).get("text", rule.message)),
        snippet=snippets.lines_snippet(text, loc.start_line, loc.end_line),
        metadata=dict(rule.metadata),
        start_offset=start,
        end_offset=end,
        code_flow=_code_flow(result, paths),
    )


def _location(sarif_loc: Mapping[str, Any], paths: PathMap) -> tuple[Target, Location] | None:
    phys = sarif_loc.get("physicalLocation") or {}
    target = paths.target((phys.get("artifactLocation") or {}).get("uri", ""))
    region = phys.get("region") or {}
    if target is None or "startLine" not in region:
        return None
    start_line = int(region["startLine"])
    end_line = int(region.get("endLine", start_line))
    start_col = int(region.get("startColumn", 1))
    end_col = int(region.get("endColumn", start_col))
    return target, Location(target.display_path, start_line, end_line, start_col, end_col)


def _code_flow(result: Mapping[str, Any], paths: PathMap) -> tuple[Location, ...]:
    """The first thread flow of the first code flow (source first, sink last)."""
    for flow in result.get("codeFlows") or ():
        for thread in flow.get("threadFlows") or ():
            steps = []
            for step in thread.get("locations") or ():
                located = _location(step.get("location") or {}, paths)
                if located is not None:
                    steps.append(located[1])
            if steps:
                return tuple(steps)
    return ()


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _offsets(text: str, loc: Location) -> tuple[int, int]:
    """Byte offsets (as Semgrep reports them) of a SARIF region: 1-based lines, columns in
    code points (CodeQL's ``columnKind: unicodeCodePoints``), end column exclusive."""
    lines = text.split("\n")

    def offset(line: int, col: int) -> int:
        if line < 1 or line > len(lines):
            return len(text.encode("utf-8"))
        before = sum(len(x.encode("utf-8")) + 1 for x in lines[: line - 1])
        return before + len(lines[line - 1][: max(col - 1, 0)].encode("utf-8"))

    start = offset(loc.start_line, loc.start_col)
    return start, max(start, offset(loc.end_line, loc.end_col))


# ----------------------------------------------------------------- the engine
class CodeQLEngine(Engine):
    """Creates a Python database of the targets, analyses it with the fairlint pack, reads SARIF."""

    name = "codeql"

    def __init__(self, binary: str | None = None, suite: Path = CI_SUITE) -> None:
        self._binary = binary
        self._suite = suite

    def _bin(self) -> str | None:
        return self._binary or proc.which("codeql")

    def available(self) -> bool:
        return self._bin() is not None

    def version(self) -> str | None:
        binary = self._bin()
        if not binary:
            return None
        try:
            out = proc.run([binary, "version", "--format=terse"], timeout=60).stdout.strip()
        except proc.ToolError:
            return None
        return out.splitlines()[0] if out else None

    def run(self, request: EngineRequest) -> EngineResult:
        binary = self._bin()
        if not binary:
            raise proc.ToolError(
                "the codeql engine was requested but the CodeQL CLI (`codeql`) is not on PATH; "
                "install the CodeQL bundle from https://github.com/github/codeql-action/releases "
                "or scan with --engine semgrep"
            )
        with tempfile.TemporaryDirectory(prefix="fairlint-codeql-") as tmp:
            work = Path(tmp)
            paths, skipped = stage_targets(request.targets, work / "src", request.max_file_bytes)
            if not paths.by_uri:
                return EngineResult((), tuple(skipped), (), self.version())
            pack = pack_for(request.vocabulary, work / "pack")
            sarif = self._analyse(binary, request, work, pack)
            doc = json.loads(sarif.read_text(encoding="utf-8"))
        matches, errors = read_sarif(doc, paths, self.name)
        return EngineResult(tuple(matches), tuple(skipped), tuple(errors), self.version())

    def _analyse(self, binary: str, request: EngineRequest, work: Path, pack: Path) -> Path:
        timeout = max(_TOOL_TIMEOUT_FLOOR, request.timeout_per_file * len(request.targets))
        threads = str(request.jobs or 0)
        db, sarif = work / "db", work / "results.sarif"
        proc.run([binary, "database", "create", db, "--language=python",
                  f"--source-root={work / 'src'}", f"--threads={threads}", "--overwrite"],
                 timeout=timeout)
        suite = request.options.get("codeql_suite") or str(pack / self._suite)
        proc.run([binary, "database", "analyze", db, suite, "--format=sarif-latest",
                  f"--output={sarif}", f"--threads={threads}", f"--additional-packs={pack}"],
                 timeout=timeout)
        return sarif


def stage_targets(targets: Iterable[Target], dest: Path, max_bytes: int) -> tuple[PathMap, list[Skipped]]:
    """Copy the targets into ``dest`` (the database's source root), named by display path.

    The database then holds exactly the targets (excludes, ``only_paths`` and extracted
    notebooks included); a notebook's extracted Python is staged as ``<path>.py``.
    """
    by_uri: dict[str, Target] = {}
    skipped: list[Skipped] = []
    for target in targets:
        rel = target.display_path if target.display_path.endswith(".py") else target.display_path + ".py"
        try:
            size = Path(target.scan_path).stat().st_size
        except OSError as exc:
            skipped.append(Skipped(target.display_path, "unreadable", str(exc)))
            continue
        if size > max_bytes:
            skipped.append(Skipped(target.display_path, "too large", f"{size} bytes"))
            continue
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target.scan_path, out)
        by_uri[rel] = target
    return PathMap(by_uri), skipped


def _main(argv: list[str]) -> int:
    """``python -m orchestrator.engines.codeql sync``: regenerate ``Vocabulary.qll``."""
    if argv[1:] != ["sync"]:
        print("usage: python -m orchestrator.engines.codeql sync")
        return 2
    changed = sync_vocabulary_qll()
    print(f"{resources.codeql_dir() / VOCABULARY_QLL}: {'updated' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.exit(_main(sys.argv))
