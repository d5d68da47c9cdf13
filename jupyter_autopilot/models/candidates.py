"""Candidates (trials): the leaderboard and per-candidate insight."""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum
from typing import Any, Literal

from pydantic import Field

from .common import ApiModel, Offset
from .experiments import ObjectiveMetric

_TRIAL_NUMBER = re.compile(r"-t(\d+)$")


def trial_number(name: str) -> int | None:
    """The search's trial number in a candidate's name (`lgbm-t007` -> 7), or None."""
    found = _TRIAL_NUMBER.search(name)
    return int(found.group(1)) if found else None


class CandidateStatus(str, Enum):
    InProgress = "InProgress"
    Completed = "Completed"
    Failed = "Failed"
    Stopped = "Stopped"
    Pruned = "Pruned"


class Candidate(ApiModel):
    """One trial of the search: a pipeline, its hyperparameters and its scores."""

    name: str
    status: CandidateStatus
    algorithm: str = Field(examples=["lightgbm"])
    preprocessing: str | None = Field(default=None, description="Name of the preprocessing recipe.")
    definition: str | None = Field(
        default=None, description="Name of the candidate definition this trial tunes."
    )
    hyperparameters: dict[str, Any] = Field(default_factory=dict)
    objective_metric: ObjectiveMetric | None = None
    objective_value: float | None = Field(default=None, description="Validation objective.")
    metrics: dict[str, float] = Field(default_factory=dict, description="Validation metrics.")
    train_metrics: dict[str, float] = Field(default_factory=dict)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_seconds: float | None = None
    is_best: bool = False
    is_ensemble: bool = False
    rank: int | None = Field(
        default=None,
        description="1 = the delivered model (`is_best`), then the other completed "
        "candidates by the objective.",
    )
    failure_reason: str | None = None
    training_job_name: str | None = None
    deployable: bool = Field(
        default=False,
        description="A model is kept for this candidate: it can be deployed (and exported).",
    )
    training_flags: list[str] = Field(
        default_factory=list,
        description="Training-insight rules that fired with severity `warning` "
        "(e.g. `overfitting`); details in the candidate's `training_findings`.",
        examples=[["overfitting"]],
    )


class CandidateList(ApiModel):
    candidates: list[Candidate]
    total: int


class ListCandidatesQuery(ApiModel):
    sort_by: str = Field(
        default="objective",
        max_length=64,
        description="`objective`, `started_at`, `ended_at`, `duration`, `name`, `algorithm` "
        "or a metric name.",
    )
    order: Literal["best", "asc", "desc"] = Field(
        default="best",
        description="`best` lists the best first: on `objective`, rank 1 (the delivered "
        "model) then the others by the objective's goal; a named metric by its goal (smallest "
        "first for the metrics in `Health.defaults.minimized_metrics`, largest "
        "first for every other); `started_at` and `ended_at` newest first; `duration` "
        "shortest first; `name` and `algorithm` A to Z. Candidates without a value come last "
        "in every order; ties keep the leaderboard order (rank 1 first).",
    )
    status: CandidateStatus | None = None
    limit: int = Field(default=500, ge=1, le=5000)
    offset: Offset = 0


class FeatureImportance(ApiModel):
    feature: str
    importance: float


class ConfusionMatrix(ApiModel):
    labels: list[str]
    matrix: list[list[float]] = Field(
        description="Rows: actual label; columns: predicted label. Counts of rows, or sums of "
        "their sample weights when the insights are `weighted`."
    )


class Curve(ApiModel):
    x: list[float]
    y: list[float]
    thresholds: list[float] | None = None
    area: float | None = None


class Residuals(ApiModel):
    actual: list[float]
    predicted: list[float]


class ModelInsights(ApiModel):
    """Evaluation on the validation split (SageMaker's model insights report)."""

    metrics: dict[str, float] = Field(default_factory=dict)
    confusion_matrix: ConfusionMatrix | None = None
    roc_curve: Curve | None = None
    pr_curve: Curve | None = None
    residuals: Residuals | None = None
    decision_threshold: float | None = None
    weighted: bool = Field(
        default=False,
        description="The experiment has sample weights: the metrics, the confusion matrix "
        "(sums of weights) and the ROC and precision-recall curves weigh each row by its "
        "weight, as the leaderboard does; residuals plot every row alike.",
    )


class TrainingCurve(ApiModel):
    """The per-iteration learning curve of an iterative model (boosting rounds), recorded
    while the trial trained: its loss on training and on validation data."""

    metric: str = Field(
        description="What the curve measures (the model's own evaluation metric, e.g. "
        "`binary_logloss`, `logloss`, `l2`, `rmse`, or `auc` when AUC is the objective).",
        examples=["binary_logloss"],
    )
    goal: Literal["minimize", "maximize"] = Field(
        default="minimize", description="Whether lower (losses) or higher (AUC) is better."
    )
    iterations: list[int] = Field(
        description="Iteration (boosting round, from 1) of each point; downsampled to at most "
        "about 200 points, always keeping the first, the best and the last."
    )
    train: list[float] = Field(description="Metric on the training data at each iteration.")
    validation: list[float] = Field(description="Metric on the validation split.")
    best_iteration: int | None = Field(
        default=None,
        description="The iteration with the best validation score: the one the trial's "
        "model keeps (early stopping), or for a pruned or stopped trial the best it reached.",
    )
    train_rows: int | None = Field(
        default=None,
        description="Rows the training curve was measured on (a sample of large training "
        "splits, to keep recording cheap).",
    )


class TrainingFinding(ApiModel):
    """A training-insight rule that fired for a trial (like SageMaker Debugger's rules)."""

    rule: Literal["overfitting", "stalled_training", "class_imbalance"]
    severity: Literal["info", "warning"]
    message: str = Field(description="What was seen and what it means, in plain English.")
    suggestion: str = Field(description="What to try about it.")
    iteration: int | None = Field(
        default=None, description="The iteration the finding is about, when there is one."
    )


class CandidateDetail(Candidate):
    feature_importance: list[FeatureImportance] = Field(default_factory=list)
    importance_method: str | None = Field(default=None, examples=["shap", "permutation"])
    insights: ModelInsights | None = None
    training_curves: list[TrainingCurve] = Field(
        default_factory=list,
        description="Learning curves recorded during tuning (iterative models only; empty "
        "for forests, linear models and the ensemble).",
    )
    training_findings: list[TrainingFinding] = Field(
        default_factory=list, description="Training-insight rules that fired for this trial."
    )
