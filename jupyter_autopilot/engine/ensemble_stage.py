"""Model Tuning's ensemble step: a greedy weighted average (`ensemble.select_ensemble`)
of the best trials on the validation split, as a leaderboard entry."""

from __future__ import annotations

import time
from pathlib import Path

from ..models import CandidateStatus, ObjectiveMetric, TrainingMode, utcnow
from .candidates import CandidateDefinition
from .ensemble import LIBRARY_SIZE, blend, select_ensemble
from .features import FeatureSet
from .job_outputs import save_training_insight
from .metrics import score_all
from .reporting import Reporter
from .tuning import TrialResult, Tuner


def build_ensemble(
    completed: list[TrialResult],
    tuner: Tuner,
    feature_sets: dict[str, FeatureSet],
    metric: ObjectiveMetric,
    training_mode: TrainingMode,
    out: Path,
    reporter: Reporter,
) -> tuple[TrialResult | None, dict[str, float]]:
    """The ensemble of the best `completed` trials (ranked best first) and its members'
    weights by trial name; (None, {}) in hyperparameter-tuning mode, with fewer than two
    trials that kept their model, or when no blend beats the best single trial."""
    task = tuner.task
    library = [r for r in completed if r.model is not None and r.valid_pred is not None][
        :LIBRARY_SIZE
    ]
    if training_mode is TrainingMode.hyperparameter_tuning or len(library) < 2:
        return None, {}
    started = time.perf_counter()
    predictions = [r.valid_pred for r in library if r.valid_pred is not None]
    selection = select_ensemble(
        predictions, tuner.y_valid, task, metric.value, sample_weight=tuner.w_valid
    )
    if selection is None:
        return None, {}
    weights = {library[i].name: w for i, w in selection.weights.items()}
    members = [library[i] for i in selection.weights]
    train_pred = blend(
        [
            tuner.predict(m.model, feature_sets[m.definition.recipe_name].X_train[tuner.train_rows])
            for m in members
        ],
        dict(enumerate(selection.weights.values())),
    )
    valid_pred = blend(
        [m.valid_pred for m in members if m.valid_pred is not None],
        dict(enumerate(selection.weights.values())),
    )
    ensemble = TrialResult(
        name=f"ensemble-t{len(tuner.results) + 1:03d}",
        number=len(tuner.results) + 1,
        definition=CandidateDefinition(
            name="ensemble",
            algorithm="ensemble",
            recipe={"name": "+".join(sorted({m.definition.recipe_name for m in members}))},
            space={},
            fixed={},
            starts=[{}],
            description="Greedy weighted average of the best trials.",
        ),
        params={"members": {k: round(v, 4) for k, v in weights.items()}},
        status=CandidateStatus.Completed,
        threshold=selection.threshold,
        valid_pred=valid_pred,
    )
    ensemble.metrics = score_all(
        task, tuner.y_valid, valid_pred, selection.threshold, tuner.w_valid
    )
    ensemble.objective = ensemble.metrics[metric.value]
    ensemble.train_metrics = score_all(
        task,
        tuner.y_train[tuner.train_rows],
        train_pred,
        selection.threshold,
        tuner.train_weights(tuner.train_rows),
    )
    # No learning curve (an average has no iterations); prediction rules still apply.
    ensemble.training_findings = tuner.prediction_findings(valid_pred, selection.threshold)
    save_training_insight(out, ensemble)
    ensemble.seconds = time.perf_counter() - started
    ensemble.ended_at = utcnow()
    reporter.message(
        f"Ensemble of {len(members)} trials: {metric.value} {ensemble.objective:.4f} "
        f"(best single {completed[0].objective:.4f})"
    )
    return ensemble, weights
