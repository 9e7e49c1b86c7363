"""Reading files a scanned tree provides and writing fairlint's outputs, safely.

- :func:`read_tree_file`: a configuration, policy or baseline file is read only when it is a
  regular file (never a FIFO or device) under a size cap, and, when it was found in a scanned
  tree, only when its real path is inside that tree (a committed symlink to ``/etc/passwd`` is
  refused). Errors name the file and the reason, never its content.
- :func:`load_yaml`: YAML with the safe loader, no aliases (billion laughs), bounded nesting and
  a size cap; errors are one short line.
- :func:`atomic_write` / :func:`atomic_path`: every output is written to a temporary file in the
  destination folder and renamed over the destination, so a full disk or a kill never leaves a
  truncated report or baseline, and a symlink at the destination is replaced, never followed.
- :func:`move_aside`: rename a damaged file to a name that does not exist yet (never overwrite).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Iterator

#: Size caps for files read from a scanned tree (or named on the command line).
CONFIG_MAX_BYTES = 1 * 2**20
BASELINE_MAX_BYTES = 64 * 2**20
#: Deepest nesting accepted in a YAML or JSON document fairlint reads.
MAX_DEPTH = 64

_UMASK = os.umask(0)
os.umask(_UMASK)


class InputError(ValueError):
    """A file fairlint was asked to read is refused or unreadable; the message says why."""


class OutputError(OSError):
    """An output could not be written; the destination is unchanged."""


# ------------------------------------------------------------------ reading
def _inside(path: Path, root: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def read_tree_file(path: str | os.PathLike[str], *, limit: int = CONFIG_MAX_BYTES,
                   root: str | os.PathLike[str] | None = None, what: str = "file") -> bytes:
    """The bytes of ``path``: a regular file of at most ``limit`` bytes; with ``root`` (the file
    was found in a scanned tree rather than named by the user) its real path must be inside
    ``root``. Raises :class:`InputError` naming the file and the reason (never its content)."""
    path = Path(path)
    if root is not None and not _inside(path, Path(root)):
        raise InputError(f"{what} {path} is a symlink to a file outside the scanned tree: not read")
    try:
        fd = os.open(os.path.realpath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{what} {path} is not a regular file: not read")
        if st.st_size > limit:
            raise InputError(f"{what} {path} is too large ({st.st_size} bytes; the limit is {limit})")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{what} {path} is too large (over {limit} bytes)")
    return data


def read_tree_text(path: str | os.PathLike[str], *, limit: int = CONFIG_MAX_BYTES,
                   root: str | os.PathLike[str] | None = None, what: str = "file") -> str:
    """:func:`read_tree_file` decoded as UTF-8 (an error says where, not what)."""
    data = read_tree_file(path, limit=limit, root=root, what=what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {path} is not UTF-8 text (byte {exc.start})") from None


def short(message: object, limit: int = 300) -> str:
    """An error message cut to ``limit`` characters (a parser may quote a whole document)."""
    text = str(message)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yaml_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader without aliases and with bounded nesting."""

        _depth = 0

        def compose_node(self, parent, index):  # noqa: ANN001
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.YAMLError(f"aliases (*{event.anchor}) are not allowed "
                                     f"(line {event.start_mark.line + 1})")
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise yaml.YAMLError(f"nested deeper than {MAX_DEPTH} levels")
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return Loader


def load_yaml(text: str | bytes, source: str, *, limit: int = CONFIG_MAX_BYTES) -> Any:
    """Parse YAML safely: no aliases, at most ``MAX_DEPTH`` levels, at most ``limit`` bytes.
    Raises :class:`InputError` with a one-line reason."""
    import yaml

    if len(text) > limit:
        raise InputError(f"{source} is too large ({len(text)} bytes; the limit is {limit})")
    loader = _yaml_loader()(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise InputError(f"{source} is not valid YAML: {short(' '.join(str(exc).split()))}") from None
    except RecursionError:
        raise InputError(f"{source} is nested too deeply") from None
    finally:
        loader.dispose()


def load_json(text: str | bytes, source: str) -> Any:
    """``json.loads`` that turns deep nesting and huge integers into :class:`InputError`."""
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(f"{source} is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, int too large, bad UTF-8
        raise InputError(f"{source} is not valid JSON: {short(exc)}") from None


# ------------------------------------------------------------------ writing
def _error(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on device"
    return OutputError(exc.errno or 0, f"cannot write {path}: {reason} (left unchanged)")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path in ``path``'s folder to write to; on success it is renamed over
    ``path`` (a symlink there is replaced, not followed); on failure it is removed and
    :class:`OutputError` says why, ``path`` unchanged."""
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise _error(path, exc) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def atomic_write(path: str | os.PathLike[str], data: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(raw)


def move_aside(path: str | os.PathLike[str], suffix: str = ".damaged") -> Path:
    """Rename ``path`` to ``<path><suffix>``, or ``<suffix>.1``, ``.2``... when that exists:
    an earlier copy is never overwritten. Returns the new path."""
    path = Path(path)
    for n in range(0, 1000):
        aside = path.with_name(path.name + suffix + (f".{n}" if n else ""))
        if os.path.lexists(aside):
            continue
        try:
            os.link(path, aside)  # fails if ``aside`` appeared meanwhile: never overwrites
        except FileExistsError:
            continue
        except OSError:  # no hard links here (or a folder): rename, having checked it is free
            if os.path.lexists(aside):
                continue
            os.rename(path, aside)
            return aside
        os.unlink(path)
        return aside
    raise OutputError(errno.EEXIST, f"cannot move {path} aside: too many earlier copies")
