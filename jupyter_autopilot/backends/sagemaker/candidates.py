"""Candidates: the leaderboard from ListCandidatesForAutoMLJob, and details per candidate."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ... import ranking
from ...models import (
    Candidate,
    CandidateList,
    CandidateStatus,
    FeatureImportance,
    ListCandidatesQuery,
    ObjectiveMetric,
)

STATUS: dict[str, CandidateStatus] = {
    "Completed": CandidateStatus.Completed,
    "InProgress": CandidateStatus.InProgress,
    "Failed": CandidateStatus.Failed,
    "Stopped": CandidateStatus.Stopped,
    "Stopping": CandidateStatus.Stopped,
}

#: Image-name fragments -> algorithm, checked in order on the non-preprocessing containers.
_IMAGE_ALGORITHMS = [
    ("autogluon", "ensemble"),
    ("xgboost", "xgboost"),
    ("linear-learner", "linear-learner"),
    ("mxnet", "mlp"),
    ("lightgbm", "lightgbm"),
    ("catboost", "catboost"),
]
_DPP = re.compile(r"(dpp\d+)", re.IGNORECASE)
TRAINING_JOB = "AWS::SageMaker::TrainingJob"


def algorithm_of(candidate: dict[str, Any]) -> str:
    """The candidate's algorithm, read from its inference container images."""
    containers = candidate.get("InferenceContainers") or []
    for container in containers:
        image = str(container.get("Image", "")).lower()
        if "sklearn-automl" in image:
            continue  # Autopilot's data-processing / label-transform containers
        for fragment, algorithm in _IMAGE_ALGORITHMS:
            if fragment in image:
                return algorithm
    name = candidate.get("CandidateName", "").lower()
    for fragment in ("xgboost", "linear-learner", "mlp", "lightgbm", "catboost"):
        if fragment in name:
            return fragment
    if "ensemble" in name:
        return "ensemble"
    return "unknown"


def training_job_name(candidate: dict[str, Any]) -> str | None:
    """The training job that trained the model (the last TrainingJob step)."""
    names = [
        s["CandidateStepName"]
        for s in candidate.get("CandidateSteps") or []
        if s.get("CandidateStepType") == TRAINING_JOB
    ]
    return names[-1] if names else None


def _metrics(candidate: dict[str, Any], wanted: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for datum in (candidate.get("CandidateProperties") or {}).get("CandidateMetrics") or []:
        name = datum.get("StandardMetricName") or datum.get("MetricName")
        value = datum.get("Value")
        # Metrics without a Set are validation metrics (older jobs).
        if name and value is not None and datum.get("Set", "Validation") == wanted:
            found[str(name)] = float(value)
    return found


def _duration(start: Any, end: Any) -> float | None:
    if isinstance(start, datetime) and isinstance(end, datetime):
        return max((end - start).total_seconds(), 0.0)
    return None


def candidate_from_aws(candidate: dict[str, Any]) -> Candidate:
    """One leaderboard row for an AutoMLCandidate structure."""
    final = candidate.get("FinalAutoMLJobObjectiveMetric") or {}
    metric_name = final.get("MetricName")
    metric = ObjectiveMetric(metric_name) if metric_name in ObjectiveMetric.__members__ else None
    name = candidate["CandidateName"]
    match = _DPP.search(name)
    algorithm = algorithm_of(candidate)
    containers = candidate.get("InferenceContainers") or []
    value = final.get("Value")
    metrics = _metrics(candidate, "Validation")
    if metric is not None and value is not None:
        metrics.setdefault(metric.value, float(value))
    return Candidate(
        name=name,
        status=STATUS.get(candidate.get("CandidateStatus", ""), CandidateStatus.InProgress),
        algorithm=algorithm,
        preprocessing=match.group(1).lower() if match else None,
        definition=f"{match.group(1).lower()}-{algorithm}" if match else None,
        objective_metric=metric,
        objective_value=float(value) if value is not None else None,
        metrics=metrics,
        train_metrics=_metrics(candidate, "Train"),
        started_at=candidate.get("CreationTime"),
        ended_at=candidate.get("EndTime"),
        duration_seconds=_duration(candidate.get("CreationTime"), candidate.get("EndTime")),
        is_ensemble=algorithm == "ensemble"
        or (len(containers) == 1 and "ensemble" in name.lower()),
        failure_reason=candidate.get("FailureReason"),
        training_job_name=training_job_name(candidate),
        deployable=candidate.get("CandidateStatus") == "Completed" and bool(containers),
    )


def objective_of(candidates: list[Candidate]) -> ObjectiveMetric | None:
    """The job's objective metric, as its candidates report it."""
    return next((c.objective_metric for c in candidates if c.objective_metric), None)


def rank(candidates: list[Candidate], best_name: str | None) -> list[Candidate]:
    """Set `rank` (1 = best completed) and `is_best` (AWS's BestCandidate when known,
    else the top-ranked candidate), by the one ranking rule (`jupyter_autopilot.ranking`)."""
    objective = objective_of(candidates)
    return ranking.rank(
        candidates, objective, best_name or ranking.first_ranked(candidates, objective)
    )


def select(candidates: list[Candidate], query: ListCandidatesQuery) -> CandidateList:
    """Filter, sort and page the leaderboard as the query asks."""
    return ranking.select(candidates, query, objective_of(candidates))


def feature_importance_from_clarify(analysis: dict[str, Any]) -> list[FeatureImportance]:
    """Global SHAP values from a SageMaker Clarify `analysis.json`, largest first."""
    explanations = (analysis.get("explanations") or {}).get("kernel_shap") or {}
    values: dict[str, float] = {}
    for label in explanations.values():
        for feature, value in ((label or {}).get("global_shap_values") or {}).items():
            # Multiclass reports one set per label; keep the largest per feature.
            values[feature] = max(values.get(feature, 0.0), abs(float(value)))
    return [
        FeatureImportance(feature=f, importance=v)
        for f, v in sorted(values.items(), key=lambda kv: -kv[1])
    ]
