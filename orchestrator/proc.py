"""The one place that starts external processes: timeouts, an offline environment, captured errors."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Mapping, Sequence

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
    """
    argv = [str(a) for a in argv]
    try:
        if stdout_path:
            with open(stdout_path, "wb") as out:
                proc = subprocess.run(
                    argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE,
                    cwd=cwd, env=offline_env(env), timeout=timeout,
                )
            stdout = ""
        else:
            proc = subprocess.run(
                argv, stdin=subprocess.DEVNULL, capture_output=True,
                cwd=cwd, env=offline_env(env), timeout=timeout,
            )
            stdout = proc.stdout.decode("utf-8", "replace")
    except FileNotFoundError as exc:
        raise ToolError(f"{argv[0]} is not installed or not on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"{os.path.basename(argv[0])} timed out after {timeout:.0f}s") from exc
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode not in ok_codes:
        tail = stderr.strip().splitlines()[-5:]
        raise ToolError(
            f"{os.path.basename(argv[0])} exited with {proc.returncode}: " + " | ".join(tail)
        )
    return Completed(tuple(argv), proc.returncode, stdout, stderr)
