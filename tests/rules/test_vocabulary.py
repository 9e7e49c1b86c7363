"""The vocabulary is the one source of truth: rules embed exactly the regexes it generates."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from orchestrator import proc
from orchestrator.rules import pack as rulepack
from orchestrator.rules import prefilter
from orchestrator.rules.vocabulary import PREFILTER_CONTEXTS, Vocabulary

V = Vocabulary.default()


@pytest.mark.parametrize("text", ["age", "user_age", "userAge", '"Age"', "AGE_2", "sex", "gender_id",
                                  "maritalStatus", "marital-status", '"native-country"', "dateOfBirth",
                                  '"Male"', "Pale_Skin", "race", "ethnicity"])
def test_protected_terms_match_whole_parts(text):
    assert V.matches("protected", text)


@pytest.mark.parametrize("text", ["page", "average", "agent", "storage", "stage", "usage", "image",
                                  "message", "trace", "racetrack", "grace", "sussex", "Maleness",
                                  "essex", "raceway", "engender", "language"])
def test_near_misses_do_not_match(text):
    assert not V.matches("protected", text)


@pytest.mark.parametrize("text", ["zip", "zipCode", "zip_code", "postcode", '"postal code"', "surname",
                                  "first_name", "language", "relationship", "native_language"])
def test_proxy_terms(text):
    assert V.matches("proxy", text)


@pytest.mark.parametrize("text", ["zipper", "unzip_file", "ip_addressing", "title"])
def test_proxy_near_misses(text):
    assert not V.matches("proxy", text)


def test_extension_adds_terms_without_editing_rules():
    ext = V.extended(protected=["tribe"], proxy=["school_district"])
    assert ext.matches("protected", "tribe_id") and not V.matches("protected", "tribe_id")
    assert ext.matches("proxy", "schoolDistrict")
    assert ext.matches("protected", "gender")  # defaults kept


def test_find_terms_names_the_vocabulary_word():
    assert V.find_terms("protected", "applicant_maritalStatus") == ["marital status"]


def test_python_and_semgrep_regex_agree_on_anchor():
    # Semgrep anchors metavariable-regex at the start, like re.match; the lazy prefix handles it.
    assert V.semgrep_regex("protected").startswith("(?s).*?")


@pytest.mark.parametrize("path", rulepack.rule_files(), ids=lambda p: p.stem)
def test_rule_vocabulary_regexes_are_current(path):
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text)["rules"][0]["metadata"]
    declared = set(meta.get("vocabulary") or [])
    generated = {k: V.semgrep_regex(k) for k in ("protected", "proxy")}
    prefilters = {(k, context): V.prefilter_regex(k, context) for k in ("protected", "proxy")
                  for context in PREFILTER_CONTEXTS}
    for regex in rulepack.vocabulary_regexes_in(text):
        # Vocabulary-style: the generated prefix and a vocabulary word matches (other `(?s).*?`
        # regexes, such as the prefilter companions of name lists, are hand-written).
        python = prefilter.python_regex(regex)
        if not regex.startswith("(?s).*?") or not any(re.match(python, w) for w in ("sex", "zipcode")):
            continue
        kinds = [k for k, g in generated.items() if g == regex]
        assert kinds, f"a vocabulary-style regex in {path.name} is stale: run `fairlint rules sync`"
        assert set(kinds) <= declared, f"{path.name} uses {kinds} regexes but declares {sorted(declared)}"
    # No hand-written vocabulary words in regexes outside the generated ones.
    for regex in re.findall(r"regex:\s*(.+)", text):
        if "(?s).*?" in regex or yaml.safe_load(regex) in prefilters.values():
            continue
        for word in ("gender", "ethnicity", "marital", "zipcode"):
            assert word not in regex.lower(), f"{path.name} hand-codes {word!r}; use the vocabulary regex"


def test_sync_is_idempotent(tmp_path):
    import shutil

    from orchestrator.rules import resources
    root = tmp_path / "rules"
    shutil.copytree(resources.rules_root(), root, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "codeql"))
    assert rulepack.sync_vocabulary(root) == []


def _samples(kind: str) -> list[str]:
    """Texts a rule's vocabulary metavariable can hold: names, strings, lists over lines."""
    out = []
    for term in V.terms(kind):
        words = term.split()
        snake, camel = "_".join(words), words[0] + "".join(w.title() for w in words[1:])
        for form in (snake, snake.upper(), camel, camel.title(), "-".join(words), " ".join(words)):
            out += [form, f"user_{form}", f"user{form[:1].upper()}{form[1:]}", f"x2{form}", f"{form}_id",
                    f'"{form}"', f"df['{form}']", f'[\n    "id",\n    "{form}",\n]', f"p{form}", f"{form}s"]
    if kind == "protected":
        out += [f'"{t}"' for t in V.protected_exact] + list(V.protected_exact) + ["Maleness", "'Young's'"]
    return out


def _loose(kind: str, context: str = "anywhere") -> re.Pattern[str]:
    return re.compile(prefilter.python_regex(V.prefilter_regex(kind, context)))


@pytest.mark.parametrize("text", ["zip", '"zip"', "ZIP", "zip_code", "home_zip", "df.zip", "zip ", "'zip'",
                                  '["id", "zip"]'])
def test_a_builtin_term_names_data(text):
    assert V.matches("proxy", text) and _loose("proxy").match(text)


@pytest.mark.parametrize("text", ["race condition", "a race_condition here", "raceConditions", "RACE-CONDITION",
                                  "# avoid the race condition\n"])
def test_a_term_in_another_sense_is_not_a_protected_attribute(text):
    # vocabulary.yaml's other_senses: `race` followed by `condition` is about concurrency.
    assert not V.matches("protected", text) and not _loose("protected").match(text)
    assert not _loose("protected", "string").match(text)
    assert not _loose("protected", "element").match(text)
    assert V.matches("protected", text + " by race") and _loose("protected").match(text + " by race")


@pytest.mark.parametrize("text", ["zip(a, b)", "list(zip(xs, ys))", "for a, b in zip(xs, ys)", "ZIP(x)"])
def test_a_called_builtin_term_is_not_a_proxy(text):
    # `zip(...)` is Python's builtin; only the uncalled name is a column (zip code).
    assert not V.matches("proxy", text) and not _loose("proxy").match(text)
    assert V.matches("proxy", text + ', "zip_code"') and _loose("proxy").match(text + ', "zip_code"')


@pytest.mark.parametrize("kind", ["protected", "proxy"])
def test_prefilter_regex_accepts_all_the_precise_regex_accepts(kind):
    precise, loose = re.compile(V.semgrep_regex(kind)), _loose(kind)
    samples = _samples(kind)
    assert sum(bool(precise.match(s)) for s in samples) > len(samples) // 2  # the samples exercise it
    missed = [s for s in samples if precise.match(s) and not loose.match(s)]
    assert missed == []


@pytest.mark.parametrize("context", ["string", "element"])
@pytest.mark.parametrize("kind", ["protected", "proxy"])
def test_in_string_prefilter_regex_accepts_every_string_content_the_precise_regex_accepts(kind, context):
    # A string literal's content ("$S"): no quotes, one short text. The samples that are not
    # whole string literals or lists are the contents a column name can have.
    precise, loose = re.compile(V.semgrep_regex(kind)), _loose(kind, context)
    contents = [s for s in _samples(kind) if '"' not in s and "'" not in s and "[" not in s]
    assert sum(bool(precise.match(s)) for s in contents) > len(contents) // 2
    assert [s for s in contents if precise.match(s) and not loose.match(s)] == []


@pytest.mark.parametrize("kind, term", [("protected", "gender"), ("proxy", "home_address")])
def test_in_string_prefilter_regex_searches_files_for_terms_in_strings(kind, term):
    code = "import pandas as pd\n\n" + "".join(f"value_{i} = compute({i})\n" for i in range(40))
    selects = lambda text: prefilter.selects(["Pred", ["Regexp", V.prefilter_regex(kind, "string")]], text)  # noqa: E731
    assert selects(code + f'X = df[["income", "{term}"]]\n')
    assert selects(code + f"cols = ['id', 'x_{term}']\n")
    assert not selects(code + f"# the {term} of the row\n{term}_of = 3\n")
    assert not selects(code + f'def f():\n    """\n    Reads the {term}.\n    """\n')


@pytest.mark.parametrize("kind, term", [("protected", "gender"), ("proxy", "home_address")])
def test_element_prefilter_regex_searches_files_for_terms_in_list_elements(kind, term):
    code = "import pandas as pd\n\n" + "".join(f"value_{i} = compute({i})\n" for i in range(40))
    selects = lambda text: prefilter.selects(["Pred", ["Regexp", V.prefilter_regex(kind, "element")]], text)  # noqa: E731
    for listed in (f'X = df[["income", "{term}"]]\n', f"cols = ['id', 'x_{term}']\n", f'cols = ["{term}"]\n',
                   f"X = np.stack([df['income'], df['{term}']])\n", f'spec = {{"{term}": "string_categorical"}}\n',
                   f'cols = [\n    "income",  # in dollars\n    # the next one matters\n    r"{term}"  # last\n]\n'):
        assert selects(code + listed), listed
    for elsewhere in (f'raise ValueError("no {term} given")\n', f'target = "{term}"\n', f'f("{term}", 1)\n',
                      f"# the {term} of the row\n{term}_of = 3\n", f'print("{term}" + suffix)\n',
                      f'def f():\n    """\n    Reads the {term}.\n    """\n'):
        assert not selects(code + elsewhere), elsewhere


@pytest.mark.parametrize("kind", ["protected", "proxy"])
def test_prefilter_regex_is_one_semgrep_can_use(kind):
    # Semgrep's rule analysis drops a metavariable-regex from the file prefilter when anything
    # may assert the start or end of the text (its own check, applied after stripping a leading
    # ^ or \\A): ^ or $ anywhere (even in [^...]), \\A \\Z \\z, negative lookaround.
    regex = V.prefilter_regex(kind)
    assert not prefilter.DROPPED_FROM_PREFILTER.search(regex)
    assert re.search(V.semgrep_regex(kind), "x = 1") is None


@pytest.mark.parametrize("text", ["page", "storage", "message", "average", "trace", "zipper", "unzip",
                                  "engender", "addressing", "slang"])
def test_prefilter_regex_still_skips_near_misses(text):
    # A superset, but not a useless one: the common substrings do not open a file to the rule.
    assert not any(_loose(k).match(text) for k in ("protected", "proxy"))


@pytest.mark.parametrize("path", [p for p in rulepack.rule_files()
                                  if yaml.safe_load(p.read_text())["rules"][0]["metadata"].get("vocabulary")],
                         ids=lambda p: p.stem)
def test_every_vocabulary_regex_has_its_prefilter_companion(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    precise = {V.semgrep_regex(k) for k in ("protected", "proxy")}
    loose = {V.prefilter_regex(k, context) for k in ("protected", "proxy") for context in PREFILTER_CONTEXTS}
    found = 0

    def walk(node):
        nonlocal found
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item)
                if isinstance(item, dict) and item.get("metavariable-regex", {}).get("regex") in precise:
                    found += 1
                    mv = item["metavariable-regex"]["metavariable"]
                    assert node[i + 1]["metavariable-regex"]["metavariable"] == mv
                    assert node[i + 1]["metavariable-regex"]["regex"] in loose
                    assert node[i + 2] == {"pattern-not": f"{rulepack.PREFILTER_GUARD}.{mv}"}

    walk(doc)
    assert found


def test_sync_restores_a_removed_or_stale_prefilter(tmp_path):
    import shutil

    from orchestrator.rules import resources
    root = tmp_path / "rules"
    shutil.copytree(resources.rules_root(), root, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "codeql"))
    path = root / "semgrep" / "preparation" / "protected-attribute-binned.yaml"
    original = path.read_text()
    stripped = rulepack._PREFILTER_ITEM.sub("", original)
    assert stripped != original
    path.write_text(stripped)
    assert rulepack.sync_vocabulary(root) == [path]
    assert path.read_text() == original
    # A user-extended vocabulary rewrites both regexes, so the prefilter admits the new term.
    ext = V.extended(protected=["tribe"])
    text = rulepack.rewrite_vocabulary(original, V, ext)
    assert ext.prefilter_regex("protected") in text and V.prefilter_regex("protected") not in text


def _term_free_code(size: int) -> str:
    """Plausible Python with no vocabulary term in it, about ``size`` bytes."""
    lines, i = [], 0
    while sum(map(len, lines)) < size:
        lines.append(f"def compute_{i}(values, offset=3, *, scale=1.5):\n"
                     f"    \"\"\"Return the running total of the first {i} items, shifted by the offset.\"\"\"\n"
                     f"    total_{i} = sum(v * scale for v in values[:{i}])  # linear time\n"
                     f"    return {{'key': total_{i} + offset, 'items': len(values)}}\n\n")
        i += 1
    return "".join(lines)


@pytest.mark.parametrize("kind", ["protected", "proxy"])
def test_semgrep_skips_a_big_term_free_file_with_the_prefilter_regex(kind, tmp_path, semgrep_bin):
    # Semgrep searches each file for a metavariable-regex prefilter with PCRE2 and a budget of a
    # million backtracking steps per match attempt, and keeps the file when the budget runs out.
    # A `(?s).*?` prefix made the search one attempt from the first byte, so every term-free
    # file above about 200 KB was parsed; the windowed shape must skip a 1.5 MB term-free file
    # and still open a tiny file, and a big one whose only term comes at its very end.
    precise, loose = V.semgrep_regex(kind), V.prefilter_regex(kind)
    big = _term_free_code(1_500_000)
    assert not prefilter.selects(["Pred", ["Regexp", loose]], big)
    term = {"protected": "age", "proxy": "zipcode"}[kind]
    (tmp_path / "big.py").write_text(big)
    (tmp_path / "small.py").write_text(f"user_{term} = load()\n")
    (tmp_path / "tail.py").write_text(big[:big.index("\ndef ", 400_000) + 1] + f"user_{term} = load()\n")
    rule = {"id": "r", "languages": ["python"], "message": "m", "severity": "INFO", "patterns": [
        {"pattern": "$X = $Y"},
        {"metavariable-regex": {"metavariable": "$X", "regex": precise}},
        {"metavariable-regex": {"metavariable": "$X", "regex": loose}},
        {"pattern-not": f"{rulepack.PREFILTER_GUARD}.$X"}]}
    (tmp_path / "rule.yaml").write_text(yaml.safe_dump({"rules": [rule]}))
    done = proc.run([semgrep_bin, "--metrics=off", "--config", str(tmp_path / "rule.yaml"), "--json",
                     "--time", "-j", "1", "--max-target-bytes", "2000000", str(tmp_path / "big.py"),
                     str(tmp_path / "small.py"), str(tmp_path / "tail.py")], timeout=300)
    out = json.loads(done.stdout)
    assert sorted(r["path"].rsplit("/", 1)[-1] for r in out["results"]) == ["small.py", "tail.py"]
    parsed = {t["path"].rsplit("/", 1)[-1]: t["parse_times"][0] > 0 for t in out["time"]["targets"]}
    assert parsed == {"big.py": False, "small.py": True, "tail.py": True}


@pytest.mark.parametrize("kind", ["protected", "proxy"])
def test_prefilter_regex_finds_a_term_anywhere_in_a_long_text(kind):
    # The window bounds one match attempt, not what an anchored match sees: a term deep inside a
    # long column list (a metavariable) is still found, and a term-free one still is not.
    term = {"protected": "gender", "proxy": "surname"}[kind]
    filler = ", ".join(f'"col_{i}"' for i in range(4000))
    assert _loose(kind).match(f'[{filler}, "{term}"]') and not _loose(kind).match(f"[{filler}]")


def test_semgrep_skips_a_file_that_only_calls_the_zip_builtin(tmp_path, semgrep_bin):
    # The proxy rule as shipped: a file whose only proxy-like word is the builtin `zip(...)` is
    # not even parsed for it (Semgrep accepts the (*nla:...) lookahead in its prefilter); a file
    # with a zip column is parsed and reported.
    rule = rulepack.rules_by_id()["proxy-feature-as-model-input"].path
    (tmp_path / "builtin.py").write_text("pairs = list(zip(xs, ys))\nmodel.fit(pairs, y)\n")
    (tmp_path / "column.py").write_text(
        'import pandas as pd\ndf = pd.read_csv("a.csv")\nX = df[["zip", "income"]]\nmodel.fit(X, y)\n')
    done = proc.run([semgrep_bin, "--metrics=off", "--config", str(rule), "--json", "--time", "-j", "1",
                     str(tmp_path / "builtin.py"), str(tmp_path / "column.py")], timeout=300)
    out = json.loads(done.stdout)
    assert [r["path"].rsplit("/", 1)[-1] for r in out["results"]] == ["column.py"]
    parsed = {t["path"].rsplit("/", 1)[-1]: t["parse_times"][0] > 0 for t in out["time"]["targets"]}
    assert parsed == {"builtin.py": False, "column.py": True}


def _rule_with(pattern_lines: str) -> str:
    precise = rulepack._yaml_single_quoted(V.semgrep_regex("proxy"))
    return ("rules:\n  - id: r\n    languages: [python]\n    message: m\n    severity: INFO\n"
            "    metadata: {vocabulary: [proxy]}\n    patterns:\n" + pattern_lines +
            f"      - metavariable-regex:\n          metavariable: $S\n          regex: {precise}\n")


@pytest.mark.parametrize("patterns, context", [
    ("      - pattern: '[..., \"$S\", ...]'\n", "element"),
    ("      - pattern: '$DF[[\"$S\", \"$T\"]]'\n      - pattern: '{..., \"$S\": $V, ...}'\n", "element"),
    ("      - pattern: '[..., $DF[\"$S\"], ...]'\n", "element"),
    ("      - pattern: '$T = \"$S\"'\n", "string"),
    ("      - pattern: '[..., \"$S\", ...]'\n      - pattern: 'f(\"$S\")'\n", "string"),
    ("      - pattern: '$DF[\"$S\"]'\n      - pattern-not: '[$S]'\n", "anywhere"),  # also a bare expression
    ("      - pattern: foo(name=$S)\n", "anywhere"),
])
def test_sync_gives_string_contents_the_in_string_companion(patterns, context):
    text = rulepack.with_prefilters(_rule_with(patterns), V, ["proxy"])
    companions = [r for r in rulepack.vocabulary_regexes_in(text) if r != V.semgrep_regex("proxy")]
    assert companions == [V.prefilter_regex("proxy", context)]
