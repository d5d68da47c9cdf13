"""Tuning that scales: on a large training split the search fits on a sample, and the best
configurations are then refit on all rows (as large-data AutoML does).

Above `SAMPLE_ABOVE_ROWS` training rows every search trial fits on a fixed stratified
sample of `SEARCH_SAMPLE_ROWS` of them (`recipes.sample_rows`, the job's seed) and is
scored on the whole validation split, so a trial costs what it costs on the sample and the
search tries tens of configurations instead of a handful. The preprocessing recipes stay
fitted on every training row (stage 3), so the sample only changes which rows the model
sees. Then the best few sampled trials are refit on all training rows (`Tuner.refit`: early
stopping chooses the boosting rounds again) and the model is chosen among the refits.

Time: while searching, the tuner keeps back what refitting the best `REFIT_RESERVED`
trials will take, estimated from their own seconds on the sample times the rows ratio
(fitting time grows about linearly with rows; `REFIT_MARGIN` covers the extra rounds more
rows usually allow). While refitting, each refit's expected time is re-estimated from the
refits already done, and a refit that cannot finish before the deadline is not started.

The constants are module attributes so tests can lower them on small data.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from ..models import CandidateStatus
from .features import FeatureSet
from .recipes import sample_rows
from .tuning import TrialResult, Tuner

#: Training rows above which the search fits on a sample.
SAMPLE_ABOVE_ROWS = 200_000
#: Rows of the training split each search trial fits on.
SEARCH_SAMPLE_ROWS = 100_000
#: Best sampled trials the search keeps time to refit on all rows, and the most refit.
REFIT_RESERVED = 2
REFIT_MAX = 3
#: A refit on all rows is expected to take this many times its trial's seconds on the
#: sample times the rows ratio, until a refit has been measured.
REFIT_MARGIN = 1.3


def search_rows(y_train: np.ndarray, task: str, seed: int) -> np.ndarray | None:
    """The training rows the search fits on, or None when the split is small enough."""
    if len(y_train) <= SAMPLE_ABOVE_ROWS:
        return None
    return sample_rows(y_train, task, SEARCH_SAMPLE_ROWS, seed)


def sampled_feature_sets(
    feature_sets: dict[str, FeatureSet], rows: np.ndarray
) -> dict[str, FeatureSet]:
    """The feature sets with only `rows` of their training matrices (the recipes as fitted
    on all rows; the validation matrices shared, not copied)."""
    return {
        name: dataclasses.replace(fs, X_train=fs.X_train[rows]) for name, fs in feature_sets.items()
    }


def _ranked(tuner: Tuner, results: list[TrialResult]) -> list[TrialResult]:
    completed = [
        r for r in results if r.status is CandidateStatus.Completed and r.objective is not None
    ]
    return sorted(completed, key=lambda r: -tuner._oriented(r.objective or 0.0))


def refit_reserve(search: Tuner, full_rows: int) -> Callable[[list[TrialResult]], float]:
    """What the search keeps back for the refits: the estimated seconds of refitting its
    current best `REFIT_RESERVED` trials on `full_rows` rows."""
    ratio = full_rows / max(len(search.y_train), 1)

    def reserve(results: list[TrialResult]) -> float:
        return sum(
            REFIT_MARGIN * ratio * r.seconds for r in _ranked(search, results)[:REFIT_RESERVED]
        )

    return reserve


def refit_best(
    search: Tuner, full: Tuner, deadline: float, on_message: Callable[[str], None]
) -> list[TrialResult]:
    """Refit the best sampled trials on all rows (into `full`) until `REFIT_MAX`, the
    deadline (perf_counter) or a stop request; returns the refits, completed or not."""
    scale = REFIT_MARGIN * len(full.y_train) / max(len(search.y_train), 1)
    refits: list[TrialResult] = []
    measured: list[float] = []
    for sampled in _ranked(search, search.results)[:REFIT_MAX]:
        if full.stop_requested():
            full.stopped = True
            break
        needed = scale * sampled.seconds
        left = deadline - time.perf_counter()
        # The first refit always starts (its fit stops at the deadline and keeps what it
        # has); later ones only when they can finish.
        if refits and needed > left:
            on_message(
                f"Not refitting {sampled.name} on all rows: about {needed:.0f} s needed, "
                f"{max(0.0, left):.0f} s left."
            )
            continue
        refit = full.refit(sampled, deadline)
        refits.append(refit)
        if full.stopped:
            break
        if sampled.seconds > 0:
            # Measured: the next estimates follow what refits really cost here.
            measured.append(refit.seconds / sampled.seconds)
            scale = max(measured)
    return refits
