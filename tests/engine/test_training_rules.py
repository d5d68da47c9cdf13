"""Training-insight rules and curve helpers on synthetic curves (no training)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from jupyter_autopilot.engine.training_insight import (
    MAX_CURVE_POINTS,
    TRAINING_FILE,
    CurveRecorder,
    downsample,
    read_training_insight,
    write_training_insight,
)
from jupyter_autopilot.engine.training_rules import (
    check_class_imbalance,
    check_overfitting,
    check_stalled_training,
    curve_findings,
    warning_flags,
)
from jupyter_autopilot.models import TrainingCurve, TrainingFinding


def healthy(n: int = 200) -> tuple[list[int], list[float], list[float]]:
    """Both losses fall and level off; validation stays a little above training."""
    it = np.arange(1, n + 1)
    train = 0.15 + 0.55 * np.exp(-it / 40)
    valid = 0.25 + 0.45 * np.exp(-it / 40) + 0.0002 * np.sin(it)  # a little noise
    return it.tolist(), train.tolist(), valid.tolist()


def overfit(
    n: int = 160, bottom: int = 50, rise: float = 0.002
) -> tuple[list[int], list[float], list[float]]:
    """Validation bottoms out at `bottom`, then climbs by `rise` per iteration."""
    it = np.arange(1, n + 1)
    train = 0.6 * np.exp(-it / 30) + 0.01
    valid = np.where(
        it <= bottom,
        0.3 + 0.3 * (1 - it / bottom) ** 2,
        0.3 + rise * (it - bottom),
    )
    return it.tolist(), train.tolist(), valid.tolist()


# -- overfitting --------------------------------------------------------------------------
def test_overfitting_flags_a_rising_validation_loss_while_training_falls() -> None:
    finding = check_overfitting(*overfit(), metric="binary_logloss")
    assert finding is not None
    assert finding.rule == "overfitting" and finding.iteration == 50
    # 0.3 -> 0.3 + 110 * 0.002 = 0.52: a 73 % rise, far past the warning level.
    assert finding.severity == "warning"
    assert "iteration 50" in finding.message and "73.3%" in finding.message
    assert "binary_logloss" in finding.message and "learning rate" in finding.suggestion


def test_overfitting_severity_follows_the_size_of_the_rise() -> None:
    # 0.3 -> 0.3 + 30 * 0.001 = 0.33: a 10 % rise is reported, as info.
    finding = check_overfitting(*overfit(n=80, bottom=50, rise=0.001))
    assert finding is not None and finding.severity == "info"


def test_overfitting_ignores_healthy_and_barely_rising_curves() -> None:
    assert check_overfitting(*healthy()) is None
    # Rises only 3 % after its minimum: early stopping's normal tail, not material.
    assert check_overfitting(*overfit(n=80, bottom=50, rise=0.0003)) is None
    # A minimum in the last few iterations says nothing yet.
    assert check_overfitting(*overfit(n=53, bottom=50, rise=0.01)) is None


def test_overfitting_needs_the_training_loss_to_keep_falling() -> None:
    it, _, valid = overfit()
    flat_train = [0.2] * len(it)
    assert check_overfitting(it, flat_train, valid) is None


def test_overfitting_on_a_metric_to_maximise() -> None:
    # AUC peaks at 0.90 (iteration 40) and falls to 0.85 while the training AUC climbs.
    it = list(range(1, 101))
    valid = [0.7 + 0.2 * min(i, 40) / 40 - (0.05 * (i - 40) / 60 if i > 40 else 0) for i in it]
    train = [0.7 + 0.3 * (1 - math.exp(-i / 30)) for i in it]
    finding = check_overfitting(it, train, valid, goal="maximize", metric="auc")
    assert finding is not None and finding.iteration == 40 and finding.severity == "warning"
    assert "1 - auc" in finding.message
    # The same AUC curve read as a loss to minimise is an improving curve, not overfitting.
    assert check_overfitting(it, train, valid, goal="minimize") is None


def test_overfitting_tolerates_degenerate_input() -> None:
    assert check_overfitting([], [], []) is None
    assert check_overfitting([1], [0.5], [0.5]) is None
    assert check_overfitting([1, 2, 3], [0.5, 0.4], [0.5, 0.4, 0.3]) is None


# -- stalled training ---------------------------------------------------------------------
def test_stalled_training_flags_a_flat_curve_that_learns_nothing() -> None:
    it = list(range(1, 101))
    flat = [0.6931 - 0.00001 * i for i in it]  # 0.14 % better after 100 iterations
    finding = check_stalled_training(it, flat, flat, metric="binary_logloss")
    assert finding is not None
    assert (finding.rule, finding.severity) == ("stalled_training", "warning")
    assert "0.14%" in finding.message and "not learning" in finding.message
    assert "learning rate" in finding.suggestion


def test_stalled_training_tells_apart_learning_that_does_not_generalise() -> None:
    it = list(range(1, 101))
    train = [0.69 * math.exp(-i / 50) for i in it]  # training keeps improving
    valid = [0.6931 + 0.00001 * (i % 3) for i in it]  # validation never does
    finding = check_stalled_training(it, train, valid)
    assert finding is not None and finding.severity == "warning"
    assert "does not carry over" in finding.message


def test_stalled_training_notes_a_curve_that_stops_improving_at_once() -> None:
    it = list(range(1, 65))
    valid = [0.5 - 0.05 * min(i, 4) + 0.001 * max(0, i - 4) for i in it]
    train = [0.5 * math.exp(-i / 20) for i in it]
    finding = check_stalled_training(it, train, valid)
    assert finding is not None
    assert (finding.severity, finding.iteration) == ("info", 4)
    assert "iteration 4 of 64" in finding.message


def test_stalled_training_ignores_healthy_and_perfect_curves() -> None:
    assert check_stalled_training(*healthy()) is None
    zeros = [0.0] * 20
    assert check_stalled_training(list(range(1, 21)), zeros, zeros) is None  # perfect at once


def test_curve_findings_runs_every_curve_rule() -> None:
    it, train, valid = overfit()
    curve = TrainingCurve(metric="l2", iterations=it, train=train, validation=valid)
    assert [f.rule for f in curve_findings(curve)] == ["overfitting"]
    it, train, valid = healthy()
    assert (
        curve_findings(TrainingCurve(metric="l2", iterations=it, train=train, validation=valid))
        == []
    )


# -- class imbalance ----------------------------------------------------------------------
def imbalanced_predictions(found: int) -> tuple[np.ndarray, np.ndarray]:
    """180 majority and 20 minority validation rows; the model finds `found` of the 20."""
    y = np.array([0] * 180 + [1] * 20)
    pred = np.zeros(200, dtype=int)
    pred[180 : 180 + found] = 1
    return y, pred


def test_class_imbalance_flags_an_ignored_minority_class() -> None:
    y, pred = imbalanced_predictions(found=3)
    finding = check_class_imbalance([900, 100], y, pred, ["no", "yes"], "Accuracy")
    assert finding is not None
    assert (finding.rule, finding.severity) == ("class_imbalance", "warning")
    assert "'yes'" in finding.message and "10.0%" in finding.message
    assert "15% of its 20 validation rows" in finding.message
    # Accuracy looks fine (0.915) while balanced accuracy is 0.575.
    assert "0.915" in finding.message and "0.575" in finding.message
    assert "BalancedAccuracy" in finding.suggestion and "class_weight" in finding.suggestion


def test_class_imbalance_suggestion_depends_on_the_objective() -> None:
    y, pred = imbalanced_predictions(found=3)
    finding = check_class_imbalance([900, 100], y, pred, ["no", "yes"], "F1")
    assert finding is not None
    assert "already values the rare class" in finding.suggestion


def test_class_imbalance_ignores_balanced_data_and_a_well_found_minority() -> None:
    y, pred = imbalanced_predictions(found=3)
    # Same predictions, but the classes were balanced in training: not this rule's business.
    assert check_class_imbalance([500, 500], y, pred) is None
    y, pred = imbalanced_predictions(found=16)  # 80 % recall on the rare class
    assert check_class_imbalance([900, 100], y, pred) is None
    # Too few rare validation rows to judge.
    y, pred = np.array([0] * 196 + [1] * 4), np.zeros(200, dtype=int)
    assert check_class_imbalance([980, 20], y, pred) is None


def test_class_imbalance_in_multiclass_problems() -> None:
    # Three classes: a share below 0.4 / 3 = 13.3 % is rare; class 2 (6.25 %) is missed.
    y = np.array([0] * 90 + [1] * 90 + [2] * 12)
    pred = y.copy()
    pred[180:190] = 0
    finding = check_class_imbalance([450, 450, 60], y, pred, ["a", "b", "c"], "Accuracy")
    assert finding is not None and "'c'" in finding.message and "F1macro" in finding.suggestion
    assert check_class_imbalance([450, 450, 60], y, y) is None  # found every row


def test_warning_flags_names_each_warning_rule_once() -> None:
    def finding(rule: str, severity: str) -> TrainingFinding:
        return TrainingFinding(rule=rule, severity=severity, message="m", suggestion="s")  # type: ignore[arg-type]

    findings = [
        finding("overfitting", "warning"),
        finding("stalled_training", "info"),
        finding("overfitting", "warning"),
        finding("class_imbalance", "warning"),
    ]
    assert warning_flags(findings) == ["class_imbalance", "overfitting"]
    assert warning_flags([]) == []


# -- recording and storage ----------------------------------------------------------------
def test_recorder_builds_a_curve_from_iteration_one_and_cuts_at_non_finite_values() -> None:
    recorder = CurveRecorder(metric="l2", train_rows=100)
    for train, valid in [(3.0, 4.0), (2.0, 3.5), (1.0, math.inf), (0.5, 3.0)]:
        recorder.add(train, valid)
    curve = recorder.curve(best_iteration=2)
    assert curve is not None
    assert curve.iterations == [1, 2] and curve.validation == [4.0, 3.5]
    assert curve.best_iteration == 2 and curve.train_rows == 100 and curve.goal == "minimize"
    assert CurveRecorder(metric="l2").curve(None) is None


def test_downsample_keeps_first_last_and_best_points() -> None:
    n = 3000
    curve = TrainingCurve(
        metric="l2",
        iterations=list(range(1, n + 1)),
        train=[1 / i for i in range(1, n + 1)],
        validation=[2 / i for i in range(1, n + 1)],
        best_iteration=1234,
    )
    small = downsample(curve)
    assert len(small.iterations) <= MAX_CURVE_POINTS + 1
    assert small.iterations[0] == 1 and small.iterations[-1] == n and 1234 in small.iterations
    assert small.iterations == sorted(set(small.iterations))
    at = small.iterations.index(1234)
    assert small.validation[at] == pytest.approx(2 / 1234) and small.train[at] == pytest.approx(
        1 / 1234
    )
    short = curve.model_copy(
        update={"iterations": [1, 2], "train": [1.0, 0.5], "validation": [1.0, 0.7]}
    )
    assert downsample(short) == short


def test_training_file_round_trip_and_damaged_files(tmp_path: Path) -> None:
    curve = TrainingCurve(
        metric="logloss",
        iterations=[1, 2],
        train=[0.6, 0.5],
        validation=[0.65, 0.6],
        best_iteration=2,
    )
    finding = TrainingFinding(
        rule="overfitting", severity="info", message="m", suggestion="s", iteration=2
    )
    path = write_training_insight(tmp_path / "t1", [curve], [finding])
    assert path.name == TRAINING_FILE
    assert read_training_insight(tmp_path / "t1") == ([curve], [finding])
    assert read_training_insight(tmp_path / "missing") == ([], [])
    path.write_text("{not json")
    assert read_training_insight(tmp_path / "t1") == ([], [])
    path.write_text(json.dumps({"training_curves": [{"metric": "x"}]}))
    assert read_training_insight(tmp_path / "t1") == ([], [])
