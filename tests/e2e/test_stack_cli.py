"""The `newsflow stack` command as a user runs it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsflow.stack import LocalStack

pytestmark = pytest.mark.e2e


def test_status_reports_both_servers_healthy(stack: LocalStack) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "stack", "status"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"kafka          {stack.bootstrap_servers}  (healthy" in result.stdout
    assert f"elasticsearch  {stack.elasticsearch_url}  (healthy" in result.stdout
    assert stack.elasticsearch_url.startswith("http://127.0.0.1:") or stack.external


def test_up_is_idempotent(stack: LocalStack) -> None:
    before = (stack.kafka.pid(), stack.elasticsearch.pid())
    result = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", "stack", "up"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (stack.kafka.pid(), stack.elasticsearch.pid()) == before
