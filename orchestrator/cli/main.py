"""The ``fairlint`` command line: parse options, call the library, write output.

Command bodies stay short; policy (exit codes, thresholds) lives in the library. Exit codes:
0 the command ran (scan: whatever it found), 1 the gate found something at or above its
threshold, 2 usage, policy or tool error.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from orchestrator import __version__

# Subcommands defined in other modules, imported when invoked (or listed by --help): `fairlint
# scan` then does not import the gate's policy schema checks (jsonschema) or the study's
# corpus fetching, which was a fifth of a warm re-scan's time (click's "lazily loading
# subcommands" pattern).
LAZY_COMMANDS = {
    "scan": "orchestrator.cli.scan:scan_cmd",
    "gate": "orchestrator.cli.gate:gate_cmd",
    "baseline": "orchestrator.cli.gate:baseline_cmd",
    "corpus": "orchestrator.cli.study:corpus_group",
    "study": "orchestrator.cli.study:study_group",
    "cache": "orchestrator.cli.cache:cache_group",
    "rules": "orchestrator.cli.rules:rules_group",
    "measure": "orchestrator.cli.measure:measure_cmd",
    "history": "orchestrator.cli.history:history_cmd",
    "lsp": "orchestrator.cli.lsp:lsp_cmd",
}


#: Commands that need an optional extra, and the modules that extra installs.
EXTRAS = {
    "study": ("study", ("pandas", "pyarrow", "matplotlib", "distributed")),
    "measure": ("measure", ("pandas", "pyarrow", "fairlearn", "scipy")),
    "lsp": ("lsp", ("pygls", "lsprotocol")),
}


def missing_extra(cmd_name: str) -> str | None:
    """What to install when ``cmd_name`` needs an extra that is not installed (else None)."""
    if cmd_name not in EXTRAS:
        return None
    extra, modules = EXTRAS[cmd_name]
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if not missing:
        return None
    # fairlint is not on PyPI: from a clone, or from git at this version's tag (CHANGELOG.md).
    return (f"`fairlint {cmd_name}` needs the '{extra}' extra ({', '.join(missing)} not installed): "
            f"pip install -e '.[{extra}]' in a fairlint clone, or "
            f"pip install 'fairlint[{extra}] @ git+https://github.com/fairlint/fairlint@v{__version__}'")


class LazyGroup(click.Group):
    """A click group whose ``LAZY_COMMANDS`` are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, attr = LAZY_COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attr)
            if command.name != cmd_name:
                raise RuntimeError(f"{LAZY_COMMANDS[cmd_name]} is the command {command.name!r}, not {cmd_name!r}")
            self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name in EXTRAS and not {"-h", "--help"} & set(args[1:]):
            problem = missing_extra(name)
            if problem:
                raise click.UsageError(problem, ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context):
        """Run the command: Ctrl-C exits 130 (never 1, the gate's "findings"), and a warning
        (a cache that cannot be used) is one plain line, not Python's warning format."""
        import warnings

        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt:
                click.echo("fairlint: interrupted", err=True)
                raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


#: The shell's code for a command ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    click.echo(f"fairlint: warning: {' '.join(str(message).split())}", err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fairlint")
def main() -> None:
    """fairlint: find bias-prone patterns in deep-learning code."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
