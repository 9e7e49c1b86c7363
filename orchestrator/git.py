"""The one way the project runs git: nothing configured in a scanned repository runs.

A repository under scan is hostile. Its ``.git/config`` can name commands that plain git runs:
hooks, ``core.fsmonitor``, ``filter.<driver>.clean/smudge/process`` (selected by
``.gitattributes``), ``diff.<driver>.textconv/command``, ``diff.external``, ``ext::`` remotes,
``log.showSignature`` (gpg). Every call here

- goes through :mod:`orchestrator.proc` (no stdin, offline environment, timeout);
- sets ``core.hooksPath=/dev/null``, ``core.fsmonitor=false``, ``core.untrackedCache=false``,
  ``diff.external=``, ``log.showSignature=false``, ``protocol.allow=never`` and
  ``protocol.ext.allow=never`` (other protocols only when the caller names them);
- overrides every configured ``filter.<name>`` and ``diff.<name>.textconv`` with an empty command
  (the names are read with ``git config``, which runs nothing), gives every diff-showing command
  ``--no-ext-diff --no-textconv``, ignores the system config and the attribute files outside the
  tree;
- drops the caller's ``GIT_DIR``/``GIT_WORK_TREE``/``GIT_EXTERNAL_DIFF``/``GIT_SSH*``/... so
  the command sees the repository at ``cwd`` and nothing else.

On top of that the read helpers use plumbing that never applies a filter: the work tree is
compared with the index by hashing the files' bytes here (:func:`worktree_changes`), never with
``git diff`` against the work tree. Failures raise :class:`GitError` carrying git's stderr.
git's ownership check (``safe.directory``) is kept: a repository owned by another user is refused
unless the caller's own git configuration trusts it (``safe_directory=True`` trusts it for one
call, for trees the caller created itself).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Sequence

from orchestrator import proc

TIMEOUT = 120.0

#: Configuration every call overrides (``-c`` wins over every config file).
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.hooksPath", os.devnull),
    ("core.fsmonitor", "false"),
    ("core.untrackedCache", "false"),
    ("core.attributesFile", os.devnull),
    ("core.pager", "cat"),
    ("core.askPass", "true"),
    ("core.sshCommand", "false"),
    ("core.gitProxy", ""),
    ("diff.external", ""),
    ("log.showSignature", "false"),
    ("gpg.program", "false"),
    ("submodule.recurse", "false"),
    ("protocol.allow", "never"),
    ("protocol.ext.allow", "never"),
    ("uploadpack.packObjectsHook", ""),
    ("credential.helper", ""),
)

#: Variables of the caller's environment that would redirect git or make it run something.
DROPPED_ENV: tuple[str, ...] = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
    "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_PAGER", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR",
    "GIT_SSH", "GIT_SSH_COMMAND", "GIT_PROXY_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS",
    "GIT_CONFIG", "GIT_EXEC_PATH",
    "GIT_TRACE", "GIT_TRACE2", "GIT_TRACE2_EVENT", "GIT_TRACE2_PERF",
)

#: Commands that show diffs: they get ``--no-ext-diff --no-textconv`` (a diff driver's
#: ``command`` cannot be overridden with an empty value: git would try to run "").
DIFF_COMMANDS = frozenset({"diff", "log", "show", "diff-tree", "diff-index", "diff-files",
                           "whatchanged", "format-patch", "range-diff"})

#: Driver keys that hold a command, per driver section.
_DRIVER_KEYS = {"filter": ("clean", "smudge", "process"), "diff": ("textconv",)}


class GitError(proc.ToolError):
    """git is missing, timed out, or refused; the message carries git's own reason."""


def _env(protocols: Sequence[str], isolated: bool) -> dict[str, str]:
    env = {k: v for k, v in proc.offline_env().items() if k not in DROPPED_ENV}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_ATTR_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
                "GIT_LFS_SKIP_SMUDGE": "1", "GIT_ASKPASS": "true", "GIT_OPTIONAL_LOCKS": "0",
                "GIT_ALLOW_PROTOCOL": ":".join(protocols) or "none",
                "GIT_PAGER": "cat", "LC_ALL": "C"})
    if isolated:
        env["GIT_CONFIG_GLOBAL"] = os.devnull
    return env


def _config_args(protocols: Sequence[str], safe_directory: str | None,
                 extra: Sequence[tuple[str, str]] = ()) -> list[str]:
    pairs = list(extra) + list(SAFE_CONFIG)
    pairs += [(f"protocol.{p}.allow", "always") for p in protocols]
    if safe_directory:
        pairs.append(("safe.directory", safe_directory))
    args: list[str] = []
    for key, value in pairs:
        args += ["-c", f"{key}={value}"]
    return args


def _raw(argv: Sequence[str], cwd: str, env: dict[str, str], timeout: float,
         ok_codes: Sequence[int], stdout_path: str | None) -> proc.Completed:
    """proc.run with the environment replaced (not merged), so the dropped variables stay out."""
    import subprocess

    argv = [str(a) for a in argv]
    try:
        if stdout_path:
            with open(stdout_path, "wb") as out:
                done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE,
                                      cwd=cwd, env=env, timeout=timeout)
            stdout = ""
        else:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                                  cwd=cwd, env=env, timeout=timeout)
            stdout = done.stdout.decode("utf-8", "surrogateescape")
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    except NotADirectoryError as exc:
        raise GitError(f"not a folder: {cwd}") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {_verb(argv)} timed out after {timeout:.0f}s") from exc
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode not in ok_codes:
        reason = " | ".join(line.strip() for line in stderr.strip().splitlines()[-5:] if line.strip())
        raise GitError(f"git {_verb(argv)} failed (exit {done.returncode})"
                       + (f": {reason}" if reason else ""))
    return proc.Completed(tuple(argv), done.returncode, stdout, stderr)


def _verb(argv: Sequence[str]) -> str:
    i = 1
    while i < len(argv) and argv[i] == "-c":
        i += 2
    return argv[i] if i < len(argv) else "?"


def _git_binary() -> str:
    return proc.which("git") or "git"


def _driver_overrides(cwd: str, env: dict[str, str], base: list[str], timeout: float) -> list[str]:
    """``-c filter.<name>.clean=`` (etc.) for every driver any config file defines."""
    done = _raw([_git_binary(), *base, "config", "--name-only", "-z", "--get-regexp", r"^(filter|diff)\."],
                cwd, env, timeout, ok_codes=(0, 1, 128), stdout_path=None)
    args: list[str] = []
    seen: set[tuple[str, str]] = set()
    for name in done.stdout.split("\0"):
        section, _, rest = name.partition(".")
        driver, _, _key = rest.rpartition(".")
        section = section.lower()
        if section not in _DRIVER_KEYS or not driver or (section, driver) in seen:
            continue
        if "=" in driver or "\n" in driver:
            raise GitError(f"refusing a repository whose git config names a {section} driver "
                           f"that cannot be disabled safely")
        seen.add((section, driver))
        for key in _DRIVER_KEYS[section]:
            args += ["-c", f"{section}.{driver}.{key}="]
        if section == "filter":
            args += ["-c", f"filter.{driver}.required=false"]
    return args


def run(args: Sequence[str], cwd: str | os.PathLike[str], *, timeout: float = TIMEOUT,
        protocols: Sequence[str] = (), isolated: bool = False, safe_directory: bool = False,
        config: Sequence[tuple[str, str]] = (), ok_codes: Sequence[int] = (0,), stdout_path: str | None = None) -> proc.Completed:
    """Run ``git <args>`` in ``cwd`` with every command-running configuration disabled.

    ``protocols``: transports a fetch may use (``("https",)``, ``("https", "file")``); none by
    default, ``ext`` never. ``isolated``: ignore the user's global config too (trees fairlint
    builds itself, such as corpus checkouts). ``safe_directory``: trust ``cwd`` although another
    user owns it (only for trees fairlint created). ``config``: more ``-c`` settings (they never
    override the safety settings, which come after them).
    """
    cwd = os.fspath(cwd)
    protocols = tuple(p for p in protocols if p != "ext")
    env = _env(protocols, isolated)
    base = _config_args(tuple(protocols), os.path.abspath(cwd) if safe_directory else None, config)
    if args and args[0] == "init":
        drivers: list[str] = []  # nothing to read yet (and cwd may not be a repository)
    else:
        drivers = _driver_overrides(cwd, env, base, timeout)
    args = list(args)
    if args and args[0] in DIFF_COMMANDS:
        args[1:1] = ["--no-ext-diff", "--no-textconv"]
    elif args and args[0] == "blame":
        args[1:1] = ["--no-textconv"]
    return _raw([_git_binary(), *base, *drivers, *args], cwd, env, timeout, ok_codes, stdout_path)


# ------------------------------------------------------------------ read helpers
def _z(text: str) -> list[str]:
    return [n for n in text.split("\0") if n]


def resolve_commit(cwd: Path | str, ref: str) -> str:
    """The commit ``ref`` names in the repository at ``cwd``; GitError says why not."""
    if not ref or ref.startswith("-"):
        raise GitError(f"unknown ref {ref!r}: a ref cannot be empty or start with '-'")
    try:
        done = run(["rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except GitError as exc:
        raise GitError(f"unknown ref {ref!r} in {cwd}: {_reason(exc)}") from None
    return done.stdout.strip()


def _reason(exc: GitError) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def object_format(cwd: Path | str) -> str:
    """``sha1`` or ``sha256``."""
    try:
        out = run(["rev-parse", "--show-object-format"], cwd).stdout.strip()
    except GitError:
        return "sha1"
    return out or "sha1"


def blob_id(data: bytes, fmt: str = "sha1") -> str:
    """The id git gives a blob of ``data`` with no filter applied (``hash-object --no-filters``)."""
    h = hashlib.new(fmt)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def _worktree_bytes(path: str, mode: int) -> bytes | None:
    """What git would store for the work-tree entry at ``path``, read without following it out
    of the tree; None when it is missing, of another kind or not readable."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return None
    if mode == 0o120000:
        return os.fsencode(os.readlink(path)) if stat.S_ISLNK(st.st_mode) else None
    if not stat.S_ISREG(st.st_mode):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def worktree_changes(cwd: Path | str) -> list[str]:
    """Tracked files (relative to ``cwd``) whose work-tree content differs from the index,
    deleted ones left out. No clean filter runs: the bytes are hashed here, so a file a filter
    would normalise counts as changed (a superset, never a miss)."""
    cwd = os.fspath(cwd)
    fmt = object_format(cwd)
    out = run(["ls-files", "--stage", "-z", "--", "."], cwd).stdout
    changed = []
    for entry in _z(out):
        meta, _, name = entry.partition("\t")
        fields = meta.split()
        if len(fields) != 3:
            continue
        mode, oid = int(fields[0], 8), fields[1]
        if mode == 0o160000:  # a submodule: its own repository
            continue
        data = _worktree_bytes(os.path.join(cwd, name), mode)
        if data is None:
            continue  # deleted or not a file any more
        if blob_id(data, fmt) != oid:
            changed.append(name)
    return sorted(set(changed))


def changed_since(cwd: Path | str, base: str) -> list[str]:
    """Files under ``cwd`` (relative to it) added, copied, modified or renamed since ``base``:
    committed or staged, changed in the work tree, or untracked (ignored files left out)."""
    commit = resolve_commit(cwd, base)
    staged = run(["diff-index", "--cached", "--name-only", "-z", "--no-renames", "--relative",
                  "--diff-filter=AM", commit, "--"], cwd).stdout
    untracked = run(["ls-files", "--others", "--exclude-standard", "-z", "--", "."], cwd).stdout
    names = set(_z(staged)) | set(_z(untracked)) | set(worktree_changes(cwd))
    return sorted(n for n in names if os.path.lexists(os.path.join(os.fspath(cwd), n)))


def tracked_files(cwd: Path | str) -> list[str]:
    """Files in the index under ``cwd``, relative to it."""
    return sorted(_z(run(["ls-files", "-z", "--", "."], cwd).stdout))


def is_repository(cwd: Path | str) -> bool:
    try:
        return run(["rev-parse", "--is-inside-work-tree"], cwd).stdout.strip() == "true"
    except GitError:
        return False

