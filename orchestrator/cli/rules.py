"""`fairlint rules`: where the installed pack is, its catalogue, and the vocabulary sync."""

from __future__ import annotations

import click

from orchestrator.rules import pack as rulepack
from orchestrator.rules import resources


@click.group("rules")
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
