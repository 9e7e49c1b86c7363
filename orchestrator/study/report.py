"""The corpus study's outputs: findings.parquet, repos.csv, prevalence.csv, plots, study.md.

Everything here is a pure function of the manifest and the per-repository outcomes, so a resumed
study writes byte-identical tables to an uninterrupted one.

Cross-repository copies: a finding instance is identified by (rule id, hash of the file's
content, lines, snippet). The first copy in repository-name order is ``counted``; ``copies``
says how many places hold the same instance. Prevalence counts a repository as having a pattern only when it
holds a counted instance of it, so forks and vendored files count once.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from orchestrator import __version__, proc
from orchestrator.pipeline.frameworks import FRAMEWORK_COLUMNS
from orchestrator.rules.pack import STAGE_ORDER
from orchestrator.study.corpus import Manifest

FINDING_COLUMNS = [
    "repo", "commit", "path", "rule_id", "bias_pattern", "stage", "start_line", "end_line", "severity",
    "score", "confidence", "fingerprint", "message", "snippet", "content_hash", "primary", "repository_level",
    "domain", "people_data", "frameworks", *(f"framework_{fw}" for fw in FRAMEWORK_COLUMNS), "copies", "counted",
]
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
PLOT_FRAMEWORKS = ("pytorch", "tensorflow", "keras")


# ---------------------------------------------------------------- tables
def findings_frame(outcomes: Sequence[Any]) -> pd.DataFrame:
    """All rows, sorted, with ``copies`` and ``counted`` (cross-repository identical files)."""
    rows = [r for o in outcomes for r in o.rows]
    df = pd.DataFrame(rows, columns=[c for c in FINDING_COLUMNS if c not in ("copies", "counted")])
    df = df.sort_values(["repo", "path", "start_line", "end_line", "rule_id", "fingerprint"],
                        kind="mergesort").reset_index(drop=True)
    key = _instance_key(df)
    df["copies"] = key.map(key.value_counts()).astype("int64") if len(df) else pd.Series(dtype="int64")
    df["counted"] = ~key.duplicated(keep="first") if len(df) else pd.Series(dtype=bool)
    return df.astype({"start_line": "int64", "end_line": "int64", "score": "float64", "primary": bool,
                      "repository_level": bool, "people_data": bool, "counted": bool})


def _instance_key(df: pd.DataFrame) -> pd.Series:
    """Same rule on the same content at the same lines; repository-level findings never merge."""
    if df.empty:
        return pd.Series([], dtype=str)
    local = df["repository_level"].astype(bool) | (df["content_hash"] == "")
    base = (df["rule_id"] + "|" + df["start_line"].astype(str) + "|" + df["end_line"].astype(str) + "|"
            + df["snippet"].fillna("") + "|")
    return base + df["content_hash"].where(~local, "repo:" + df["repo"] + ":" + df["path"])


def repos_frame(manifest: Manifest, outcomes: Sequence[Any], findings: pd.DataFrame) -> pd.DataFrame:
    counted = findings[findings["counted"]] if len(findings) else findings
    rows = []
    for spec, o in zip(manifest.repos, outcomes):
        mine, mine_counted = findings[findings["repo"] == spec.name], counted[counted["repo"] == spec.name]
        rows.append({
            "repo": spec.name, "url": spec.url, "commit": spec.commit, "frameworks": ",".join(spec.frameworks),
            "detected_frameworks": ",".join(o.detected_frameworks), "domain": spec.domain,
            "people_data": spec.people_data, "license": spec.license, "status": o.status, "error": o.error,
            "files_scanned": o.files_scanned, "skipped_files": o.skipped, "scan_errors": " | ".join(o.scan_errors),
            "findings": len(mine), "counted_findings": len(mine_counted),
            "duplicate_findings": len(mine) - len(mine_counted),
            "patterns": ",".join(sorted(set(mine_counted["bias_pattern"]))),
        })
    return pd.DataFrame(rows)


def _groups(repos: pd.DataFrame) -> list[tuple[str, str, pd.Series]]:
    """(group kind, group, mask over scanned repositories)."""
    ok = repos[repos["status"] == "ok"]
    groups = [("all", "all", ok["repo"])]
    for fw in sorted({f for fws in ok["frameworks"] for f in fws.split(",") if f}):
        groups.append(("framework", fw, ok[ok["frameworks"].str.split(",").apply(lambda l, fw=fw: fw in l)]["repo"]))
    for value, label in ((True, "people"), (False, "control")):
        groups.append(("people_data", label, ok[ok["people_data"] == value]["repo"]))
    for dom in sorted(set(ok["domain"])):
        groups.append(("domain", dom, ok[ok["domain"] == dom]["repo"]))
    return groups


def prevalence_frame(repos: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Share of scanned repositories with each pattern, overall and per group.

    ``repos_with_pattern`` counts repositories holding a counted (first-copy) instance;
    ``repos_with_pattern_incl_copies`` counts every repository, copies included.
    """
    columns = ["group_kind", "group", "bias_pattern", "stage", "repos_in_group", "repos_with_pattern",
               "share", "repos_with_pattern_incl_copies", "counted_findings", "copies"]
    if findings.empty:
        return pd.DataFrame([], columns=columns)
    patterns = sorted(set(findings["bias_pattern"]))
    stage_of = findings.groupby("bias_pattern")["stage"].first().to_dict()
    rows = []
    for kind, group, members in _groups(repos):
        sub = findings[findings["repo"].isin(set(members))]
        counted = sub[sub["counted"]]
        n = len(members)
        for pat in patterns:
            with_pat = counted[counted["bias_pattern"] == pat]
            rows.append({"group_kind": kind, "group": group, "bias_pattern": pat, "stage": stage_of[pat],
                         "repos_in_group": n, "repos_with_pattern": with_pat["repo"].nunique(),
                         "share": round(with_pat["repo"].nunique() / n, 6) if n else 0.0,
                         "repos_with_pattern_incl_copies": sub[sub["bias_pattern"] == pat]["repo"].nunique(),
                         "counted_findings": len(with_pat),
                         "copies": int(sub[sub["bias_pattern"] == pat].shape[0])})
    return pd.DataFrame(rows, columns=columns)


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
        fig.savefig(path, format=ext, metadata=meta, bbox_inches="tight", dpi=120)
        paths.append(path)
    return paths


def _empty(ax, text: str = "no findings") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_prevalence(prev: pd.DataFrame, out: Path) -> list[Path]:
    plt = _plt()
    sub = prev[prev["group_kind"].isin(["framework", "all"])]
    sub = sub[sub["group"].isin(("all",) + PLOT_FRAMEWORKS)]
    fig, ax = plt.subplots(figsize=(9, max(3, 0.35 * max(1, sub["bias_pattern"].nunique()) + 1.5)))
    if sub.empty:
        _empty(ax)
    else:
        table = sub.pivot_table(index="bias_pattern", columns="group", values="share", aggfunc="first").fillna(0)
        table = table[[g for g in ("all",) + PLOT_FRAMEWORKS if g in table.columns]].sort_index(ascending=False)
        table.plot.barh(ax=ax, width=0.8)
        ax.set_xlabel("share of scanned repositories with the pattern (copies counted once)")
        ax.set_ylabel("bias pattern")
        ax.set_xlim(0, 1)
        ax.legend(title="framework")
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
        ax.set_ylabel("findings (copies counted once)")
    ax.set_title("Severity distribution")
    paths = _save(fig, out, "severity_distribution")
    plt.close(fig)
    return paths


def plot_stages(findings: pd.DataFrame, out: Path) -> list[Path]:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    counted = findings[findings["counted"]] if len(findings) else findings
    if counted.empty:
        _empty(ax)
    else:
        table = counted.pivot_table(index="stage", columns="bias_pattern", values="rule_id", aggfunc="count")
        table = table.reindex([s for s in STAGE_ORDER if s in table.index]).fillna(0)
        table.plot.bar(ax=ax, stacked=True, rot=0)
        ax.set_ylabel("findings (copies counted once)")
        ax.set_xlabel("pipeline stage")
        ax.legend(title="pattern", fontsize="small", ncol=2, bbox_to_anchor=(1.02, 1), loc="upper left")
    ax.set_title("Patterns by pipeline stage")
    paths = _save(fig, out, "patterns_by_stage")
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


def methods(manifest: Manifest, outcomes: Sequence[Any], findings: pd.DataFrame, pack: str,
            date: str | None = None) -> dict[str, Any]:
    """The facts a paper's methods section needs."""
    status = pd.Series([o.status for o in outcomes])
    return {
        "date": date or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d"),
        "fairlint": __version__, "semgrep": semgrep_version(outcomes), "rule_pack_sha256": pack,
        "manifest": str(manifest.path), "manifest_sha256": manifest.sha256,
        "repos_listed": len(manifest.repos), "repos_scanned": int((status == "ok").sum()),
        "repos_fetch_failed": int((status == "fetch_failed").sum()),
        "repos_scan_failed": int((status == "scan_failed").sum()),
        "people_data_repos": sum(r.people_data for r in manifest.repos),
        "control_repos": sum(not r.people_data for r in manifest.repos),
        "finding_rows": len(findings), "counted_findings": int(findings["counted"].sum()) if len(findings) else 0,
        "files_scanned": sum(o.files_scanned for o in outcomes),
    }


def study_markdown(facts: dict[str, Any], repos: pd.DataFrame, prev: pd.DataFrame, plots: Sequence[Path]) -> str:
    lines = [
        "# fairlint corpus study", "",
        "How common is each bias-prone pattern in open-source deep-learning code, by framework and by",
        "whether the code uses data about people? Findings are *bias-prone, needs group-wise evaluation*,",
        "never a verdict that a model is biased.", "",
        "## Methods", "",
        f"- Date (UTC): {facts['date']}",
        f"- fairlint {facts['fairlint']}; semgrep {facts['semgrep']}",
        f"- Rule-pack hash (SHA-256 over rules and vocabulary): `{facts['rule_pack_sha256']}`",
        f"- Manifest: `{facts['manifest']}`, SHA-256 `{facts['manifest_sha256']}`",
        f"- Repositories: {facts['repos_listed']} listed ({facts['people_data_repos']} with people data, "
        f"{facts['control_repos']} controls), {facts['repos_scanned']} scanned, "
        f"{facts['repos_fetch_failed']} failed to fetch, {facts['repos_scan_failed']} failed to scan",
        f"- Files scanned: {facts['files_scanned']}; finding rows: {facts['finding_rows']} "
        f"({facts['counted_findings']} after counting identical files across repositories once)",
        "- Each repository is checked out at its pinned commit (no hooks, submodules or LFS objects) and",
        "  scanned with `fairlint scan` defaults. A finding in a file whose content also appears in another",
        "  repository (a fork, vendored code) is counted once, in the first repository by name;",
        "  `findings.parquet` keeps every copy with `copies` and `counted` columns.",
        "- Prevalence = share of scanned repositories holding at least one counted finding of the pattern.",
        "- Precision: label a sample of fingerprints and run `fairlint study triage` (see docs/study.md).",
        "",
        "## Prevalence (all scanned repositories)", "",
    ]
    overall = prev[prev["group_kind"] == "all"].sort_values(["share", "bias_pattern"], ascending=[False, True])
    lines += _md_table(overall, ["bias_pattern", "stage", "repos_with_pattern", "repos_in_group", "share",
                                 "repos_with_pattern_incl_copies"]) if len(overall) else ["No findings."]
    lines += ["", "## People data vs controls", ""]
    split = prev[prev["group_kind"] == "people_data"]
    if len(split):
        wide = split.pivot_table(index="bias_pattern", columns="group", values="share", aggfunc="first").fillna(0)
        wide = wide.reset_index()
        lines += _md_table(wide, ["bias_pattern"] + [c for c in ("people", "control") if c in wide.columns])
    else:
        lines.append("No findings.")
    lines += ["", "## Plots", ""] + [f"![{p.stem}]({p.name})" for p in plots if p.suffix == ".svg"]
    failed = repos[repos["status"] != "ok"]
    lines += ["", "## Repositories not scanned", ""]
    lines += _md_table(failed, ["repo", "status", "error"]) if len(failed) else ["None."]
    lines += ["", "Files: `findings.parquet`, `repos.csv`, `prevalence.csv`, plots as PNG and SVG.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- writing
def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    fd, tmp = tempfile.mkstemp(prefix="." + path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_report(out: Path, manifest: Manifest, outcomes: Sequence[Any], pack: str,
                 date: str | None = None) -> tuple[Path, ...]:
    out = Path(out)
    findings = findings_frame(outcomes)
    repos = repos_frame(manifest, outcomes, findings)
    prev = prevalence_frame(repos, findings)
    files = [
        _atomic(out / "findings.parquet", lambda p: findings.to_parquet(p, index=False)),
        _atomic(out / "repos.csv", lambda p: repos.to_csv(p, index=False)),
        _atomic(out / "prevalence.csv", lambda p: prev.to_csv(p, index=False)),
    ]
    plots = plot_prevalence(prev, out) + plot_severity(findings, out) + plot_stages(findings, out)
    facts = methods(manifest, outcomes, findings, pack, date)
    text = study_markdown(facts, repos, prev, plots)
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
    rows = [dict(r, group="people" if r["people_data"] else "control", line=r["start_line"])
            for r in counted.to_dict("records")]
    prevalence = []
    for r in prev.to_dict("records"):
        key = {"framework": "framework", "people_data": "group"}.get(r["group_kind"])
        if key:
            prevalence.append({"pattern": r["bias_pattern"], "share": r["share"], key: r["group"],
                               "count": r["repos_with_pattern"], "total": r["repos_in_group"]})
    data = StudyData(findings=rows, repositories=repos.to_dict("records"), prevalence=prevalence,
                     title="fairlint corpus study", meta=facts)
    return render_study_html(data)
