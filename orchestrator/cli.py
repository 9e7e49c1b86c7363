"""The ``fairlint`` command line: parse options, call the library, write output.

Command bodies stay short; policy (exit codes, thresholds) lives in the library. Exit codes:
0 the command ran (scan: whatever it found), 1 the gate found something at or above its
threshold, 2 usage, policy or tool error.
"""

from __future__ import annotations

import sys

import click

from orchestrator import __version__, resources, rulepack
from orchestrator.cli_cache import cache_group
from orchestrator.cli_gate import baseline_cmd, gate_cmd
from orchestrator.cli_scan import scan_cmd
from orchestrator.cli_study import corpus_group, study_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


main.add_command(scan_cmd)
main.add_command(gate_cmd)
main.add_command(baseline_cmd)
main.add_command(corpus_group)
main.add_command(study_group)
main.add_command(cache_group)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
