"""Prediction with a trained gradient-boosted tree ensemble, from plain arrays.

The line model is trained with scikit-learn's HistGradientBoostingClassifier
(`newsflow_dev.train_cleaner`), which exports its trees as these arrays. Predicting needs only
numpy: importing scikit-learn in every cleaner process would cost about 90 MB of memory, and
its OpenMP prediction threads stall when the cores are busy with the other stages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """Binary classifier: P(class 1) = sigmoid(baseline + the sum of one leaf value per tree).

    The trees' nodes are concatenated; `left`/`right` are indexes into that concatenation and
    `roots` the first node of each tree. A numerical split sends a row left when its value is
    at most `threshold`, or, for a missing value (NaN), when `missing_left` says so.
    """

    feature: npt.NDArray[np.int32]
    threshold: Matrix
    missing_left: npt.NDArray[np.bool_]
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    leaf: npt.NDArray[np.bool_]
    value: Matrix
    roots: npt.NDArray[np.int32]
    baseline: float
    # Native-width copies for the walk: numpy converts 32-bit indexes on every fancy index.
    _feature: npt.NDArray[np.intp] = field(init=False, repr=False)
    _left: npt.NDArray[np.intp] = field(init=False, repr=False)
    _right: npt.NDArray[np.intp] = field(init=False, repr=False)
    _roots: npt.NDArray[np.intp] = field(init=False, repr=False)
    _inner: npt.NDArray[np.bool_] = field(init=False, repr=False)

    FIELDS = ("feature", "threshold", "missing_left", "left", "right", "leaf", "value", "roots")

    def __post_init__(self) -> None:
        for name in ("feature", "left", "right", "roots"):
            object.__setattr__(self, f"_{name}", getattr(self, name).astype(np.intp))
        object.__setattr__(self, "_inner", ~self.leaf)

    def arrays(self, prefix: str) -> dict[str, npt.NDArray[Any]]:
        named: dict[str, npt.NDArray[Any]] = {
            f"{prefix}.{field}": getattr(self, field) for field in self.FIELDS
        }
        named[f"{prefix}.baseline"] = np.array(self.baseline)
        return named

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], prefix: str) -> TreeEnsemble:
        def get(field: str) -> npt.NDArray[Any]:
            return arrays[f"{prefix}.{field}"]

        return cls(
            feature=get("feature").astype(np.int32),
            threshold=get("threshold").astype(np.float64),
            missing_left=get("missing_left").astype(np.bool_),
            left=get("left").astype(np.int32),
            right=get("right").astype(np.int32),
            leaf=get("leaf").astype(np.bool_),
            value=get("value").astype(np.float64),
            roots=get("roots").astype(np.int32),
            baseline=float(get("baseline")),
        )

    def raw(self, features: Matrix) -> Matrix:
        """The ensemble's log-odds for each row: every (row, tree) pair walks down at once."""
        rows, columns = features.shape
        trees = len(self._roots)
        nodes = np.tile(self._roots, (rows, 1))
        flat = nodes.reshape(-1)
        values_of = np.ascontiguousarray(features).reshape(-1)
        where = np.flatnonzero(self._inner[flat])
        row_start = (where // trees) * columns
        node = flat[where]
        while where.size:
            values = values_of[row_start + self._feature[node]]
            go_left = (values <= self.threshold[node]) | (
                np.isnan(values) & self.missing_left[node]
            )
            node = np.where(go_left, self._left[node], self._right[node])
            flat[where] = node
            inner = self._inner[node]
            where, row_start, node = where[inner], row_start[inner], node[inner]
        result: Matrix = self.baseline + self.value[nodes].sum(axis=1)
        return result

    def predict_proba(self, features: Matrix) -> Matrix:
        """Like scikit-learn's: one column per class."""
        positive = 1.0 / (1.0 + np.exp(-self.raw(np.asarray(features, dtype=np.float64))))
        return np.column_stack([1.0 - positive, positive])
