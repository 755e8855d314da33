"""The benchmark's output: a table, the ratio and latency lines, JSON and a chart."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

# Targets, for the table's last column.
RSS_TARGET_MB = {"enricher": 900.0}
RSS_DEFAULT_TARGET_MB = 250.0


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def table(results: dict[str, Any]) -> Table:
    """One row per measured thing: rate, CPU per article (own and servers'), peak RSS."""
    out = Table(
        title=f"newsflow bench — {results['articles']:,} articles, {results['cores']} cores"
    )
    for column, justify in (
        ("what", "left"),
        ("articles/s", "right"),
        ("CPU ms/article", "right"),
        ("+ Kafka/ES ms", "right"),
        ("peak RSS MB", "right"),
        ("compared with", "left"),
    ):
        out.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in results["rows"]:
        cpu = row.get("cpu_per_item")
        server = row.get("server_cpu_per_item")
        out.add_row(
            row["name"],
            _fmt(row["rate"]),
            _fmt(cpu * 1000 if cpu else None),
            _fmt(server * 1000 if server else None),
            _fmt(row.get("peak_rss_mb") or None, 0),
            row.get("note", ""),
        )
    return out


def lines(results: dict[str, Any]) -> list[str]:
    """The machine-readable lines: `ratio NAME VALUE` and `latency p95 SECONDS`."""
    out = [f"ratio {name} {value:.2f}" for name, value in results["ratios"].items()]
    latency = results["latency"]
    for point in ("p50", "p95", "p99"):
        out.append(f"latency {point} {_fmt(latency[point], 2)}")
    return out


def print_report(console: Console, results: dict[str, Any]) -> None:
    console.print(table(results))
    rss = results["peak_rss_mb"]
    console.print(
        "peak RSS per stage process: "
        + ", ".join(
            f"{name} {mb:.0f} MB (target ≤ {RSS_TARGET_MB.get(name, RSS_DEFAULT_TARGET_MB):.0f})"
            for name, mb in sorted(rss.items())
        )
    )
    console.print(
        f"limit {results['limit']:.1f} articles/s = {results['cores']} cores ÷ "
        + " + ".join(f"{s} {c * 1000:.1f}" for s, c in results["cpu_per_article"].items())
        + " ms CPU per article (each stage alone, its own CPU plus the CPU Kafka and "
        "Elasticsearch spent while it ran)"
    )
    console.print(
        f"latency at {results['latency']['rate']:.1f} articles/s "
        f"({results['latency']['articles']} articles, {results['latency']['layout']}): "
        f"p50 {_fmt(results['latency']['p50'], 2)} s, p95 {_fmt(results['latency']['p95'], 2)} s, "
        f"p99 {_fmt(results['latency']['p99'], 2)} s"
    )
    load = results["load"]
    console.print(
        f"machine load average (1 min) {load['before']:.1f} before, {load['after']:.1f} after; "
        f"other processes used {load['others_cores']:.2f} cores on average during the run"
    )
    for line in lines(results):
        console.print(line, highlight=False, markup=False)


def chart(results: dict[str, Any], path: Path) -> None:
    """Each stage beside its raw limit (log scale), and the latency distribution."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs = results["chart_pairs"]
    figure, (bars, histogram) = plt.subplots(
        1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [3, 2]}
    )
    positions = range(len(pairs))
    width = 0.38
    measured = [p["measured"] for p in pairs]
    limits = [p["limit"] for p in pairs]
    bars.bar([x - width / 2 for x in positions], measured, width, label="measured", color="#3b6ea8")
    bars.bar([x + width / 2 for x in positions], limits, width, label="its limit", color="#c9c9c9")
    for x, (m, lim) in enumerate(zip(measured, limits, strict=True)):
        if lim:
            bars.text(x, max(m, lim) * 1.15, f"×{m / lim:.2f}", ha="center", fontsize=9)
    bars.set_xticks(list(positions))
    bars.set_xticklabels([f"{p['name']}\nvs {p['limit_name']}" for p in pairs], fontsize=8)
    bars.set_yscale("log")
    bars.set_ylim(top=max([*measured, *limits, 1.0]) * 4)
    bars.set_ylabel("articles (documents, records) per second")
    bars.set_title(
        f"each stage beside its limit — {results['articles']:,} articles, {results['cores']} cores"
    )
    bars.legend(loc="upper left")
    values = results["latency"]["values"]
    if values:
        histogram.hist(values, bins=40, color="#3b6ea8")
        for point, style in (("p50", ":"), ("p95", "--"), ("p99", "-.")):
            value = results["latency"][point]
            histogram.axvline(value, color="black", linestyle=style, label=f"{point} {value:.2f} s")
        histogram.legend()
    histogram.set_xlabel("publish → searchable, seconds")
    histogram.set_ylabel("articles")
    histogram.set_title(
        f"latency at {results['latency']['rate']:.1f} articles/s (half the maximum)"
    )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
