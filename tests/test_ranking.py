"""The ranking rule (`jupyter_autopilot.ranking`): rank 1 is the delivered model, then the
completed candidates by the objective; the best order on the objective lists it first."""

from __future__ import annotations

from jupyter_autopilot import models as m
from jupyter_autopilot import ranking


def _candidate(name: str, value: float | None, status: str = "Completed") -> m.Candidate:
    return m.Candidate(
        name=name,
        status=m.CandidateStatus(status),
        algorithm="lightgbm",
        objective_metric=m.ObjectiveMetric.AUC,
        objective_value=value,
    )


# "bagged" is scored out of fold on every row: below the luckiest validation-split score.
BOARD = [
    _candidate("trial-1", 0.80),
    _candidate("bagged", 0.78),
    _candidate("trial-2", 0.79),
    _candidate("running", None, "InProgress"),
]


def test_rank_one_is_the_delivered_model_then_the_objective() -> None:
    ranked = {c.name: c for c in ranking.rank(BOARD, "AUC", "bagged")}
    assert {name: c.rank for name, c in ranked.items()} == {
        "bagged": 1,
        "trial-1": 2,
        "trial-2": 3,
        "running": None,
    }
    assert [name for name, c in ranked.items() if c.is_best] == ["bagged"]
    # Without a delivered model (or one that has no score), the objective alone ranks.
    assert ranking.first_ranked(BOARD, "AUC") == "trial-1"
    plain = {c.name: c.rank for c in ranking.rank(BOARD, "AUC", "running")}
    assert plain == {"trial-1": 1, "trial-2": 2, "bagged": 3, "running": None}


def test_the_best_order_on_the_objective_lists_the_delivered_model_first() -> None:
    ranked = ranking.rank(BOARD, "AUC", "bagged")

    def names(key: str, order: ranking.SortOrder) -> list[str]:
        return [c.name for c in ranking.sort(ranked, key, order, "AUC")]

    assert names("objective", "best") == ["bagged", "trial-1", "trial-2", "running"]
    # An explicit direction sorts by the values alone.
    assert names("objective", "desc") == ["trial-1", "trial-2", "bagged", "running"]
    assert names("objective", "asc") == ["bagged", "trial-2", "trial-1", "running"]
    page = ranking.select(ranked, m.ListCandidatesQuery(), "AUC")
    assert [c.name for c in page.candidates][:1] == ["bagged"] and page.total == 4
