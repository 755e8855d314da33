"""The `newsflow` command."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

import orjson
from rich.console import Console
from rich.text import Text

from newsflow.errors import ConfigError, NewsflowError

if TYPE_CHECKING:
    from newsflow.core.readers import Kind

console = Console(stderr=True)


def _stack_command(args: argparse.Namespace) -> int:
    from newsflow.stack import LocalStack

    stack = LocalStack()
    if args.action == "up":
        started = time.monotonic()
        for server in {stack.kafka, stack.elasticsearch} - set(stack.managed_servers()):
            console.print(
                f"{server.name}: using the server the environment names, not starting one"
            )

        stack.up()
        console.print(f"stack healthy in {time.monotonic() - started:.1f}s")
        _print_status(stack.status())
        return 0
    if args.action == "down":
        stopped = stack.down()
        console.print(f"stopped: {', '.join(stopped) or 'nothing was running'}")
        return 0
    if args.action == "status":
        report = stack.status()
        _print_status(report)
        return 0 if all(part["healthy"] for part in report.values()) else 1
    if args.action == "logs":
        servers = [s for s in (stack.kafka, stack.elasticsearch) if args.server in (None, s.name)]
        if args.follow:
            files = [str(s.log_file) for s in servers]
            return subprocess.call(["tail", "-n", str(args.lines), "-F", *files])
        for server in servers:
            print(f"==> {server.log_file} <==")
            print(server.log_tail(args.lines))
        return 0
    raise AssertionError(args.action)


def _print_status(report: dict[str, dict[str, object]]) -> None:
    kafka, es = report["kafka"], report["elasticsearch"]

    def state(part: dict[str, object]) -> str:
        text = "healthy" if part["healthy"] else "NOT healthy"
        if part.get("managed"):
            text += f", pid {part.get('pid')}"
            if "rss_mb" in part:
                text += f", rss {part['rss_mb']} MiB"
        return text

    print(f"kafka          {kafka['bootstrap_servers']}  ({state(kafka)}; {kafka['version']})")
    print(f"elasticsearch  {es['url']}  ({state(es)}; status {es['status']}; {es['version']})")


def _setup_command(args: argparse.Namespace) -> int:
    from newsflow.settings import SetupSettings
    from newsflow.setup import run_setup

    changes = asyncio.run(run_setup(SetupSettings()))
    for change in changes:
        print(f"created {change}")
    print("setup complete" + ("" if changes else ": nothing to change"))
    return 0


STAGES = ("cleaner", "dedup", "enricher", "indexer")
KINDS = ("auto", "text", "html", "jsonl", "feed")


def _run_command(args: argparse.Namespace) -> int:
    if args.stage == "all":
        from newsflow.runtime.kafka import require_topics
        from newsflow.runtime.supervisor import run_all
        from newsflow.settings import Connections, StreamSettings

        topics = StreamSettings().topics
        asyncio.run(
            require_topics(
                Connections().bootstrap_servers,
                [
                    topics.raw,
                    topics.clean,
                    topics.sequenced,
                    topics.deduped,
                    topics.enriched,
                    topics.dlq,
                ],
            )
        )
        return run_all(STAGES)
    module = importlib.import_module(f"newsflow.stages.{args.stage}")
    module.run()
    return 0


def _collect_command(args: argparse.Namespace) -> int:
    from newsflow.settings import CollectorSettings
    from newsflow.stages.collector import collect

    settings = CollectorSettings()
    report = asyncio.run(collect(args.inputs, settings, source=args.source, kind=_kind(args.kind)))
    for rejected in report.rejected:
        console.print(Text(f"rejected {rejected.where}: {rejected.reason}", style="yellow"))
    console.print(
        f"sent {report.sent} to {settings.stream.topics.raw}, rejected {len(report.rejected)}"
    )
    return 1 if report.rejected else 0


def _kind(value: str) -> Kind | None:
    return None if value == "auto" else cast("Kind", value)


def _process_command(args: argparse.Namespace) -> int:
    from newsflow.api import Failure, Pipeline
    from newsflow.core.ids import utc_now
    from newsflow.core.readers import Rejected, complete, read_inputs

    pipeline = Pipeline(skip_cleaning=args.skip_cleaning, mentions=args.mentions)
    collected_at = utc_now()

    def raws() -> Iterator[tuple[str, dict[str, Any] | Failure]]:
        for where, item in read_inputs(args.inputs, _kind(args.kind)):
            if isinstance(item, Rejected):
                yield where, Failure(item.where, "RejectedInput", item.reason)
                continue
            try:
                yield where, complete(item, args.source, collected_at)
            except ValueError as exc:
                yield where, Failure(where, "RejectedInput", str(exc))

    failures = 0
    out = sys.stdout.buffer
    for _, result in pipeline.process_stream(raws()):
        if isinstance(result, Failure):
            failures += 1
            out.write(orjson.dumps(result.as_dict()) + b"\n")
        else:
            out.write(orjson.dumps(result) + b"\n")
    out.flush()
    if failures:
        console.print(Text(f"{failures} article(s) could not be processed", style="yellow"))
    return 1 if failures else 0


def _search_command(args: argparse.Namespace) -> int:
    from newsflow.elastic.search import print_hits, search

    hits, total = asyncio.run(
        search(
            args.query,
            persons=args.person,
            locations=args.location,
            organizations=args.organization,
            language=args.lang,
            since=args.since,
            size=args.size,
            wait_s=args.wait,
            collapse_stories=args.collapse_stories,
        )
    )
    print_hits(hits, total, as_json=args.json, stories=args.collapse_stories)
    return 0 if hits else 1


def _status_command(args: argparse.Namespace) -> int:
    from rich.table import Table

    from newsflow.ops.status import collect_status, stage_of
    from newsflow.settings import Connections, IndexNames, StreamSettings

    status = asyncio.run(collect_status(Connections(), StreamSettings(), IndexNames()))
    if args.json:
        print(orjson.dumps(status.as_dict()).decode())
        return 0
    out = Console()
    table = Table("stage", "group", "state", "members", "lag", "restarts", "partitions (lag)")
    for stage, state in status.groups.items():
        restarts = "-" if status.restarts is None else str(status.restarts.get(stage_of(stage), 0))
        partitions = " ".join(
            f"{p.topic.rsplit('.', 1)[-1]}[{p.partition}]={p.lag}" for p in state.partitions
        )
        table.add_row(
            stage,
            state.group,
            state.state,
            str(len(state.members)),
            str(state.lag),
            restarts,
            partitions,
        )
    out.print(table)
    if status.dead_letters is None:
        out.print("dead letters: unavailable (Elasticsearch not reachable or no dead-letter index)")
    else:
        letters = ", ".join(f"{s}/{e} {n}" for (s, e), n in sorted(status.dead_letters.items()))
        out.print(f"dead letters: {letters or 'none'}")
    documents = "unavailable" if status.documents is None else str(status.documents)
    out.print(f"documents in the index: {documents}")
    return 0


def _dlq_command(args: argparse.Namespace) -> int:
    from newsflow.ops.dead_letters import Filter, read_dead_letters, replay
    from newsflow.settings import Connections, StreamSettings

    connections, stream = Connections(), StreamSettings()
    which = Filter(stage=args.stage, error=args.error, since=args.since)
    letters = asyncio.run(read_dead_letters(connections, stream, which))
    if args.action == "list":
        for item in letters:
            letter = item.letter
            if args.json:
                print(orjson.dumps(letter).decode())
                continue
            print(
                f"{letter['time']}  {letter['stage']:<9} {letter['error']:<18} "
                f"{letter.get('article_id') or '-':<32}  {str(letter['reason'])[:100]}"
            )
        console.print(f"{len(letters)} dead letter(s) in {stream.topics.dlq}")
        return 0
    if args.dry_run:
        console.print(f"would replay {len(letters)} dead letter(s)")
        return 0
    report = asyncio.run(replay(connections, stream, letters))
    for item, why in report.skipped:
        console.print(Text(f"skipped {item.partition}/{item.offset}: {why}", style="yellow"))
    console.print(f"replayed {report.replayed}, skipped {len(report.skipped)}")
    return 1 if report.skipped else 0


def _demo_command(args: argparse.Namespace) -> int:
    try:
        from newsflow_dev.demo import run_demo
    except ImportError as exc:
        raise ConfigError(
            "the demo is developer tooling, not part of this installation: run it from a "
            "checkout with `make demo`"
        ) from exc
    return run_demo(args.query)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    stack = commands.add_parser("stack", help="local single-node Kafka and Elasticsearch")
    stack_actions = stack.add_subparsers(dest="action", required=True)
    stack_actions.add_parser("up", help="provision, start and wait until healthy (idempotent)")
    stack_actions.add_parser("down", help="stop the servers this stack started")
    stack_actions.add_parser("status", help="exit 0 only when both servers are healthy")
    logs = stack_actions.add_parser("logs", help="show the servers' logs")
    logs.add_argument("server", nargs="?", choices=["kafka", "elasticsearch"])
    logs.add_argument("-n", "--lines", type=int, default=50)
    logs.add_argument("-f", "--follow", action="store_true")
    stack.set_defaults(handler=_stack_command)

    setup = commands.add_parser(
        "setup", help="create topics, index templates and alias (idempotent)"
    )
    setup.set_defaults(handler=_setup_command)

    run = commands.add_parser("run", help="run pipeline stages")
    run.add_argument("stage", choices=["all", *STAGES])
    run.set_defaults(handler=_run_command)

    collect = commands.add_parser("collect", help="push articles into articles.raw")
    collect.add_argument(
        "inputs",
        nargs="+",
        metavar="PATH|URL|-",
        help="files, folders (recursively), http(s) URLs, or - for stdin: plain "
        "text, HTML, JSON Lines or RSS/Atom",
    )
    collect.add_argument(
        "--source", help="publisher name when the input does not say (default: URL host)"
    )
    collect.add_argument("--kind", choices=KINDS, default="auto", help="how to read the inputs")
    collect.set_defaults(handler=_collect_command)

    process = commands.add_parser(
        "process",
        help="what the pipeline makes of articles, offline: one indexer document a line",
    )
    process.add_argument("inputs", nargs="+", metavar="PATH|URL|-", help="as for collect")
    process.add_argument("--kind", choices=KINDS, default="auto", help="how to read the inputs")
    process.add_argument("--source", help="publisher name when the input does not say")
    process.add_argument(
        "--skip-cleaning", action="store_true", help="take each input's text as the body unchanged"
    )
    process.add_argument(
        "--mentions",
        action="store_true",
        help="add analysed_text and every entity's mentions with character offsets into it",
    )
    process.set_defaults(handler=_process_command)

    search = commands.add_parser("search", help="search the index")
    search.add_argument("query", nargs="?", default=None)
    search.add_argument("--person", action="append", default=[], metavar="P")
    search.add_argument("--location", action="append", default=[], metavar="L")
    search.add_argument("--organization", action="append", default=[], metavar="O")
    search.add_argument("--lang", metavar="CODE")
    search.add_argument("--since", metavar="DATE", help="published (or collected) on or after DATE")
    search.add_argument("--size", type=int, default=10)
    search.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="retry until something matches, at most this long",
    )
    search.add_argument(
        "--collapse-stories",
        action="store_true",
        help="one hit per story (copies of one dispatch on many sites), with its copy count",
    )
    search.add_argument("--json", action="store_true", help="one JSON document a line")
    search.set_defaults(handler=_search_command)

    status = commands.add_parser(
        "status", help="consumer groups, lag per partition, restarts, dead letters, documents"
    )
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status_command)

    dlq = commands.add_parser("dlq", help="list or replay dead letters")
    dlq.add_argument("action", choices=["list", "replay"])
    dlq.add_argument("--stage", choices=["collector", *STAGES])
    dlq.add_argument("--error", metavar="TYPE", help="error type, e.g. ContractError")
    dlq.add_argument("--since", metavar="TIME", help="dead-lettered at or after TIME (ISO 8601)")
    dlq.add_argument("--json", action="store_true", help="list: one dead letter a line as JSON")
    dlq.add_argument("--dry-run", action="store_true", help="replay: count, send nothing")
    dlq.set_defaults(handler=_dlq_command)

    demo = commands.add_parser("demo", help="stack, pipeline, the sample article, a search")
    demo.add_argument("--query", default="Lavrov")
    demo.set_defaults(handler=_demo_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except NewsflowError as exc:
        console.print("[bold red]error:[/]", Text(str(exc)), highlight=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
