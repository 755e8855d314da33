"""`newsflow run all`: every stage as its own process, as in a deployment, supervised together.

One process per stage keeps each stage its own consumer group and its own event loop. A stage
that exits is started again after a backoff, like a container's restart policy; only a stage
that keeps crashing (`max_restarts` within `window_s`) stops the pipeline, with a non-zero exit,
so a broken stage is never mistaken for a working one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import orjson
import structlog

from newsflow.runtime import logs, metrics
from newsflow.settings import Observability, StreamSettings

log = structlog.get_logger()


def _stage_env(index: int) -> dict[str, str]:
    """Each stage its own metrics port: NEWSFLOW_METRICS_PORT, +1, +2 in the order of stages."""
    env = dict(os.environ)
    if env.get("NEWSFLOW_METRICS_PORT"):
        env["NEWSFLOW_METRICS_PORT"] = str(int(env["NEWSFLOW_METRICS_PORT"]) + index)
    return env


@dataclass
class Supervised:
    stage: str
    index: int
    process: subprocess.Popen[bytes] | None = None
    restart_at: float | None = None
    crashes: deque[float] = field(default_factory=deque)
    restarts: int = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsflow.cli", "run", self.stage], env=_stage_env(self.index)
        )
        self.restart_at = None


@dataclass(frozen=True)
class RestartPolicy:
    initial_s: float = 1.0
    max_s: float = 30.0
    # Giving up: this many exits within the window.
    max_restarts: int = 5
    window_s: float = 120.0

    def delay(self, recent_crashes: int) -> float:
        return float(min(self.initial_s * 2 ** max(recent_crashes - 1, 0), self.max_s))


def state_file(stream: StreamSettings) -> Path:
    """Where `newsflow run all` records its stages and restarts, for `newsflow status`."""
    return stream.state_dir / "run-all" / f"{stream.group_prefix}.json"


def _record(path: Path, children: Sequence[Supervised]) -> None:
    state = {
        "pid": os.getpid(),
        "stages": {
            c.stage: {
                "pid": c.process.pid if c.process is not None else None,
                "restarts": c.restarts,
            }
            for c in children
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(orjson.dumps(state))
    temporary.replace(path)


def run_all(
    stages: Sequence[str],
    policy: RestartPolicy | None = None,
    stop_timeout_s: float = 30.0,
) -> int:
    logs.configure()
    observability = Observability()
    record = state_file(StreamSettings())
    if observability.metrics_port:  # the stages use the port and the next ones; this comes after
        metrics.serve(observability.metrics_port + len(stages), observability.metrics_host)
    policy = policy or RestartPolicy()
    children = [Supervised(stage, index) for index, stage in enumerate(stages)]
    for child in children:
        child.start()
    log.info(
        "pipeline_started",
        stages={c.stage: c.process.pid for c in children if c.process is not None},
    )
    _record(record, children)
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while not stopping:
        now = time.monotonic()
        for child in children:
            if child.process is not None and child.process.poll() is not None:
                code = child.process.returncode
                child.process = None
                child.crashes.append(now)
                while child.crashes and now - child.crashes[0] > policy.window_s:
                    child.crashes.popleft()
                if len(child.crashes) > policy.max_restarts:
                    log.error(
                        "stage_keeps_crashing_giving_up",
                        stage=child.stage,
                        code=code,
                        exits=len(child.crashes),
                        window_s=policy.window_s,
                    )
                    exit_code = code or 1
                    stopping = True
                    break
                delay = policy.delay(len(child.crashes))
                child.restart_at = now + delay
                log.warning("stage_exited_restarting", stage=child.stage, code=code, in_s=delay)
            elif child.process is None and child.restart_at is not None and now >= child.restart_at:
                child.start()
                child.restarts += 1
                metrics.STAGE_RESTARTS.labels(child.stage).inc()
                log.info("stage_restarted", stage=child.stage, restarts=child.restarts)
                _record(record, children)
        time.sleep(0.2)
    running = [c for c in children if c.process is not None and c.process.poll() is None]
    for child in running:
        assert child.process is not None
        child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + stop_timeout_s
    for child in running:
        assert child.process is not None
        try:
            child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            log.warning("stage_killed", stage=child.stage)
            child.process.kill()
            child.process.wait()
    record.unlink(missing_ok=True)
    log.info("pipeline_stopped", code=exit_code)
    return exit_code
