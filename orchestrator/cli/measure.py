"""`fairlint measure`: parse options, call :func:`orchestrator.measure.measure`, write the report.

Exit 0 when the table was measured (whatever it shows), 2 on bad input, with a one-line error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_ERROR = 2


def _fail(message: str) -> None:
    click.echo(f"fairlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.command("measure")
@click.argument("data", type=click.Path(dir_okay=True))
@click.option("--facet", "facets", multiple=True, required=True, metavar="COL[=VALUE]",
              help="Protected column (repeatable); COL=VALUE compares only that value with the rest.")
@click.option("--label", required=True, metavar="COL", help="Observed outcome column.")
@click.option("--prediction", metavar="COL", help="Model decision (0/1) or score in [0, 1].")
@click.option("--positive", metavar="VALUE", help="The favourable label value (default: 1 or true).")
@click.option("--group", "groups", multiple=True, metavar="COL", help="Stratum column for CDD (repeatable).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Scores at or above this are favourable predictions.")
@click.option("--facet-nan", type=click.Choice(["error", "group", "drop"]), default="error", show_default=True,
              help="Missing facet values: refuse, keep as a group of their own, or drop (counted).")
@click.option("--min-group-size", type=click.IntRange(min=1), default=30, show_default=True,
              help="Groups smaller than this are reported as too small to judge.")
@click.option("--bootstrap", type=click.IntRange(min=0), default=0, show_default=True,
              help="Bootstrap resamples for confidence intervals (0: none).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "sarif"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here (default: stdout).")
def measure_cmd(data, facets, label, prediction, positive, groups, threshold, facet_nan, min_group_size,
                bootstrap, seed, fmt, output) -> None:
    """Measure group-wise outcomes in DATA (CSV or Parquet) with SageMaker Clarify's metrics."""
    from orchestrator.measure import MeasureConfig, MeasureError, measure
    from orchestrator.measure.formats import render

    try:
        config = MeasureConfig(facets=facets, label=label, prediction=prediction, positive=positive,
                               groups=groups, threshold=threshold, facet_nan=facet_nan,
                               min_group_size=min_group_size, bootstrap=bootstrap, seed=seed)
        result = measure(Path(data), config)
    except MeasureError as exc:
        _fail(str(exc))
    text = render(result, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


# --------------------------------------------------------------------------- `fairlint scan --measure`

def scan_measure_options(command):
    """The ``--measure DATA --facet COL ... --label COL`` options of ``fairlint scan``."""
    options = [
        click.option("--measure", "measure_data", type=click.Path(dir_okay=True, path_type=Path), metavar="DATA",
                     help="Also measure this outcomes table (CSV or Parquet) and link the figures to the findings."),
        click.option("--facet", "measure_facets", multiple=True, metavar="COL[=VALUE]",
                     help="With --measure: a protected column (repeatable)."),
        click.option("--label", "measure_label", metavar="COL", help="With --measure: the observed outcome column."),
        click.option("--prediction", "measure_prediction", metavar="COL",
                     help="With --measure: the model decision (0/1) or score column."),
        click.option("--group", "measure_groups", multiple=True, metavar="COL",
                     help="With --measure: a stratum column for CDD (repeatable)."),
        click.option("--positive", "measure_positive", metavar="VALUE", help="With --measure: the favourable label value."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def link_scan(result, path: Path, config, options: dict, policy=None):
    """The scan's result with the measured figures (``--measure``, or the configuration's
    ``measure:`` section) and the suggested measurement attached. Raises MeasureError or
    PolicyError (exit 2)."""
    from orchestrator.gate.policy import Policy
    from orchestrator.measure import link

    vocab = config.vocabulary()
    result = link.with_suggestion(result, vocab)
    if policy is None:
        policy = Policy.discover(path if path.is_dir() else path.parent)
    spec = link.resolve_spec(policy.measure, policy.source, options.get("measure_data"),
                             options.get("measure_facets", ()), options.get("measure_label"),
                             options.get("measure_prediction"), options.get("measure_positive"),
                             options.get("measure_groups", ()))
    if spec is None:
        return result
    return link.measure_scan(result, spec, vocab)[0]
