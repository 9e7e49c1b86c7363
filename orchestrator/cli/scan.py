"""`fairlint scan`: parse options, call :func:`orchestrator.pipeline.scan.scan`, write the report.

Exit 0 when the scan ran (whatever it found), 2 on a usage or tool error (missing path,
semgrep not installed, unknown engine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from orchestrator import proc
from orchestrator.config import ScanConfig
from orchestrator.formats import OutputFormat, get_formatter


class ToolFailure(click.ClickException):
    """A scan that could not run: exit 2, like a usage error."""

    exit_code = 2


def progress_wanted(stream=None) -> bool:
    """Live progress only on an interactive terminal, never in CI logs or when piped."""
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def split_engines(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--engine semgrep,codeql`` and repeated ``--engine`` both work."""
    names = [n.strip().lower() for v in values for n in v.split(",") if n.strip()]
    return tuple(dict.fromkeys(names)) or ("semgrep",)


def write_report(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


@click.command("scan")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice([f.value for f in OutputFormat]), default="text",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of standard output.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Parallel analysis jobs (0: one per CPU core).")
@click.option("--protected-attr", "protected", multiple=True, metavar="NAME",
              help="Another protected-attribute name (repeatable), e.g. tribe.")
@click.option("--proxy-attr", "proxy", multiple=True, metavar="NAME",
              help="Another proxy-feature name (repeatable), e.g. school_district.")
@click.option("--engine", "engines", multiple=True, metavar="NAME[,NAME]",
              help="Engines to run: semgrep (default), codeql; comma-separated or repeated.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out paths matching a git-style glob (repeatable).")
@click.option("--timeout", type=click.IntRange(min=0), default=30, show_default=True,
              help="Per-file analysis timeout in seconds (0: none).")
@click.option("--max-file-bytes", type=click.IntRange(min=0), default=2_000_000, show_default=True,
              help="Skip files larger than this (0: no limit).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Result cache folder (default: the user cache folder).")
@click.option("--no-cache", is_flag=True, help="Scan every file; neither read nor write the result cache.")
def scan_cmd(path: Path, fmt: str, output: Path | None, jobs: int, protected: tuple[str, ...],
             proxy: tuple[str, ...], engines: tuple[str, ...], exclude: tuple[str, ...],
             timeout: int, max_file_bytes: int, cache_dir: Path | None, no_cache: bool) -> None:
    """Scan PATH (a folder or a file) for bias-prone patterns."""
    from orchestrator.pipeline.scan import scan

    config = ScanConfig(engines=split_engines(engines), jobs=jobs, protected_attrs=protected,
                        proxy_attrs=proxy, exclude=exclude, timeout_per_file=timeout,
                        max_file_bytes=max_file_bytes, progress=progress_wanted(),
                        cache_dir=cache_dir, use_cache=not no_cache)
    try:
        result = scan(path, config)
    except proc.ToolError as exc:
        raise ToolFailure(str(exc)) from None
    write_report(get_formatter(fmt).render(result), output)
    if output is not None:
        click.echo(f"fairlint: {len(result.findings)} finding(s) in {result.files_scanned} file(s); "
                   f"report written to {output}", err=True)
