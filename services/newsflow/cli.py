"""The `newsflow` command."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from newsflow.errors import NewsflowError

console = Console(stderr=True)


def _stack_command(args: argparse.Namespace) -> int:
    from newsflow.stack import LocalStack

    stack = LocalStack()
    if args.action == "up":
        started = time.monotonic()
        if stack.external:
            console.print(
                "KAFKA_BOOTSTRAP_SERVERS/ELASTICSEARCH_URL set: checking those servers, "
                "starting nothing"
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except NewsflowError as exc:
        console.print("[bold red]error:[/]", Text(str(exc)), highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
