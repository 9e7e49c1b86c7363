"""`fairlint cache ...`: where the result cache is, how big, and emptying it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orchestrator.pipeline import cache

_DIR = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                    help="Result cache folder (default: the user cache folder).")


def _fail(message: str) -> None:
    click.echo(f"fairlint: error: {message}", err=True)
    sys.exit(2)


@click.group("cache")
def cache_group() -> None:
    """The result cache: every file content is scanned once per rule pack and Semgrep version."""


@cache_group.command("info")
@_DIR
def cache_info(cache_dir: Path | None) -> None:
    """Print where the cache is and how much it holds."""
    try:
        stats = cache.open_cache(cache_dir).stats()
    except cache.CacheError as exc:
        _fail(str(exc))
    click.echo(f"path: {stats.path}")
    click.echo(f"entries: {stats.entries} ({stats.contexts} rule-pack/engine contexts)")
    click.echo(f"size: {stats.file_bytes / 2**20:.1f} MB on disk")


@cache_group.command("clear")
@_DIR
def cache_clear(cache_dir: Path | None) -> None:
    """Delete every cached result (the next scan analyses every file again)."""
    store = cache.open_cache(cache_dir)
    try:
        freed = store.clear()
    except cache.CacheError as exc:
        _fail(str(exc))
    click.echo(f"cleared {store.path} ({freed / 2**20:.1f} MB freed)")
