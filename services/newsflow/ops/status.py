"""`newsflow status`: per consumer group (one per stage; the dedup stage has two, its copy
`dedup-sequence` and its decisions `dedup`) the members, lag per partition and the stage's
restarts, and the dead letters by error type; the index's document count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import psutil
from elasticsearch import ApiError, TransportError

from newsflow.elastic.client import es_client
from newsflow.runtime.kafka import GroupState, group_states
from newsflow.runtime.supervisor import state_file
from newsflow.settings import SEQUENCE_GROUP, Connections, IndexNames, StreamSettings


def stage_of(group: str) -> str:
    """The stage (and supervised process) a consumer group, named after the prefix, belongs to."""
    return "dedup" if group == SEQUENCE_GROUP else group


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
                    "restarts": (self.restarts or {}).get(stage_of(stage)),
                }
                for stage, state in self.groups.items()
            },
            "dead_letters": [
                {"stage": stage, "error": error, "count": count}
                for (stage, error), count in sorted((self.dead_letters or {}).items())
            ],
            "documents": self.documents,
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
    inputs = stream.group_inputs()
    groups = await group_states(
        connections.bootstrap_servers, {stream.group_id(g): inputs[g] for g in inputs}
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
        {g: groups[stream.group_id(g)] for g in inputs},
        supervisor_restarts(stream),
        dead,
        documents,
    )
