"""The Semgrep rule pack as data: loading, hashing, vocabulary sync, rendering, catalogue.

The pack is ``rules/semgrep`` (the drop-in config: findings) plus ``rules/evidence``
(repository-level evidence the orchestrator reasons over; never loaded by a plain
``semgrep --config rules/semgrep``). One rule per file; the file name is the rule id.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

import yaml

from orchestrator.rules import resources
from orchestrator.rules.repository import REPOSITORY_RULES
from orchestrator.rules.vocabulary import KINDS, PREFILTER_CONTEXTS, Vocabulary

T = TypeVar("T")

STAGE_ORDER = ("dataset", "preparation", "training", "compression", "evaluation", "decision")
STAGE_PREFIX = {"DS": "dataset", "DP": "preparation", "TR": "training",
                "CM": "compression", "EV": "evaluation", "DL": "decision"}


def load_yaml(text: str):
    """``yaml.safe_load`` with libyaml when available (same result, about 50x faster on the pack)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass(frozen=True)
class Rule:
    """One rule file, parsed."""

    id: str
    path: Path
    kind: str  # "finding" (rules/semgrep), "evidence" (rules/evidence) or "repository" (reasoning)
    message: str
    severity: str
    metadata: dict

    @property
    def bias_pattern(self) -> str:
        return self.metadata["bias-pattern"]

    @property
    def stage(self) -> str:
        return self.metadata["stage"]


@contextmanager
def fixed() -> Iterator[None]:
    """Within it, the pack's files are listed and hashed once: one scan reads one pack, however
    many times its engines, cache keys and reasoning ask (five directory walks a scan before).

    The memo is this context's (:mod:`contextvars`): concurrent scans in other threads keep
    their own, and a thread the scan starts sees it only when run in a copy of this context
    (:func:`in_this_scan`). Nested blocks share the outermost one's memo."""
    if _FIXED.get() is not None:
        yield
        return
    token = _FIXED.set({})
    try:
        yield
    finally:
        _FIXED.reset(token)


def in_this_scan(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` run in a copy of the calling context (for a thread pool: the scan's
    :func:`fixed` memo goes along). Call it in the thread that submits the work."""
    context = contextvars.copy_context()

    def run(*args: Any, **kwargs: Any) -> T:
        return context.copy().run(function, *args, **kwargs)

    return run


_FIXED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("fairlint_pack_fixed", default=None)


def _within_fixed(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``key`` while a :func:`fixed` block is open here."""
    memo = _FIXED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()  # a race of two threads of one scan computes it twice, the same
    return memo[key]


def rule_files(root: Path | None = None, kinds: Iterable[str] = ("finding", "evidence")) -> list[Path]:
    root = root or resources.rules_root()
    kinds = tuple(kinds)
    return list(_within_fixed(("files", str(root), kinds), lambda: tuple(_rule_files(root, kinds))))


def _rule_files(root: Path, kinds: tuple[str, ...]) -> list[Path]:
    dirs = {"finding": root / "semgrep", "evidence": root / "evidence"}
    out: list[Path] = []
    for kind in kinds:
        out.extend(sorted(p for p in dirs[kind].rglob("*.yaml") if p.is_file()))
    return out


def load_rules(root: Path | None = None, kinds: Iterable[str] = ("finding", "evidence")) -> list[Rule]:
    root = root or resources.rules_root()
    rules = []
    for path in rule_files(root, kinds):
        kind = "evidence" if (root / "evidence") in path.parents else "finding"
        doc = load_yaml(path.read_text(encoding="utf-8"))
        for r in doc.get("rules", []):
            rules.append(Rule(r["id"], path, kind, r.get("message", ""), r.get("severity", "INFO"),
                              r.get("metadata") or {}))
    return rules


@lru_cache(maxsize=1)
def rules_by_id() -> dict[str, Rule]:
    return {r.id: r for r in load_rules()}


def rule_ids(root: Path | None = None) -> set[str]:
    """Every rule's id without parsing a file: a rule file is named after its rule (a test of
    the pack's layout holds it)."""
    return {path.stem for path in rule_files(root)}


def pack_hash(root: Path | None = None) -> str:
    """SHA-256 over every rule file and the vocabulary (path + content), for caches and studies."""
    root = root or resources.rules_root()
    return _within_fixed(("hash", str(root)), lambda: _pack_hash(root, rule_files(root) + [root / "vocabulary.yaml"]))


def _pack_hash(root: Path, files: list[Path]) -> str:
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(root)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


# ---------------------------------------------------------------- vocabulary regexes
_REGEX_LINE = re.compile(r"^(?P<indent>\s*regex:\s*)(?P<value>'(?:[^']|'')*')\s*$", re.M)


def _yaml_single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def vocabulary_regexes_in(text: str) -> list[str]:
    """Every single-quoted ``regex:`` value in a rule file's text."""
    return [yaml.safe_load(m.group("value")) for m in _REGEX_LINE.finditer(text)]


def rewrite_vocabulary(text: str, old: Vocabulary, new: Vocabulary) -> str:
    """Replace ``old``'s generated regexes (precise and prefilter) in a rule file's text with ``new``'s."""
    mapping = {old.semgrep_regex(k): new.semgrep_regex(k) for k in KINDS}
    mapping.update({old.prefilter_regex(k, c): new.prefilter_regex(k, c)
                    for k in KINDS for c in PREFILTER_CONTEXTS})

    def sub(m: re.Match[str]) -> str:
        value = yaml.safe_load(m.group("value"))
        if value in mapping:
            return m.group("indent") + _yaml_single_quoted(mapping[value])
        return m.group(0)

    return _REGEX_LINE.sub(sub, text)


# The metavariable marker that lets Semgrep use a vocabulary regex as a file prefilter (it only
# does for metavariables in an identifier position); no code names it, so the pattern-not never
# removes a match.
PREFILTER_GUARD = "__fairlint_prefilter__"

# One `metavariable-regex` item of a `patterns` list, as the rule files write it.
_MVAR_REGEX_ITEM = re.compile(
    r"^(?P<indent>[ ]*)- metavariable-regex:\n"
    r"(?P=indent)    metavariable: (?P<mv>\$\w+)\n"
    r"(?P=indent)    regex: (?P<value>'(?:[^']|'')*')[ ]*(?P<end>\n|\Z)", re.M)
# A generated prefilter companion: its metavariable-regex plus the guard pattern-not.
_PREFILTER_ITEM = re.compile(
    r"^(?P<indent>[ ]*)- metavariable-regex:\n"
    r"(?P=indent)    metavariable: (?P<mv>\$\w+)\n"
    r"(?P=indent)    regex: '(?:[^']|'')*'[ ]*\n"
    r"(?P=indent)- pattern-not: " + PREFILTER_GUARD + r"\.(?P=mv)[ ]*(?:\n|\Z)", re.M)


def _vocabulary_kind(value: str) -> str | None:
    """The kind a generated precise regex belongs to (checked by probing), or None."""
    if not value.startswith("(?s).*?") or not re.match(r"\(\?s\)\.\*\?\(\?:(?:\(\?:)?\^", value):
        return None
    probe = {"protected": "sex", "proxy": "zipcode"}
    for kind, word in probe.items():
        if re.match(value, word):
            return kind
    return None


def _string_context(before: str, indent: str, mv: str) -> str:
    """Where, in the ``patterns`` list that ends where ``before`` ends (its items at
    ``indent``), the patterns bind ``mv``, as one of ``PREFILTER_CONTEXTS``: ``"element"``
    when every use is a string literal's content that is an element (``[..., "$S", ...]``,
    ``$DF["$S"]``, ``{..., "$S": $V, ...}``), ``"string"`` when every use is a string
    literal's content, else ``"anywhere"``. It picks the companion's prefilter regex."""
    block = []
    for line in reversed(before.splitlines()):
        if line.strip() and len(line) - len(line.lstrip(" ")) < len(indent):
            break
        block.append(line)
    uses = [line for line in block if re.search(r"\bpattern[\w-]*:", line)
            and PREFILTER_GUARD not in line and re.search(re.escape(mv) + r"\b", line)]
    name = re.escape(mv) + r"\b"
    bare = re.compile(rf"(?<![\"']){name}|{name}(?![\"'])")
    if not uses or any(bare.search(line) for line in uses):
        return "anywhere"
    quoted = re.compile(rf"(.)[\"']{name}[\"'](.)")
    elements = all(m.group(1) in "[{ " and m.group(2) in ",]:" and
                   (m.group(1) != " " or line[:m.start() + 1].rstrip().endswith(","))
                   for line in uses for m in quoted.finditer(line))
    return "element" if elements and all(quoted.search(line) for line in uses) else "string"


def with_prefilters(text: str, vocab: Vocabulary, kinds: Iterable[str]) -> str:
    """Regenerate every vocabulary regex of ``kinds`` in a rule file and its prefilter companion.

    Each precise ``metavariable-regex`` (``vocab.semgrep_regex``) is followed by a generated
    ``metavariable-regex`` with ``vocab.prefilter_regex`` on the same metavariable and a
    ``pattern-not: __fairlint_prefilter__.$X``: together they let Semgrep skip files that never
    mention a term, without changing what the rule matches.
    """
    kinds = set(kinds)
    text = _PREFILTER_ITEM.sub("", text)
    if not text.endswith("\n"):
        text += "\n"

    def sub(m: re.Match[str]) -> str:
        kind = _vocabulary_kind(yaml.safe_load(m.group("value")))
        if kind not in kinds:
            return m.group(0)
        ind, mv = m.group("indent"), m.group("mv")
        context = _string_context(text[:m.start()], ind, mv)
        precise = (f"{ind}- metavariable-regex:\n{ind}    metavariable: {mv}\n"
                   f"{ind}    regex: {_yaml_single_quoted(vocab.semgrep_regex(kind))}\n")
        companion = (f"{ind}- metavariable-regex:\n{ind}    metavariable: {mv}\n"
                     f"{ind}    regex: {_yaml_single_quoted(vocab.prefilter_regex(kind, context))}\n"
                     f"{ind}- pattern-not: {PREFILTER_GUARD}.{mv}")
        return precise + companion + (m.group("end") or "")

    return _MVAR_REGEX_ITEM.sub(sub, text)


def sync_vocabulary(root: Path | None = None) -> list[Path]:
    """Rewrite every rule's vocabulary regexes to the ones the vocabulary file generates now.

    A rule declares ``metadata.vocabulary: [protected, ...]``; each ``metavariable-regex``
    holding a generated regex (recognised by its prefix and by matching the kind's probe word)
    is replaced by the current regex of that kind and given its prefilter companion
    (:func:`with_prefilters`). Returns the files that changed.
    """
    vocab = Vocabulary.load((root or resources.rules_root()) / "vocabulary.yaml")
    changed = []
    for path in rule_files(root):
        text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
        kinds = doc["rules"][0].get("metadata", {}).get("vocabulary") or []
        if not kinds:
            continue
        new_text = with_prefilters(text, vocab, kinds)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            changed.append(path)
    return changed


def render_pack(vocab: Vocabulary, kinds: Iterable[str] = ("finding", "evidence"),
                dest: Path | None = None) -> Path:
    """Write one Semgrep config holding the chosen rules with ``vocab``'s regexes.

    Returns the path of the config file (in ``dest`` or a fresh temporary directory).
    The default vocabulary renders byte-identical rule bodies.
    """
    default = Vocabulary.default()
    rules = []
    for path in rule_files(kinds=kinds):
        text = path.read_text(encoding="utf-8")
        if vocab != default:
            text = rewrite_vocabulary(text, default, vocab)
        rules.extend(load_yaml(text)["rules"])
    dest = Path(dest or tempfile.mkdtemp(prefix="fairlint-rules-"))
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / "fairlint-pack.json"
    out.write_text(json.dumps({"rules": rules}), encoding="utf-8")
    return out


# ---------------------------------------------------------------- catalogue
def catalogue_markdown(rules: Iterable[Rule] | None = None) -> str:
    """``docs/rules.md``: generated from the metadata; a test checks it is current."""
    rules = sorted(rules if rules is not None else load_rules(),
                   key=lambda r: (r.kind != "finding", STAGE_ORDER.index(r.stage), r.bias_pattern, r.id))
    lines = [
        "# fairlint rule catalogue",
        "",
        "Generated from the rules' metadata by `fairlint rules catalogue > docs/rules.md`;",
        "`tests/rules/test_catalogue.py` fails when it is out of date.",
        "",
        "Finding rules live in `rules/semgrep/` (the drop-in Semgrep config). Evidence rules live in",
        "`rules/evidence/`: they are inputs to repository-level reasoning and are never reported alone.",
        "",
    ]
    repo_rules = [Rule(r.id, Path("orchestrator/rules/repository.py"), "repository", "", "INFO", r.metadata(()))
                  for r in REPOSITORY_RULES.values()]
    rules = rules + sorted(repo_rules, key=lambda r: (STAGE_ORDER.index(r.stage), r.bias_pattern, r.id))
    reported = sorted({r.bias_pattern for r in rules if r.kind != "evidence"})
    lines.append(f"{sum(r.kind == 'finding' for r in rules)} finding rules, "
                 f"{len(repo_rules)} repository-level rules and "
                 f"{sum(r.kind == 'evidence' for r in rules)} evidence rules; findings cover "
                 f"{len(reported)} of the 40 taxonomy patterns.")
    lines.append("")
    for kind, title in (("finding", "Finding rules"),
                        ("repository", "Repository-level rules (decided by the orchestrator from evidence)"),
                        ("evidence", "Evidence rules")):
        lines += [f"## {title}", "",
                  "| rule id | pattern | name | stage | frameworks | confidence | likelihood | impact | references |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in rules:
            if r.kind != kind:
                continue
            m = r.metadata
            refs = "<br>".join(m.get("references", []))
            lines.append(
                f"| `{r.id}` | {m['bias-pattern']} | <a id=\"{r.id}\"></a>{m['pattern-name']} | {m['stage']} | "
                f"{', '.join(m['technology'])} | {m['confidence']} | {m['likelihood']} | "
                f"{m['impact']} | {refs} |"
            )
        lines.append("")
    return "\n".join(lines)


def iter_rule_tests(root: Path | None = None) -> Iterator[tuple[Path, Path]]:
    """(rule file, test target) pairs; a missing target yields a non-existent path."""
    for path in rule_files(root):
        yield path, path.with_suffix(".py")
