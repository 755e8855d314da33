"""python -m newsflow_dev.bench [--articles N] [--data DIR] [--json PATH] [--chart PATH]"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson
import psutil
from rich.console import Console

from newsflow.cli import STAGES
from newsflow.core.contracts import Contract, decode
from newsflow.errors import NewsflowError
from newsflow.settings import CleanerOptions, EnricherOptions, SetupOptions, StackSettings
from newsflow.stack import LocalStack
from newsflow_dev.bench import corpus, phases, report
from newsflow_dev.bench.probes import Offsets, ProcessWatch
from newsflow_dev.bench.stats import Measured, machine_limit, percentiles, ratio

# Articles that warm a pipeline up (models loaded, groups joined) before its clock starts.
_WARM_ARTICLES = 40
# How long the latency phase publishes for, at most.
_LATENCY_S = 60.0


def _row(name: str, measured: Measured, note: str = "") -> dict[str, Any]:
    return {
        "name": name,
        **asdict(measured),
        "rate": measured.rate,
        "cpu_per_item": measured.cpu_per_item,
        "server_cpu_per_item": measured.server_cpu_per_item,
        "note": note,
    }


def _busy_cpu_s() -> float:
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def _own_cpu_s() -> float:
    """This process and every child it has waited for (stage processes and theirs)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


async def bench(
    stack: LocalStack, articles: int, data: Path, timeout_s: float, console: Console
) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    # SIGTERM cancels the run, so every stage process started so far is stopped on the way out.
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    load_before = os.getloadavg()[0]
    servers = {
        name: pid
        for name, pid in (
            ("kafka", stack.kafka.pid()),
            ("elasticsearch", stack.elasticsearch.pid()),
        )
        if pid is not None
    }
    busy_before, own_before, started = _busy_cpu_s(), _own_cpu_s(), time.monotonic()
    servers_before = _servers_cpu_s(servers)
    run = uuid.uuid4().hex[:8]
    context = phases.Context(
        connections=stack.settings,
        run=run,
        partitions=SetupOptions().partitions,  # the deployment's (NEWSFLOW_PARTITIONS)
        servers=servers,
        console=console,
        timeout_s=timeout_s,
    )
    with console.status("reading the evaluation pages"):
        pages = corpus.load_pages(data)
        built = corpus.build(pages, articles + _WARM_ARTICLES, run)
        records = phases.payloads(built.articles)
    main, warm = records[:articles], records[articles:]
    shares = dict(corpus.build(pages, articles, run).shares)
    console.print(
        f"corpus: {articles:,} articles — "
        + ", ".join(f"{kind} {count}" for kind, count in shares.items())
        + f"; {sum(len(v) for _, v in main) / 1e6:.0f} MB of raw messages; "
        f"logs in {context.logs}"
    )
    rows: list[dict[str, Any]] = []
    offsets = Offsets(stack.bootstrap_servers, context.partitions)
    await offsets.start()
    try:
        solo = context.names("solo")
        await phases.setup(context, solo)
        produced, consumed = await phases.kafka_round_trip(context, solo, main)
        warm_count = max(articles // 10, 1)
        alone: dict[str, Measured] = {}
        for stage in STAGES:
            if stage in phases.SOLO_TOPICS:
                alone[stage] = await phases.solo_faust_stage(
                    context, offsets, solo, stage, warm_count
                )
            elif stage == "indexer":
                alone[stage] = await phases.solo_indexer(context, offsets, solo, warm_count)
            else:
                console.print(f"[yellow]stage {stage} is not measured alone (topics unknown)")
        enriched = [
            decode(Contract.ENRICHED, value)
            for value in await phases.consume_all(
                context, solo.topics.enriched, await offsets.end(solo.topics.enriched)
            )
        ]
        with console.status("spaCy nlp.pipe alone"):
            nlp = phases.nlp_pipe(enriched, EnricherOptions())
        with console.status("helpers.async_bulk alone"):
            bulk = await phases.raw_bulk(context, context.names("bulk"), enriched)
        sample = [orjson.loads(value) for _, value in main[: min(articles, 400)]]
        with console.status(f"cleaner core alone ({len(sample)} articles)"):
            cleaning = phases.clean_core(sample, CleanerOptions())
        pipelines = {
            workers: await phases.pipeline_throughput(
                context, offsets, context.names(f"p{workers}"), workers, main, warm
            )
            for workers in (1, 2)
        }
        best_workers = max(pipelines, key=lambda w: pipelines[w].rate)
        best = pipelines[best_workers]
        rate = best.rate / 2
        count = max(min(articles, int(rate * _LATENCY_S)), 1)
        expected = {str(m["id"]).encode() for m in enriched}
        delays = await phases.latency(
            context,
            offsets,
            context.names("latency"),
            best_workers,
            main[:count],
            warm,
            expected,
            rate,
        )
    finally:
        await offsets.stop()
        await phases.cleanup(context)
    elapsed = time.monotonic() - started
    others = (_busy_cpu_s() - busy_before) - (_own_cpu_s() - own_before)
    others -= _servers_cpu_s(servers) - servers_before
    cpu_per_article = {stage: m.cpu_per_item + m.server_cpu_per_item for stage, m in alone.items()}
    limit = machine_limit(cores, cpu_per_article)
    rows += [
        _row("aiokafka produce (raw)", produced, "as the collector publishes"),
        _row("aiokafka consume (raw)", consumed),
        _row("cleaner core, in process", cleaning, f"{len(sample)} articles"),
    ]
    limits = {"cleaner": ("cleaner core", cleaning), "enricher": ("nlp.pipe", nlp)}
    limits["indexer"] = ("async_bulk", bulk)
    for stage, measured in alone.items():
        name, limit_measured = limits.get(stage, ("", measured))
        note = f"{ratio(measured.rate, limit_measured.rate):.2f} × {name}" if name else ""
        if name and measured.cpu_per_item and limit_measured.cpu_per_item:
            # Per CPU second, which other people's load on the machine disturbs less.
            cpu_ratio = limit_measured.cpu_per_item / measured.cpu_per_item
            note += f" (CPU {cpu_ratio:.2f} ×)"
        rows.append(_row(f"{stage} alone", measured, note))
    rows += [
        _row("spaCy nlp.pipe", nlp, "same models and texts, in process"),
        _row("helpers.async_bulk", bulk, "same documents, same template"),
    ]
    for workers, measured in pipelines.items():
        rows.append(
            _row(
                f"pipeline, {workers} enricher(s)",
                measured,
                f"{ratio(measured.rate, limit):.2f} × limit {limit:.1f}",
            )
        )
    p50, p95, p99 = percentiles(delays)
    results: dict[str, Any] = {
        "articles": articles,
        "cores": cores,
        "corpus": shares,
        "elapsed_s": elapsed,
        "rows": rows,
        "cpu_per_article": cpu_per_article,
        "limit": limit,
        "ratios": {
            "enricher/nlp.pipe": ratio(alone["enricher"].rate, nlp.rate),
            "indexer/bulk": ratio(alone["indexer"].rate, bulk.rate),
            "end-to-end/limit": ratio(best.rate, limit),
        },
        "latency": {
            "rate": rate,
            "articles": count,
            "layout": f"{best_workers} enricher worker(s)",
            "p50": p50,
            "p95": p95,
            "p99": p99,
            "values": delays,
        },
        "peak_rss_mb": context.peak_rss_mb,
        "load": {
            "before": load_before,
            "after": os.getloadavg()[0],
            "others_cores": max(others, 0.0) / elapsed,
        },
        "chart_pairs": [
            *(
                {
                    "name": f"{stage} alone",
                    "measured": alone[stage].rate,
                    "limit_name": limits[stage][0],
                    "limit": limits[stage][1].rate,
                }
                for stage in alone
                if stage in limits
            ),
            {
                "name": "pipeline",
                "measured": best.rate,
                "limit_name": "machine limit",
                "limit": limit,
            },
            {
                "name": "aiokafka produce",
                "measured": produced.rate,
                "limit_name": "consume",
                "limit": consumed.rate,
            },
        ],
    }
    return results


def _servers_cpu_s(servers: dict[str, int]) -> float:
    return ProcessWatch(servers).cpu_s()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m newsflow_dev.bench")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per phase, at most")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--chart", type=Path, default=Path("docs/bench.png"))
    args = parser.parse_args()
    # A wide table even when the output goes to a file.
    console = Console() if sys.stdout.isatty() else Console(width=130)
    try:
        corpus.require_data(args.data)
    except NewsflowError as exc:
        console.print(f"[red]{exc}")
        return 2
    stack = LocalStack(StackSettings())
    stack.up()
    results = asyncio.run(bench(stack, args.articles, args.data, args.timeout, console))
    report.print_report(console, results)
    _dedup_core(console)
    args.json.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    report.chart(results, args.chart)
    console.print(f"wrote {args.json} and {args.chart}")
    return 0


def _dedup_core(console: Console, count: int = 5000) -> None:
    """The dedup decisions alone, in process, and the tables' memory per 100,000 articles."""
    from newsflow.settings import DedupOptions
    from newsflow.stages.dedup import dedup_config
    from newsflow_dev.dedup_bench import core_rate, state_memory

    config = dedup_config(DedupOptions())
    rate = core_rate(count, config)
    memory = state_memory(min(count, 20_000), config)
    console.print(
        f"dedup core alone: {rate:.0f} articles per CPU second ({count} articles); "
        "state per 100,000 articles: "
        + ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in memory.items())
    )


if __name__ == "__main__":
    raise SystemExit(main())
