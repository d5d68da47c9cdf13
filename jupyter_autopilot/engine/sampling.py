"""Tuning that scales: on a large training split the search fits on a sample, and the best
configurations are then refit on all rows (as large-data AutoML does).

Above `SAMPLE_ABOVE_ROWS` training rows every search trial fits on a fixed stratified
sample of them sized to the tuning window (`search_sample_size`; `recipes.sample_rows`,
the job's seed), stops early on a fixed sample of `SEARCH_VALID_ROWS` validation rows, and
is scored on the whole validation split, so a trial costs what it costs on the samples and
the search tries more configurations within the budget (bench/engine/README.md, "Scaling
with rows"). The preprocessing recipes stay fitted on every training row (stage 3), so the
sample only changes which rows the model sees. Then the best few sampled trials are refit
on all training rows (`Tuner.refit`: early stopping on the whole validation split chooses
the boosting rounds again). Sampled trials and refits are scored on the same validation
rows, and the model is the best of them by that score (`job._finish_tuning`): what ranks
first on the leaderboard is what is delivered.

Time (`search_and_refit`): the search keeps back what refitting its best trial on all
rows will take, estimated from that trial's seconds on the sample and the rows ratio
(`REFIT_EXPONENT`, `REFIT_MARGIN`) and at most `REFIT_SHARE` of its window, then the best
trial whose refit can finish is refit and the search goes on with what is left, keeping
time for the next refit; once a refit has been measured, estimates follow the measured
ratio. A refit that cannot finish before the deadline is not started (but the first, on
the best trial, when none can).

The constants are module attributes so tests can lower them on small data.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from ..models import CandidateStatus
from .features import FeatureSet
from .memory import memory_budget, release, rss_bytes
from .recipes import sample_rows
from .tuning import TIME_LIMIT_NOTE, TrialResult, Tuner

#: Training rows above which the search fits on a sample.
SAMPLE_ABOVE_ROWS = 200_000
#: Rows of the training split each search trial fits on: `SEARCH_ROWS_PER_SECOND` per
#: second of the tuning window, between `SEARCH_MIN_ROWS` and `SEARCH_SAMPLE_ROWS`, so a
#: short budget searches on a smaller sample and tries more configurations (FLAML starts
#: its search on a small sample for the same reason). At 1M rows and 180 s (a window of
#: about 145 s) on the shared 2-core machine, the search tried 7 configurations on a 37k
#: sample (250 rows per second) and 10 on 21k (150), and the same refit delivered ROC AUC
#: 0.8170 in both (bench/engine/README.md). The best trials are refit
#: on all rows whatever the sample, and the refit picks its rounds again.
SEARCH_SAMPLE_ROWS = 100_000
SEARCH_MIN_ROWS = 20_000
SEARCH_ROWS_PER_SECOND = 150
#: Rows of the validation split the search's early stopping follows (a fixed stratified
#: sample; `Tuner.stopping_set`). Boosting scores its early-stopping metric on these rows
#: every round, which on the whole 200k-row split of a 1M-row table cost more than the
#: round itself (ROC AUC sorts them each time). Each trial is still scored on the whole
#: validation split when it is fitted, and the refits on all rows stop on the whole split.
SEARCH_VALID_ROWS = 50_000
#: The most trials refit on all rows.
REFIT_MAX = 4
#: Algorithms whose trials are not refit on all rows (they stay fitted on the sample).
#: CatBoost: at 1M rows / 180 s its sampled trials ranked first on the 21k-row sample
#: (ROC AUC 0.811; LightGBM 0.805), and its refit on 800k rows ran 58 s for 72 of the
#: 469 rounds it kept on the sample before the deadline cut it (0.797), and took the job's
#: peak memory to 2.24x the single-process LightGBM reference (a LightGBM refit: 1.66x,
#: 0.817). bench/engine/README.md, "Tens of candidates at 1M rows".
NOT_REFIT = frozenset({"catboost"})
#: Until a refit has been measured, a refit on all rows is expected to take its trial's
#: seconds on the sample x (rows ratio ** REFIT_EXPONENT) x REFIT_MARGIN. Fitting time grows
#: less than linearly with rows: per round, scoring the (full) validation split and finding
#: splits over histogram bins cost the same on the sample. Measured at 1M rows (800k
#: training, 8x the sample) on 2 cores: LightGBM 12 s -> 30 s (2.4x), logistic
#: regression 0.7 s -> 2.4 s (3.4x); 8 ** 0.6 = 3.5.
REFIT_EXPONENT = 0.6
REFIT_MARGIN = 1.2
#: The most of the search's window kept back for the next refit. Without it, one slow
#: sampled trial on top (LightGBM at learning rate 0.02: 22 s on a 37k sample, 122 s
#: refit on 800k rows) had the search keep its whole estimated refit (167 s) and end
#: after 4 trials at 1M rows / 180 s. With it the search goes on, and the refit goes to
#: the best trial whose refit fits in what is left (the first refit starts anyway, on
#: the best trial, when none does).
REFIT_SHARE = 0.4


def search_sample_size(window_seconds: float) -> int:
    """Training rows a search trial fits on, for a tuning window of `window_seconds`
    (infinite: no budget)."""
    if not np.isfinite(window_seconds):
        return SEARCH_SAMPLE_ROWS
    wanted = int(SEARCH_ROWS_PER_SECOND * max(window_seconds, 0.0))
    return max(min(SEARCH_MIN_ROWS, SEARCH_SAMPLE_ROWS), min(wanted, SEARCH_SAMPLE_ROWS))


def search_rows(
    y_train: np.ndarray, task: str, seed: int, window_seconds: float = float("inf")
) -> np.ndarray | None:
    """The training rows the search fits on (`search_sample_size` of them), or None when
    the split is small enough."""
    if len(y_train) <= SAMPLE_ABOVE_ROWS:
        return None
    return sample_rows(y_train, task, search_sample_size(window_seconds), seed)


def stopping_rows(y_valid: np.ndarray, task: str, seed: int) -> np.ndarray | None:
    """The validation rows the search's early stopping follows (see `SEARCH_VALID_ROWS`),
    or None when the split is small enough to follow whole."""
    if len(y_valid) <= SEARCH_VALID_ROWS:
        return None
    return sample_rows(y_valid, task, SEARCH_VALID_ROWS, seed)


def sampled_feature_sets(
    feature_sets: dict[str, FeatureSet], rows: np.ndarray
) -> dict[str, FeatureSet]:
    """The feature sets with only `rows` of their training matrices (the recipes as fitted
    on all rows; the validation matrices shared, not copied)."""
    return {
        name: dataclasses.replace(fs, X_train=fs.X_train[rows]) for name, fs in feature_sets.items()
    }


def _ranked(tuner: Tuner, results: list[TrialResult]) -> list[TrialResult]:
    """The search's trials on the sample that may be refit, best first: completed ones,
    not of an algorithm in `NOT_REFIT`, whose fit the clock did not end (a cut trial's
    seconds say nothing of a whole fit, and a refit trains on to early stopping: one cut
    after 17 rounds in 2 s took 28 s on all rows at 1M)."""
    completed = [
        r
        for r in results
        if r.status is CandidateStatus.Completed
        and r.objective is not None
        and r.fit_rows is not None
        and r.note != TIME_LIMIT_NOTE
        and r.definition.algorithm not in NOT_REFIT
    ]
    return sorted(completed, key=lambda r: -tuner._oriented(r.objective or 0.0))


def refit_memory(sampled: TrialResult, ratio: float) -> int | None:
    """Bytes a refit of `sampled` on `ratio` times its rows is expected to take above what
    the process holds: what its fit on the sample took (`TrialResult.memory_bytes`) times
    the ratio. Linear in rows, which overestimates a fit's fixed part: at 1M rows a
    CatBoost fit on the 100k sample took +60 MiB, on all 800k +310 MiB."""
    if sampled.memory_bytes is None:
        return None
    return int(sampled.memory_bytes * ratio)


def search_and_refit(
    search: Tuner,
    full: Tuner,
    on_message: Callable[[str], None],
    memory_limit: int | None = None,
) -> list[TrialResult]:
    """Search on the sample, keeping back the time refitting the best trial on all rows
    will take (at most `REFIT_SHARE` of the window); refit the best trial that can finish in
    what is left (into `full`, which shares the search's results); search on with what is
    left, and so on, up to `REFIT_MAX` refits. A refit that cannot finish before the
    deadline is not started (except the first, on the best trial, when none can: its fit
    stops at the deadline and keeps what it has); when none fits, the search has the rest
    of the window (those trials stay sampled). A refit whose memory (`refit_memory`) would take the process over
    `memory.memory_budget(memory_limit)` is not started either (said in a message; the
    trial stays sampled) and the search goes on. Returns the refits, completed or not."""
    ratio = len(full.y_train) / max(len(search.y_train), 1)
    scale = REFIT_MARGIN * ratio**REFIT_EXPONENT
    window = search.deadline - search.finish_overrun() - time.perf_counter()
    most = REFIT_SHARE * max(window, 0.0)
    measured: list[float] = []
    refits: list[TrialResult] = []
    done: set[str] = set()

    def waiting(results: list[TrialResult]) -> list[TrialResult]:
        return [r for r in _ranked(search, results)[:REFIT_MAX] if r.name not in done]

    def reserve(results: list[TrialResult]) -> float:
        up = waiting(results)
        return min(scale * up[0].seconds, most) if up else 0.0

    search.after_search = reserve
    while True:
        search.run()
        if search.stopped or len(refits) >= REFIT_MAX:
            break
        deadline = search.deadline - search.finish_overrun()
        left = deadline - time.perf_counter()
        up, too_big = None, False
        ranked = waiting(search.results)
        # The best whose refit can finish; the first refit starts on the best anyway.
        in_time = [r for r in ranked if scale * r.seconds <= left]
        for r in in_time if (in_time or refits) else ranked[:1]:
            need = refit_memory(r, ratio)
            budget = memory_budget(memory_limit)
            if need is not None and rss_bytes() + need > budget:
                # Checked before it starts: a refit over the memory ends the whole job.
                done.add(r.name)
                too_big = True
                on_message(
                    f"Not refitting {r.name} on all rows: about {need / 2**20:,.0f} MiB more "
                    f"needed (its fit on the sample took {(r.memory_bytes or 0) / 2**20:,.0f} "
                    f"MiB), over the {budget / 2**20:,.0f} MiB this job may use; it stays "
                    "fitted on the sample."
                )
                continue
            up = r
            break
        if up is None and too_big:
            continue  # the search goes on (a refit too big for memory leaves it time)
        if up is None:
            skipped = waiting(search.results)
            if skipped:
                on_message(
                    f"Not refitting {skipped[0].name} on all rows: about "
                    f"{scale * skipped[0].seconds:.0f} s needed, {max(0.0, left):.0f} s left; "
                    "the search has the rest."
                )
                search.after_search = lambda results: 0.0
                search.run()
            break
        refit = full.refit(up, deadline)
        release()  # a fit on all rows leaves the most behind
        done.add(up.name)
        refits.append(refit)
        if full.stopped:
            break
        if up.seconds > 0:
            # Measured: the next estimates follow what refits really cost here.
            measured.append(refit.seconds / up.seconds)
            scale = max(measured)
    full.stopped = full.stopped or search.stopped
    return refits
