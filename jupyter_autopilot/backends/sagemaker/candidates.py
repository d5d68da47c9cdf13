"""Candidates: the leaderboard from ListCandidatesForAutoMLJob, and details per candidate.

The functions translate AWS's AutoMLCandidate structures; `Leaderboard` makes the calls
(through the polling cache) and ranks by the one rule (`jupyter_autopilot.ranking`).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import models as m
from ... import ranking
from ...exceptions import AutopilotError, NotFound
from ...models import (
    Candidate,
    CandidateList,
    CandidateStatus,
    FeatureImportance,
    ListCandidatesQuery,
    ObjectiveMetric,
)
from . import artifacts, s3, training_logs
from . import cache as ttl
from .shared import Part, Shared

if TYPE_CHECKING:
    from .experiments import Experiments

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
#: Words of a forecasting candidate's name -> its algorithm (AutoMLAlgorithm's names).
_FORECAST_ALGORITHMS = [
    ("cnnqr", "cnn-qr"),
    ("deepar", "deepar"),
    ("prophet", "prophet"),
    ("npts", "npts"),
    ("arima", "arima"),
    ("ets", "ets"),
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
    # Forecasting candidates: Autopilot's time-series algorithms (AutoMLAlgorithm's
    # cnn-qr, deepar, prophet, npts, arima, ets), matched as whole words of the name so
    # that "ets" is not found inside "datasets".
    words = set(re.split(r"[^a-z0-9]+", name.replace("cnn-qr", "cnnqr")))
    for word, algorithm in _FORECAST_ALGORITHMS:
        if word in words:
            return algorithm
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
    # Forecasting metrics come from the backtest: read Test ones when no Validation ones.
    metrics = _metrics(candidate, "Validation") or _metrics(candidate, "Test")
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


class Leaderboard(Part):
    """A job's candidates (ListCandidatesForAutoMLJob), ranked; candidate details
    (hyperparameters, learning curves, SHAP importance); the job's artifacts."""

    def __init__(self, shared: Shared, experiments: Experiments):
        super().__init__(shared)
        self.experiments = experiments

    async def ranked(
        self, name: str
    ) -> tuple[list[m.Candidate], list[dict[str, Any]], dict[str, Any]]:
        desc = await self.experiments.describe_job(name)
        raw = await self.experiments.candidates_raw(name)
        best = (desc.get("BestCandidate") or {}).get("CandidateName")
        rows = rank([candidate_from_aws(c) for c in raw], best)
        return rows, raw, desc

    async def list_candidates(self, name: str, query: m.ListCandidatesQuery) -> m.CandidateList:
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            return m.CandidateList(candidates=[], total=0)
        rows, _raw, _desc = await self.ranked(name)
        return select(rows, query)

    async def describe_candidate(self, name: str, candidate: str) -> m.CandidateDetail:
        rows, raw, _desc = await self.ranked(name)
        row = next((c for c in rows if c.name == candidate), None)
        source = next((c for c in raw if c["CandidateName"] == candidate), None)
        if row is None or source is None:
            raise NotFound(f"The experiment {name} has no candidate named {candidate!r}.")
        hyperparameters: dict[str, Any] = {}
        if row.training_job_name:
            try:
                finished = row.status is not m.CandidateStatus.InProgress
                seconds = ttl.STATIC_TTL if finished else ttl.CANDIDATES_TTL
                job = await self.described("DescribeTrainingJob", row.training_job_name, seconds)
                hyperparameters = {
                    k: v
                    for k, v in (job.get("HyperParameters") or {}).items()
                    if not k.startswith(("_", "sagemaker_"))
                }
            except AutopilotError as exc:
                # Details are a bonus: the leaderboard row is still right without them.
                self.log.warning("No hyperparameters for %s: %s", candidate, exc.message)
        curves, findings = await self._training_insight(row)
        importance: list[m.FeatureImportance] = []
        location = (
            (source.get("CandidateProperties") or {}).get("CandidateArtifactLocations") or {}
        ).get("Explainability")
        if location:
            importance = await self.cache.get(
                ("importance", location),
                ttl.STATIC_TTL,
                lambda: self.aws.run(self._read_importance, location),
            )
            if not importance:
                # The report is written after the candidate finishes: ask again soon
                # instead of remembering "nothing" for an hour.
                self.cache.invalidate(("importance", location))
        base = row.model_dump()
        base["hyperparameters"] = hyperparameters
        return m.CandidateDetail(
            **base,
            feature_importance=importance,
            importance_method="shap" if importance else None,
            insights=m.ModelInsights(metrics=dict(row.metrics)),
            training_curves=curves,
            training_findings=findings,
        )

    async def _training_insight(
        self, row: m.Candidate
    ) -> tuple[list[m.TrainingCurve], list[m.TrainingFinding]]:
        """The candidate's learning curves from its training job's CloudWatch log."""
        job = row.training_job_name
        if not job or row.status is m.CandidateStatus.InProgress:
            return [], []
        try:
            lines = await self.cache.get(
                ("training-log", job),
                ttl.STATIC_TTL,
                lambda: self.aws.run(training_logs.read_training_log, self.aws, job),
            )
        except AutopilotError as exc:
            # Curves are a bonus (logs:GetLogEvents may not be allowed): say so in the log.
            self.log.info("No training log for %s: %s", job, exc.message)
            return [], []
        return training_logs.curves_and_findings(lines)

    def _read_importance(self, location: str) -> list[m.FeatureImportance]:
        try:
            bucket, prefix = s3.parse_s3_uri(location)
            key = s3.join_key(prefix, "analysis.json")
            data, _ = s3.read_head(self.aws, bucket, key, 5 * 1024**2)
            return feature_importance_from_clarify(json.loads(data))
        except (AutopilotError, ValueError) as exc:
            self.log.info("No feature importance at %s: %s", location, exc)
            return []

    async def list_artifacts(self, name: str) -> m.ArtifactList:
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            return m.ArtifactList(
                artifacts=artifacts.sync_artifacts(
                    self.aws, None, None, Path("."), self.shared.context.root_dir
                )
            )
        desc = await self.experiments.describe_job(name)
        dest = self.store.experiment_dir(name)

        async def load() -> list[m.Artifact]:
            async with self.shared.lock(f"artifacts:{name}"):
                return await self.aws.run(
                    artifacts.sync_artifacts,
                    self.aws,
                    desc,
                    desc.get("BestCandidate"),
                    dest,
                    self.shared.context.root_dir,
                )

        found = await self.cache.get(
            ("artifacts", name, desc.get("LastModifiedTime")), ttl.ARTIFACTS_TTL, load
        )
        return m.ArtifactList(artifacts=found)
