"""Which files a scan reads, and why the others are skipped.

Two steps: :func:`discover` walks the tree (no file is opened) and :func:`load` reads one file
and checks it (binary, encoding, notebook JSON, syntax). Every file that is left out for a
reason the user should know about becomes a :class:`~orchestrator.model.Skipped` with that
reason; version-control and cache folders are left out silently.

Symlinks are never followed out of the root. A symlink inside the root is scanned once, at its
target (or at the link when the target itself is not walked). Nothing is executed or imported:
files are read as bytes, Python is only parsed (``ast.parse``) to report syntax errors.
"""

from __future__ import annotations

import ast
import codecs
import errno
import hashlib
import io
import os
import re
import stat
import sys
import time
import tokenize
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from orchestrator.config import glob_match
from orchestrator.escape import display_name
from orchestrator.model import Skipped
from orchestrator.pipeline import notebooks
from orchestrator.pipeline.memo import LRU

SUFFIX_KINDS = {".py": "python", ".ipynb": "notebook"}

# Left out silently: version control, caches, build tool state.
QUIET_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".mypy_cache", ".pytest_cache",
                        ".ruff_cache", ".tox", ".nox", ".eggs", ".cache"})
# Left out with a recorded reason: dependencies and copies, not the project's code.
NOISY_DIRS = {
    "node_modules": "dependency folder (node_modules)",
    "site-packages": "installed packages (site-packages)",
    ".ipynb_checkpoints": "notebook checkpoint copies (.ipynb_checkpoints)",
    ".venv": "virtual environment",
    "venv": "virtual environment",
}


#: Notebooks carry outputs (plots as base64): the file may be this many times max_file_bytes;
#: the code extracted from it is held to max_file_bytes itself (see :func:`load`).
NOTEBOOK_SIZE_FACTOR = 25


class DiscoveryError(ValueError):
    """The scan target itself cannot be used (missing, not a file or folder)."""


@dataclass(frozen=True)
class SourceFile:
    """A file to read: ``path`` on disk (a resolved path inside the root), ``rel`` its display
    path relative to the root ('/'-separated), ``kind`` "python" or "notebook"."""

    path: Path
    rel: str
    kind: str
    size: int


@dataclass(frozen=True)
class Discovery:
    root: Path
    files: tuple[SourceFile, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class Loaded:
    """A file read and checked: ``text`` is what the engines scan (a notebook's extracted
    script), ``digest`` identifies the content (copies share it)."""

    file: SourceFile
    text: str
    digest: str
    notebook: notebooks.ExtractedNotebook | None = None


# ------------------------------------------------------------------ walking
# Control characters (terminal escapes, newlines), and bidirectional overrides ("Trojan Source")
# in file names are shown escaped in every report (orchestrator.escape.display_name).


def display_path(parts: Iterable[str]) -> str:
    """A '/'-joined path as reports show it: undecodable bytes as ``\\xNN``, control and
    bidi characters as escapes (``\\n``, ``\\x1b``, ``\\u202e``), backslashes doubled;
    everything else verbatim. :func:`orchestrator.escape.real_path` gives the real path back."""
    return "/".join(display_name(p) for p in parts)


def scan_root(target: Path) -> tuple[Path, tuple[str, ...] | None]:
    """The root folder and, when ``target`` is one file, that file's name as the only path."""
    if not os.path.lexists(target):
        raise DiscoveryError(f"path does not exist: {target}")
    resolved = target.resolve()
    if resolved.is_dir():
        return resolved, None
    if resolved.is_file():
        return resolved.parent, (resolved.name,)
    raise DiscoveryError(f"not a file or folder: {target}")


def discover(target: Path, *, max_file_bytes: int = 2_000_000, exclude: Sequence[str] = (),
             only_paths: Sequence[str] | None = None) -> Discovery:
    """Walk ``target`` (a folder or one file) and list the Python files and notebooks in it."""
    root, single = scan_root(Path(target))
    wanted = {display_path(p.split("/")) for p in (single or only_paths or ())} or None
    skipped: list[Skipped] = []
    candidates: list[tuple[str, Path, bool]] = []  # (rel, path, is_link)
    # One file: only that file is looked at (walking its folder listed unrelated skipped entries).
    entries = _one_file(root, single[0], exclude) if single else _walk(root, exclude, skipped)
    for rel, path, is_link in entries:
        if wanted is not None and rel not in wanted:
            continue
        candidates.append((rel, path, is_link))
    if single and not candidates and not skipped:
        skipped.append(Skipped(single[0], "not a Python file or notebook (.py, .ipynb)"))
    files = _resolve_links(root, candidates, skipped)
    files = [f for f in (_check_size(f, max_file_bytes, skipped) for f in files) if f]
    files.sort(key=lambda f: f.rel)
    skipped.sort(key=lambda s: (s.path, s.reason))
    return Discovery(root, tuple(files), tuple(skipped))


def _one_file(root: Path, name: str, exclude: Sequence[str]):
    path = root / name
    rel = _rel(root, path)
    if SUFFIX_KINDS.get(os.path.splitext(name)[1].lower()) and not any(glob_match(rel, p) for p in exclude):
        yield rel, path, path.is_symlink()


def _walk(root: Path, exclude: Sequence[str], skipped: list[Skipped]):
    def on_error(err: OSError) -> None:
        rel = _rel(root, Path(err.filename)) if err.filename else "."
        skipped.append(Skipped(rel, "unreadable folder", err.strerror or str(err)))

    for dirpath, dirnames, filenames in os.walk(root, topdown=True, onerror=on_error,
                                                followlinks=False):
        base = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if _keep_dir(root, base / d, exclude, skipped))
        for name in sorted(filenames):
            kind = SUFFIX_KINDS.get(os.path.splitext(name)[1].lower())
            if not kind:
                continue
            path = base / name
            rel = _rel(root, path)
            if any(glob_match(rel, pattern) for pattern in exclude):
                continue
            if _too_long(path):
                skipped.append(Skipped(rel, "path too long", f"over {PATH_MAX} bytes: the system cannot open it"))
                continue
            yield rel, path, path.is_symlink()


#: Longest path the system opens (Linux PATH_MAX); deeper entries are skipped, not a crash.
PATH_MAX = 4096


def _too_long(path: Path) -> bool:
    return len(os.fsencode(path)) >= PATH_MAX


def _keep_dir(root: Path, path: Path, exclude: Sequence[str], skipped: list[Skipped]) -> bool:
    name = path.name
    rel = _rel(root, path)
    if name in QUIET_DIRS or any(glob_match(rel, pattern) for pattern in exclude):
        return False
    if _too_long(path):
        skipped.append(Skipped(rel + "/", "path too long", f"over {PATH_MAX} bytes: the system cannot open it"))
        return False
    if path.is_symlink():
        if not _inside(root, Path(os.path.realpath(path))):
            skipped.append(Skipped(rel + "/", "symlink pointing outside the scanned root (not followed)",
                                   display_name(os.readlink(path))))
        return False  # a link inside the root: its target is walked where it is
    if name in NOISY_DIRS:
        skipped.append(Skipped(rel + "/", NOISY_DIRS[name]))
        return False
    if _is_venv(path):
        skipped.append(Skipped(rel + "/", "virtual environment"))
        return False
    return True


def _is_venv(path: Path) -> bool:
    try:
        return (path / "pyvenv.cfg").exists()
    except OSError:  # a folder whose path is just under the limit: the marker's path is over it
        return False


def _rel(root: Path, path: Path) -> str:
    try:
        return display_path(path.relative_to(root).parts) or "."
    except ValueError:
        return display_name(str(path))


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def _resolve_links(root: Path, candidates: list[tuple[str, Path, bool]],
                   skipped: list[Skipped]) -> list[SourceFile]:
    """One entry per real file: links out of the root are refused, links to walked files dropped."""
    by_real: dict[Path, tuple[str, Path, bool]] = {}
    for rel, path, is_link in candidates:
        # The root is resolved and the walk follows no link: a file that is no link is its own
        # real path (realpath costs an lstat per path component, per file, per scan).
        real = Path(os.path.realpath(path)) if is_link else path
        if is_link and not _inside(root, real):
            skipped.append(Skipped(rel, "symlink pointing outside the scanned root (not followed)",
                                   display_name(os.readlink(path))))
            continue
        if is_link and not real.exists():
            reason = "symlink loop" if _loops(path) else "broken symlink"
            skipped.append(Skipped(rel, reason, display_name(os.readlink(path))))
            continue
        current = by_real.get(real)
        # Prefer the real file over a link to it; among links, the first in path order.
        if current is None or (current[2] and not is_link):
            by_real[real] = (rel, path, is_link)
    return [SourceFile(real, rel, SUFFIX_KINDS[os.path.splitext(path.name)[1].lower()], 0)
            for real, (rel, path, _link) in by_real.items()]


def _check_size(f: SourceFile, max_bytes: int, skipped: list[Skipped]) -> SourceFile | None:
    try:
        st = os.stat(f.path)
    except OSError as exc:
        skipped.append(Skipped(f.rel, "unreadable file", exc.strerror or str(exc)))
        return None
    if not stat.S_ISREG(st.st_mode):
        skipped.append(Skipped(f.rel, "not a regular file"))
        return None
    limit = max_bytes * NOTEBOOK_SIZE_FACTOR if f.kind == "notebook" else max_bytes
    if max_bytes > 0 and st.st_size > limit:
        skipped.append(Skipped(f.rel, "file too large", f"{st.st_size} bytes > {limit}"
                               + (" (notebook limit)" if f.kind == "notebook" else " (max_file_bytes)")))
        return None
    return SourceFile(f.path, f.rel, f.kind, st.st_size)


# ------------------------------------------------------------------ loading
def read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def load(f: SourceFile, max_code_bytes: int = 0) -> Loaded | Skipped:
    """Read and check one file; a problem becomes a :class:`Skipped` with the reason.
    ``max_code_bytes`` (when > 0) limits the code extracted from a notebook."""
    try:
        raw = read_bytes(f.path)
    except OSError as exc:
        return Skipped(f.rel, "unreadable file", exc.strerror or str(exc))
    wide = _wide_encoding(raw)
    if wide:
        return Skipped(f.rel, f"{wide} text (not read: Python source and notebooks are UTF-8)")
    if b"\0" in raw:
        return Skipped(f.rel, "binary file (contains NUL bytes)")
    if f.kind == "notebook":
        try:
            nb = notebooks.extract(raw)
        except notebooks.NotPython as exc:
            return Skipped(f.rel, "not a Python notebook", f"language: {exc.language}")
        except notebooks.NotebookError as exc:
            return Skipped(f.rel, "broken notebook", str(exc))
        code_bytes = len(nb.source.encode("utf-8", "surrogateescape"))
        if 0 < max_code_bytes < code_bytes:
            return Skipped(f.rel, "file too large",
                           f"{code_bytes} bytes of code > {max_code_bytes} (max_file_bytes)")
        return Loaded(f, nb.source, content_digest(f.kind, raw, nb.source), nb)
    try:
        text = _decode_python(raw)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return Skipped(f.rel, "undecodable text", _decode_detail(exc))
    lone = _LONE_SURROGATE.search(text)
    if lone:  # e.g. ``# coding: utf-7`` and "+2AA-": no engine or report can carry the text
        return Skipped(f.rel, "undecodable text",
                       f"decodes to a lone surrogate (U+{ord(lone.group()):04X}) at character {lone.start()}")
    return Loaded(f, text, content_digest(f.kind, raw, text), None)


def load_known(f: SourceFile, max_code_bytes: int = 0) -> Loaded | Skipped:
    """:func:`load`, answered from memory for a file whose identity (device, inode, size,
    modification and change times) is the one a successful read of it had. A history walk and
    the language server read the same unchanged files again and again. As git does, a file
    changed in the last :data:`RACY_SECONDS` is read afresh every time: a rewrite within one
    timestamp tick leaves the times as they were."""
    try:
        st = os.stat(f.path)
    except OSError:
        return load(f, max_code_bytes)
    key = (str(f.path), f.kind, max_code_bytes, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    held = _LOADED.get(key)
    if held is not None:
        text, digest, notebook = held
        return Loaded(f, text, digest, notebook)
    item = load(f, max_code_bytes)
    settled = max(st.st_mtime_ns, st.st_ctime_ns) < time.time_ns() - RACY_SECONDS * 1_000_000_000
    if isinstance(item, Loaded) and settled:
        _LOADED.put(key, (item.text, item.digest, item.notebook))
    return item


#: Files changed this recently are never answered from memory (see :func:`load_known`).
RACY_SECONDS = 2
#: Loaded texts by file identity, bounded by their size (least recently used first out).
_LOADED: LRU = LRU(50_000, 64 << 20, size=lambda key, value: 2 * len(value[0]) + 300)


def load_safely(f: SourceFile, max_code_bytes: int = 0) -> Loaded | Skipped:
    """:func:`load` with a safety net: an exception the loader did not foresee skips the file
    ("unreadable file", with the exception named) instead of sinking the run or the study."""
    try:
        return load(f, max_code_bytes)
    except Exception as exc:  # noqa: BLE001 - one file never sinks a run
        return Skipped(f.rel, "unreadable file", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def _wide_encoding(raw: bytes) -> str | None:
    """"UTF-16"/"UTF-32" for text in those encodings (a BOM, or every other byte NUL in ASCII
    text), which is not binary, just not UTF-8."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    head = raw[:512]
    if len(head) >= 8 and len(head) % 2 == 0:
        if head[1::2].count(0) == len(head) // 2 and 0 not in head[0::2]:
            return "UTF-16"
        if head[0::2].count(0) == len(head) // 2 and 0 not in head[1::2]:
            return "UTF-16"
    return None


def content_digest(kind: str, raw: bytes, text: str) -> str:
    """Identity of a content: the file's bytes (copies share them) and the text the engines
    scan (so a change in notebook extraction or decoding never reuses old cached results)."""
    h = hashlib.sha256(kind.encode() + b"\0" + raw + b"\0")
    h.update(text.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _decode_python(raw: bytes) -> str:
    """Decode as Python does (PEP 263 coding cookie, BOM, default UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError:
        raw.decode("utf-8")  # name the offending byte when that is the problem
        raise
    text = raw.decode(encoding)
    return text[1:] if text.startswith("\ufeff") else text


def _decode_detail(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid {exc.encoding}: {exc.reason} at byte {exc.start}"
    return str(exc)


def syntax_error(text: str) -> str | None:
    """The first syntax error this Python's parser reports (the code is parsed, never run).

    Slow on big trees (about 2-3 s per 10 MB): the pipeline runs it beside the engines."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg} (Python {sys.version_info[0]}.{sys.version_info[1]} parser)"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def syntax_errors(texts: Mapping[str, str]) -> dict[str, str | None]:
    """Each text's first syntax error (key -> message or None)."""
    return {key: syntax_error(text) for key, text in texts.items()}


def syntax_errors_main(argv: Sequence[str] | None = None) -> None:
    """``python -m orchestrator.pipeline.discovery TEXTS.json``: :func:`syntax_errors` as JSON on stdout
    (digest -> message or null). The pipeline runs it for big batches, so that the parse does
    not hold the GIL of the process that drives Semgrep."""
    import json

    (path,) = sys.argv[1:] if argv is None else argv
    with open(path, encoding="utf-8") as fh:
        json.dump(syntax_errors(json.load(fh)), sys.stdout)


if __name__ == "__main__":
    syntax_errors_main()
