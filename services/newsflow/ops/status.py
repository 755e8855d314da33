"""`newsflow status`: per stage its consumer group's members, lag per partition, restarts, and
the dead letters by error type; the index's document count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import psutil
from elasticsearch import ApiError, TransportError

from newsflow.elastic.client import es_client
from newsflow.runtime.kafka import GroupState, group_states
from newsflow.runtime.supervisor import state_file
from newsflow.settings import Connections, IndexNames, StreamSettings

STAGES = ("cleaner", "dedup", "enricher", "indexer")


@dataclass
class Status:
    groups: dict[str, GroupState]
    restarts: dict[str, int] | None
    dead_letters: dict[tuple[str, str], int] | None
    documents: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "stages": {
                stage: {
                    "group": state.group,
                    "state": state.state,
                    "members": state.members,
                    "lag": state.lag,
                    "partitions": [
                        {
                            "topic": p.topic,
                            "partition": p.partition,
                            "committed": p.committed,
                            "end": p.end,
                            "lag": p.lag,
                        }
                        for p in state.partitions
                    ],
                    "restarts": (self.restarts or {}).get(stage),
                }
                for stage, state in self.groups.items()
            },
            "dead_letters": [
                {"stage": stage, "error": error, "count": count}
                for (stage, error), count in sorted((self.dead_letters or {}).items())
            ],
            "documents": self.documents,
        }


def _stage_inputs(stream: StreamSettings) -> dict[str, list[str]]:
    topics = stream.topics
    return {
        "cleaner": [topics.raw],
        "dedup": [topics.clean, topics.sequenced],
        "enricher": [topics.deduped],
        "indexer": [topics.enriched, topics.dlq],
    }


def supervisor_restarts(stream: StreamSettings) -> dict[str, int] | None:
    """From the running `newsflow run all` of these settings, if there is one."""
    try:
        state = orjson.loads(state_file(stream).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not psutil.pid_exists(int(state.get("pid", 0))):
        return None
    return {stage: int(s["restarts"]) for stage, s in state["stages"].items()}


async def collect_status(
    connections: Connections, stream: StreamSettings, index: IndexNames
) -> Status:
    inputs = _stage_inputs(stream)
    groups = await group_states(
        connections.bootstrap_servers, {stream.group_id(s): inputs[s] for s in STAGES}
    )
    es = es_client(connections, request_timeout_s=10)
    dead: dict[tuple[str, str], int] | None = None
    documents: int | None = None
    try:
        documents = int((await es.count(index=index.index_alias))["count"])
        response = await es.search(
            index=index.dead_letter_index,
            size=0,
            aggs={
                "stage": {
                    "terms": {"field": "stage", "size": 20},
                    "aggs": {"error": {"terms": {"field": "error", "size": 50}}},
                }
            },
        )
        dead = {
            (stage["key"], error["key"]): int(error["doc_count"])
            for stage in response["aggregations"]["stage"]["buckets"]
            for error in stage["error"]["buckets"]
        }
    except (ApiError, TransportError):
        pass  # shown as unavailable: Kafka's side is still worth seeing
    finally:
        await es.close()
    return Status(
        {s: groups[stream.group_id(s)] for s in STAGES},
        supervisor_restarts(stream),
        dead,
        documents,
    )
