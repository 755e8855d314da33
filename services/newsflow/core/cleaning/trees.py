"""Prediction with a trained gradient-boosted tree ensemble, from plain arrays.

The line model is trained with scikit-learn's HistGradientBoostingClassifier
(`newsflow_dev.train_cleaner`), which exports its trees as these arrays. Predicting needs only
numpy: importing scikit-learn in every cleaner process would cost about 90 MB of memory, and
its OpenMP prediction threads stall when the cores are busy with the other stages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]


class Classifier(Protocol):
    """What the cleaner needs of a fitted binary classifier (TreeEnsemble, or scikit-learn's
    while training)."""

    def predict_proba(self, features: Matrix) -> npt.NDArray[np.float64]: ...


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
    # The walk's own layout (see `_walk_layout`), derived once from the fields above.
    _walk: _Walk = field(init=False, repr=False)

    FIELDS = ("feature", "threshold", "missing_left", "left", "right", "leaf", "value", "roots")

    def __post_init__(self) -> None:
        object.__setattr__(self, "_walk", _walk_layout(self))

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
        walk = self._walk
        rows, columns = features.shape
        trees = len(walk.roots)
        nodes = np.tile(walk.roots, (rows, 1))
        flat = nodes.reshape(-1)
        values_of = np.ascontiguousarray(features).reshape(-1)
        with_nan = bool(np.isnan(values_of).any())
        where = np.arange(flat.size)
        row_start = (where // trees) * columns
        node = flat.copy()
        step = 0
        while where.size:
            values = values_of[row_start + walk.feature[node]]
            right = values > walk.threshold[node]
            if with_nan:
                right |= np.isnan(values) & walk.missing_right[node]
            node = walk.child[node] + right
            step += 1
            # Leaves lead to themselves, so pairs that reached one may take a few more steps:
            # dropping them only every few steps saves more array operations than it costs.
            if step % _STEPS_PER_PRUNE == 0:
                flat[where] = node
                inner = walk.inner[node]
                where, row_start, node = where[inner], row_start[inner], node[inner]
        result: Matrix = self.baseline + walk.value[nodes].sum(axis=1)
        return result

    def predict_proba(self, features: Matrix) -> Matrix:
        """Like scikit-learn's: one column per class."""
        positive = 1.0 / (1.0 + np.exp(-self.raw(np.asarray(features, dtype=np.float64))))
        return np.column_stack([1.0 - positive, positive])


_STEPS_PER_PRUNE = 4


@dataclass(frozen=True)
class _Walk:
    """The nodes renumbered so that each inner node's children are adjacent: the next node is
    `child[node] + (value > threshold[node])`, one lookup where separate left and right
    arrays take two and a choice. A leaf is its own child, with an infinite threshold, so that
    a pair that reached its leaf stays there. Indexes are native-width integers: numpy
    converts 32-bit ones on every fancy index."""

    roots: npt.NDArray[np.intp]
    feature: npt.NDArray[np.intp]
    threshold: Matrix
    missing_right: npt.NDArray[np.bool_]
    child: npt.NDArray[np.intp]
    inner: npt.NDArray[np.bool_]
    value: Matrix


def _walk_layout(ensemble: TreeEnsemble) -> _Walk:
    """The ensemble's nodes in the walk's order and form (see `_Walk`)."""
    inner = ~ensemble.leaf
    # `value > threshold` is `not value <= threshold` only for thresholds that are numbers.
    if np.isnan(ensemble.threshold[inner]).any():
        raise ValueError("a split threshold is NaN")
    # Breadth-first order within each tree puts the two children of a node side by side.
    is_inner, left, right = inner.tolist(), ensemble.left.tolist(), ensemble.right.tolist()
    order: list[int] = []
    for root in ensemble.roots.tolist():
        queue = [root]
        for node in queue:
            order.append(node)
            if is_inner[node]:
                queue += (left[node], right[node])
    old = np.array(order, dtype=np.intp)
    new = np.zeros(len(ensemble.leaf), dtype=np.intp)
    new[old] = np.arange(len(old))
    inner = inner[old]
    child = np.arange(len(old))
    child[inner] = new[ensemble.left[old[inner]]]
    return _Walk(
        roots=new[ensemble.roots],
        feature=np.where(inner, ensemble.feature[old], 0).astype(np.intp),
        threshold=np.where(inner, ensemble.threshold[old], np.inf),
        missing_right=inner & ~ensemble.missing_left[old],
        child=child,
        inner=inner,
        value=ensemble.value[old],
    )
