"""`newsflow run all`: every stage as its own process, as in a deployment, supervised together.

One process per stage keeps each stage its own consumer group and its own event loop; if one
stage dies the others are stopped too, so a half-running pipeline is never mistaken for a
working one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

import structlog

from newsflow import logs

log = structlog.get_logger()


def _stage_env(index: int) -> dict[str, str]:
    """Each stage its own metrics port: NEWSFLOW_METRICS_PORT, +1, +2 in the order of STAGES."""
    env = dict(os.environ)
    if env.get("NEWSFLOW_METRICS_PORT"):
        env["NEWSFLOW_METRICS_PORT"] = str(int(env["NEWSFLOW_METRICS_PORT"]) + index)
    return env


def run_all(stages: Sequence[str], stop_timeout_s: float = 30.0) -> int:
    logs.configure()
    children = {
        stage: subprocess.Popen(
            [sys.executable, "-m", "newsflow.cli", "run", stage], env=_stage_env(index)
        )
        for index, stage in enumerate(stages)
    }
    log.info("pipeline_started", stages={s: p.pid for s, p in children.items()})
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while not stopping:
        for stage, process in children.items():
            if process.poll() is not None:
                log.error("stage_exited", stage=stage, code=process.returncode)
                exit_code = process.returncode or 1
                stopping = True
        time.sleep(0.5)
    for process in children.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + stop_timeout_s
    for stage, process in children.items():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            log.warning("stage_killed", stage=stage)
            process.kill()
            process.wait()
    log.info("pipeline_stopped", code=exit_code)
    return exit_code
