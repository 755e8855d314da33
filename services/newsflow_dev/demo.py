"""`newsflow demo` (`make demo`): the whole job on the local stack, with the sample article."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time

from rich.console import Console

from newsflow.elastic.search import print_hits, search
from newsflow.settings import CollectorSettings, SetupSettings
from newsflow.setup import run_setup
from newsflow.stack import LocalStack
from newsflow.stages.collector import collect
from newsflow_dev import sample_article


def run_demo(query: str, wait_s: float = 120.0) -> int:
    console = Console(stderr=True)
    sample = sample_article()
    console.rule("1. local stack")
    stack = LocalStack()
    stack.up()
    console.print(f"Kafka {stack.bootstrap_servers}, Elasticsearch {stack.elasticsearch_url}")
    console.rule("2. topics, index template and alias")
    for change in asyncio.run(run_setup(SetupSettings())):
        console.print(f"created {change}")
    console.rule("3. pipeline: cleaner, enricher, indexer")
    pipeline = subprocess.Popen(
        [sys.executable, "-m", "newsflow.cli", "run", "all"], stderr=subprocess.DEVNULL
    )
    try:
        console.rule("4. collect the sample article")
        report = asyncio.run(collect([str(sample)], CollectorSettings()))
        console.print(f"sent {report.sent}, rejected {len(report.rejected)}")
        console.rule(f'5. search "{query}"')
        started = time.monotonic()
        hits, total = asyncio.run(search(query, wait_s=wait_s))
        console.print(f"searchable after {time.monotonic() - started:.1f}s")
        print_hits(hits, total)
        console.print(
            '\nThe stack keeps running: try `newsflow search Alep --person "John Kerry"`; '
            "`make stack-down` stops it."
        )
        return 0 if hits else 1
    finally:
        console.rule("6. stopping the pipeline")
        pipeline.send_signal(signal.SIGTERM)
        try:
            pipeline.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pipeline.kill()
