"""The benchmark's arithmetic: rates, percentiles, CPU per article, ratios and the limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Measured:
    """What one timed phase did: items, wall seconds, CPU seconds of the measured processes and
    of Kafka and Elasticsearch over the same interval, and the processes' peak RSS."""

    items: int
    seconds: float
    cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    peak_rss_mb: float = 0.0

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_per_item(self) -> float:
        return self.cpu_s / self.items if self.items else 0.0

    @property
    def server_cpu_per_item(self) -> float:
        return self.server_cpu_s / self.items if self.items else 0.0


def percentiles(values: Sequence[float], points: Sequence[float] = (50, 95, 99)) -> list[float]:
    """Linear-interpolation percentiles (numpy's default); NaN for no values."""
    if not values:
        return [float("nan")] * len(points)
    return [float(v) for v in np.percentile(np.asarray(values, dtype=float), list(points))]


def ratio(measured: float, limit: float) -> float:
    return measured / limit if limit > 0 else 0.0


def machine_limit(cores: int, cpu_per_article: Mapping[str, float]) -> float:
    """Articles/s the machine could sustain if every core did nothing but the stages' work:
    cores ÷ the sum of the CPU seconds each article costs, stage by stage."""
    total = sum(cpu_per_article.values())
    return cores / total if total > 0 else 0.0


def progress_point(
    samples: Sequence[tuple[float, int, float]], warm: int
) -> tuple[float, int, float] | None:
    """The first sample (time, done, cpu) at which at least `warm` items were done: the clock
    of a stage measured alone starts there, after start-up and the first batches."""
    for sample in samples:
        if sample[1] >= warm:
            return sample
    return None
