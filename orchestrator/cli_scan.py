"""`fairlint scan` (being built; see issue 3)."""
import click


@click.command("scan")
@click.argument("path")
def scan_cmd(path: str) -> None:
    """Scan PATH for bias-prone patterns."""
    raise click.ClickException("not built yet")
