"""The one place that starts external processes: timeouts, an offline environment, captured errors."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Sequence

#: Environment every external tool runs with: no telemetry, no version checks, no pager.
OFFLINE_ENV = {
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
    "SEMGREP_USER_AGENT_APPEND": "fairlint",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_LFS_SKIP_SMUDGE": "1",
    "GIT_CONFIG_NOSYSTEM": "1",
    "PAGER": "cat",
    "NO_COLOR": "1",
}


class ToolError(RuntimeError):
    """An external tool is missing, timed out or failed; the message says which and why."""


@dataclass(frozen=True)
class Completed:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def offline_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(OFFLINE_ENV)
    if extra:
        env.update(extra)
    return env


def which(tool: str) -> str | None:
    """Path of ``tool``: next to this Python first (a venv's semgrep), then PATH."""
    import sys
    from pathlib import Path

    local = Path(sys.executable).parent / tool
    if local.exists() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which(tool)


def run(
    argv: Sequence[str],
    *,
    timeout: float,
    cwd: str | None = None,
    env: Mapping[str, str] | None = None,
    ok_codes: Sequence[int] = (0,),
    stdout_path: str | None = None,
) -> Completed:
    """Run ``argv`` with no stdin, the offline environment and a hard timeout.

    ``stdout_path`` sends stdout to a file (large JSON outputs); ``stdout`` is then "".
    Raises :class:`ToolError` on a missing binary, a timeout or an unexpected exit code.
    Inside :func:`tracked_children` the child gets its own process group (Semgrep's workers
    included), is recorded in the PID file, and is killed as a group on a timeout or an
    interruption.
    """
    argv = [str(a) for a in argv]
    tracking = _tracker is not None
    if tracking and _stopping.is_set():
        raise ToolError(f"{os.path.basename(argv[0])} not started: the run is being stopped")
    out = open(stdout_path, "wb") if stdout_path else None
    try:
        try:
            child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out or subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=offline_env(env),
                                     start_new_session=tracking)
        except FileNotFoundError as exc:
            raise ToolError(f"{argv[0]} is not installed or not on PATH") from exc
        if tracking:
            _tracker.started(child.pid, argv)
        try:
            raw_out, raw_err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(child, tracking)
            raise ToolError(f"{os.path.basename(argv[0])} timed out after {timeout:.0f}s") from exc
        except BaseException:
            _kill(child, tracking)
            raise
        finally:
            if tracking and _tracker is not None:
                _tracker.finished(child.pid)
    finally:
        if out is not None:
            out.close()
    stdout = "" if stdout_path else (raw_out or b"").decode("utf-8", "replace")
    stderr = (raw_err or b"").decode("utf-8", "replace")
    if child.returncode not in ok_codes:
        tail = stderr.strip().splitlines()[-5:]
        raise ToolError(
            f"{os.path.basename(argv[0])} exited with {child.returncode}: " + " | ".join(tail)
        )
    return Completed(tuple(argv), child.returncode, stdout, stderr)


def _kill(child: subprocess.Popen, group: bool) -> None:
    """Kill ``child`` (its whole process group when it has its own) and collect it."""
    try:
        if group:
            os.killpg(child.pid, signal.SIGKILL)
        else:
            child.kill()
    except (ProcessLookupError, PermissionError):
        pass
    try:
        child.communicate(timeout=30)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        pass


# ------------------------------------------------------------------ tracked children
#: A run that must leave no child behind (the corpus study) records its children here.
_tracker: "ChildTracker | None" = None
_stopping = threading.Event()


def _cmdline(pid: int) -> list[str] | None:
    """The command line of process ``pid`` (Linux /proc), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    return [a.decode("utf-8", "surrogateescape") for a in raw.split(b"\0")[:-1]] if raw else None


def _group_members(pgid: int) -> list[int]:
    """Processes whose process group is ``pgid``."""
    members = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[2] == str(pgid):
            members.append(int(entry))
    return members


class ChildTracker:
    """The children of this process, recorded in a PID file (JSON: owner pid and command line,
    each child's pid, process group and argv) so that a later run can reap them when this
    process dies without cleaning up (SIGKILL)."""

    def __init__(self, pidfile: Path):
        self.pidfile = Path(pidfile)
        self.children: dict[int, list[str]] = {}
        self.lock = threading.RLock()  # the signal handler may run while this thread holds it

    def started(self, pid: int, argv: Sequence[str]) -> None:
        with self.lock:
            self.children[pid] = list(argv)
            self._write()

    def finished(self, pid: int) -> None:
        with self.lock:
            self.children.pop(pid, None)
            self._write()

    def _write(self) -> None:
        data = {"owner": os.getpid(), "owner_cmdline": _cmdline(os.getpid()),
                "children": [{"pid": p, "pgid": p, "argv": a} for p, a in sorted(self.children.items())]}
        self.pidfile.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.pidfile.with_name(self.pidfile.name + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.pidfile)

    def kill_all(self) -> None:
        with self.lock:
            pids = list(self.children)
        for pid in pids:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def reap_stale(folder: Path) -> list[int]:
    """Kill the children recorded by dead owners in ``folder``'s PID files; the pids killed.

    A child is killed only when its process still runs the recorded command line (a reused pid
    runs something else), with its whole process group; when the group's first process is gone,
    the members whose command line names the same program are killed one by one."""
    killed: list[int] = []
    for pidfile in sorted(Path(folder).glob("*.pids")):
        try:
            data = json.loads(pidfile.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        owner = data.get("owner")
        if owner != os.getpid() and owner is not None and _cmdline(int(owner)) == data.get("owner_cmdline"):
            continue  # its owner still runs: its children are not stale
        for child in data.get("children", []):
            pid, pgid, argv = int(child["pid"]), int(child["pgid"]), list(child["argv"])
            if _cmdline(pid) == argv:
                try:
                    os.killpg(pgid, signal.SIGKILL)
                    killed.append(pid)
                except (ProcessLookupError, PermissionError):
                    pass
                continue
            program = os.path.basename(argv[0]) if argv else ""
            for member in _group_members(pgid):
                line = _cmdline(member) or []
                if program and any(program in os.path.basename(a) for a in line[:2]):
                    try:
                        os.kill(member, signal.SIGKILL)
                        killed.append(member)
                    except (ProcessLookupError, PermissionError):
                        pass
        pidfile.unlink(missing_ok=True)
    return killed


@contextlib.contextmanager
def tracked_children(folder: Path) -> Iterator[ChildTracker]:
    """Within: every child :func:`run` starts has its own process group and is recorded in
    ``folder/<host>-<pid>.pids``; stale children of dead runs are reaped first; SIGINT and
    SIGTERM (in the main thread) kill every child and stop new ones from starting, then raise
    KeyboardInterrupt. On the way out every child still running is killed."""
    global _tracker
    folder = Path(folder)
    reap_stale(folder)
    tracker = ChildTracker(folder / f"{socket.gethostname()}-{os.getpid()}.pids")
    previous, _tracker = _tracker, tracker
    _stopping.clear()
    handlers = {}

    def stop(signum, frame):  # noqa: ARG001 - signal handler signature
        _stopping.set()
        tracker.kill_all()
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            handlers[sig] = signal.signal(sig, stop)
    try:
        yield tracker
    except BaseException:
        _stopping.set()
        tracker.kill_all()
        raise
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        tracker.kill_all()
        _tracker = previous
        _stopping.clear()
        tracker.pidfile.unlink(missing_ok=True)


def ensure_tracked(folder: Path) -> ChildTracker:
    """Track this process's children from now on (a dask worker: its tasks run in threads, so
    no signal handler; a killed worker's children are reaped by the next run)."""
    global _tracker
    with _ensure_lock:
        if _tracker is None:
            reap_stale(Path(folder))
            _tracker = ChildTracker(Path(folder) / f"{socket.gethostname()}-{os.getpid()}.pids")
            atexit.register(_tracker.kill_all)
        return _tracker


_ensure_lock = threading.Lock()
