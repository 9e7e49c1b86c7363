"""The ``fairlint`` command line: parse options, call the library, write output.

Command bodies stay short; policy (exit codes, thresholds) lives in the library. Exit codes:
0 the command ran (scan: whatever it found), 1 the gate found something at or above its
threshold, 2 usage, policy or tool error.
"""

from __future__ import annotations

import importlib
import sys

import click

from orchestrator import __version__, resources, rulepack

# Subcommands defined in other modules, imported when invoked (or listed by --help): `fairlint
# scan` then does not import the gate's policy schema checks (jsonschema) or the study's
# corpus fetching, which was a fifth of a warm re-scan's time (click's "lazily loading
# subcommands" pattern).
LAZY_COMMANDS = {
    "scan": "orchestrator.cli_scan:scan_cmd",
    "gate": "orchestrator.cli_gate:gate_cmd",
    "baseline": "orchestrator.cli_gate:baseline_cmd",
    "corpus": "orchestrator.cli_study:corpus_group",
    "study": "orchestrator.cli_study:study_group",
    "cache": "orchestrator.cli_cache:cache_group",
}


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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fairlint")
def main() -> None:
    """fairlint: find bias-prone patterns in deep-learning code."""


@main.group("rules")
def rules_group() -> None:
    """The rule pack: where it is, its catalogue, vocabulary sync."""


@rules_group.command("path")
@click.option("--kind", type=click.Choice(["semgrep", "evidence", "codeql", "root"]), default="semgrep",
              show_default=True, help="Which part of the pack.")
def rules_path(kind: str) -> None:
    """Print where the installed rules are (use it with `semgrep --config`)."""
    paths = {"semgrep": resources.semgrep_rules_dir, "evidence": resources.evidence_rules_dir,
             "codeql": resources.codeql_dir, "root": resources.rules_root}
    click.echo(str(paths[kind]()))


@rules_group.command("catalogue")
def rules_catalogue() -> None:
    """Print the rule catalogue (docs/rules.md) generated from the rules' metadata."""
    click.echo(rulepack.catalogue_markdown(), nl=False)
    click.echo()


@rules_group.command("sync")
def rules_sync() -> None:
    """Rewrite the rules' vocabulary regexes (Semgrep and CodeQL) from rules/vocabulary.yaml."""
    from orchestrator.engines.codeql import VOCABULARY_QLL, sync_vocabulary_qll

    changed = rulepack.sync_vocabulary()
    if sync_vocabulary_qll():
        changed.append(resources.codeql_dir() / VOCABULARY_QLL)
    for path in changed:
        click.echo(f"updated {path}")
    click.echo(f"{len(changed)} rule file(s) updated", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
