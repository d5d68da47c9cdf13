"""Training-insight rules: flag trouble in a trial's learning curves and predictions.

Like SageMaker Debugger's built-in rules, but run on what tuning recorded anyway: pure
functions over plain numbers (no I/O, no fitted models), so they are cheap and unit-tested
on synthetic curves. Each returns a `TrainingFinding` (rule, severity, message, suggestion,
optional iteration) or None.

Curves are judged as losses (lower is better); a metric to maximise (AUC) is turned into
the loss ``1 - value`` first. "Relative" below means relative to the loss's own size.

``overfitting`` — the validation loss rises materially after its minimum while the
training loss keeps falling: the model starts memorising the training rows. Fires when

- at least ``OVERFIT_MIN_AFTER`` (5) points were recorded after the validation minimum,
- the last validation loss is above the minimum by at least ``OVERFIT_RISE`` (5 %) of the
  minimum AND by at least ``OVERFIT_RISE_OF_GAIN`` (10 %) of what the validation loss had
  gained before its minimum (so noise around a flat curve does not count),
- and the training loss fell by at least ``TRAIN_STILL_FALLING`` (1 %) over the same span.

Severity ``warning`` from a rise of ``OVERFIT_WARN_RISE`` (15 %), ``info`` below. Boosting
keeps the model of the best iteration (early stopping), so the finding says how fast the
configuration overfits rather than that the saved model is past its best.

``stalled_training`` — the loss hardly improves over the run:

- ``warning`` when the best validation loss is less than ``STALL_MIN_IMPROVEMENT`` (1 %)
  below the first iteration's (the model learned next to nothing beyond its first step);
- ``info`` when the validation loss stopped improving by iteration ``STALL_EARLY_ITERATION``
  (10) while training went on for at least twice as long (learning rate likely too high).

``class_imbalance`` — classification only: a class is a minority when its share of the
training rows is below ``IMBALANCE_SHARE_RATIO`` (0.4) of an equal share (below 20 % for
two classes, 13.3 % for three). Fires (``warning``) when a minority class with at least
``IMBALANCE_MIN_ROWS`` (5) validation rows has a validation recall below
``IMBALANCE_MAX_RECALL`` (0.5): the model misses most of that class.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..models import TrainingCurve, TrainingFinding

OVERFIT_MIN_AFTER = 5
OVERFIT_RISE = 0.05
OVERFIT_RISE_OF_GAIN = 0.10
OVERFIT_WARN_RISE = 0.15
TRAIN_STILL_FALLING = 0.01
STALL_MIN_IMPROVEMENT = 0.01
STALL_EARLY_ITERATION = 10
IMBALANCE_SHARE_RATIO = 0.4
IMBALANCE_MIN_ROWS = 5
IMBALANCE_MAX_RECALL = 0.5

#: Objectives that already weigh every class (or the rare positive class) fairly.
_BALANCED_OBJECTIVES = {"BalancedAccuracy", "F1", "F1macro", "Recall", "RecallMacro"}


def _as_loss(values: Sequence[float], goal: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return 1.0 - array if goal == "maximize" else array


def _relative(change: float, size: float) -> float:
    return change / max(abs(size), 1e-12)


def check_overfitting(
    iterations: Sequence[int],
    train: Sequence[float],
    validation: Sequence[float],
    goal: str = "minimize",
    metric: str = "loss",
) -> TrainingFinding | None:
    """`overfitting` when the validation loss rises after its minimum while training improves."""
    valid, fit = _as_loss(validation, goal), _as_loss(train, goal)
    if len(valid) < 2 or len(fit) != len(valid) or len(iterations) != len(valid):
        return None
    lowest = int(np.argmin(valid))  # the first minimum: later ties are not improvements
    if len(valid) - 1 - lowest < OVERFIT_MIN_AFTER:
        return None
    minimum, last, first = float(valid[lowest]), float(valid[-1]), float(valid[0])
    rise = last - minimum
    gain = first - minimum
    rise_rel = _relative(rise, minimum)
    train_drop = _relative(float(fit[lowest] - fit[-1]), float(fit[lowest]))
    if rise_rel < OVERFIT_RISE or rise < OVERFIT_RISE_OF_GAIN * gain:
        return None
    if train_drop < TRAIN_STILL_FALLING:
        return None
    at, end = int(iterations[lowest]), int(iterations[-1])
    shown = "1 - " + metric if goal == "maximize" else metric
    return TrainingFinding(
        rule="overfitting",
        severity="warning" if rise_rel >= OVERFIT_WARN_RISE else "info",
        message=(
            f"The validation {shown} was lowest at iteration {at} ({minimum:.4g}) and then rose "
            f"{rise_rel:.1%} by iteration {end} ({last:.4g}), while the training {shown} kept "
            f"falling ({train_drop:.1%} lower): after iteration {at} the model learned patterns "
            "of the training rows that do not hold on new data. Even a model stopped at "
            f"iteration {at} comes from a configuration that overfits this fast, which is "
            "sensitive to the data it sees."
        ),
        suggestion=(
            "Prefer a lower learning rate, smaller trees (num_leaves / max_depth), more "
            "regularisation (min_child_samples / min_child_weight, reg_lambda, subsample), "
            "or more training data."
        ),
        iteration=at,
    )


def check_stalled_training(
    iterations: Sequence[int],
    train: Sequence[float],
    validation: Sequence[float],
    goal: str = "minimize",
    metric: str = "loss",
) -> TrainingFinding | None:
    """`stalled_training` when the loss hardly improves, or stops improving very early."""
    valid, fit = _as_loss(validation, goal), _as_loss(train, goal)
    if len(valid) < 2 or len(iterations) != len(valid):
        return None
    first = float(valid[0])
    if abs(first) < 1e-12:
        return None  # perfect from the start: nothing left to improve
    lowest = int(np.argmin(valid))
    improvement = _relative(first - float(valid[lowest]), first)
    shown = "1 - " + metric if goal == "maximize" else metric
    best_at, end = int(iterations[lowest]), int(iterations[-1])
    if improvement < STALL_MIN_IMPROVEMENT:
        train_improvement = (
            _relative(float(fit[0] - np.min(fit)), float(fit[0])) if len(fit) else 0.0
        )
        if train_improvement < STALL_MIN_IMPROVEMENT:
            meaning = (
                "; the training loss barely moved either, so the model is not learning (too "
                "much regularisation, too few leaves or too low a learning rate) or the "
                "features carry little signal about the target."
            )
            suggestion = (
                "Raise the learning rate or the tree size, lower min_child_samples / "
                "min_child_weight and the regularisation, or add informative features."
            )
        else:
            meaning = (
                f"; the training loss did improve ({train_improvement:.1%}), so what the model "
                "learns from the training rows does not carry over to the validation split."
            )
            suggestion = (
                "Check that the validation split looks like the training data, add features "
                "with real signal, and regularise more (what is learned is mostly noise)."
            )
        return TrainingFinding(
            rule="stalled_training",
            severity="warning",
            message=(
                f"The validation {shown} improved only {improvement:.2%} over {end} iterations "
                f"({first:.4g} at the first, {float(valid[lowest]):.4g} at best){meaning}"
            ),
            suggestion=suggestion,
            iteration=best_at,
        )
    if best_at <= STALL_EARLY_ITERATION and end >= 2 * best_at and len(valid) > 2:
        return TrainingFinding(
            rule="stalled_training",
            severity="info",
            message=(
                f"The validation {shown} stopped improving at iteration {best_at} of {end}: "
                "nearly everything this model learned came in its first few steps, which "
                "usually means the learning rate is too high to settle in a good optimum."
            ),
            suggestion="Try a lower learning rate (with more iterations).",
            iteration=best_at,
        )
    return None


def curve_findings(curve: TrainingCurve) -> list[TrainingFinding]:
    """Every curve rule applied to one recorded learning curve."""
    findings: list[TrainingFinding] = []
    for check in (check_overfitting, check_stalled_training):
        found = check(curve.iterations, curve.train, curve.validation, curve.goal, curve.metric)
        if found is not None:
            findings.append(found)
    return findings


def check_class_imbalance(
    train_counts: Sequence[int] | np.ndarray,
    y_valid: np.ndarray,
    predicted: np.ndarray,
    labels: Sequence[str] | None = None,
    objective: str | None = None,
) -> TrainingFinding | None:
    """`class_imbalance` when a rare class is mostly missed on the validation split.

    `train_counts[k]` is the number of training rows of class k; `y_valid` and `predicted`
    are class indices (0..K-1) of the validation rows and the model's predictions.
    """
    counts = np.asarray(train_counts, dtype=float)
    n_classes = len(counts)
    if n_classes < 2 or counts.sum() <= 0:
        return None
    y_valid, predicted = np.asarray(y_valid), np.asarray(predicted)
    shares = counts / counts.sum()
    rare = shares < IMBALANCE_SHARE_RATIO / n_classes
    worst: tuple[float, int, int] | None = None  # (recall, class, validation rows)
    for k in (int(i) for i in np.flatnonzero(rare)):
        rows = int(np.sum(y_valid == k))
        if rows < IMBALANCE_MIN_ROWS:
            continue
        recall = float(np.sum((y_valid == k) & (predicted == k))) / rows
        if recall < IMBALANCE_MAX_RECALL and (worst is None or recall < worst[0]):
            worst = (recall, k, rows)
    if worst is None:
        return None
    recall, k, rows = worst
    name = labels[k] if labels is not None and k < len(labels) else str(k)
    accuracy = float(np.mean(predicted == y_valid)) if len(y_valid) else math.nan
    recalls = [
        float(np.sum((y_valid == c) & (predicted == c))) / max(int(np.sum(y_valid == c)), 1)
        for c in range(n_classes)
        if np.any(y_valid == c)
    ]
    balanced = float(np.mean(recalls)) if recalls else math.nan
    if objective in _BALANCED_OBJECTIVES:
        objective_hint = (
            f"The objective ({objective}) already values the rare class; weighting it more "
            "during training is the next step: "
        )
    else:
        two = "F1" if n_classes == 2 else "F1macro"
        objective_hint = (
            f"Use the BalancedAccuracy or {two} objective instead of "
            f"{objective or 'the current one'} (tuning then rewards finding the rare class), "
            "and/or "
        )
    return TrainingFinding(
        rule="class_imbalance",
        severity="warning",
        message=(
            f"Class {name!r} is only {shares[k]:.1%} of the training rows and the model finds "
            f"{recall:.0%} of its {rows} validation rows: it mostly ignores that class. "
            f"Accuracy ({accuracy:.3f}) hides this; balanced accuracy is {balanced:.3f}."
        ),
        suggestion=objective_hint
        + "weight the classes (class_weight='balanced'; LightGBM is_unbalance, XGBoost "
        "scale_pos_weight), or collect more rows of the rare class.",
    )


def warning_flags(findings: Sequence[TrainingFinding]) -> list[str]:
    """Names of the rules that fired as warnings (for the leaderboard), without repeats."""
    return sorted({f.rule for f in findings if f.severity == "warning"})


__all__ = [
    "check_class_imbalance",
    "check_overfitting",
    "check_stalled_training",
    "curve_findings",
    "warning_flags",
]
