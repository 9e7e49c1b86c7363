"""The Semgrep rule pack as data: loading, hashing, vocabulary sync, rendering, catalogue.

The pack is ``rules/semgrep`` (the drop-in config: findings) plus ``rules/evidence``
(repository-level evidence the orchestrator reasons over; never loaded by a plain
``semgrep --config rules/semgrep``). One rule per file; the file name is the rule id.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from orchestrator import resources
from orchestrator.vocabulary import KINDS, Vocabulary

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


def rule_files(root: Path | None = None, kinds: Iterable[str] = ("finding", "evidence")) -> list[Path]:
    root = root or resources.rules_root()
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


def pack_hash(root: Path | None = None) -> str:
    """SHA-256 over every rule file and the vocabulary (path + content), for caches and studies."""
    root = root or resources.rules_root()
    h = hashlib.sha256()
    files = rule_files(root) + [root / "vocabulary.yaml"]
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
    """Replace ``old``'s generated regexes in a rule file's text with ``new``'s."""
    mapping = {old.semgrep_regex(k): new.semgrep_regex(k) for k in KINDS}

    def sub(m: re.Match[str]) -> str:
        value = yaml.safe_load(m.group("value"))
        if value in mapping:
            return m.group("indent") + _yaml_single_quoted(mapping[value])
        return m.group(0)

    return _REGEX_LINE.sub(sub, text)


def sync_vocabulary(root: Path | None = None, previous: dict[str, str] | None = None) -> list[Path]:
    """Rewrite every rule's vocabulary regex to the one the vocabulary file generates now.

    A rule declares ``metadata.vocabulary: [protected, ...]``; each of its ``regex:`` values
    that looks like a vocabulary regex (starts with the generated prefix) is replaced by the
    current regex of the kind it names. Returns the files that changed.
    """
    vocab = Vocabulary.load((root or resources.rules_root()) / "vocabulary.yaml")
    changed = []
    for path in rule_files(root):
        text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
        kinds = doc["rules"][0].get("metadata", {}).get("vocabulary") or []
        if not kinds:
            continue
        new_text = text
        for kind in kinds:
            new_text = _replace_kind(new_text, kind, vocab.semgrep_regex(kind))
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            changed.append(path)
    return changed


def _replace_kind(text: str, kind: str, regex: str) -> str:
    marker = "(?s).*?"
    probe = {"protected": "sex", "proxy": "zipcode"}[kind]

    def sub(m: re.Match[str]) -> str:
        value = yaml.safe_load(m.group("value"))
        if value.startswith(marker) and re.match(value, probe):
            return m.group("indent") + _yaml_single_quoted(regex)
        return m.group(0)

    return _REGEX_LINE.sub(sub, text)


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
    from orchestrator.reasoning import REPOSITORY_RULES

    repo_rules = [Rule(r.id, Path("orchestrator/reasoning.py"), "repository", "", "INFO", r.metadata(()))
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
                f"| `{r.id}` | {m['bias-pattern']} | {m['pattern-name']} | {m['stage']} | "
                f"{', '.join(m['technology'])} | {m['confidence']} | {m['likelihood']} | "
                f"{m['impact']} | {refs} |"
            )
        lines.append("")
    return "\n".join(lines)


def iter_rule_tests(root: Path | None = None) -> Iterator[tuple[Path, Path]]:
    """(rule file, test target) pairs; a missing target yields a non-existent path."""
    for path in rule_files(root):
        yield path, path.with_suffix(".py")
