"""The AutoMLJobStatus / AutoMLJobSecondaryStatus -> four stages mapping."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from jupyter_autopilot.backends.sagemaker.status_mapping import (
    SECONDARY_STAGE,
    advance,
    current_stage,
    experiment_status,
)
from jupyter_autopilot.backends.sagemaker.validation import service_model
from jupyter_autopilot.models import ExperimentStatus, Stage, StageName, StageStatus

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
P, D, R, F, S = (
    StageStatus.pending,
    StageStatus.done,
    StageStatus.running,
    StageStatus.failed,
    StageStatus.skipped,
)


def walk(observations: list[tuple[str, str]], **kwargs: object) -> list[Stage]:
    stages = None
    for i, (primary, secondary) in enumerate(observations):
        stages = advance(
            stages, primary=primary, secondary=secondary, now=T0 + timedelta(minutes=i), **kwargs
        )  # type: ignore[arg-type]
    assert stages is not None
    return stages


def statuses(stages: list[Stage]) -> list[StageStatus]:
    return [s.status for s in stages]


def test_every_secondary_status_of_the_service_model_is_mapped() -> None:
    enum = service_model("sagemaker").shape_for("AutoMLJobSecondaryStatus").enum
    assert set(enum) <= set(SECONDARY_STAGE), set(enum) - set(SECONDARY_STAGE)


@pytest.mark.parametrize(
    ("primary", "expected"),
    [
        ("InProgress", ExperimentStatus.InProgress),
        ("Completed", ExperimentStatus.Completed),
        ("Failed", ExperimentStatus.Failed),
        ("Stopping", ExperimentStatus.Stopping),
        ("Stopped", ExperimentStatus.Stopped),
        ("SomethingNew", ExperimentStatus.InProgress),
    ],
)
def test_primary_status(primary: str, expected: ExperimentStatus) -> None:
    assert experiment_status(primary) is expected


@pytest.mark.parametrize(
    ("secondary", "expected", "current"),
    [
        ("Starting", [R, P, P, P], StageName.pre_processing),
        ("AnalyzingData", [R, P, P, P], StageName.pre_processing),
        ("CandidateDefinitionsGenerated", [D, D, P, P], None),
        ("PreTraining", [D, D, R, P], StageName.feature_engineering),
        ("FeatureEngineering", [D, D, R, P], StageName.feature_engineering),
        ("ModelTuning", [D, D, D, R], StageName.model_tuning),
        ("GeneratingExplainabilityReport", [D, D, D, R], StageName.model_tuning),
        ("GeneratingModelInsightsReport", [D, D, D, R], StageName.model_tuning),
        ("MaxCandidatesReached", [D, D, D, R], StageName.model_tuning),
        ("TrainingModels", [D, S, S, R], StageName.model_tuning),
    ],
)
def test_in_progress_secondary_statuses(
    secondary: str, expected: list[StageStatus], current: StageName | None
) -> None:
    stages = advance(None, primary="InProgress", secondary=secondary, now=T0)
    assert statuses(stages) == expected
    assert current_stage(stages) == current


def test_hpo_walk_keeps_times_and_messages() -> None:
    stages = walk(
        [
            ("InProgress", "Starting"),
            ("InProgress", "AnalyzingData"),
            ("InProgress", "FeatureEngineering"),
            ("InProgress", "ModelTuning"),
            ("InProgress", "GeneratingExplainabilityReport"),
            ("Completed", "Completed"),
        ],
        created_at=T0 - timedelta(minutes=1),
    )
    assert statuses(stages) == [D, D, D, D]
    pre, cand, feat, tune = stages
    assert pre.started_at == T0 - timedelta(minutes=1) and pre.ended_at == T0 + timedelta(minutes=2)
    assert feat.started_at == T0 + timedelta(minutes=2) and feat.ended_at == T0 + timedelta(
        minutes=3
    )
    assert tune.started_at == T0 + timedelta(minutes=3) and tune.ended_at == T0 + timedelta(
        minutes=5
    )
    assert cand.started_at is None  # never observed: unknown, not a fake zero


def test_ensembling_skips_the_middle_stages() -> None:
    stages = walk(
        [
            ("InProgress", "AnalyzingData"),
            ("InProgress", "TrainingModels"),
            ("Completed", "Completed"),
        ]
    )
    assert statuses(stages) == [D, S, S, D]


def test_known_ensembling_mode_skips_on_first_sight_of_completion() -> None:
    stages = advance(None, primary="Completed", secondary="Completed", now=T0, ensembling=True)
    assert statuses(stages) == [D, S, S, D]


def test_pilot_ends_after_candidate_definitions() -> None:
    stages = walk(
        [("InProgress", "AnalyzingData"), ("Completed", "CandidateDefinitionsGenerated")],
        pilot=True,
    )
    assert statuses(stages) == [D, D, S, S]
    assert "Pilot" in (stages[2].message or "")


def test_failure_marks_the_running_stage() -> None:
    stages = walk(
        [("InProgress", "FeatureEngineering"), ("Failed", "Failed")],
        failure_reason="ClientError: no data",
    )
    assert statuses(stages) == [D, D, F, S]
    assert stages[2].message == "ClientError: no data"
    assert current_stage(stages) is StageName.feature_engineering


def test_failure_seen_first_fails_pre_processing() -> None:
    stages = advance(None, primary="Failed", secondary="Failed", now=T0, failure_reason="bad input")
    assert statuses(stages) == [F, S, S, S]


def test_stop_during_tuning_keeps_candidates() -> None:
    stages = walk([("InProgress", "ModelTuning"), ("Stopping", "Stopping"), ("Stopped", "Stopped")])
    assert statuses(stages) == [D, D, D, D]
    assert "Stopped" in (stages[3].message or "")


def test_stopping_says_so_and_stop_early_skips() -> None:
    stopping = walk([("InProgress", "AnalyzingData"), ("Stopping", "Stopping")])
    assert stopping[0].status is R and stopping[0].message == "Stopping"
    stopped = advance(stopping, primary="Stopped", secondary="Stopped", now=T0)
    assert statuses(stopped) == [S, S, S, S]


def test_report_errors_complete_with_a_message() -> None:
    stages = walk([("InProgress", "ModelTuning"), ("Completed", "ExplainabilityError")])
    assert statuses(stages) == [D, D, D, D]
    assert "explainability" in (stages[3].message or "")


def test_stages_never_move_backwards() -> None:
    stages = walk([("InProgress", "ModelTuning"), ("InProgress", "AnalyzingData")])
    assert statuses(stages) == [D, D, D, R]
