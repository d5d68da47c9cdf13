"""The ranking rule: which candidate is best, and the order leaderboards and trials list in.

One module for both backends' `list_candidates`, the trials table (`backends/trials.py`)
and, through `Health.defaults.minimized_metrics`, the frontend. Metric directions come
from the engine (`engine/metrics.py`: `MINIMIZED`), the one place that defines them.

- A metric sorts *best first* by its goal: smallest first for the minimised metrics
  (LogLoss and the errors), largest first for every other name.
- `order=best` on a key that is not a metric means: `started_at` and `ended_at` newest
  first, `duration` shortest first, `name`, `experiment` and `algorithm` A to Z (the API
  documents it on `ListCandidatesQuery.order`).
- Items without a value (a running trial has no score) go last in every order; ties and
  missing values keep the leaderboard's order (rank 1 first, then unranked by name), so
  the result does not depend on the order a backend happened to read its rows in.
- Rank 1 is the candidate the backend delivers (the engine's model, SageMaker's
  BestCandidate), then the other completed candidates by the objective; `order=best` on
  the objective lists it first too. Its score is not always the highest: the local
  engine's bagged model on small data is scored out of fold on every row, which is more
  honest than, and so often below, the validation-split scores the search chose trials
  on (the one that ranks first by that split is partly there by chance). The leaderboard's
  first row is then what Deploy deploys, marked with the star (`is_best`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

from . import models as m

C = TypeVar("C", bound=m.Candidate)
SortOrder = Literal["best", "asc", "desc"]

#: Sort keys that are fields rather than metrics, and whether `best` lists them descending.
FIELD_KEYS: dict[str, bool] = {
    "started_at": True,
    "ended_at": True,
    "duration": False,
    "name": False,
    "experiment": False,
    "algorithm": False,
}


@functools.cache
def _minimized_names() -> frozenset[str]:
    # Imported on first use: the engine's metrics module is a leaf (numpy only until it
    # scores), and the server and the client need not load it to start.
    from .engine.metrics import MINIMIZED

    return frozenset(MINIMIZED)


def minimized_metrics() -> list[m.ObjectiveMetric]:
    """The objective metrics where smaller is better, as sent to the frontend."""
    return sorted((m.ObjectiveMetric(n) for n in _minimized_names()), key=lambda x: x.value)


def is_minimized(metric: str | m.ObjectiveMetric | None) -> bool:
    """Whether smaller values of `metric` are better (False for unknown names)."""
    name = metric.value if isinstance(metric, m.ObjectiveMetric) else metric
    return name in _minimized_names()


def objective_goal(metric: str | m.ObjectiveMetric | None) -> Literal["Minimize", "Maximize"]:
    """An objective's goal as SageMaker spells it (`ObjectiveInfo.goal`)."""
    return "Minimize" if is_minimized(metric) else "Maximize"


def best_descending(key: str, objective: str | m.ObjectiveMetric | None) -> bool:
    """Whether `order=best` on `key` lists values descending (see the module docstring)."""
    if key == "objective":
        return not is_minimized(objective)
    if key in FIELD_KEYS:
        return FIELD_KEYS[key]
    return not is_minimized(key)


def sort_value(item: m.Candidate, key: str) -> Any:
    """The value `item` sorts by for `key`; None (or NaN) when it has none."""
    if key == "objective":
        return item.objective_value
    if key in ("started_at", "ended_at"):
        when = getattr(item, key)
        return when.timestamp() if when else None
    if key == "duration":
        return item.duration_seconds
    if key in ("name", "experiment", "algorithm"):
        text = getattr(item, key, None)
        return str(text).lower() if text is not None else None
    return item.metrics.get(key)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _scored(candidates: Sequence[C]) -> list[C]:
    return [
        c
        for c in candidates
        if c.status is m.CandidateStatus.Completed and not _missing(c.objective_value)
    ]


def _ranks(
    candidates: Sequence[m.Candidate],
    objective: str | m.ObjectiveMetric | None,
    best: str | None = None,
) -> dict[str, int]:
    sign = 1.0 if is_minimized(objective) else -1.0
    scored = sorted(_scored(candidates), key=lambda c: sign * float(c.objective_value or 0.0))
    scored.sort(key=lambda c: c.name != best)  # the delivered model first (stable)
    return {c.name: position for position, c in enumerate(scored, start=1)}


def first_ranked(
    candidates: Sequence[m.Candidate], objective: str | m.ObjectiveMetric | None
) -> str | None:
    """The name of the best completed candidate by the objective (None if none finished)."""
    ranks = _ranks(candidates, objective)
    return min(ranks, key=ranks.__getitem__) if ranks else None


def rank(
    candidates: Sequence[C], objective: str | m.ObjectiveMetric | None, best: str | None
) -> list[C]:
    """Copies with `rank` and `is_best` set: rank 1 is `best` when it completed with a
    score, then the completed candidates by `objective` (see the module docstring).

    `best` is the candidate the backend chose (the engine's pick, SageMaker's
    BestCandidate); a backend without one passes `first_ranked(...)` or None.
    """
    ranks = _ranks(candidates, objective, best)
    return [
        c.model_copy(update={"rank": ranks.get(c.name), "is_best": c.name == best})
        for c in candidates
    ]


def sort(
    items: Sequence[C], key: str, order: SortOrder, objective: str | m.ObjectiveMetric | None
) -> list[C]:
    """Sort candidates or trials by `key` in `order`; items without a value go last."""
    descending = best_descending(key, objective) if order == "best" else order == "desc"
    # The tie-break first: Python's sort is stable, also with reverse=True.
    ordered = sorted(items, key=lambda c: (c.rank is None, c.rank or 0, c.name.lower(), c.name))
    present = [c for c in ordered if not _missing(sort_value(c, key))]
    absent = [c for c in ordered if _missing(sort_value(c, key))]
    present.sort(key=lambda c: sort_value(c, key), reverse=descending)
    if key == "objective" and order == "best":
        present.sort(key=lambda c: not getattr(c, "is_best", False))  # rank 1 first
    return present + absent


def select(
    candidates: Sequence[C],
    query: m.ListCandidatesQuery,
    objective: str | m.ObjectiveMetric | None,
) -> m.CandidateList:
    """A leaderboard page: ranked candidates filtered by status, sorted and paged."""
    rows = [c for c in candidates if query.status is None or c.status is query.status]
    rows = sort(rows, query.sort_by, query.order, objective)
    return m.CandidateList(
        candidates=list(rows[query.offset : query.offset + query.limit]), total=len(rows)
    )
