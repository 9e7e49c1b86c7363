"""The CodeQL pack without a CodeQL CLI: every `.ql`/`.qll` parses under the tree-sitter QL
grammar, query metadata agrees with the taxonomy and the Semgrep pack, the generated vocabulary
is current, and the test pack is complete and consistent. When `codeql` is on PATH,
`codeql test run` runs the test pack as well."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from orchestrator import proc
from orchestrator.engines import codeql
from orchestrator.rules import pack as rulepack
from orchestrator.rules import resources
from orchestrator.rules.taxonomy import PATTERNS
from orchestrator.rules.vocabulary import Vocabulary

PACK = resources.codeql_dir()
QUERIES = sorted((PACK / "queries").rglob("*.ql"))
QL_FILES = sorted(PACK.rglob("*.ql")) + sorted(PACK.rglob("*.qll"))
V = Vocabulary.default()

# Semgrep rule id -> bias pattern, for the queries this pack must provide.
REQUIRED = {
    "protected-attribute-as-model-input": "DP12",
    "proxy-feature-as-model-input": "DP14",
    "protected-attribute-in-decision-logic": "DL01",
    "gender-binarised": "DP07",
    "differentially-private-training": "TR01",
    "model-pruning": "CM01",
    "model-quantization": "CM02",
}
PATH_PROBLEMS = {"protected-attribute-as-model-input", "proxy-feature-as-model-input",
                 "protected-attribute-in-decision-logic"}


# ----------------------------------------------------------------- QL syntax
@pytest.fixture(scope="module")
def ql_parser():
    tree_sitter = pytest.importorskip("tree_sitter")
    tree_sitter_ql = pytest.importorskip("tree_sitter_ql")
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_ql.language()))


def _syntax_problems(node) -> list[str]:
    """ERROR and MISSING nodes (or the innermost node that holds one) under ``node``."""
    if not node.has_error:
        return []
    bad = [child for child in node.children if child.has_error]
    if node.is_error or node.is_missing or not bad:
        kind = "MISSING" if node.is_missing else "ERROR"
        return [f"{kind} in {node.type} at {node.start_point[0] + 1}:{node.start_point[1] + 1}"]
    return [problem for child in bad for problem in _syntax_problems(child)]


@pytest.mark.parametrize("path", QL_FILES, ids=lambda p: str(p.relative_to(PACK)))
def test_ql_parses_cleanly(ql_parser, path):
    tree = ql_parser.parse(path.read_bytes())
    assert _syntax_problems(tree.root_node) == []


def test_the_syntax_check_can_fail(ql_parser):
    broken = b"predicate p(string s) { s = \"x\" and }\nfrom int i select i"
    assert _syntax_problems(ql_parser.parse(broken).root_node)


# ----------------------------------------------------------------- metadata
def metadata(path: Path) -> dict[str, str]:
    """The `@key value` pairs of a query's leading QLDoc (continuation lines joined)."""
    doc = re.match(r"\s*/\*\*(.*?)\*/", path.read_text(encoding="utf-8"), re.S).group(1)
    meta: dict[str, str] = {}
    key = None
    for line in doc.splitlines():
        line = line.strip().lstrip("*").strip()
        m = re.match(r"@(\S+)\s*(.*)", line)
        if m:
            key = m.group(1)
            meta[key] = m.group(2)
        elif key and line:
            meta[key] += " " + line
    return meta


@pytest.fixture(scope="module")
def queries() -> dict[str, tuple[Path, dict[str, str]]]:
    out = {}
    for path in QUERIES:
        meta = metadata(path)
        rule_id = meta["id"].removeprefix(codeql.ID_PREFIX)
        assert rule_id not in out, f"duplicate @id {meta['id']}"
        out[rule_id] = (path, meta)
    return out


def test_required_queries_exist(queries):
    assert set(REQUIRED) <= set(queries)


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_metadata(path):
    meta = metadata(path)
    for key in ("name", "description", "kind", "problem.severity", "precision", "id", "tags",
                "bias-pattern", "stage"):
        assert meta.get(key), f"{path.name}: missing @{key}"
    assert re.fullmatch(r"py/fairlint/[a-z0-9]+(-[a-z0-9]+)*", meta["id"])
    pattern = meta["bias-pattern"]
    assert pattern in PATTERNS, f"{path.name}: unknown bias pattern {pattern}"
    assert meta["stage"] == PATTERNS[pattern].stage == path.parent.name
    tags = meta["tags"].split()
    assert "fairness" in tags and f"external/fairlint/{pattern}" in tags and f"stage/{meta['stage']}" in tags
    assert meta["kind"] in ("problem", "path-problem")
    assert meta["precision"] in ("very-high", "high", "medium", "low")
    assert meta["problem.severity"] in ("error", "warning", "recommendation")
    rule_id = meta["id"].removeprefix(codeql.ID_PREFIX)
    if rule_id in REQUIRED:
        assert pattern == REQUIRED[rule_id]
        assert (meta["kind"] == "path-problem") == (rule_id in PATH_PROBLEMS)


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_is_thin(path):
    text = path.read_text(encoding="utf-8")
    body = re.sub(r"/\*\*.*?\*/", "", text, count=1, flags=re.S)
    assert not re.search(r"^\s*(class|module|predicate)\b", body, re.M), "logic belongs in lib/"
    assert len([ln for ln in body.splitlines() if ln.strip()]) <= 30


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_has_help_beside_it(path):
    help_md = path.with_suffix(".md")
    assert help_md.is_file(), f"{help_md.name} missing"
    text = help_md.read_text(encoding="utf-8")
    assert f"({metadata(path)['bias-pattern']})" in text.splitlines()[0]
    for section in ("## Recommendation", "## Example", "## References"):
        assert section in text


def test_query_ids_match_semgrep_rules(queries):
    """The same finding from both engines merges only if the ids and bias patterns agree."""
    semgrep = {r.id: r for r in rulepack.load_rules(kinds=("finding",))}
    missing = sorted(set(queries) - set(semgrep))
    assert not missing, f"CodeQL queries without a Semgrep rule of the same id: {missing}"
    for rule_id, (_, meta) in queries.items():
        assert semgrep[rule_id].bias_pattern == meta["bias-pattern"], rule_id


# ----------------------------------------------------------------- vocabulary
def test_vocabulary_qll_is_generated_from_the_vocabulary():
    current = (PACK / codeql.VOCABULARY_QLL).read_text(encoding="utf-8")
    assert current == codeql.render_vocabulary_qll(V), \
        "rules/codeql/lib/fairlint/Vocabulary.qll is stale: python -m orchestrator.engines.codeql sync"


def test_vocabulary_qll_holds_the_generated_regexes():
    text = (PACK / codeql.VOCABULARY_QLL).read_text(encoding="utf-8")
    for kind in ("protected", "proxy"):
        assert codeql.ql_string(codeql.ql_regex(V, kind)) in text
    for name in V.sanitizer_modules + V.sanitizer_symbols:
        assert f'"{name}"' in text


@pytest.mark.parametrize("text", ["age", "user_age", "userAge", "AGE_2", "gender_head", "maritalStatus",
                                  "Male", "Pale_Skin", "page", "average", "storage", "racetrack",
                                  "Maleness", "zip_code", "zipper", "native_language", "title"])
def test_ql_regex_agrees_with_the_vocabulary(text):
    """QL's regexpMatch matches the whole string; the QL regex must accept what Semgrep's does."""
    for kind in ("protected", "proxy"):
        assert bool(re.fullmatch(codeql.ql_regex(V, kind), text)) == V.matches(kind, text), (kind, text)


def test_ql_string_escapes():
    assert codeql.ql_string('a\\b"c') == '"a\\\\b\\"c"'


def test_sync_rewrites_a_stale_file(tmp_path):
    import shutil

    root = tmp_path / "rules"
    shutil.copytree(resources.rules_root(), root,
                    ignore=shutil.ignore_patterns("semgrep", "evidence", "test", "__pycache__"))
    path = root / "codeql" / codeql.VOCABULARY_QLL
    path.write_text("stale", encoding="utf-8")
    assert codeql.sync_vocabulary_qll(root / "codeql") is True
    assert path.read_text(encoding="utf-8") == codeql.render_vocabulary_qll(V)
    assert codeql.sync_vocabulary_qll(root / "codeql") is False


# ----------------------------------------------------------------- packs and suites
def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_packs_are_tied_by_dependencies():
    lib, queries, tests = (_yaml(PACK / d / "qlpack.yml") for d in ("lib", "queries", "test"))
    assert lib["library"] is True and "codeql/python-all" in lib["dependencies"]
    assert lib["name"] in queries["dependencies"] and queries["name"] in tests["dependencies"]
    assert queries["extractor"] == tests["extractor"] == "python"
    assert (PACK / "queries" / queries["defaultSuiteFile"]).is_file()
    assert _yaml(PACK / "codeql-workspace.yml")["provide"] == ["*/qlpack.yml"]


def _suite_selects(suite: list[dict], meta: dict[str, str]) -> bool:
    include = next(i["include"] for i in suite if "include" in i)
    for key, allowed in include.items():
        if key == "tags contain":
            if allowed not in meta["tags"].split():
                return False
        elif meta[key] not in allowed:
            return False
    return True


def test_suites_select_by_metadata():
    ci = _yaml(PACK / codeql.CI_SUITE)
    audit = _yaml(PACK / codeql.AUDIT_SUITE)
    assert {"queries": "."} in ci and {"queries": "."} in audit
    all_meta = [metadata(p) for p in QUERIES]
    assert all(_suite_selects(audit, m) for m in all_meta)
    assert all(_suite_selects(ci, m) for m in all_meta if m["precision"] in ("high", "medium"))
    assert not _suite_selects(ci, {**all_meta[0], "precision": "low"})


# ----------------------------------------------------------------- the test pack
def _select_rows(expected: Path) -> list[list[str]]:
    rows, section = [], None
    for line in expected.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            section = line.strip()
        elif section == "#select":
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def _annotated_lines(test_py: Path, tag: str) -> set[int]:
    lines = test_py.read_text(encoding="utf-8").splitlines()
    return {i for i, line in enumerate(lines, 1) if re.search(rf"#\s*\$.*\b{tag}\b", line)}


def _end_line(url: str) -> int:
    return int(url.split(":")[3])


@pytest.mark.parametrize("rule_id", sorted(REQUIRED))
def test_each_query_has_a_test(queries, rule_id):
    folder = PACK / "test" / rule_id
    qlref = _yaml(folder / f"{rule_id}.qlref")
    assert (PACK / "queries" / qlref["query"]) == queries[rule_id][0]
    assert qlref["postprocess"] == "utils/test/InlineExpectationsTestQuery.ql"
    test_py = folder / "test.py"
    assert _annotated_lines(test_py, "Alert"), "no `# $ Alert` case"
    assert "near misses" in test_py.read_text(encoding="utf-8"), "no near-miss section"
    assert (folder / f"{rule_id}.expected").is_file()


@pytest.mark.parametrize("rule_id", sorted(REQUIRED))
def test_expected_agrees_with_inline_annotations(rule_id):
    """The hand-written `.expected` and the `# $` annotations must tell the same story."""
    folder = PACK / "test" / rule_id
    rows = _select_rows(folder / f"{rule_id}.expected")
    alerts = _annotated_lines(folder / "test.py", "Alert")
    assert {_end_line(r[0]) for r in rows} == alerts
    if rule_id in PATH_PROBLEMS:
        sources = _annotated_lines(folder / "test.py", "Source")
        sinks = _annotated_lines(folder / "test.py", "Sink")
        assert {_end_line(r[2]) for r in rows if r[2] != r[0]} == sources
        assert {_end_line(r[4]) for r in rows if r[4] != r[0]} == sinks
        text = (folder / f"{rule_id}.expected").read_text(encoding="utf-8")
        assert text.startswith("edges\n")
        assert all(f"\n{section}\n" in text for section in ("nodes", "subpaths", "#select"))


@pytest.mark.skipif(not proc.which("codeql"), reason="the CodeQL CLI is not installed")
def test_codeql_test_run(tmp_path):
    proc.run([proc.which("codeql"), "test", "run", "--check-databases", "--threads=0",
              f"--additional-packs={PACK}", str(PACK / "test")], timeout=3600)
