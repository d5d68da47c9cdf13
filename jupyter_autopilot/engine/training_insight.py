"""Training insight: learning curves recorded while trials train, and where they are kept.

Tuning records, for every boosting trial, the model's own evaluation metric after each
round on the training data and on the validation split (see `fitting._fit_lightgbm` and
`fitting._fit_xgboost`), and for every MLP trial its loss after each epoch on its
training rows and on the 10% it holds out for early stopping (`algorithms.EpochMLP`). The rules of `training_rules` run on the full-resolution curves;
the curves are then downsampled and written with the findings to
``<output_dir>/candidates/<trial>/training.json``, a small file per trial (the SQLite
rows only carry the names of the rules that fired), which `describe_candidate` reads.

Models without iterations (forests, linear models) and the ensemble have no curve.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..models import TrainingCurve, TrainingFinding

#: Most points kept per stored curve (the UI and the notebook draw them as lines).
MAX_CURVE_POINTS = 200
#: File name of a trial's curves and findings, in its `candidates/<trial>/` folder.
TRAINING_FILE = "training.json"


@dataclass
class CurveRecorder:
    """Collects one metric per iteration on training and validation data while a model fits."""

    metric: str
    goal: str = "minimize"
    train_rows: int | None = None
    train: list[float] = field(default_factory=list)
    validation: list[float] = field(default_factory=list)

    def add(self, train: float, validation: float) -> None:
        """Record the values after one more iteration."""
        self.train.append(float(train))
        self.validation.append(float(validation))

    def curve(self, best_iteration: int | None) -> TrainingCurve | None:
        """The full-resolution curve (iterations from 1), or None when nothing was recorded.

        A curve is cut at its first non-finite value (a diverging fit), which JSON and the
        charts could not carry anyway.
        """
        n = min(len(self.train), len(self.validation))
        for i in range(n):
            if not (math.isfinite(self.train[i]) and math.isfinite(self.validation[i])):
                n = i
                break
        if n == 0:
            return None
        best = None if best_iteration is None else max(1, min(int(best_iteration), n))
        return TrainingCurve(
            metric=self.metric,
            goal="maximize" if self.goal == "maximize" else "minimize",
            iterations=list(range(1, n + 1)),
            train=self.train[:n],
            validation=self.validation[:n],
            best_iteration=best,
            train_rows=self.train_rows,
        )


def downsample(curve: TrainingCurve, max_points: int = MAX_CURVE_POINTS) -> TrainingCurve:
    """At most `max_points` (+ the best iteration) evenly spaced points of a curve, always
    keeping the first and last points and the best iteration's."""
    n = len(curve.iterations)
    if n <= max_points:
        return curve
    step = (n - 1) / (max_points - 1)
    keep = {round(i * step) for i in range(max_points)}
    if curve.best_iteration is not None and curve.best_iteration in curve.iterations:
        keep.add(curve.iterations.index(curve.best_iteration))
    index = sorted(keep)
    return curve.model_copy(
        update={
            "iterations": [curve.iterations[i] for i in index],
            "train": [curve.train[i] for i in index],
            "validation": [curve.validation[i] for i in index],
        }
    )


def write_training_insight(
    folder: Path, curves: list[TrainingCurve], findings: list[TrainingFinding]
) -> Path:
    """Write a trial's curves and findings to `folder/training.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / TRAINING_FILE
    payload = {
        "training_curves": [c.model_dump(mode="json") for c in curves],
        "training_findings": [f.model_dump(mode="json") for f in findings],
    }
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(payload, separators=(",", ":")))
    tmp.replace(path)
    return path


def read_training_insight(folder: Path) -> tuple[list[TrainingCurve], list[TrainingFinding]]:
    """A trial's recorded curves and findings; empty when none were recorded (or the file is
    unreadable: insight is optional and must never make a candidate undescribable)."""
    path = folder / TRAINING_FILE
    if not path.is_file():
        return [], []
    try:
        payload = json.loads(path.read_text())
        curves = [TrainingCurve.model_validate(c) for c in payload.get("training_curves", [])]
        findings = [TrainingFinding.model_validate(f) for f in payload.get("training_findings", [])]
    except (OSError, ValueError, ValidationError, AttributeError):
        return [], []
    return curves, findings


__all__ = [
    "MAX_CURVE_POINTS",
    "TRAINING_FILE",
    "CurveRecorder",
    "downsample",
    "read_training_insight",
    "write_training_insight",
]
