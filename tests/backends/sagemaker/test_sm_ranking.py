"""Both backends list the same candidates in the same order, for every sort key and order.

The same five trials go into the local backend's SQLite store and into the AutoML fake
(as the AutoMLCandidate structures ListCandidatesForAutoMLJob returns); each backend's
own `list_candidates` then ranks and sorts them. One ranking rule (jupyter_autopilot/
ranking.py) means one answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fake_automl import FakeAutoML
from sm_support import make_context

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.local import LocalBackend
from jupyter_autopilot.backends.sagemaker import SageMakerBackend
from jupyter_autopilot.engine import JobConfig

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
NAME = "ranked"
#: name, status, F1 (the objective), AUC, LogLoss, started (min after T0), seconds it ran
TRIALS: list[tuple[str, str, float | None, float | None, float | None, int, int | None]] = [
    ("c-a", "Completed", 0.80, 0.90, 0.40, 1, 600),
    ("c-b", "Completed", 0.85, 0.88, 0.35, 3, 120),
    ("c-c", "InProgress", None, None, None, 5, None),
    ("c-d", "Failed", None, None, None, 2, 30),
    ("c-e", "Completed", 0.70, 0.93, 0.50, 4, 300),
]
BEST = "c-b"
KEYS = ["objective", "started_at", "ended_at", "duration", "name", "algorithm"]
KEYS += ["F1", "AUC", "LogLoss", "RMSE"]


def _metrics(f1: float | None, auc: float | None, logloss: float | None) -> dict[str, float]:
    values = {"F1": f1, "AUC": auc, "LogLoss": logloss}
    return {k: v for k, v in values.items() if v is not None}


def local_candidates() -> list[m.Candidate]:
    out = []
    for name, status, f1, auc, logloss, start, seconds in TRIALS:
        started = T0 + timedelta(minutes=start)
        out.append(
            m.Candidate(
                name=name,
                status=m.CandidateStatus(status),
                algorithm="xgboost",
                objective_metric=m.ObjectiveMetric.F1 if f1 is not None else None,
                objective_value=f1,
                metrics=_metrics(f1, auc, logloss),
                started_at=started,
                ended_at=started + timedelta(seconds=seconds) if seconds is not None else None,
                duration_seconds=float(seconds) if seconds is not None else None,
            )
        )
    return out


def aws_candidates() -> list[dict[str, Any]]:
    """The same trials as SageMaker describes them."""
    out = []
    for name, status, f1, auc, logloss, start, seconds in TRIALS:
        started = T0 + timedelta(minutes=start)
        candidate: dict[str, Any] = {
            "CandidateName": name,
            "ObjectiveStatus": "Succeeded" if f1 is not None else "Pending",
            "CandidateSteps": [],
            "CandidateStatus": status,
            "CreationTime": started,
            "LastModifiedTime": started,
            "InferenceContainers": [
                {
                    "Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
                    "ModelDataUrl": f"s3://bucket/{name}/model.tar.gz",
                }
            ],
        }
        if seconds is not None:
            candidate["EndTime"] = started + timedelta(seconds=seconds)
        if f1 is not None:
            candidate["FinalAutoMLJobObjectiveMetric"] = {
                "Type": "Maximize",
                "MetricName": "F1",
                "Value": f1,
                "StandardMetricName": "F1",
            }
            candidate["CandidateProperties"] = {
                "CandidateMetrics": [
                    # StandardMetricName only: MetricName has no LogLoss (botocore's model).
                    {"StandardMetricName": k, "Value": v, "Set": "Validation"}
                    for k, v in _metrics(f1, auc, logloss).items()
                ]
            }
        out.append(candidate)
    return out


@pytest.fixture
def local_backend(root: Path, run: Any) -> Any:
    backend = LocalBackend(make_context(root, work_dir=root / "local-work"))
    data = root / "data.csv"
    data.write_text("x,y\n1,0\n")
    spec = m.ExperimentSpec(
        name=NAME, input_uri="data.csv", target="y", problem_type=m.ProblemType.binary
    )
    store = backend.store
    budget = m.Budget(max_candidates=5, max_trial_runtime_seconds=60, max_job_runtime_seconds=60)
    config = JobConfig.from_spec(spec, budget, data, root / "local-work" / NAME)
    store.insert_experiment(spec, budget, config, [])
    for candidate in local_candidates():
        store.upsert_candidate(NAME, candidate)
    store.update_experiment(
        NAME,
        status=m.ExperimentStatus.Completed,
        objective_metric="F1",
        best_candidate=BEST,
        ended_at=T0 + timedelta(hours=1),
    )
    yield backend
    store.close()


def test_both_backends_list_candidates_in_the_same_order(
    local_backend: LocalBackend,
    backend: SageMakerBackend,
    fake: FakeAutoML,
    run: Any,
    tutorial_uri: str,
    role_arn: str,
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(
                name=NAME,
                input_uri=tutorial_uri,
                target="y",
                problem_type=m.ProblemType.binary,
                objective_metric=m.ObjectiveMetric.F1,
            )
        )
    )
    fake.finish(NAME)
    job = fake.jobs[NAME]
    job.candidates = aws_candidates()
    job.best = next(c for c in job.candidates if c["CandidateName"] == BEST)
    backend.cache.invalidate(prefix=("candidates",))
    backend.cache.invalidate(prefix=("job",))

    compared = 0
    for key in KEYS:
        for order in ("best", "asc", "desc"):
            query = m.ListCandidatesQuery(sort_by=key, order=order)
            local = run(local_backend.list_candidates(NAME, query)).candidates
            remote = run(backend.list_candidates(NAME, query)).candidates
            shown = [(c.name, c.rank, c.is_best) for c in local]
            assert shown == [(c.name, c.rank, c.is_best) for c in remote], (key, order)
            compared += 1
    assert compared == len(KEYS) * 3

    # The meaning of "best" for the keys that are not metrics (documented on the query).
    def names(key: str, order: str = "best") -> list[str]:
        query = m.ListCandidatesQuery(sort_by=key, order=order)
        return [c.name for c in run(local_backend.list_candidates(NAME, query)).candidates]

    assert names("objective") == ["c-b", "c-a", "c-e", "c-c", "c-d"]
    assert names("started_at") == ["c-c", "c-e", "c-b", "c-d", "c-a"]  # newest first
    assert names("duration") == ["c-d", "c-b", "c-e", "c-a", "c-c"]  # shortest first
    assert names("name") == ["c-a", "c-b", "c-c", "c-d", "c-e"]
    assert names("LogLoss")[:3] == ["c-b", "c-a", "c-e"]  # minimised: smallest first
    assert names("AUC")[:3] == ["c-e", "c-a", "c-b"]
