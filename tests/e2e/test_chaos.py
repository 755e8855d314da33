"""A small run of the chaos harness (`make chaos` runs the full one): about 600 articles, one
kill of every stage, an Elasticsearch outage and a Kafka broker restart — nothing lost."""

from __future__ import annotations

import pytest
from rich.console import Console

from newsflow.stack import LocalStack
from newsflow_dev.chaos import STAGES, Chaos, Plan, report
from tests.paths import SHARED_EVAL

pytestmark = pytest.mark.e2e


async def test_nothing_is_lost_under_faults(stack: LocalStack) -> None:
    plan = Plan(articles=600, kills_per_stage=1, es_outage_s=20, es_freeze=False, rate=30)
    console = Console(stderr=True)
    result = await Chaos(stack, plan, SHARED_EVAL, console).execute()
    report(result, console)
    assert result.faults["kafka broker restart"] == 1
    assert result.faults["elasticsearch outage"] == 1
    assert sum(n for kind, n in result.faults.items() if kind.startswith("kill ")) == len(STAGES)
    assert result.published == result.good + result.letters_expected
    assert result.passed, result.line()
    assert result.letters_found == result.letters_expected > 0
    assert not result.missing
