"""What the benchmark watches: Kafka offsets, and the CPU time and memory of processes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import psutil
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

_STAGE_COMMAND = ("newsflow.cli", "run")


class Offsets:
    """End offsets of topics and committed offsets of consumer groups (no group of its own)."""

    def __init__(self, bootstrap_servers: str, partitions: int) -> None:
        self.partitions = partitions
        self._counts: dict[str, int] = {}
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers)
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)

    async def start(self) -> None:
        await self.consumer.start()
        await self.admin.start()

    async def stop(self) -> None:
        await self.consumer.stop()
        await self.admin.close()

    async def _partitions(self, topics: Iterable[str]) -> list[TopicPartition]:
        """Every partition of the topics (topics may differ in partitions), looked up once."""
        missing = [t for t in topics if t not in self._counts]
        if missing:
            for described in await self.admin.describe_topics(missing):
                self._counts[described["topic"]] = len(described["partitions"]) or self.partitions
        return [TopicPartition(t, p) for t in topics for p in range(self._counts[t])]

    async def end(self, *topics: str) -> int:
        """Records ever written to the topics (all partitions)."""
        ends = await self.consumer.end_offsets(await self._partitions(topics))
        return int(sum(ends.values()))

    async def committed(self, group: str, *topics: str) -> int:
        """Records of the topics the group has committed."""
        offsets = await self.admin.list_consumer_group_offsets(
            group, partitions=await self._partitions(topics)
        )
        return int(sum(max(o.offset, 0) for o in offsets.values()))

    async def group_state(self, group: str) -> tuple[str, int]:
        """A consumer group's state ("Stable", "PreparingRebalance", ...) and member count."""
        for response in await self.admin.describe_consumer_groups([group]):
            for described in response.groups:
                # (error_code, group_id, state, protocol_type, protocol, members, ...)
                return str(described[2]), len(described[5])
        return "Dead", 0


def stage_label(cmdline: list[str]) -> str | None:
    """'cleaner' for `python -m newsflow.cli run cleaner`; 'supervisor' for `run all`."""
    for index in range(len(cmdline) - 2):
        if tuple(cmdline[index : index + 2]) == _STAGE_COMMAND:
            stage = cmdline[index + 2]
            return "supervisor" if stage == "all" else stage
    return None


@dataclass
class ProcessWatch:
    """Processes under some roots, each labelled (a stage's name, or the root's label); their
    summed CPU time, and the peak resident memory of each label's largest process."""

    roots: Mapping[str, int]
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    _known: dict[int, tuple[str, psutil.Process]] = field(default_factory=dict)
    _gone_cpu_s: float = 0.0
    _last_cpu: dict[int, float] = field(default_factory=dict)

    def _discover(self) -> None:
        for label, pid in self.roots.items():
            try:
                root = psutil.Process(pid)
                family = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            for process in family:
                if process.pid in self._known:
                    continue
                try:
                    name = stage_label(process.cmdline()) or label
                except psutil.Error:
                    continue
                self._known[process.pid] = (name, process)

    def cpu_s(self) -> float:
        """User + system seconds of every process seen so far (ended ones at their last value)."""
        self._discover()
        for pid, (_, process) in list(self._known.items()):
            try:
                times = process.cpu_times()
                self._last_cpu[pid] = times.user + times.system
            except psutil.Error:
                self._gone_cpu_s += self._last_cpu.pop(pid, 0.0)
                del self._known[pid]
        return self._gone_cpu_s + sum(self._last_cpu.values())

    def sample(self) -> None:
        """Record each label's resident memory (its largest process)."""
        self._discover()
        for name, process in list(self._known.values()):
            try:
                rss = process.memory_info().rss / (1024 * 1024)
            except psutil.Error:
                continue
            if rss > 0:  # a process on its way out reports nothing
                self.peak_rss_mb[name] = max(self.peak_rss_mb.get(name, 0.0), rss)
