"""Semgrep's file prefilters of the pack: read from semgrep-core, evaluated like Semgrep does."""

from __future__ import annotations

import ast
import re
import textwrap

import pytest
import yaml

from orchestrator.rules import pack as rulepack
from orchestrator.rules import prefilter
from orchestrator.rules.vocabulary import Vocabulary

# Data-science code that names no protected attribute or proxy: the APIs the vocabulary-gated
# rules anchor on are all here (map, apply, replace, cut, loc, astype, fit, read_csv ...).
NEUTRAL = textwrap.dedent('''
    import numpy as np
    import pandas as pd
    import torch
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import LabelEncoder

    df = pd.read_csv("sales.csv")
    df["bucket"] = pd.cut(df["price"], bins=4)
    df["store"] = df["store"].map({"north": 1, "south": 0}).astype(int)
    df = df.replace({"n/a": None}).dropna()
    df.loc[df["units"] > 10, "big"] = 1
    X = df[["price", "units", "store"]]
    y = df["returned"].apply(lambda v: int(v))
    enc = LabelEncoder().fit_transform(df["sku"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    model = torch.nn.Linear(3, 1)
    if y.mean() > 0.5:
        pass
    model.fit(X_train, y_train)
''')


@pytest.fixture(scope="module")
def pack_prefilters(tmp_path_factory):
    config = rulepack.render_pack(Vocabulary.default(), dest=tmp_path_factory.mktemp("pack"))
    return prefilter.rule_prefilters(config)


def test_reads_one_prefilter_per_rule(pack_prefilters):
    assert set(pack_prefilters) == {r.id for r in rulepack.load_rules()}


def test_vocabulary_gated_rules_skip_code_that_names_no_attribute(pack_prefilters):
    # The generated prefilter companion of every vocabulary regex is what lets Semgrep skip
    # such a file; without it these rules ran on every file that calls map, apply or fit.
    gated = [r.id for r in rulepack.load_rules() if r.metadata.get("vocabulary")]
    assert gated
    running = [rid for rid in gated if prefilter.selects(pack_prefilters[rid], NEUTRAL)]
    assert running == []


def test_every_rule_has_a_file_prefilter(pack_prefilters):
    # A rule without one is matched on every file of every scan (performance, issue 8): anchor
    # it on a literal or a prefilter-usable regex (docs/writing-rules.md, "Writing fast rules").
    assert [rid for rid, formula in pack_prefilters.items() if formula is None] == []


def test_every_rule_still_runs_on_its_own_test_file(pack_prefilters):
    # The rewrites for the prefilter must not make a rule skip the code it is written for.
    tested = 0
    for rule, target in rulepack.iter_rule_tests():
        rid = rule.stem
        assert prefilter.selects(pack_prefilters[rid], target.read_text(encoding="utf-8")), target.name
        tested += 1
    assert tested >= len(pack_prefilters)


def test_selects_mirrors_semgrep_formulas():
    f = ["Some", ["And", [["Pred", ["Idents", ["fit", "torch"]]],
                          ["Or", [["Pred", ["Regexp", "(?s).*?\\bgender"]], ["Pred", ["String", "zip"]]]]]]]
    assert prefilter.selects(f, "torch.fit(gender)")
    assert prefilter.selects(f, "torch.fit(zip)")
    assert not prefilter.selects(f, "torch.fit(engender)")
    assert not prefilter.selects(f, "fit(gender)")
    assert prefilter.selects(None, "") and prefilter.selects("None", "")
    assert prefilter.selects(["Or", []], "")  # Semgrep could not build it: conservative
    assert prefilter.selects(["Pred", ["Regexp", r"a\z"]], "a") and not prefilter.selects(["Pred", ["Regexp", r"a\z"]], "ab")
    with pytest.raises(prefilter.PrefilterError):
        prefilter.selects(["Xor", []], "")


@pytest.mark.parametrize("regex, text, expected", [
    (r"(?:[\w.]*\.)?fetch_adult", "d = datasets.fetch_adult()", True),
    (r"(?i).*?\n?(?:celeba)", 'load("CelebA")', True),
    (r"(?i).*best", "x = 1\nIS_BEST = 2", True),
    (r"^(?s).*?lfw", "a\nb lfw", True),
    (r"^.*?lfw", "a\nb lfw", False),  # without DOTALL a leading ^ keeps first-line semantics
    (r"(?s).*?(?:\bage)", "page = 1", False),
    # PCRE2 forms the pack uses: a windowed search, negative lookarounds Semgrep lets through.
    (r"(?s)(?:.{0,5}?\bage|.{1,5}+(*SKIP)(*FAIL))", "x = 1\n" * 50 + "age = 2", True),
    (r"(?s)(?:.{0,5}?\bage|.{1,5}+(*SKIP)(*FAIL))", "x = 1\n" * 50 + "page = 2", False),
    (r"zip(*nla:\()", "pairs = zip(a, b)", False),
    (r"zip(*nla:\()", 'cols = ["zip"]', True),
    (r"(?:(*nlb:[\s\S])|(?<=\)\.))sum\b", "total = x.sum()", False),
    (r"(?:(*nlb:[\s\S])|(?<=\)\.))sum\b", "n = (p == y).sum()", True),
])
def test_regex_predicates_keep_their_meaning_without_the_lazy_prefix(regex, text, expected):
    assert prefilter.selects(["Pred", ["Regexp", regex]], text) is expected


@pytest.mark.parametrize("pcre, python", [
    (r"(?s)(?:.{0,9}?x|.{1,9}+(*SKIP)(*FAIL))", r"(?s)(?:.{0,9}?x)"),
    (r"a(*nla:\()", r"a(?!\()"),
    (r"(*nlb:[\s\S])a", r"(?<![\s\S])a"),
    (r"a\z", r"a\Z"),
])
def test_python_regex_spells_pcre2_forms_for_python(pcre, python):
    assert prefilter.python_regex(pcre) == python


def test_shares_count_files_per_rule_and_any_rule():
    formulas = {"a": ["Pred", ["String", "x"]], "b": ["Pred", ["String", "y"]], "c": None}
    shares, any_rule = prefilter.shares(formulas, ["x", "y", "xy", "z"])
    assert shares == {"a": 0.5, "b": 0.5, "c": 1.0} and any_rule == 1.0
    shares, any_rule = prefilter.shares({"a": formulas["a"]}, ["x", "z"])
    assert any_rule == 0.5


def test_a_broken_config_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"rules": [{"id": "x", "languages": ["python"]}]}))
    with pytest.raises(prefilter.PrefilterError, match="prefilter_of_rules"):
        prefilter.rule_prefilters(bad)


# ------------------------------------------------------------- each case alone
# `semgrep --test` runs a rule on its whole test file, where any case's literals open the file
# for every other case: a prefilter companion too tight for one spelling (a multi-line dict, a
# comment inside a list) would pass there and still skip real files holding only that case.
# Here every `# ruleid:` case is checked alone: the test file with every other annotated case
# (ruleid, ok, todo) and every comment line blanked out, the context (imports, definitions) kept.
_ANNOTATION = re.compile(r"^\s*#\s*(ruleid|ok|todoruleid|todook|deepok|deepruleid)\s*:\s*([\w\-, ]+)$")


def _annotated_cases(text: str) -> list[tuple[list[str], range]]:
    """Each annotation's rule ids and the lines (0-based) of the statement it marks."""
    lines = text.splitlines()
    starts: dict[int, range] = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.stmt):
            starts.setdefault(node.lineno - 1, range(node.lineno - 1, node.end_lineno))
    cases = []
    for i, line in enumerate(lines):
        m = _ANNOTATION.match(line)
        if not m:
            continue
        nxt = next((j for j in range(i + 1, len(lines)) if lines[j].strip() and not _ANNOTATION.match(lines[j])), None)
        if nxt is None or nxt not in starts:
            continue
        ids = [r.strip() for r in m.group(2).split(",")] if m.group(1) == "ruleid" else []
        cases.append((ids, starts[nxt]))
    return cases


def _rule_cases():
    for rule in rulepack.load_rules():
        target = rule.path.with_suffix(".py")
        if not target.exists():
            continue
        text = target.read_text(encoding="utf-8")
        cases = _annotated_cases(text)
        for n, (ids, span) in enumerate(cases):
            if rule.id in ids:
                yield pytest.param(rule.id, target, n, id=f"{rule.id}-line{span.start + 1}")


def _alone(text: str, keep: int) -> str:
    """The test file with every annotated case but one blanked, and comment lines too (their
    words would open the file for rules whose literals they happen to name)."""
    lines = text.splitlines()
    for n, (_, span) in enumerate(_annotated_cases(text)):
        if n != keep:
            for j in span:
                lines[j] = ""
    return "\n".join("" if line.lstrip().startswith("#") else line for line in lines) + "\n"


def test_a_case_alone_keeps_only_its_own_statement():
    text = textwrap.dedent('''
        import pandas as pd
        cols = ["a"]
        # ruleid: r
        x = f(
            "zip",
        )
        # ok: r
        y = g("address")
    ''')
    assert _alone(text, 0).split() == ["import", "pandas", "as", "pd", "cols", "=", '["a"]', "x", "=", "f(",
                                       '"zip",', ")"]


@pytest.mark.parametrize(("rule_id", "target", "case"), list(_rule_cases()))
def test_every_ruleid_case_alone_passes_the_rule_prefilter(pack_prefilters, rule_id, target, case):
    text = _alone(target.read_text(encoding="utf-8"), case)
    assert prefilter.selects(pack_prefilters[rule_id], text), (
        f"{rule_id}'s file prefilter skips this case when the rest of {target.name} is absent")
