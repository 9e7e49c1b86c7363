"""Corpus manifests and fetching: every repository pinned to one commit, fetched safely.

A manifest (``corpus/manifest.yaml``) lists repositories with ``name`` (owner/repo), ``url``,
``commit`` (40-hex SHA) and descriptive fields; ``orchestrator/schemas/corpus-manifest.schema.json``
checks it. :func:`fetch_all` checks out each repository at its commit into
``CACHE/repos/<owner>/<repo>`` without running anything from it: no hooks, no submodules, no
LFS download, symlinks checked out as plain files, the user's git config ignored, and a size cap.
A fetched repository is recorded in ``CACHE/meta/<owner>/<repo>.json``; a second fetch of the
same commit does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import jsonschema
import yaml

from orchestrator import git, proc
from orchestrator.rules import resources

SCHEMA_NAME = "corpus-manifest.schema.json"
NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*/[A-Za-z0-9_][A-Za-z0-9_.-]*$")
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
DEFAULT_SIZE_CAP = 200 * 1024 * 1024  # bytes of checked-out files
FETCH_TIMEOUT = 900.0
GIT_TIMEOUT = 120.0


class ManifestError(ValueError):
    """The manifest cannot be used; the message names the entry and the field."""


@dataclass(frozen=True)
class RepoSpec:
    """One manifest entry."""

    name: str
    url: str
    commit: str
    frameworks: tuple[str, ...]
    domain: str
    people_data: bool
    license: str
    why: str

    @property
    def owner(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def repo(self) -> str:
        return self.name.split("/", 1)[1]


@dataclass(frozen=True)
class Manifest:
    path: Path
    repos: tuple[RepoSpec, ...]
    sha256: str  # of the manifest file's bytes

    def by_name(self) -> dict[str, RepoSpec]:
        return {r.name: r for r in self.repos}


@dataclass(frozen=True)
class FetchResult:
    """What happened to one repository: ``status`` is fetched, cached or failed."""

    name: str
    commit: str
    status: str
    path: str | None = None
    error: str = ""
    size_bytes: int = 0
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("fetched", "cached")


# ---------------------------------------------------------------- manifest
def check_name(name: str) -> str:
    """``name`` if it is a safe owner/repo, else :class:`ManifestError`."""
    parts = name.split("/") if isinstance(name, str) else []
    if (not NAME_RE.match(name or "") or ".." in name or len(parts) != 2
            or any(p in (".", "..") or p.startswith((".", "-")) for p in parts)):
        raise ManifestError(f"{name!r} is not a safe owner/repo name "
                            "(letters, digits, '_', '.', '-'; no '..'; no leading '.' or '-')")
    return name


def _schema_error_message(err: jsonschema.ValidationError, doc: dict) -> str:
    where = ".".join(str(p) for p in err.absolute_path) or "manifest"
    path = list(err.absolute_path)
    if len(path) >= 3 and path[0] == "repos":
        entry = doc["repos"][path[1]]
        label = entry.get("name", f"#{path[1]}") if isinstance(entry, dict) else f"#{path[1]}"
        field = path[2]
        hints = {"commit": "is not a full 40-hex commit SHA",
                 "name": "is not a safe owner/repo name (no '..', no leading '.' or '-')",
                 "url": "is not an https://github.com/owner/repo or file:// URL"}
        if field in hints and err.validator == "pattern":
            return f"repos[{path[1]}] ({label}): {field} {err.instance!r} {hints[field]}"
        return f"repos[{path[1]}] ({label}): {'.'.join(map(str, path[2:]))}: {err.message}"
    return f"{where}: {err.message}"


def parse_manifest(doc: object, path: Path = Path("<memory>"), sha256: str = "") -> Manifest:
    """Validate a loaded manifest document against the schema and the safety rules."""
    if not isinstance(doc, dict):
        raise ManifestError(f"{path}: a manifest is a mapping with a top-level 'repos:' list")
    schema = json.loads(resources.schema_file(SCHEMA_NAME).read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ManifestError(f"{path}: " + "; ".join(_schema_error_message(e, doc) for e in errors[:5]))
    repos, seen = [], set()
    for i, entry in enumerate(doc["repos"]):
        try:
            check_name(entry["name"])
        except ManifestError as exc:
            raise ManifestError(f"{path}: repos[{i}]: {exc}") from None
        if entry["name"].lower() in seen:
            raise ManifestError(f"{path}: repos[{i}]: {entry['name']!r} is listed twice")
        seen.add(entry["name"].lower())
        repos.append(RepoSpec(entry["name"], entry["url"], entry["commit"], tuple(entry["frameworks"]),
                              entry["domain"], entry["people_data"], entry["license"], entry["why"]))
    return Manifest(path, tuple(repos), sha256)


def load_manifest(path: Path | str) -> Manifest:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot read manifest {path}: {exc.strerror}") from None
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: not valid YAML: {exc}") from None
    return parse_manifest(doc, path, hashlib.sha256(raw).hexdigest())


# ---------------------------------------------------------------- cache layout
def _inside(root: Path, *parts: str) -> Path:
    """``root/parts...``, refusing anything that would leave ``root``."""
    root = root.resolve()
    target = root.joinpath(*parts).resolve()
    if target != root and root not in target.parents:
        raise ManifestError(f"{'/'.join(parts)!r} leaves the cache directory")
    return target


def checkout_dir(cache: Path, spec: RepoSpec) -> Path:
    check_name(spec.name)
    return _inside(Path(cache), "repos", spec.owner, spec.repo)


def meta_file(cache: Path, spec: RepoSpec) -> Path:
    check_name(spec.name)
    return _inside(Path(cache), "meta", spec.owner, spec.repo + ".json")


def cached(cache: Path, spec: RepoSpec) -> Path | None:
    """The checkout of ``spec`` when it is already fetched at its commit, else None."""
    meta, dest = meta_file(cache, spec), checkout_dir(cache, spec)
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("commit") == spec.commit and data.get("url") == spec.url and dest.is_dir():
        return dest
    return None


# ---------------------------------------------------------------- git
def _protocols(url: str) -> tuple[str, ...]:
    return ("https", "file") if url.startswith("file://") else ("https",)


def _git(args: Sequence[str], cwd: Path, url: str, timeout: float = GIT_TIMEOUT) -> proc.Completed:
    """git on a checkout fairlint builds itself: the user's config ignored, symlinks as files."""
    return git.run(args, cwd, timeout=timeout, config=(("core.symlinks", "false"),),
                   protocols=_protocols(url), isolated=True, safe_directory=True)


def _tree_size(work: Path, spec: RepoSpec) -> int:
    """Bytes of every blob in the commit's tree (submodule entries have no size)."""
    out = _git(["ls-tree", "-r", "-l", "--full-tree", spec.commit], work, spec.url).stdout
    total = 0
    for line in out.splitlines():
        fields = line.split(None, 4)
        if len(fields) >= 4 and fields[3].isdigit():
            total += int(fields[3])
    return total


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _fetch_commit(work: Path, spec: RepoSpec) -> None:
    """Shallow fetch of the commit; when the server refuses, fetch every branch and tag."""
    try:
        _git(["fetch", "--quiet", "--depth", "1", "--no-tags", "--no-recurse-submodules",
              "origin", spec.commit], work, spec.url, timeout=FETCH_TIMEOUT)
        return
    except proc.ToolError:
        pass
    _git(["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "origin",
          "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"],
         work, spec.url, timeout=FETCH_TIMEOUT)


def _verify_commit(work: Path, spec: RepoSpec) -> None:
    try:
        got = _git(["rev-parse", "--verify", "--quiet", spec.commit + "^{commit}"], work, spec.url).stdout.strip()
    except proc.ToolError:
        got = ""
    if got != spec.commit:
        raise proc.ToolError(f"commit {spec.commit} is not in {spec.url}")


def _write_json_atomic(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name, suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
    os.replace(tmp, path)


def fetch_repo(spec: RepoSpec, cache: Path, size_cap: int = DEFAULT_SIZE_CAP) -> FetchResult:
    """Check out ``spec`` at its commit under ``cache``; never raises for a repository problem."""
    start = time.monotonic()
    cache = Path(cache)
    try:
        dest = checkout_dir(cache, spec)
        if cached(cache, spec):
            return FetchResult(spec.name, spec.commit, "cached", str(dest), size_bytes=_dir_size(dest))
        size = _fetch_into(spec, cache, dest, size_cap)
    except (proc.ToolError, ManifestError, OSError) as exc:
        return FetchResult(spec.name, spec.commit, "failed", error=str(exc),
                           duration_s=time.monotonic() - start)
    _write_json_atomic(meta_file(cache, spec), {"name": spec.name, "url": spec.url, "commit": spec.commit,
                                                "size_bytes": size})
    return FetchResult(spec.name, spec.commit, "fetched", str(dest), size_bytes=size,
                       duration_s=time.monotonic() - start)


def _fetch_into(spec: RepoSpec, cache: Path, dest: Path, size_cap: int) -> int:
    tmp_root = cache / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    prefix = f"{spec.owner}__{spec.repo}."
    for stale in tmp_root.glob(prefix + "*"):  # left behind by a killed fetch of this repository
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=tmp_root))
    try:
        _git(["init", "--quiet", str(work)], tmp_root, spec.url)
        _git(["remote", "add", "origin", spec.url], work, spec.url)
        _fetch_commit(work, spec)
        _verify_commit(work, spec)
        size = _tree_size(work, spec)
        if size > size_cap or _dir_size(work / ".git") > size_cap:
            raise proc.ToolError(f"{spec.name} exceeds the size cap ({max(size, 0)} > {size_cap} bytes)")
        _git(["checkout", "--quiet", "--detach", spec.commit], work, spec.url, timeout=FETCH_TIMEOUT)
        shutil.rmtree(work / ".git")
        meta_file(cache, spec).unlink(missing_ok=True)  # never a record that names other content
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(work, dest)
        return size
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def fetch_all(repos: Iterable[RepoSpec], cache: Path, *, jobs: int = 4, size_cap: int = DEFAULT_SIZE_CAP,
              on_done: Callable[[FetchResult], None] | None = None) -> tuple[FetchResult, ...]:
    """Fetch every repository in parallel; failures are recorded, the rest go on.

    Results come back in manifest order; ``CACHE/fetch-report.json`` lists them.
    """
    repos = list(repos)
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    results: dict[str, FetchResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(fetch_repo, spec, cache, size_cap): spec for spec in repos}
        for fut in as_completed(futures):
            res = fut.result()
            results[res.name] = res
            if on_done:
                on_done(res)
    ordered = tuple(results[spec.name] for spec in repos)
    _write_json_atomic(cache / "fetch-report.json", [asdict(r) for r in ordered])
    return ordered


def composition(manifest: Manifest) -> dict[str, int]:
    """How many repositories of each kind the manifest holds (for quotas and the methods)."""
    repos = manifest.repos
    return {
        "repos": len(repos),
        "pytorch": sum("pytorch" in r.frameworks for r in repos),
        "tensorflow_or_keras": sum(bool({"tensorflow", "keras"} & set(r.frameworks)) for r in repos),
        "people_data": sum(r.people_data for r in repos),
        "controls": sum(not r.people_data for r in repos),
        "domains": len({r.domain for r in repos}),
    }
