"""Every trial of every experiment in one table (the Studio "Experiments and trials" view).

Built only from the backend interface (`list_experiments` + `list_candidates`), so any
backend gets it; the filtering here is plain Python, testable without a server, and the
order is the leaderboards' (`jupyter_autopilot.ranking`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .. import models as m
from .. import ranking
from ..exceptions import AutopilotError, NotFound

if TYPE_CHECKING:
    from .base import AutopilotBackend

#: Candidate lists fetched at once (each may be a SageMaker API call).
_CONCURRENCY = 8


async def collect_trials(backend: AutopilotBackend, query: m.ListTrialsQuery) -> m.TrialList:
    """Gather the candidates of the chosen experiments and filter/sort them as asked."""
    experiments: list[m.ExperimentSummary] = []
    offset = 0
    while True:
        page = await backend.list_experiments(m.ListExperimentsQuery(limit=1000, offset=offset))
        experiments.extend(page.experiments)
        offset += len(page.experiments)
        if not page.experiments or offset >= page.total:
            break
    if query.experiments:
        known = {e.name for e in experiments}
        unknown = [name for name in query.experiments if name not in known]
        if unknown:
            raise NotFound(f"No experiment named {', '.join(map(repr, unknown))}.")
        chosen = set(query.experiments)
        experiments = [e for e in experiments if e.name in chosen]

    limit = asyncio.Semaphore(_CONCURRENCY)

    async def candidates_of(experiment: m.ExperimentSummary) -> list[m.Candidate]:
        async with limit:
            try:
                listed = await backend.list_candidates(
                    experiment.name, m.ListCandidatesQuery(limit=5000)
                )
            except AutopilotError as error:
                # An experiment deleted meanwhile, or one with nothing to list (dry run):
                # the others still make a table.
                backend.log.debug("No trials for %s: %s", experiment.name, error)
                return []
            return listed.candidates

    lists = await asyncio.gather(*(candidates_of(e) for e in experiments))
    return filter_trials(zip(experiments, lists, strict=True), query)


def filter_trials(
    pairs: Iterable[tuple[m.ExperimentSummary, list[m.Candidate]]], query: m.ListTrialsQuery
) -> m.TrialList:
    """Trials of each (experiment, candidates) pair, filtered, sorted and paged."""
    trials = [
        m.Trial(
            **candidate.model_dump(),
            experiment=experiment.name,
            experiment_status=experiment.status,
            problem_type=experiment.problem_type,
            objective_goal=experiment.objective.goal if experiment.objective else None,
        )
        for experiment, candidates in pairs
        for candidate in candidates
    ]
    if query.status is not None:
        trials = [t for t in trials if t.status is query.status]
    if query.algorithm:
        trials = [t for t in trials if t.algorithm == query.algorithm]
    if query.search:
        needle = query.search.lower()
        trials = [
            t
            for t in trials
            if needle in t.name.lower()
            or needle in t.experiment.lower()
            or needle in t.algorithm.lower()
        ]
    trials = ranking.sort(trials, query.sort_by, query.order, objective=None)
    return m.TrialList(
        trials=trials[query.offset : query.offset + query.limit],
        total=len(trials),
        experiments=sorted({t.experiment for t in trials}),
        hyperparameter_names=sorted({k for t in trials for k in t.hyperparameters}),
        metric_names=sorted({k for t in trials for k in t.metrics}),
    )
