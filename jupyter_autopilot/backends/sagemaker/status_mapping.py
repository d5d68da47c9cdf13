"""From SageMaker's AutoMLJobStatus / AutoMLJobSecondaryStatus to our four stages.

SageMaker reports one primary status (InProgress, Completed, Failed, Stopping,
Stopped) and one secondary status that says what the job is doing. The stage tracker
needs four stages with start and end times, so each describe result is applied to the
stages recorded so far (`advance`), which moves them forward; times are those at which
we first observed a change (polling granularity, a few seconds). The table is
documented in docs/sagemaker.md; keep the two in step.
"""

from __future__ import annotations

from datetime import datetime

from ...models import ExperimentStatus, Stage, StageName, StageStatus, initial_stages

#: Primary status -> experiment status.
EXPERIMENT_STATUS: dict[str, ExperimentStatus] = {
    "InProgress": ExperimentStatus.InProgress,
    "Completed": ExperimentStatus.Completed,
    "Failed": ExperimentStatus.Failed,
    "Stopping": ExperimentStatus.Stopping,
    "Stopped": ExperimentStatus.Stopped,
}

PRE, CAND, FEAT, TUNE = (
    StageName.pre_processing,
    StageName.candidate_definitions,
    StageName.feature_engineering,
    StageName.model_tuning,
)
ORDER = [PRE, CAND, FEAT, TUNE]

#: Secondary status -> (stage it belongs to, what to show). None: no stage of its own
#: (terminal or transitional statuses, handled from the primary status).
SECONDARY_STAGE: dict[str, tuple[StageName | None, str]] = {
    "Starting": (PRE, "Starting the job"),
    "AnalyzingData": (PRE, "Analyzing the data"),
    "CandidateDefinitionsGenerated": (CAND, "Candidate definitions generated"),
    "PreTraining": (FEAT, "Preparing the data for training"),
    "FeatureEngineering": (FEAT, "Running the feature-engineering jobs"),
    "ModelTuning": (TUNE, "Tuning candidate models"),
    "TrainingModels": (TUNE, "Training models (ensembling)"),
    "GeneratingExplainabilityReport": (TUNE, "Generating the explainability report"),
    "GeneratingModelInsightsReport": (TUNE, "Generating the model insights report"),
    "DeployingModel": (TUNE, "Deploying the best model"),
    "MaxCandidatesReached": (TUNE, "Reached the maximum number of candidates"),
    "MaxAutoMLJobRuntimeReached": (TUNE, "Reached the maximum job runtime"),
    "ExplainabilityError": (TUNE, "Training done; the explainability report failed"),
    "ModelInsightsError": (TUNE, "Training done; the model insights report failed"),
    "ModelDeploymentError": (TUNE, "Training done; deploying the best model failed"),
    "Completed": (None, "Completed"),
    "Stopping": (None, "Stopping"),
    "Stopped": (None, "Stopped"),
    "Failed": (None, "Failed"),
}

#: Secondary statuses after which the job never tunes again (ensembling mode skips the
#: candidate-definition and feature-engineering stages altogether).
ENSEMBLING_STATUSES = {"TrainingModels"}


def experiment_status(primary: str) -> ExperimentStatus:
    """Our status for SageMaker's AutoMLJobStatus (unknown values count as in progress)."""
    return EXPERIMENT_STATUS.get(primary, ExperimentStatus.InProgress)


def stage_message(secondary: str) -> str:
    """Words for a secondary status (the status itself when unknown)."""
    return SECONDARY_STAGE.get(secondary, (None, secondary))[1]


def advance(
    stages: list[Stage] | None,
    *,
    primary: str,
    secondary: str,
    now: datetime,
    pilot: bool = False,
    ensembling: bool | None = None,
    failure_reason: str | None = None,
    created_at: datetime | None = None,
    forecasting: bool = False,
) -> list[Stage]:
    """The stages after observing (`primary`, `secondary`) at `now`.

    Stages only move forward: a stage that is done stays done. `ensembling` is True
    when the job is known to run in ENSEMBLING mode (from the request or the secondary
    statuses seen), which marks the two middle stages skipped instead of done. A
    `forecasting` job trains its models the same way (TrainingModels, no candidate
    definitions or feature-engineering jobs of its own).
    """
    skip_message = (
        "Not a separate stage of a forecasting job"
        if forecasting
        else "Not a separate stage in ensembling mode"
    )
    result = [s.model_copy() for s in (stages or initial_stages())]
    by_name = {s.name: s for s in result}
    if created_at is not None and by_name[PRE].started_at is None:
        # The job's CreationTime is when pre-processing really began.
        by_name[PRE].started_at = created_at
    if secondary in ENSEMBLING_STATUSES:
        ensembling = True
    target, message = SECONDARY_STAGE.get(secondary, (None, secondary))

    def finish_before(index: int) -> None:
        for name in ORDER[:index]:
            stage = by_name[name]
            if stage.status in (StageStatus.pending, StageStatus.running):
                if ensembling and name in (CAND, FEAT) and stage.status is StageStatus.pending:
                    _set(stage, StageStatus.skipped, now, skip_message)
                else:
                    _set(stage, StageStatus.done, now, None)

    if target is not None:
        index = ORDER.index(target)
        finish_before(index)
        stage = by_name[target]
        if target is CAND:
            # A moment rather than a phase: the definitions exist once this is reported.
            if stage.status is not StageStatus.done:
                stage.started_at = stage.started_at or now
                _set(stage, StageStatus.done, now, message)
        elif stage.status in (StageStatus.pending, StageStatus.running):
            _set(stage, StageStatus.running, now, message)

    status = experiment_status(primary)
    if status is ExperimentStatus.Completed:
        finish_before(len(ORDER))
        if pilot:
            for name in (FEAT, TUNE):
                stage = by_name[name]
                if stage.status is not StageStatus.skipped:
                    _set(
                        stage,
                        StageStatus.skipped,
                        now,
                        "Pilot run: only the candidate definitions were generated",
                    )
        elif target is TUNE:
            by_name[TUNE].message = message
    elif status is ExperimentStatus.Failed:
        failed = _current(result) or next(
            (s for s in result if s.status is StageStatus.pending), None
        )
        if failed is not None:
            _set(failed, StageStatus.failed, now, failure_reason or "Failed")
        for stage in result:
            if stage.status is StageStatus.pending:
                _set(stage, StageStatus.skipped, now, "Not run: the job failed")
    elif status is ExperimentStatus.Stopped:
        for stage in result:
            if stage.status is StageStatus.running:
                if stage.name is TUNE:
                    _set(stage, StageStatus.done, now, "Stopped: finished candidates are kept")
                else:
                    _set(stage, StageStatus.skipped, now, "Stopped during this stage")
            elif stage.status is StageStatus.pending:
                _set(stage, StageStatus.skipped, now, "Not run: the job was stopped")
    elif status is ExperimentStatus.Stopping:
        running = _current(result)
        if running is not None:
            running.message = "Stopping"
    return result


def current_stage(stages: list[Stage]) -> StageName | None:
    """The running stage, else the failed one, else None."""
    stage = _current(stages) or next((s for s in stages if s.status is StageStatus.failed), None)
    return stage.name if stage else None


def _current(stages: list[Stage]) -> Stage | None:
    return next((s for s in stages if s.status is StageStatus.running), None)


def _set(stage: Stage, status: StageStatus, now: datetime, message: str | None) -> None:
    if status is StageStatus.running:
        stage.started_at = stage.started_at or now
    elif status in (StageStatus.done, StageStatus.failed):
        # A stage we never saw running keeps started_at None (unknown), not a fake 0 s.
        stage.ended_at = stage.ended_at or now
    elif status is StageStatus.skipped:
        stage.ended_at = stage.ended_at or (now if stage.started_at else None)
    stage.status = status
    if message is not None:
        stage.message = message
    if status is StageStatus.done:
        stage.progress = 1.0
