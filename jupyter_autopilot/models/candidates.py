"""Candidates (trials): the leaderboard and per-candidate insight."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Literal

from pydantic import Field

from .common import ApiModel
from .experiments import ObjectiveMetric


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
    rank: int | None = Field(default=None, description="1 = best among completed candidates.")
    failure_reason: str | None = None
    training_job_name: str | None = None


class CandidateList(ApiModel):
    candidates: list[Candidate]
    total: int


class ListCandidatesQuery(ApiModel):
    sort_by: str = Field(
        default="objective",
        max_length=64,
        description="`objective`, `started_at`, `duration`, `name` or a metric name.",
    )
    order: Literal["best", "asc", "desc"] = Field(
        default="best", description="`best` puts the best objective first whatever its goal."
    )
    status: CandidateStatus | None = None
    limit: int = Field(default=500, ge=1, le=5000)
    offset: int = Field(default=0, ge=0)


class FeatureImportance(ApiModel):
    feature: str
    importance: float


class ConfusionMatrix(ApiModel):
    labels: list[str]
    matrix: list[list[int]] = Field(description="Rows: actual label; columns: predicted label.")


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


class CandidateDetail(Candidate):
    feature_importance: list[FeatureImportance] = Field(default_factory=list)
    importance_method: str | None = Field(default=None, examples=["shap", "permutation"])
    insights: ModelInsights | None = None
