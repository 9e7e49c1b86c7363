"""`fairlint gate` and `fairlint baseline` (being built; see issue 5)."""
import click


@click.command("gate")
@click.argument("path")
def gate_cmd(path: str) -> None:
    """CI policy gate."""
    raise click.ClickException("not built yet")


@click.command("baseline")
@click.argument("path")
def baseline_cmd(path: str) -> None:
    """Write a baseline."""
    raise click.ClickException("not built yet")
