"""Continuing a search: keep what each trial needs to be reused, and feed it back.

While tuning, every finished trial's sampled hyperparameters and validation predictions
are saved under `cache/trials/` (small: one float per validation row and class). A
continued run (`JobConfig.prior_trials`: the trials already on the leaderboard) rebuilds
the same splits and features from the same file and seed, then `seed_tuner` hands the
prior trials to the tuner: each optuna study learns them (`Study.add_trial`), so TPE
continues from what it has seen rather than starting over, trial numbering continues,
and the prior trials take part in the ensemble and in choosing the best, with their
recorded results unchanged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import numpy as np
import optuna

from ..models import Candidate, CandidateStatus, trial_number
from .metrics import is_better

if TYPE_CHECKING:
    from .features import FeatureSet
    from .tuning import TrialResult, Tuner

#: Where a trial's reusable state is kept, relative to the job's output folder.
TRIALS_DIR = Path("cache") / "trials"


def split_fingerprint(y_valid: np.ndarray) -> str:
    """Identifies the validation split's targets: a continued run whose data changed since
    (another file under the same name) must not reuse predictions of other rows."""
    return hashlib.sha256(np.ascontiguousarray(y_valid).tobytes()).hexdigest()


def save_trial_state(out: Path, result: TrialResult, y_valid: np.ndarray) -> None:
    """Keep what a continued search needs of a completed trial (see the module doc)."""
    if result.status is not CandidateStatus.Completed or result.valid_pred is None:
        return
    folder = Path(out) / TRIALS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(
        {
            "sampled": result.sampled,
            "params": result.params,
            "threshold": result.threshold,
            "valid_pred": np.asarray(result.valid_pred, dtype=np.float32),
            "predict_seconds": result.predict_seconds,
            "split": split_fingerprint(y_valid),
        },
        folder / f"{result.name}.joblib",
    )


def _load_state(out: Path, name: str) -> dict[str, Any] | None:
    path = Path(out) / TRIALS_DIR / f"{name}.joblib"
    if not path.is_file():
        return None
    try:
        state: dict[str, Any] = joblib.load(path)
    except Exception:  # a damaged file only costs this trial's reuse
        return None
    return state


def prior_results(out: Path, prior: list[Candidate], tuner: Tuner) -> list[TrialResult]:
    """The prior trials as tuner results, in their original order. A trial whose saved
    state is missing (a run by an older version, or the data changed since) keeps its
    place and number but is not reused (see below). A trial whose candidate definition
    no longer exists (the data's columns changed) stays on the leaderboard as recorded
    and is left out of the search."""
    from .tuning import TrialResult

    definitions = {f.definition.name: f.definition for f in tuner.families}
    split = split_fingerprint(tuner.y_valid)
    results: list[TrialResult] = []
    for candidate in sorted(prior, key=lambda c: trial_number(c.name) or 0):
        number = trial_number(candidate.name)
        definition = definitions.get(candidate.definition or "")
        if number is None or definition is None:
            continue
        completed = candidate.status is CandidateStatus.Completed
        state = _load_state(out, candidate.name) if completed else None
        if state is not None and state.get("split") != split:
            state = None  # the data changed since: its predictions are of other rows
        # Without saved state a trial keeps its place, number and record, but is not
        # blended, refitted, taught to the sampler or chosen as best (`objective` None
        # here; its score may be of other rows).
        params = dict(candidate.hyperparameters)
        for metadata in ("decision_threshold", "training_rows", "searched_on_sample", "refit_of"):
            params.pop(metadata, None)
        result = TrialResult(
            name=candidate.name,
            number=number,
            definition=definition,
            params=state["params"] if state else params,
            status=candidate.status,
            objective=candidate.objective_value if state else None,
            metrics=dict(candidate.metrics),
            train_metrics=dict(candidate.train_metrics),
            threshold=state["threshold"] if state else None,
            valid_pred=np.asarray(state["valid_pred"], dtype=float) if state else None,
            seconds=candidate.duration_seconds or 0.0,
            predict_seconds=float(state["predict_seconds"]) if state else 0.0,
            failure_reason=candidate.failure_reason,
            sampled=dict(state["sampled"]) if state else {},
            prior=candidate,
        )
        if candidate.started_at is not None:
            result.started_at = candidate.started_at
        result.ended_at = candidate.ended_at
        results.append(result)
    return results


def seed_tuner(tuner: Tuner, prior: list[TrialResult], feature_sets: dict[str, FeatureSet]) -> int:
    """Make `tuner` continue after `prior`: results, per-family counts and bests, the
    start configurations already tried, and each study's history; then refit the few
    prior models the tuner would have kept in memory (ensemble and best candidates).
    Returns how many prior trials the samplers learned."""
    from .bagging_stage import refit
    from .tuning import _distributions

    families = {f.definition.name: f for f in tuner.families}
    learned = 0
    for result in prior:
        family = families[result.definition.name]
        tuner.results.append(result)
        family.trials += 1
        family.seconds += result.seconds
        if family.starts_left:
            family.starts_left.pop(0)  # starts run first: this trial was one of them
        if result.status is CandidateStatus.Failed:
            family.failures += 1
        if (
            result.status is CandidateStatus.Completed
            and result.objective is not None
            and is_better(tuner.metric.value, result.objective, family.best)
        ):
            family.best = result.objective
            family.best_trial = family.trials
        if result.sampled and result.objective is not None and result.valid_pred is not None:
            distributions = _distributions(family.definition)
            params = {k: v for k, v in result.sampled.items() if k in distributions}
            try:
                family.study.add_trial(
                    optuna.trial.create_trial(
                        params=params,
                        distributions={k: distributions[k] for k in params},
                        value=tuner._oriented(result.objective),
                    )
                )
                learned += 1
            except ValueError:
                pass  # a value outside today's space: the trial still counts, TPE skips it
    tuner.resumed_after = len(tuner.results)
    # The models the tuner keeps are the ones the ensemble and the best candidate use.
    kept = [r for r in prior if r.valid_pred is not None]
    for r in kept:
        r.model = object()  # placeholder so `_retain_models` ranks them like live trials
    tuner._retain_models()
    for r in kept:
        if r.model is not None:
            r.model = refit(r, feature_sets[r.definition.recipe_name], tuner)
    return learned


__all__ = ["TRIALS_DIR", "prior_results", "save_trial_state", "seed_tuner"]
