"""The corpus study's outputs: findings.parquet, repos.csv, prevalence.csv, comparison.csv,
severity.csv, plots, study.md.

Everything here is a pure function of the manifest and the per-repository outcomes, so a resumed
study writes byte-identical tables to an uninterrupted one (the bootstrap is seeded).

Cross-repository copies, two ways: a finding instance is identified by (rule id, hash of the
file's content, lines, snippet), and separately by its line-free fingerprint. The first copy in
repository-name order is ``counted`` (``counted_by_fingerprint``); ``copies``
(``copies_by_fingerprint``) says how many places hold the same instance. Prevalence counts a
repository as having a pattern only when it holds a counted risk instance of it (``info``
findings never count), so forks and vendored files count once.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pandas as pd

from orchestrator import __version__, proc, safeio
from orchestrator.pipeline.frameworks import FRAMEWORK_COLUMNS
from orchestrator.rules import taxonomy
from orchestrator.rules.pack import STAGE_ORDER
from orchestrator.study import stats
from orchestrator.study.corpus import Manifest

FINDING_COLUMNS = [
    "repo", "commit", "path", "rule_id", "bias_pattern", "stage", "start_line", "end_line", "severity",
    "score", "confidence", "fingerprint", "message", "snippet", "content_hash", "primary", "repository_level",
    "cell_index", "cell_line", "cell_id",
    "domain", "people_data", "frameworks", *(f"framework_{fw}" for fw in FRAMEWORK_COLUMNS),
    "copies", "counted", "is_copy", "copies_by_fingerprint", "counted_by_fingerprint", "risk",
]
_COMPUTED = ("copies", "counted", "is_copy", "copies_by_fingerprint", "counted_by_fingerprint", "risk")
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
RISK_SEVERITIES = SEVERITY_ORDER[:-1]  # ``info`` is never counted as a risk
PLOT_FRAMEWORKS = ("pytorch", "tensorflow", "keras")
MIN_CELL_N = 5  # heatmap cells over fewer repositories are greyed out
ANY_PATTERN = "(any)"


# ---------------------------------------------------------------- tables
def findings_frame(outcomes: Sequence[Any]) -> pd.DataFrame:
    """All rows, sorted, with copies marked twice: by file content (``copies``, ``counted``,
    ``is_copy``) and by the line-free fingerprint (``copies_by_fingerprint``,
    ``counted_by_fingerprint``); ``risk`` is false for ``info`` findings."""
    rows = [r for o in outcomes for r in o.rows]
    df = pd.DataFrame(rows, columns=[c for c in FINDING_COLUMNS if c not in _COMPUTED])
    df = df.sort_values(["repo", "path", "start_line", "end_line", "rule_id", "fingerprint"],
                        kind="mergesort").reset_index(drop=True)
    for key, copies, counted in ((_instance_key(df), "copies", "counted"),
                                 (_fingerprint_key(df), "copies_by_fingerprint", "counted_by_fingerprint")):
        df[copies] = key.map(key.value_counts()).astype("int64") if len(df) else pd.Series(dtype="int64")
        df[counted] = ~key.duplicated(keep="first") if len(df) else pd.Series(dtype=bool)
    df["is_copy"] = ~df["counted"].astype(bool)
    df["risk"] = df["severity"] != "info"
    df["cell_id"] = df["cell_id"].fillna("").astype(str)
    return df.astype({"start_line": "int64", "end_line": "int64", "score": "float64", "primary": bool,
                      "repository_level": bool, "people_data": bool, "counted": bool, "is_copy": bool,
                      "counted_by_fingerprint": bool, "risk": bool, "cell_index": "Int64", "cell_line": "Int64"})


def _instance_key(df: pd.DataFrame) -> pd.Series:
    """Same rule on the same content at the same lines; repository-level findings never merge."""
    if df.empty:
        return pd.Series([], dtype=str)
    local = df["repository_level"].astype(bool) | (df["content_hash"] == "")
    base = (df["rule_id"] + "|" + df["start_line"].astype(str) + "|" + df["end_line"].astype(str) + "|"
            + df["snippet"].fillna("") + "|")
    return base + df["content_hash"].where(~local, "repo:" + df["repo"] + ":" + df["path"])


def _fingerprint_key(df: pd.DataFrame) -> pd.Series:
    """The line-free fingerprint (rule, path, normalised snippet, occurrence): it matches across
    forks whose copies moved lines; repository-level findings never merge."""
    if df.empty:
        return pd.Series([], dtype=str)
    local = df["repository_level"].astype(bool)
    return df["fingerprint"].where(~local, "repo:" + df["repo"] + ":" + df["fingerprint"])


def _joined(values: Iterable[str], limit: int = 20) -> str:
    values = list(values)
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return " | ".join(values[:limit]) + more


def repos_frame(manifest: Manifest, outcomes: Sequence[Any], findings: pd.DataFrame) -> pd.DataFrame:
    counted = findings[findings["counted"]] if len(findings) else findings
    rows = []
    for spec, o in zip(manifest.repos, outcomes):
        mine, mine_counted = findings[findings["repo"] == spec.name], counted[counted["repo"] == spec.name]
        risk = mine_counted[mine_counted["risk"]] if len(mine_counted) else mine_counted
        sev = mine_counted["severity"].value_counts() if len(mine_counted) else pd.Series(dtype=int)
        ok = o.status == "ok"
        loc = int(o.lines_of_code)
        rows.append({
            "repo": spec.name, "url": spec.url, "commit": spec.commit,
            "frameworks": ",".join(o.frameworks or spec.frameworks),
            "declared_frameworks": ",".join(spec.frameworks),
            "detected_frameworks": ",".join(o.detected_frameworks), "domain": spec.domain or "unspecified",
            "people_data": bool(o.people_data) if ok else spec.people_data,
            "people_data_source": o.people_data_source if ok else ("manifest" if spec.people_data is not None else ""),
            "people_evidence": _joined(o.people_evidence), "license": spec.license or "NOASSERTION",
            "status": o.status, "error": o.error,
            "files_scanned": o.files_scanned, "lines_of_code": loc, "skipped_files": o.skipped,
            "partial_files": o.partial, "skip_reasons": "; ".join(f"{r}: {n}" for r, n in o.skip_reasons),
            "absent_files": len(o.absent), "absent_paths": _joined(o.absent),
            "scan_errors": " | ".join(o.scan_errors),
            "findings": len(mine), "counted_findings": len(mine_counted),
            "duplicate_findings": len(mine) - len(mine_counted),
            "counted_by_fingerprint": int(mine["counted_by_fingerprint"].sum()) if len(mine) else 0,
            "risk_findings": len(risk), "info_findings": int(sev.get("info", 0)),
            **{f"severity_{s}": int(sev.get(s, 0)) for s in SEVERITY_ORDER},
            "risk_findings_per_kloc": round(1000.0 * len(risk) / loc, 4) if loc else 0.0,
            "patterns": ",".join(sorted(set(risk["bias_pattern"]))),
        })
    return pd.DataFrame(rows)


def _groups(repos: pd.DataFrame) -> list[tuple[str, str, pd.Series]]:
    """(group kind, group, names of the scanned repositories in it)."""
    ok = repos[repos["status"] == "ok"]
    groups = [("all", "all", ok["repo"])]
    for fw in sorted({f for fws in ok["frameworks"] for f in fws.split(",") if f}):
        groups.append(("framework", fw, ok[ok["frameworks"].str.split(",").apply(lambda l, fw=fw: fw in l)]["repo"]))
    for value, label in ((True, "people"), (False, "control")):
        groups.append(("people_data", label, ok[ok["people_data"] == value]["repo"]))
    for dom in sorted(set(ok["domain"])):
        groups.append(("domain", dom, ok[ok["domain"] == dom]["repo"]))
    return groups


def pattern_list(findings: pd.DataFrame) -> list[tuple[str, str]]:
    """(pattern, stage) for every pattern of the taxonomy, then any other pattern found."""
    out = [(p.id, p.stage) for p in taxonomy.PATTERNS.values()]
    known = {p for p, _ in out}
    if len(findings):
        extra = findings[~findings["bias_pattern"].isin(known)].groupby("bias_pattern")["stage"].first()
        out += sorted(extra.items())
    return out


PREVALENCE_COLUMNS = [
    "group_kind", "group", "bias_pattern", "stage", "repos_in_group", "repos_with_pattern", "share",
    "ci95_low", "ci95_high", "repos_with_pattern_by_fingerprint", "share_by_fingerprint",
    "repos_with_pattern_incl_copies", "counted_findings", "info_findings", "lines_of_code", "findings_per_kloc",
    "copies",
]


def prevalence_frame(repos: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Share of scanned repositories with each pattern (every pattern of the taxonomy, 0 when
    never seen), overall and per group, with its Wilson 95% interval and group size.

    A repository has a pattern when it holds a counted risk finding of it (``info`` findings
    never count): ``repos_with_pattern`` counts copies of a file once, ``..._by_fingerprint``
    counts copies of a finding's fingerprint once, ``..._incl_copies`` counts every copy.
    ``findings_per_kloc`` is counted risk findings per 1,000 lines of the group's code."""
    loc = dict(zip(repos["repo"], repos["lines_of_code"]))
    patterns = pattern_list(findings)
    rows = []
    for kind, group, members in _groups(repos):
        members = set(members)
        n = len(members)
        group_loc = int(sum(loc[m] for m in members))
        sub = findings[findings["repo"].isin(members)] if len(findings) else findings
        risk = sub[sub["risk"]] if len(sub) else sub

        def per_pattern(frame: pd.DataFrame, repos_only: bool) -> dict[str, int]:
            if not len(frame):
                return {}
            grouped = frame.groupby("bias_pattern")
            return (grouped["repo"].nunique() if repos_only else grouped.size()).to_dict()

        k_all = per_pattern(risk[risk["counted"]] if len(risk) else risk, True)
        n_counted = per_pattern(risk[risk["counted"]] if len(risk) else risk, False)
        k_fp = per_pattern(risk[risk["counted_by_fingerprint"]] if len(risk) else risk, True)
        k_copies = per_pattern(risk, True)
        n_copies = per_pattern(risk, False)
        n_info = per_pattern(sub[~sub["risk"] & sub["counted"]] if len(sub) else sub, False)
        for pat, stage in patterns:
            k, kf = int(k_all.get(pat, 0)), int(k_fp.get(pat, 0))
            lo, hi = stats.wilson(k, n)
            counted = int(n_counted.get(pat, 0))
            rows.append({"group_kind": kind, "group": group, "bias_pattern": pat, "stage": stage,
                         "repos_in_group": n, "repos_with_pattern": k, "share": round(k / n, 6) if n else 0.0,
                         "ci95_low": lo, "ci95_high": hi, "repos_with_pattern_by_fingerprint": kf,
                         "share_by_fingerprint": round(kf / n, 6) if n else 0.0,
                         "repos_with_pattern_incl_copies": int(k_copies.get(pat, 0)),
                         "counted_findings": counted, "info_findings": int(n_info.get(pat, 0)),
                         "lines_of_code": group_loc, "findings_per_kloc": round(stats.rate([counted], [group_loc]), 4),
                         "copies": int(n_copies.get(pat, 0))})
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


COMPARISON_COLUMNS = [
    "bias_pattern", "stage", "people_repos", "people_n", "people_share", "people_ci95_low", "people_ci95_high",
    "control_repos", "control_n", "control_share", "control_ci95_low", "control_ci95_high", "odds_ratio",
    "fisher_p", "fisher_p_bh", "people_per_kloc", "control_per_kloc", "per_kloc_difference",
    "per_kloc_difference_ci95_low", "per_kloc_difference_ci95_high",
]


def comparison_frame(repos: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """People-data repositories vs controls, per pattern and for any risk pattern: the shares
    with Wilson intervals, Fisher's exact test (two-sided; p adjusted over the patterns seen by
    Benjamini-Hochberg), and counted risk findings per 1,000 lines with a bootstrap interval of
    the difference (repositories resampled within each group), which corrects for the groups'
    different code sizes."""
    ok = repos[repos["status"] == "ok"]
    people, control = ok[ok["people_data"] == True], ok[ok["people_data"] == False]  # noqa: E712
    risk = findings[findings["risk"] & findings["counted"]] if len(findings) else findings
    by_pattern = risk.groupby(["bias_pattern", "repo"]).size() if len(risk) else pd.Series(dtype=int)
    overall = risk.groupby("repo").size() if len(risk) else pd.Series(dtype=int)
    rows = []
    for pat, stage in [(ANY_PATTERN, "")] + pattern_list(findings):
        if pat == ANY_PATTERN:
            per_repo = overall.to_dict()
        else:
            per_repo = by_pattern.loc[pat].to_dict() if pat in by_pattern.index.get_level_values(0) else {}
        def side(group: pd.DataFrame) -> tuple[int, int, list[int], list[int]]:
            counts = [int(per_repo.get(r, 0)) for r in group["repo"]]
            return sum(c > 0 for c in counts), len(group), counts, [int(x) for x in group["lines_of_code"]]
        k1, n1, c1, l1 = side(people)
        k2, n2, c2, l2 = side(control)
        (lo1, hi1), (lo2, hi2) = stats.wilson(k1, n1), stats.wilson(k2, n2)
        odds, p = stats.fisher(k1, n1, k2, n2)
        r1, r2 = stats.rate(c1, l1), stats.rate(c2, l2)
        dlo, dhi = stats.rate_difference_ci(c1, l1, c2, l2)
        rows.append({"bias_pattern": pat, "stage": stage, "people_repos": k1, "people_n": n1,
                     "people_share": round(k1 / n1, 6) if n1 else 0.0, "people_ci95_low": lo1,
                     "people_ci95_high": hi1, "control_repos": k2, "control_n": n2,
                     "control_share": round(k2 / n2, 6) if n2 else 0.0, "control_ci95_low": lo2,
                     "control_ci95_high": hi2, "odds_ratio": round(odds, 4), "fisher_p": round(p, 6),
                     "fisher_p_bh": float("nan"), "people_per_kloc": round(r1, 4), "control_per_kloc": round(r2, 4),
                     "per_kloc_difference": round(r1 - r2, 4), "per_kloc_difference_ci95_low": dlo,
                     "per_kloc_difference_ci95_high": dhi})
    df = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    seen = (df["bias_pattern"] != ANY_PATTERN) & ((df["people_repos"] + df["control_repos"]) > 0)
    if seen.any():
        df.loc[seen, "fisher_p_bh"] = [round(p, 6) for p in stats.benjamini_hochberg(list(df.loc[seen, "fisher_p"]))]
    return df


SEVERITY_COLUMNS = ["group", "severity", "risk", "repos_in_group", "repos_with_severity", "share", "ci95_low",
                    "ci95_high", "counted_findings", "counted_by_fingerprint", "findings_per_kloc"]


def severity_frame(repos: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Findings by severity (all scanned repositories, people data, controls); ``info`` rows
    have ``risk`` false and are never part of a prevalence."""
    loc = dict(zip(repos["repo"], repos["lines_of_code"]))
    rows = []
    for kind, group, members in _groups(repos):
        if kind not in ("all", "people_data"):
            continue
        members = set(members)
        n, group_loc = len(members), sum(loc[m] for m in members)
        sub = findings[findings["repo"].isin(members)] if len(findings) else findings
        for sev in SEVERITY_ORDER:
            mine = sub[sub["severity"] == sev] if len(sub) else sub
            counted = mine[mine["counted"]] if len(mine) else mine
            k = counted["repo"].nunique() if len(counted) else 0
            lo, hi = stats.wilson(k, n)
            rows.append({"group": group, "severity": sev, "risk": sev != "info", "repos_in_group": n,
                         "repos_with_severity": k, "share": round(k / n, 6) if n else 0.0, "ci95_low": lo,
                         "ci95_high": hi, "counted_findings": len(counted),
                         "counted_by_fingerprint": int(mine["counted_by_fingerprint"].sum()) if len(mine) else 0,
                         "findings_per_kloc": round(stats.rate([len(counted)], [group_loc]), 4)})
    return pd.DataFrame(rows, columns=SEVERITY_COLUMNS)


# ---------------------------------------------------------------- plots
def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "fairlint"
    return plt


def _save(fig, out: Path, stem: str) -> list[Path]:
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = out / f"{stem}.{ext}"
        _atomic(path, lambda tmp, ext=ext, meta=meta: fig.savefig(tmp, format=ext, metadata=meta,
                                                                  bbox_inches="tight", dpi=120))
        paths.append(path)
    return paths


def _empty(ax, text: str = "no findings") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


#: One colour map per stage: a stage's patterns are shades of its colour.
STAGE_COLOURS = {"dataset": "Blues", "preparation": "Oranges", "training": "Greens", "compression": "Purples",
                 "evaluation": "Reds", "decision": "Greys"}
GROUP_COLOURS = {"all": "#4d4d4d", "pytorch": "#d95f02", "tensorflow": "#1b9e77", "keras": "#7570b3",
                 "people": "#e7298a", "control": "#66a61e"}


def _upper(values: Iterable[float]) -> float:
    """An axis end a little above the data (never past 1, never 0)."""
    top = max([0.0, *values])
    return min(1.0, max(0.05, top * 1.1))


def plot_prevalence(prev: pd.DataFrame, out: Path) -> list[Path]:
    """Share of repositories per pattern (patterns seen), all and per framework, with 95% intervals."""
    plt = _plt()
    sub = prev[prev["group_kind"].isin(["framework", "all"]) & prev["group"].isin(("all",) + PLOT_FRAMEWORKS)]
    seen = sorted(set(sub[(sub["group"] == "all") & (sub["repos_with_pattern"] > 0)]["bias_pattern"]), reverse=True)
    groups = [g for g in ("all",) + PLOT_FRAMEWORKS if g in set(sub["group"])]
    fig, ax = plt.subplots(figsize=(9, max(3, 0.45 * max(1, len(seen)) + 1.5)))
    if not seen:
        _empty(ax)
    else:
        height = 0.8 / len(groups)
        for j, group in enumerate(groups):
            g = sub[sub["group"] == group].set_index("bias_pattern").reindex(seen)
            ys = [i - 0.4 + height * (j + 0.5) for i in range(len(seen))]
            err = [(g["share"] - g["ci95_low"]).clip(lower=0), (g["ci95_high"] - g["share"]).clip(lower=0)]
            n = int(g["repos_in_group"].iloc[0])
            ax.barh(ys, g["share"], height=height, xerr=err, color=GROUP_COLOURS.get(group, "#999999"),
                    error_kw={"elinewidth": 0.8, "capsize": 2}, label=f"{group} (n={n})")
        ax.set_yticks(range(len(seen)), seen)
        ax.set_xlim(0, _upper(sub[sub["bias_pattern"].isin(seen)]["ci95_high"]))
        ax.set_xlabel("share of scanned repositories with the pattern (copies counted once; 95% Wilson interval)")
        ax.set_ylabel("bias pattern")
        ax.legend(title="framework", fontsize="small")
    ax.set_title("Prevalence by pattern and framework")
    paths = _save(fig, out, "prevalence_by_pattern_framework")
    plt.close(fig)
    return paths


def plot_severity(findings: pd.DataFrame, out: Path) -> list[Path]:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    counted = findings[findings["counted"]] if len(findings) else findings
    if counted.empty:
        _empty(ax)
    else:
        counts = counted["severity"].value_counts().reindex(SEVERITY_ORDER, fill_value=0)
        ax.bar(counts.index, counts.values, color=["#7f0000", "#d7301f", "#fc8d59", "#fdcc8a", "#bdbdbd"])
        ax.set_ylim(0, max(1, int(counts.max())) * 1.1)
        ax.set_ylabel("findings (copies counted once)")
        ax.set_xlabel("severity (info is not counted as a risk)")
    ax.set_title("Severity distribution")
    paths = _save(fig, out, "severity_distribution")
    plt.close(fig)
    return paths


def stage_colours(patterns_by_stage: dict[str, list[str]]) -> dict[str, Any]:
    """A colour per pattern: its stage's colour map, one shade per pattern (all distinct)."""
    import matplotlib

    colours = {}
    for stage, patterns in patterns_by_stage.items():
        cmap = matplotlib.colormaps[STAGE_COLOURS.get(stage, "Greys")]
        for i, pat in enumerate(sorted(patterns)):
            colours[pat] = cmap(0.35 + 0.6 * (i + 1) / (len(patterns) + 1))
    return colours


def plot_stages(findings: pd.DataFrame, out: Path) -> list[Path]:
    """Counted risk findings per stage, stacked by pattern; each stage has its own hue."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    counted = findings[findings["counted"] & findings["risk"]] if len(findings) else findings
    if counted.empty:
        _empty(ax)
    else:
        table = counted.pivot_table(index="stage", columns="bias_pattern", values="rule_id", aggfunc="count")
        table = table.reindex([s for s in STAGE_ORDER if s in table.index]).fillna(0)
        stage_of = counted.groupby("bias_pattern")["stage"].first().to_dict()
        by_stage: dict[str, list[str]] = {}
        for pat in table.columns:
            by_stage.setdefault(stage_of[pat], []).append(pat)
        colours = stage_colours(by_stage)
        order = [p for s in STAGE_ORDER for p in sorted(by_stage.get(s, []))]
        bottom = pd.Series(0.0, index=table.index)
        for pat in order:
            ax.bar(table.index, table[pat], bottom=bottom, color=colours[pat], label=pat, edgecolor="white",
                   linewidth=0.5)
            bottom = bottom + table[pat]
        ax.set_ylim(0, float(bottom.max()) * 1.1)
        ax.set_ylabel("risk findings (copies counted once)")
        ax.set_xlabel("pipeline stage")
        ax.legend(title="pattern", fontsize="small", ncol=2, bbox_to_anchor=(1.02, 1), loc="upper left")
    ax.set_title("Patterns by pipeline stage")
    paths = _save(fig, out, "patterns_by_stage")
    plt.close(fig)
    return paths


def plot_heatmap(prev: pd.DataFrame, out: Path) -> list[Path]:
    """Share per pattern (rows, patterns seen) and group (frameworks, people data, controls);
    every cell says k/n, and cells over fewer than ``MIN_CELL_N`` repositories are greyed out."""
    plt = _plt()
    sub = prev[prev["group_kind"].isin(["framework", "people_data"])]
    seen = sorted(set(prev[(prev["group_kind"] == "all") & (prev["repos_with_pattern"] > 0)]["bias_pattern"]))
    columns = list(dict.fromkeys(sub["group"]))
    fig, ax = plt.subplots(figsize=(max(5, 1.1 * max(1, len(columns)) + 2), max(3, 0.45 * max(1, len(seen)) + 1.5)))
    if not seen or not columns:
        _empty(ax)
    else:
        cell = sub.set_index(["bias_pattern", "group"])
        cmap = plt.get_cmap("viridis")
        top = _upper(sub[sub["bias_pattern"].isin(seen)]["share"])
        for i, pat in enumerate(seen):
            for j, group in enumerate(columns):
                row = cell.loc[(pat, group)]
                k, n = int(row["repos_with_pattern"]), int(row["repos_in_group"])
                small = n < MIN_CELL_N
                colour = "#d9d9d9" if small else cmap(float(row["share"]) / top)
                ax.add_patch(plt.Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white"))
                text = f"{k}/{n}" + ("\n(small n)" if small else f"\n{row['share']:.0%}")
                dark = not small and float(row["share"]) / top < 0.6
                ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=7,
                        color="white" if dark else "black")
        ax.set_xlim(0, len(columns))
        ax.set_ylim(len(seen), 0)
        ax.set_xticks([j + 0.5 for j in range(len(columns))], columns, rotation=30, ha="right")
        ax.set_yticks([i + 0.5 for i in range(len(seen))], seen)
        sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, top))
        fig.colorbar(sm, ax=ax, label="share of the group's repositories")
    ax.set_title(f"Prevalence by group (k/n; grey: n < {MIN_CELL_N})")
    paths = _save(fig, out, "prevalence_heatmap")
    plt.close(fig)
    return paths


# ---------------------------------------------------------------- study.md
def _md_table(df: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(str(row[c]).replace("|", "\\|") for c in columns) + " |")
    return lines


def semgrep_version(outcomes: Sequence[Any]) -> str:
    for o in outcomes:
        if o.semgrep:
            return o.semgrep
    exe = proc.which("semgrep")
    if not exe:
        return "unknown"
    try:
        return proc.run([exe, "--version"], timeout=120).stdout.strip() or "unknown"
    except proc.ToolError:
        return "unknown"


def _version(module: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(module)
    except metadata.PackageNotFoundError:
        return "not installed"


def methods(manifest: Manifest, outcomes: Sequence[Any], findings: pd.DataFrame, pack: str,
            date: str | None = None) -> dict[str, Any]:
    """The facts a paper's methods section needs."""
    import platform

    status = pd.Series([o.status for o in outcomes], dtype=str)
    ok = [o for o in outcomes if o.status == "ok"]
    counted = findings[findings["counted"]] if len(findings) else findings
    return {
        "date": date or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d"),
        "fairlint": __version__, "semgrep": semgrep_version(outcomes), "rule_pack_sha256": pack,
        "python": platform.python_version(), "scipy": _version("scipy"), "pandas": _version("pandas"),
        "manifest": str(manifest.path), "manifest_sha256": manifest.sha256,
        "repos_listed": len(manifest.repos), "repos_scanned": int((status == "ok").sum()),
        "repos_fetch_failed": int((status == "fetch_failed").sum()),
        "repos_scan_failed": int((status == "scan_failed").sum()),
        "people_data_repos": sum(bool(o.people_data) for o in ok),
        "control_repos": sum(not o.people_data for o in ok),
        "people_data_detected": sum(o.people_data_source == "detected" for o in ok),
        "files_scanned": sum(o.files_scanned for o in outcomes),
        "lines_of_code": sum(o.lines_of_code for o in ok),
        "files_skipped": sum(o.skipped for o in ok), "files_partial": sum(o.partial for o in ok),
        "files_absent": sum(len(o.absent) for o in ok), "repos_partial_snapshot": sum(bool(o.absent) for o in ok),
        "finding_rows": len(findings), "counted_findings": len(counted),
        "counted_by_fingerprint": int(findings["counted_by_fingerprint"].sum()) if len(findings) else 0,
        "risk_findings": int(counted["risk"].sum()) if len(counted) else 0,
        "info_findings": int((~counted["risk"]).sum()) if len(counted) else 0,
    }


def _share(k: int, n: int, lo: float, hi: float) -> str:
    return f"{k}/{n} = {k / n:.3f} [{lo:.3f}, {hi:.3f}]" if n else f"{k}/0"


def _p(value: float) -> str:
    if value != value:  # nan
        return "-"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def study_markdown(facts: dict[str, Any], repos: pd.DataFrame, prev: pd.DataFrame, plots: Sequence[Path],
                   comparison: pd.DataFrame | None = None, severity: pd.DataFrame | None = None) -> str:
    lines = [
        "# fairlint corpus study", "",
        "How common is each bias-prone pattern in open-source deep-learning code, by framework and by",
        "whether the code uses data about people? Findings are *bias-prone, needs group-wise evaluation*,",
        "never a verdict that a model is biased.", "",
        "## Methods", "",
        "### Corpus", "",
        f"- Manifest: `{facts['manifest']}`, SHA-256 `{facts['manifest_sha256']}`; date (UTC): {facts['date']}",
        f"- Repositories: {facts['repos_listed']} listed, {facts['repos_scanned']} scanned "
        f"({facts['people_data_repos']} with people data, {facts['control_repos']} controls; people data "
        f"detected from the scan's evidence for {facts['people_data_detected']} that the manifest left open), "
        f"{facts['repos_fetch_failed']} failed to fetch, {facts['repos_scan_failed']} failed to scan",
        f"- Code: {facts['files_scanned']} files, {facts['lines_of_code']} non-blank non-comment lines "
        "(`.py` files and notebook code cells)",
        "- Each repository is read at its pinned commit (no hooks, submodules or LFS objects; nothing from it",
        "  runs) and scanned with `fairlint scan` defaults.",
        "",
        "### Tools", "",
        f"- fairlint {facts['fairlint']}; semgrep {facts['semgrep']}; Python {facts['python']}; "
        f"scipy {facts['scipy']}; pandas {facts['pandas']}",
        f"- Rule-pack hash (SHA-256 over rules and vocabulary): `{facts['rule_pack_sha256']}`",
        "",
        "### Exclusions and why", "",
        f"- Repositories not scanned: {facts['repos_fetch_failed'] + facts['repos_scan_failed']} "
        "(listed below with the reason; they are in no denominator).",
        f"- Files not analysed: {facts['files_skipped']} (binary, too large, undecodable, broken notebooks, "
        f"symlinks out of the tree); files analysed partially: {facts['files_partial']} (Python 2 syntax, parse "
        "errors: the parts Semgrep can parse are analysed); per repository below.",
        f"- Partial snapshots: {facts['repos_partial_snapshot']} repositories whose pinned tree names "
        f"{facts['files_absent']} files the host no longer serves; the files that exist were scanned.",
        f"- Copies: {facts['finding_rows']} finding rows; {facts['counted_findings']} after counting a finding "
        f"in identical files once (forks, vendored code), {facts['counted_by_fingerprint']} after counting each "
        "line-free fingerprint once (copies whose lines moved). Both are reported; shares use the first.",
        f"- Severity: {facts['risk_findings']} counted risk findings (critical to low) and "
        f"{facts['info_findings']} `info` findings; `info` never counts as a risk or towards a prevalence.",
        "",
        "### Statistics", "",
        "- Prevalence = share of scanned repositories holding at least one counted risk finding of the",
        "  pattern, given as k/n = share [95% Wilson score interval]. Every pattern of the taxonomy has a",
        "  row; 0/n means it was never seen.",
        "- Rates: counted risk findings per 1,000 lines of code, pooled over a group.",
        "- People data vs controls: Fisher's exact test (two-sided) on repositories with/without the",
        "  pattern, p adjusted over the patterns seen with Benjamini-Hochberg; the difference of the",
        "  per-1,000-line rates with a 95% percentile bootstrap interval (2,000 resamples of repositories",
        "  within each group, seed 0), which corrects for the groups' different code sizes.",
        "- Precision: label a sample of fingerprints and run `fairlint study triage` (see docs/study.md).",
        "",
        "## Prevalence (all scanned repositories)", "",
    ]
    overall = prev[prev["group_kind"] == "all"].copy()
    if len(overall):
        overall = overall.sort_values(["share", "bias_pattern"], ascending=[False, True])
        overall["repos: k/n = share [95% CI]"] = [
            _share(r.repos_with_pattern, r.repos_in_group, r.ci95_low, r.ci95_high) for r in overall.itertuples()]
        overall["by fingerprint"] = [f"{r.repos_with_pattern_by_fingerprint}/{r.repos_in_group}"
                                     for r in overall.itertuples()]
        overall["incl. copies"] = overall["repos_with_pattern_incl_copies"]
        overall["per 1,000 lines"] = overall["findings_per_kloc"].map(lambda v: f"{v:.3f}")
        lines += _md_table(overall, ["bias_pattern", "stage", "repos: k/n = share [95% CI]", "by fingerprint",
                                     "incl. copies", "counted_findings", "per 1,000 lines"])
    else:
        lines.append("No repository was scanned.")
    lines += ["", "## Findings by severity", ""]
    if severity is not None and len(severity):
        sev = severity.copy()
        sev["repos: k/n = share [95% CI]"] = [_share(r.repos_with_severity, r.repos_in_group, r.ci95_low,
                                                     r.ci95_high) for r in sev.itertuples()]
        sev["per 1,000 lines"] = sev["findings_per_kloc"].map(lambda v: f"{v:.3f}")
        lines += _md_table(sev, ["group", "severity", "risk", "repos: k/n = share [95% CI]", "counted_findings",
                                 "counted_by_fingerprint", "per 1,000 lines"])
    else:
        lines.append("No repository was scanned.")
    lines += ["", "## People data vs controls", ""]
    if comparison is not None and len(comparison):
        cmp_ = comparison[(comparison["bias_pattern"] == ANY_PATTERN)
                          | (comparison["people_repos"] + comparison["control_repos"] > 0)].copy()
        cmp_["people: k/n [95% CI]"] = [_share(r.people_repos, r.people_n, r.people_ci95_low, r.people_ci95_high)
                                        for r in cmp_.itertuples()]
        cmp_["controls: k/n [95% CI]"] = [_share(r.control_repos, r.control_n, r.control_ci95_low,
                                                 r.control_ci95_high) for r in cmp_.itertuples()]
        cmp_["Fisher p (BH)"] = [f"{_p(r.fisher_p)} ({_p(r.fisher_p_bh)})" for r in cmp_.itertuples()]
        cmp_["per 1,000 lines: people - controls [95% CI]"] = [
            f"{r.people_per_kloc:.3f} - {r.control_per_kloc:.3f} = {r.per_kloc_difference:.3f} "
            f"[{r.per_kloc_difference_ci95_low:.3f}, {r.per_kloc_difference_ci95_high:.3f}]"
            for r in cmp_.itertuples()]
        lines += _md_table(cmp_, ["bias_pattern", "people: k/n [95% CI]", "controls: k/n [95% CI]", "Fisher p (BH)",
                                  "per 1,000 lines: people - controls [95% CI]"])
        lines += ["", "Patterns seen in neither group are left out of this table (they are in comparison.csv)."]
    else:
        lines.append("No repository was scanned.")
    lines += ["", "## Plots", ""] + [f"![{p.stem}]({p.name})" for p in plots if p.suffix == ".svg"]
    failed = repos[repos["status"] != "ok"]
    lines += ["", "## Repositories not scanned", ""]
    lines += _md_table(failed, ["repo", "status", "error"]) if len(failed) else ["None."]
    lines += ["", "## Files not or partly analysed, and absent files", ""]
    touched = repos[(repos["status"] == "ok") & ((repos["skipped_files"] > 0) | (repos["partial_files"] > 0)
                                                 | (repos["absent_files"] > 0))]
    lines += _md_table(touched, ["repo", "skipped_files", "partial_files", "skip_reasons", "absent_files",
                                 "absent_paths"]) if len(touched) else ["None."]
    lines += ["", "Files: `findings.parquet`, `repos.csv`, `prevalence.csv`, `comparison.csv`, `severity.csv`, "
              "plots as PNG and SVG.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- writing
def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` through a temporary file renamed over it (safeio.atomic_path): a full
    disk or a crash leaves the previous table whole, and a symlink there is replaced, not
    followed."""
    with safeio.atomic_path(path) as tmp:
        write(tmp)
    return path


def write_report(out: Path, manifest: Manifest, outcomes: Sequence[Any], pack: str,
                 date: str | None = None) -> tuple[Path, ...]:
    out = Path(out)
    findings = findings_frame(outcomes)
    repos = repos_frame(manifest, outcomes, findings)
    prev = prevalence_frame(repos, findings)
    comparison = comparison_frame(repos, findings)
    severity = severity_frame(repos, findings)
    files = [
        _atomic(out / "findings.parquet", lambda p: findings.to_parquet(p, index=False)),
        _atomic(out / "repos.csv", lambda p: repos.to_csv(p, index=False)),
        _atomic(out / "prevalence.csv", lambda p: prev.to_csv(p, index=False)),
        _atomic(out / "comparison.csv", lambda p: comparison.to_csv(p, index=False)),
        _atomic(out / "severity.csv", lambda p: severity.to_csv(p, index=False)),
    ]
    plots = (plot_prevalence(prev, out) + plot_severity(findings, out) + plot_stages(findings, out)
             + plot_heatmap(prev, out))
    facts = methods(manifest, outcomes, findings, pack, date)
    text = study_markdown(facts, repos, prev, plots, comparison, severity)
    files.append(_atomic(out / "study.md", lambda p: p.write_text(text, encoding="utf-8")))
    html = _study_html(facts, repos, prev, findings)
    if html is not None:
        files.append(_atomic(out / "study.html", lambda p: p.write_text(html, encoding="utf-8")))
    return tuple(files + plots)


def _study_html(facts: dict[str, Any], repos: pd.DataFrame, prev: pd.DataFrame, findings: pd.DataFrame) -> str | None:
    """study.html via the HTML formatter (``orchestrator.formats.html.render_study_html``)."""
    try:
        from orchestrator.formats.html import StudyData, render_study_html
    except ImportError:
        return None
    counted = findings[findings["counted"]] if len(findings) else findings
    rows = [dict(r, group="people" if r["people_data"] else "control", line=r["start_line"],
                 cell_index=None if pd.isna(r["cell_index"]) else int(r["cell_index"]),
                 cell_line=None if pd.isna(r["cell_line"]) else int(r["cell_line"]))
            for r in counted.to_dict("records")]
    prevalence = []
    for r in prev.to_dict("records"):
        key = {"framework": "framework", "people_data": "group"}.get(r["group_kind"])
        if key:
            prevalence.append({"pattern": r["bias_pattern"], "share": r["share"], key: r["group"],
                               "count": r["repos_with_pattern"], "total": r["repos_in_group"],
                               "ci95_low": r["ci95_low"], "ci95_high": r["ci95_high"]})
    data = StudyData(findings=rows, repositories=repos.to_dict("records"), prevalence=prevalence,
                     title="fairlint corpus study", meta=facts, min_cell_n=MIN_CELL_N)
    return render_study_html(data)
