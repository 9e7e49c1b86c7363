"""`fairlint corpus ...` and `fairlint study ...` (being built; see issue 4)."""
import click


@click.group("corpus")
def corpus_group() -> None:
    """Corpus manifests and fetching."""


@click.group("study")
def study_group() -> None:
    """Corpus study."""
