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
import mmap
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

from orchestrator import git, proc, safeio
from orchestrator.rules import resources

SCHEMA_NAME = "corpus-manifest.schema.json"
NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*/[A-Za-z0-9_][A-Za-z0-9_.-]*$")
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
DEFAULT_SIZE_CAP = 200 * 1024 * 1024  # bytes of checked-out files
FETCH_TIMEOUT = 900.0
GIT_TIMEOUT = 120.0
MANIFEST_MAX_BYTES = 16 * 2**20


class ManifestError(ValueError):
    """The manifest cannot be used; the message names the entry and the field."""


@dataclass(frozen=True)
class RepoSpec:
    """One manifest entry. Only ``name``, ``url`` and ``commit`` are required: empty
    ``frameworks`` are detected from imports and ``people_data`` None from the scan's evidence."""

    name: str
    url: str
    commit: str
    frameworks: tuple[str, ...] = ()
    domain: str = ""
    people_data: bool | None = None
    license: str = ""
    why: str = ""

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
    sha256: str = ""  # of the manifest file's bytes

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
    absent: tuple[str, ...] = ()  # files of the pinned tree whose content the host does not serve

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


def _label(doc: dict, index: int) -> str:
    entry = doc["repos"][index] if isinstance(doc.get("repos"), list) and index < len(doc["repos"]) else None
    name = entry.get("name") if isinstance(entry, dict) else None
    return name if isinstance(name, str) and name else f"#{index}"


def _schema_error_message(err: jsonschema.ValidationError, doc: dict) -> str:
    where = ".".join(str(p) for p in err.absolute_path) or "manifest"
    path = list(err.absolute_path)
    if len(path) >= 2 and path[0] == "repos" and isinstance(path[1], int):
        label = _label(doc, path[1])
        if len(path) == 2:
            return f"repos[{path[1]}] ({label}): {err.message}"
        field = path[2]
        hints = {"commit": "is not a full 40-hex commit SHA",
                 "name": "is not a safe owner/repo name (no '..', no leading '.' or '-')",
                 "url": "is not an https:// git URL, a file:// URL or an absolute path to a local repository"}
        if field in hints and err.validator == "pattern":
            return f"repos[{path[1]}] ({label}): {field} {err.instance!r} {hints[field]}"
        return f"repos[{path[1]}] ({label}): {'.'.join(map(str, path[2:]))}: {err.message}"
    return f"{where}: {err.message}"


def resolve_url(url: str, base: Path | None = None) -> str:
    """The URL git fetches: ``https://...`` and ``file://...`` as given; a local path (absolute,
    or ``./``/``../`` relative to the manifest's folder) as a ``file://`` URL."""
    if url.startswith(("https://", "file://")):
        return url
    path = Path(url)
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return Path(os.path.normpath(path)).as_uri()


def url_key(url: str) -> str:
    """What two URLs of the same repository share: scheme and host lower-cased, no trailing
    '/' or '.git'; https paths compared case-insensitively (as the big hosts do)."""
    text = url.strip().rstrip("/")
    text = text[:-4] if text.endswith(".git") else text
    if text.startswith("https://"):
        return text.lower()
    return text


def parse_manifest(doc: object, path: Path = Path("<memory>"), sha256: str = "") -> Manifest:
    """Validate a loaded manifest document against the schema and the safety rules.

    Every problem is reported at once (one line each, naming the entry): schema errors, unsafe
    names, and a name, URL or commit listed twice."""
    if not isinstance(doc, dict):
        raise ManifestError(f"{path}: a manifest is a mapping with a top-level 'repos:' list")
    schema = json.loads(resources.schema_file(SCHEMA_NAME).read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc),
                    key=lambda e: ([(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in e.absolute_path],
                                   e.message))
    problems = [_schema_error_message(e, doc) for e in errors]
    bad_entries = {e.absolute_path[1] for e in errors if len(e.absolute_path) >= 2 and e.absolute_path[0] == "repos"}
    entries = doc.get("repos") if isinstance(doc.get("repos"), list) else []
    base = path.parent if str(path) != "<memory>" else None
    repos, seen = [], {}
    for i, entry in enumerate(entries):
        if i in bad_entries or not isinstance(entry, dict):
            continue
        label = f"repos[{i}] ({entry['name']})"
        try:
            check_name(entry["name"])
        except ManifestError as exc:
            problems.append(f"{label}: {exc}")
            continue
        url = resolve_url(entry["url"], base)
        for kind, key in (("name", entry["name"].lower()), ("url", url_key(url)), ("commit", entry["commit"])):
            if (kind, key) in seen:
                problems.append(f"{label}: {kind} {entry[kind]!r} is listed twice (also {seen[kind, key]})")
            else:
                seen[kind, key] = f"repos[{i}] ({entry['name']})"
        repos.append(RepoSpec(entry["name"], url, entry["commit"], tuple(entry.get("frameworks") or ()),
                              entry.get("domain", ""), entry.get("people_data"), entry.get("license", ""),
                              entry.get("why", "")))
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise ManifestError(f"{path}: {len(problems)} problem(s):\n{listing}")
    return Manifest(path, tuple(repos), sha256)


def load_manifest(path: Path | str) -> Manifest:
    path = Path(path)
    try:  # a regular file under a size cap; YAML without aliases (no billion laughs), nesting bounded
        raw = safeio.read_tree_file(path, limit=MANIFEST_MAX_BYTES, what="manifest")
        doc = safeio.load_yaml(raw, f"manifest {path}", limit=MANIFEST_MAX_BYTES)
    except safeio.InputError as exc:
        raise ManifestError(str(exc)) from None
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


def _meta(cache: Path, spec: RepoSpec) -> dict | None:
    """The fetch record of ``spec`` when its checkout is current, else None."""
    meta, dest = meta_file(cache, spec), checkout_dir(cache, spec)
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and data.get("commit") == spec.commit and data.get("url") == spec.url and dest.is_dir():
        return data
    return None


def cached(cache: Path, spec: RepoSpec) -> Path | None:
    """The checkout of ``spec`` when it is already fetched at its commit, else None."""
    return checkout_dir(cache, spec) if _meta(cache, spec) is not None else None


# ---------------------------------------------------------------- git
def _protocols(url: str) -> tuple[str, ...]:
    return ("https", "file") if url.startswith("file://") else ("https",)


def _git(args: Sequence[str], cwd: Path, url: str, timeout: float = GIT_TIMEOUT,
         stdout_path: str | None = None) -> proc.Completed:
    """git on a checkout fairlint builds itself: the user's config ignored, symlinks as files."""
    return git.run(args, cwd, timeout=timeout, config=(("core.symlinks", "false"),),
                   protocols=_protocols(url), isolated=True, safe_directory=True, stdout_path=stdout_path)


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


def _upload_pack(url: str) -> list[str]:
    """For a local (file://) remote, the serving side runs here: let it filter and serve blobs
    by id, as GitHub, GitLab and Gitea do over https."""
    if not url.startswith("file://"):
        return []
    return ["--upload-pack=git -c uploadpack.allowFilter=true -c uploadpack.allowAnySHA1InWant=true upload-pack"]


def _fetch_commit(work: Path, spec: RepoSpec) -> bool:
    """Fetch the commit; True when only its trees came (blobs to fetch one by one).

    A shallow fetch of the commit first. When the host cannot send it whole (a blob it no longer
    has: "possible repository corruption"), the commit's trees without blobs (a partial fetch);
    when the server refuses a SHA, every branch and tag."""
    base = ["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", *_upload_pack(spec.url)]
    try:
        _git([*base, "--depth", "1", "origin", spec.commit], work, spec.url, timeout=FETCH_TIMEOUT)
        return False
    except proc.ToolError:
        pass
    try:
        _git([*base, "--depth", "1", "--filter=blob:none", "origin", spec.commit], work, spec.url,
             timeout=FETCH_TIMEOUT)
        return True
    except proc.ToolError:
        pass
    _git([*base, "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"],
         work, spec.url, timeout=FETCH_TIMEOUT)
    return False


BLOB_BATCH = 500  # blob ids per fetch
_SHA_IN_TEXT = re.compile(r"\b[0-9a-f]{40}\b")


def _tree_entries(work: Path, spec: RepoSpec) -> list[tuple[str, str, str, str]]:
    """(mode, type, object id, path) of every entry of the commit's tree, recursively."""
    out = _git(["ls-tree", "-r", "-z", "--full-tree", spec.commit], work, spec.url).stdout
    entries = []
    for item in out.split("\0"):
        meta, _, path = item.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and path:
            entries.append((fields[0], fields[1], fields[2], path))
    return entries


def _present(work: Path, spec: RepoSpec) -> set[str]:
    out = _git(["cat-file", "--batch-check=%(objectname)", "--batch-all-objects"], work, spec.url).stdout
    return set(out.split())


def _fetch_blobs(work: Path, spec: RepoSpec, blobs: Sequence[str]) -> set[str]:
    """Fetch ``blobs`` by id in batches; the ids the host cannot serve come back. A failing batch
    drops the ids git names in its error, else is split in halves until the bad ids are alone."""
    todo = [b for b in sorted(set(blobs)) if b not in _present(work, spec)]
    queue = [todo[i:i + BLOB_BATCH] for i in range(0, len(todo), BLOB_BATCH)]
    absent: set[str] = set()
    while queue:
        batch = queue.pop()
        if not batch:
            continue
        try:
            _git(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-recurse-submodules",
                  *_upload_pack(spec.url), "origin", *batch], work, spec.url, timeout=FETCH_TIMEOUT)
            continue
        except proc.ToolError as exc:
            named = set(_SHA_IN_TEXT.findall(str(exc))) & set(batch)
        if named:
            absent |= named
            queue.append([b for b in batch if b not in named])
        elif len(batch) == 1:
            absent.add(batch[0])
        else:
            queue += [batch[: len(batch) // 2], batch[len(batch) // 2:]]
    return absent


def _safe_parts(path: str) -> list[str] | None:
    """The parts of a tree path that may be written, or None (absolute, '..', '.git')."""
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") or p.lower() == ".git" for p in parts):
        return None
    return parts


def _blob_offsets(data: bytes | mmap.mmap) -> dict[str, tuple[int, int]]:
    """Blob id -> (offset, size) in ``git cat-file --batch`` output."""
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        oid, kind, size = bytes(data[pos:end]).decode("ascii").split(" ")
        if kind == "blob":
            offsets[oid] = (end + 1, int(size))
        pos = end + 1 + int(size) + 1
    return offsets


def _write_tree(work: Path, spec: RepoSpec, entries: list[tuple[str, str, str, str]],
                size_cap: int) -> tuple[int, tuple[str, ...]]:
    """Write the commit's files into ``work`` from the objects that exist (plumbing only: no
    checkout, no filter); (bytes written, paths whose blob is absent). Symlinks become plain
    files holding their target, submodules empty folders."""
    batch = work / ".git" / "fairlint-objects"
    _git(["cat-file", "--batch", "--batch-all-objects"], work, spec.url, timeout=FETCH_TIMEOUT,
         stdout_path=str(batch))
    with open(batch, "rb") as fh:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if batch.stat().st_size else b""
        try:
            offsets = _blob_offsets(data)
            total = sum(offsets[oid][1] for _, kind, oid, _ in entries if kind == "blob" and oid in offsets)
            if total > size_cap:
                raise proc.ToolError(f"{spec.name} exceeds the size cap ({total} > {size_cap} bytes)")
            absent = []
            for _, kind, oid, path in entries:
                parts = _safe_parts(path)
                if parts is None or kind not in ("blob", "commit"):
                    continue
                target = _inside(work, *parts)
                if kind == "commit":  # a submodule: an empty folder, as a checkout leaves it
                    target.mkdir(parents=True, exist_ok=True)
                elif oid not in offsets:
                    absent.append(path)
                else:
                    start, size = offsets[oid]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data[start:start + size])
        finally:
            if isinstance(data, mmap.mmap):
                data.close()
    batch.unlink()
    return total, tuple(sorted(absent))


CODE_SUFFIXES = (".py", ".ipynb")


def _verify_commit(work: Path, spec: RepoSpec) -> None:
    try:
        got = _git(["rev-parse", "--verify", "--quiet", spec.commit + "^{commit}"], work, spec.url).stdout.strip()
    except proc.ToolError:
        got = ""
    if got != spec.commit:
        raise proc.ToolError(f"commit {spec.commit} is not in {spec.url}")


def _write_json_atomic(path: Path, data: object) -> None:
    safeio.atomic_write(path, json.dumps(data, indent=2, sort_keys=True))


def fetch_repo(spec: RepoSpec, cache: Path, size_cap: int = DEFAULT_SIZE_CAP) -> FetchResult:
    """Check out ``spec`` at its commit under ``cache``; never raises for a repository problem."""
    start = time.monotonic()
    cache = Path(os.path.abspath(cache))  # git runs in other folders: a relative cache would move
    try:
        dest = checkout_dir(cache, spec)
        meta = _meta(cache, spec)
        if meta is not None:
            return FetchResult(spec.name, spec.commit, "cached", str(dest), size_bytes=_dir_size(dest),
                               absent=tuple(meta.get("absent") or ()))
        size, absent = _fetch_into(spec, cache, dest, size_cap)
    except (proc.ToolError, ManifestError, OSError, ValueError) as exc:
        return FetchResult(spec.name, spec.commit, "failed", error=str(exc),
                           duration_s=time.monotonic() - start)
    _write_json_atomic(meta_file(cache, spec), {"name": spec.name, "url": spec.url, "commit": spec.commit,
                                                "size_bytes": size, "absent": list(absent)})
    return FetchResult(spec.name, spec.commit, "fetched", str(dest), size_bytes=size,
                       duration_s=time.monotonic() - start, absent=absent)


def _fetch_into(spec: RepoSpec, cache: Path, dest: Path, size_cap: int) -> tuple[int, tuple[str, ...]]:
    """Fetch and write the commit's files; (bytes, absent paths). A partial snapshot (blobs the
    host lost) is written from the blobs that exist; it fails only when no code can be read."""
    tmp_root = cache / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    prefix = f"{spec.owner}__{spec.repo}."
    for stale in tmp_root.glob(prefix + "*"):  # left behind by a killed fetch of this repository
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=tmp_root))
    try:
        _git(["init", "--quiet", str(work)], tmp_root, spec.url)
        _git(["remote", "add", "origin", spec.url], work, spec.url)
        trees_only = _fetch_commit(work, spec)
        _verify_commit(work, spec)
        absent: tuple[str, ...] = ()
        if trees_only:
            entries = _tree_entries(work, spec)
            _fetch_blobs(work, spec, [oid for _, kind, oid, _ in entries if kind == "blob"])
            if _dir_size(work / ".git") > size_cap:
                raise proc.ToolError(f"{spec.name} exceeds the size cap ({_dir_size(work / '.git')} > "
                                     f"{size_cap} bytes of objects)")
            size, absent = _write_tree(work, spec, entries, size_cap)
            code = [e[3] for e in entries if e[1] == "blob" and e[3].endswith(CODE_SUFFIXES)]
            if code and set(code) <= set(absent):
                raise proc.ToolError(f"{spec.name}: none of the {len(code)} code files of {spec.commit[:12]} "
                                     "can be fetched (the host no longer has their content)")
        else:
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
        return size, absent
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def fetch_all(repos: Iterable[RepoSpec], cache: Path, *, jobs: int = 4, size_cap: int = DEFAULT_SIZE_CAP,
              on_done: Callable[[FetchResult], None] | None = None) -> tuple[FetchResult, ...]:
    """Fetch every repository in parallel; failures are recorded, the rest go on.

    Results come back in manifest order; ``CACHE/fetch-report.json`` lists them.
    """
    repos = list(repos)
    cache = Path(os.path.abspath(cache))
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


# ---------------------------------------------------------------- starter manifests
@dataclass(frozen=True)
class StarterEntry:
    url: str
    name: str = ""
    commit: str = ""
    error: str = ""


def name_from_url(url: str) -> str:
    """owner/repo from the URL's last two path parts (characters outside the safe set become '-')."""
    path = url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url
    parts = [p for p in path.rstrip("/").split("/") if p]
    parts = parts[-2:] if len(parts) >= 2 else ["local"] + parts
    clean = []
    for p in parts:
        p = p[:-4] if p.endswith(".git") else p
        p = re.sub(r"[^A-Za-z0-9_.-]", "-", p).replace("..", "-").lstrip(".-") or "repo"
        clean.append(p)
    return "/".join(clean)


def resolve_head(url: str, timeout: float = GIT_TIMEOUT) -> str:
    """The commit ``HEAD`` names at ``url`` (``git ls-remote``); ToolError says why not."""
    with tempfile.TemporaryDirectory(prefix="fairlint-ls-remote-") as tmp:
        out = _git(["ls-remote", "--", url, "HEAD"], Path(tmp), url, timeout=timeout).stdout
    for line in out.splitlines():
        sha, _, ref = line.partition("\t")
        if ref.strip() == "HEAD" and SHA_RE.match(sha):
            return sha
    raise proc.ToolError(f"{url} names no HEAD commit")


def starter_entries(urls: Sequence[str], base: Path | None = None) -> list[StarterEntry]:
    """One entry per URL with its HEAD commit (names made unique with -2, -3, ...)."""
    out, names = [], set()
    for raw in urls:
        url = resolve_url(raw, base)
        name = name_from_url(url)
        unique, n = name, 2
        while unique.lower() in names:
            unique, n = f"{name}-{n}", n + 1
        names.add(unique.lower())
        try:
            out.append(StarterEntry(url if raw.startswith(("https://", "file://")) else raw, unique,
                                    resolve_head(url)))
        except proc.ToolError as exc:
            out.append(StarterEntry(raw, unique, error=str(exc)))
    return out


def starter_manifest(entries: Sequence[StarterEntry]) -> str:
    """YAML text of a manifest with the resolved entries (it loads with :func:`parse_manifest`)."""
    repos = [{"name": e.name, "url": e.url, "commit": e.commit} for e in entries if not e.error]
    head = ("# fairlint corpus manifest (fairlint corpus init): name, url and commit are required.\n"
            "# Optional per entry: frameworks (detected from imports when left out), domain,\n"
            "# people_data (detected from the scan's evidence when left out), license, why.\n")
    return head + yaml.safe_dump({"version": 1, "repos": repos}, sort_keys=False)


def composition(manifest: Manifest) -> dict[str, int]:
    """How many repositories of each kind the manifest holds (for quotas and the methods)."""
    repos = manifest.repos
    return {
        "repos": len(repos),
        "pytorch": sum("pytorch" in r.frameworks for r in repos),
        "tensorflow_or_keras": sum(bool({"tensorflow", "keras"} & set(r.frameworks)) for r in repos),
        "people_data": sum(r.people_data is True for r in repos),
        "controls": sum(r.people_data is False for r in repos),
        "people_data_detected": sum(r.people_data is None for r in repos),
        "frameworks_detected": sum(not r.frameworks for r in repos),
        "domains": len({r.domain for r in repos if r.domain}),
    }
