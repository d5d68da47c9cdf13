"""Continuing an ended local experiment (`POST experiments/{name}/extend`): what may be
continued, and the run and budget a continuation gets. The engine side is `engine.resume`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import models as m
from ...exceptions import Conflict, InvalidRequest

if TYPE_CHECKING:
    from ...engine import JobConfig

#: Ended states a search can continue from: it finished, was stopped, the server stopped
#: under it, or it failed (ran past its runtime limit, its worker was killed...) after
#: some trials finished. Only with a finished trial (`check_extendable`): without one
#: there is nothing to continue and a re-run is the same run.
EXTENDABLE = {
    m.ExperimentStatus.Completed,
    m.ExperimentStatus.Stopped,
    m.ExperimentStatus.Interrupted,
    m.ExperimentStatus.Failed,
}
#: Leaderboard entries built after the search (redone by the continued run), not trials.
_AFTER_SEARCH = {"ensemble", "bagged"}


@dataclass
class Extension:
    """A continuation: the run's configuration, the grown budget, the trials kept, the
    entries the run rebuilds, and its history entry."""

    config: JobConfig
    budget: m.Budget
    trials: list[m.Candidate]
    rebuilt: list[str]
    entry: m.HistoryEntry


def can_extend(
    status: m.ExperimentStatus,
    mode: m.RunMode,
    completed: int,
    problem_type: m.ProblemType = m.ProblemType.auto,
) -> bool:
    """Whether a search in `status` and `mode` with `completed` finished candidates can be
    continued (the experiment's `can_extend`; `check_extendable` says why not). A forecasting
    job backtests a fixed set of candidates: there is no search to continue."""
    return (
        status in EXTENDABLE
        and mode is not m.RunMode.pilot
        and completed > 0
        and problem_type is not m.ProblemType.time_series_forecasting
    )


def check_extendable(experiment: m.Experiment) -> None:
    """`Conflict` saying why `experiment` cannot be continued, if it cannot."""
    name = experiment.name
    if experiment.status not in EXTENDABLE:
        raise Conflict(
            f"Experiment {name!r} is {experiment.status.value}; only an ended experiment "
            "(Completed, Stopped, Interrupted or Failed) can be continued: wait for it to "
            "end or stop it first."
        )
    if experiment.spec.problem_type is m.ProblemType.time_series_forecasting:
        raise Conflict(
            f"Experiment {name!r} is a forecasting experiment: it backtests every candidate "
            "that applies, so there is no search to continue; re-run it (with a larger "
            "max_job_runtime_seconds if candidates were skipped for time) instead."
        )
    if experiment.spec.mode is m.RunMode.pilot:
        raise Conflict(
            f"Experiment {name!r} is a pilot run, which trains no candidates; re-run it in "
            "complete mode instead."
        )
    if experiment.candidates_completed == 0:
        message = (
            f"Experiment {name!r} is {experiment.status.value} with no finished candidate, so "
            "there is no search to continue; re-run it instead."
        )
        if experiment.failure_reason:
            message += f" It failed with: {experiment.failure_reason}"
        raise Conflict(message)


def plan_extension(
    experiment: m.Experiment,
    config: JobConfig,
    candidates: list[m.Candidate],
    request: m.ExperimentExtendRequest,
) -> Extension:
    """The continued run of `experiment` (validated `config` of its data), or `Conflict`
    / `InvalidRequest` saying why it cannot continue."""
    check_extendable(experiment)
    trials = [
        c
        for c in candidates
        if c.definition not in _AFTER_SEARCH
        and m.trial_number(c.name) is not None
        and c.status is not m.CandidateStatus.InProgress
    ]
    kept = {c.name for c in trials}
    rebuilt = [c.name for c in candidates if c.name not in kept]
    budget = experiment.budget or m.Budget(
        max_candidates=config.max_candidates,
        max_trial_runtime_seconds=config.max_trial_runtime_seconds,
        max_job_runtime_seconds=config.max_job_runtime_seconds,
    )
    if request.additional_candidates is not None:
        more = request.additional_candidates
    else:
        more = budget.max_candidates - len(trials)
        if more <= 0:
            raise InvalidRequest(
                f"All {budget.max_candidates} candidates of the budget have run; give "
                "additional_candidates to train more."
            )
    seconds = request.additional_seconds or budget.max_job_runtime_seconds
    grown = m.Budget(
        max_candidates=budget.max_candidates + (request.additional_candidates or 0),
        max_trial_runtime_seconds=budget.max_trial_runtime_seconds,
        max_job_runtime_seconds=budget.max_job_runtime_seconds + (request.additional_seconds or 0),
    )
    run = config.model_copy(
        update={
            "max_candidates": len(trials) + more,
            "max_job_runtime_seconds": seconds,
            "max_trial_runtime_seconds": min(budget.max_trial_runtime_seconds, seconds),
            "prior_trials": trials,
        }
    )
    added = []
    if request.additional_candidates is not None:
        added.append(f"{request.additional_candidates} more candidates")
    if request.additional_seconds is not None:
        added.append(f"{request.additional_seconds} more seconds")
    note = (
        f"Continued after {len(trials)} trials with " + " and ".join(added) + ": up to "
        f"{more} new trials within {seconds} s (budget now {grown.max_candidates} candidates, "
        f"{grown.max_job_runtime_seconds} s)."
    )
    entry = m.HistoryEntry(
        at=m.utcnow(),
        trials_kept=len(trials),
        additional_seconds=request.additional_seconds,
        additional_candidates=request.additional_candidates,
        message=note,
    )
    return Extension(config=run, budget=grown, trials=trials, rebuilt=rebuilt, entry=entry)


__all__ = ["EXTENDABLE", "Extension", "can_extend", "check_extendable", "plan_extension"]
