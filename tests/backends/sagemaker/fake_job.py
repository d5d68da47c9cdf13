"""An AutoML job as `FakeAutoML` keeps it: the request, the walk of (status, secondary
status) steps it goes through (one per DescribeAutoMLJobV2 call, or per `advance()`),
its candidates and artifacts, and what the request resolves to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ACCOUNT = "123456789012"
HPO_STEPS = [
    ("InProgress", "Starting"),
    ("InProgress", "AnalyzingData"),
    ("InProgress", "FeatureEngineering"),
    ("InProgress", "ModelTuning"),
    ("InProgress", "ModelTuning"),
    ("InProgress", "MaxCandidatesReached"),
    ("InProgress", "GeneratingExplainabilityReport"),
    ("InProgress", "GeneratingModelInsightsReport"),
    ("Completed", "Completed"),
]
ENSEMBLING_STEPS = [
    ("InProgress", "Starting"),
    ("InProgress", "AnalyzingData"),
    ("InProgress", "TrainingModels"),
    ("InProgress", "TrainingModels"),
    ("InProgress", "GeneratingExplainabilityReport"),
    ("InProgress", "GeneratingModelInsightsReport"),
    ("Completed", "Completed"),
]
PILOT_STEPS = [
    ("InProgress", "Starting"),
    ("InProgress", "AnalyzingData"),
    ("Completed", "CandidateDefinitionsGenerated"),
]
#: Objective metrics SageMaker minimises (the rest it maximises).
MINIMIZED = ("MSE", "RMSE", "MAE")


@dataclass
class FakeJob:
    request: dict[str, Any]
    arn: str
    created: datetime
    steps: list[tuple[str, str]]
    step: int = 0
    stopped: bool = False
    candidates: list[dict[str, Any]] = field(default_factory=list)
    artifacts: dict[str, str] = field(default_factory=dict)
    best: dict[str, Any] | None = None
    modified: datetime | None = None
    ended: datetime | None = None
    failure: str | None = None


def problem(job: FakeJob) -> str:
    """The job's problem type (binary classification unless the request says)."""
    tabular = job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    return tabular.get("ProblemType", "BinaryClassification")


def metric(job: FakeJob) -> str:
    """The job's objective metric: the request's, else Autopilot's default for its problem."""
    objective = job.request.get("AutoMLJobObjective", {}).get("MetricName")
    if objective:
        return objective
    return {
        "BinaryClassification": "F1",
        "MulticlassClassification": "Accuracy",
        "Regression": "MSE",
    }[problem(job)]
