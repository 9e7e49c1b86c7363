"""Test helpers for the corpus and study tests: local git repositories served by file:// URLs,
manifests, and a small deterministic scanner (importable by dask workers through PYTHONPATH).

The stand-in scanner reports `missing-rows-dropped` (DP01) on every line calling `.dropna(`
and `model-pruning` (CM01) on every line calling `prune.`; it lets the study's machinery
(resume, dedup, executors) be tested without semgrep's run time.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import yaml

from orchestrator import proc
from orchestrator.model import Finding, Location, ScanResult, Severity, ToolInfo

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z"}


def git(args, cwd) -> str:
    return proc.run(["git", *args], cwd=str(cwd), timeout=60, env=GIT_ENV).stdout.strip()


def make_repo(base: Path, name: str, files: dict[str, str], symlinks: dict[str, str] | None = None) -> tuple[str, str]:
    """A bare repository ``base/bare/<owner>__<repo>.git`` holding ``files``; (file:// URL, commit)."""
    work = base / "work" / name.replace("/", "__")
    work.mkdir(parents=True)
    git(["init", "-q", "-b", "main"], work)
    for rel, text in files.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text, encoding="utf-8")
    for rel, target in (symlinks or {}).items():
        os.symlink(target, work / rel)
    git(["add", "-A"], work)
    git(["commit", "-q", "-m", "initial"], work)
    commit = git(["rev-parse", "HEAD"], work)
    bare = base / "bare" / (name.replace("/", "__") + ".git")
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(["clone", "-q", "--bare", str(work), str(bare)], base)
    return bare.resolve().as_uri(), commit


def entry(name: str, url: str, commit: str, *, frameworks=("pytorch",), people=True, domain="face-attributes") -> dict:
    return {"name": name, "url": url, "commit": commit, "frameworks": list(frameworks), "domain": domain,
            "people_data": people, "license": "MIT", "why": f"test repository {name}"}


def write_manifest(path: Path, entries: list[dict]) -> Path:
    """The manifest YAML (entries copied first: shared lists would be written as YAML aliases,
    which manifests refuse)."""
    entries = json.loads(json.dumps(entries))
    path.write_text(yaml.safe_dump({"version": 1, "repos": entries}, sort_keys=False), encoding="utf-8")
    return path


TRAIN = "import torch\nimport pandas as pd\n\ndf = pd.read_csv('celeba.csv')\ndf = df.dropna()\n"
PRUNE = "import torch.nn.utils.prune as prune\n\nprune.l1_unstructured(model.fc, 'weight', amount=0.5)\n"
KERAS = "from tensorflow import keras\nimport pandas as pd\n\nx = pd.read_csv('credit.csv').dropna()\n"
CLEAN = "import torch\n\nprint(torch.ones(3))\n"


def grep_scan(root: Path, config=None) -> ScanResult:
    """Deterministic stand-in for orchestrator.scan (see the module docstring)."""
    delay = float(os.environ.get("FAIRLINT_FAKE_SCAN_DELAY", "0"))
    if delay:
        time.sleep(delay)
    root = Path(root)
    if (root / "SCAN_FAILS").exists():
        raise RuntimeError("scanner crashed on purpose")
    findings, files = [], sorted(p for p in root.rglob("*.py") if p.is_file())
    for path in files:
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for needle, rule, pattern, stage, sev in ((".dropna(", "missing-rows-dropped", "DP01", "preparation",
                                                      Severity.MEDIUM),
                                                     ("prune.", "model-pruning", "CM01", "compression", Severity.LOW)):
                if needle in line and not line.lstrip().startswith("import"):
                    fp = hashlib.sha256(f"{rule}|{rel}|{line.strip()}".encode()).hexdigest()[:16]
                    findings.append(Finding(
                        rule_id=rule, bias_pattern=pattern, stage=stage, message=f"{rule} here", path=rel,
                        start_line=n, end_line=n, snippet=line, severity=sev, score=5.0, score_factors=(),
                        confidence="HIGH", fingerprint=fp, occurrences=(Location(rel, n, n),),
                        found_by=(f"semgrep:{rule}",)))
    return ScanResult(root=str(root), findings=tuple(findings), skipped=(),
                      tool=ToolInfo(fairlint="test", rule_pack="test", semgrep="0.0-fake"), files_scanned=len(files))


SLEEPER_MARK = "fairlint-test-stand-in-semgrep"


def spawning_scan(root: Path, config=None) -> ScanResult:
    """A scan that starts a long child through orchestrator.proc, as the Semgrep engine does
    (the child's command line carries SLEEPER_MARK so tests can find it)."""
    import sys

    proc.run([sys.executable, "-c", "import time; time.sleep(120)", SLEEPER_MARK], timeout=300)
    return grep_scan(root, config)
