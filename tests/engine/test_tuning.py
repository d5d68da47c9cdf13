"""The tuner's scheduling rules, on hand-made trial histories (fast: nothing is trained)."""

from __future__ import annotations

import math
import time

import numpy as np

from jupyter_autopilot.engine.candidates import CandidateDefinition
from jupyter_autopilot.engine.tuning import CONVERGED_TRIALS, TrialResult, Tuner, _Monitor
from jupyter_autopilot.models import CandidateStatus, ObjectiveMetric

DEFINITION = CandidateDefinition(
    name="lightgbm-trees",
    algorithm="lightgbm",
    recipe={"name": "trees"},
    space={},
    fixed={},
    starts=[{}],
    description="",
)


def _tuner(metric: ObjectiveMetric, scores: list[float | None]) -> Tuner:
    """A tuner whose history holds trials with these objectives (None: a failed trial)."""
    y = np.array([0, 1] * 10)
    tuner = Tuner(
        [],
        {},
        y,
        y,
        "binary" if metric is not ObjectiveMetric.MSE else "regression",
        metric,
        seed=0,
        n_jobs=1,
        max_trials=250,
        trial_seconds=10,
        deadline=0.0,
        stop_requested=lambda: False,
        on_trial=lambda result: None,
    )
    for number, score in enumerate(scores, start=1):
        result = TrialResult(name=f"t{number}", number=number, definition=DEFINITION, params={})
        if score is None:
            result.status = CandidateStatus.Failed
        else:
            result.status, result.objective = CandidateStatus.Completed, score
        tuner.results.append(result)
    return tuner


def test_converged_when_stalled_as_long_as_it_took_to_find_the_best() -> None:
    # Best at trial 10, then no better: converged once CONVERGED_TRIALS more have run.
    history = [0.80 + 0.01 * i for i in range(10)]
    stalled = [0.85] * (CONVERGED_TRIALS - 1)
    assert not _tuner(ObjectiveMetric.AUC, history + stalled).converged()
    assert _tuner(ObjectiveMetric.AUC, history + stalled + [None]).converged()
    # Found late (trial 60): it must stall for 60 more trials, not CONVERGED_TRIALS.
    late = [0.8] * 59 + [0.9]
    assert not _tuner(ObjectiveMetric.AUC, late + [0.85] * 59).converged()
    assert _tuner(ObjectiveMetric.AUC, late + [0.85] * 60).converged()


def test_gains_within_the_noise_do_not_count_as_progress() -> None:
    tiny = [0.9 + 1e-6 * i for i in range(CONVERGED_TRIALS + 1)]  # creeping up by 1e-6
    assert _tuner(ObjectiveMetric.AUC, tiny).converged()
    real = [0.9] + [0.9] * (CONVERGED_TRIALS - 1) + [0.91]  # a real gain resets the count
    assert not _tuner(ObjectiveMetric.AUC, real).converged()


def test_minimised_metrics_converge_on_their_own_scale() -> None:
    # MSE in the thousands: a fall of 50 is progress, the relative tolerance scales with it.
    falling = [5000.0 - 50 * i for i in range(CONVERGED_TRIALS + 1)]
    assert not _tuner(ObjectiveMetric.MSE, falling).converged()
    flat = [5000.0] + [5000.0 + i for i in range(CONVERGED_TRIALS)]
    assert _tuner(ObjectiveMetric.MSE, flat).converged()


def test_nothing_completed_is_not_converged() -> None:
    assert not _tuner(ObjectiveMetric.AUC, [None] * 100).converged()


def test_a_fit_the_clock_ends_leaves_its_scoring_time_before_the_deadline() -> None:
    # digits at 60 s: a 10-class LightGBM trial trained to its deadline, then took 5.8 s
    # to score, and the job ended past its budget. The fit ends when the time it has taken
    # times its family's scoring share would run past the deadline.
    tuner = _tuner(ObjectiveMetric.AUC, [])
    now = time.perf_counter()
    monitor = _Monitor(tuner, -math.inf, deadline=now + 1.5, eval_share=1.0)
    monitor.started = now - 2.0  # fitting for 2 s: scoring would take about 2 s more
    assert monitor.should_end() and monitor.reason == "deadline"
    patient = _Monitor(tuner, -math.inf, deadline=now + 1.5, eval_share=0.5)
    patient.started = now - 2.0  # 1 s of scoring fits before the deadline
    assert not patient.should_end() and patient.reason is None
    unaware = _Monitor(tuner, -math.inf, deadline=now + 1.5)
    unaware.started = now - 60.0
    assert not unaware.should_end()  # without a share, only the deadline itself counts
