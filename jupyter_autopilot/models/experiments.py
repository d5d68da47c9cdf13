"""Experiments: the create form, their status and the four Autopilot stages."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import ApiModel, ExperimentName, Offset, Tag
from .estimates import CostEstimate
from .forecast import ForecastSpec
from .plans import CandidatePlan


class ProblemType(str, Enum):
    """What to predict; `auto` lets the backend infer it from the target column."""

    auto = "auto"
    binary = "binary"
    multiclass = "multiclass"
    regression = "regression"
    #: Autopilot's `TimeSeriesForecasting` problem: needs the spec's `forecast` block.
    time_series_forecasting = "TimeSeriesForecasting"


class ObjectiveMetric(str, Enum):
    """Objective metrics, named as SageMaker Autopilot names them."""

    Accuracy = "Accuracy"
    AUC = "AUC"
    BalancedAccuracy = "BalancedAccuracy"
    F1 = "F1"
    F1macro = "F1macro"
    LogLoss = "LogLoss"
    Precision = "Precision"
    PrecisionMacro = "PrecisionMacro"
    Recall = "Recall"
    RecallMacro = "RecallMacro"
    MSE = "MSE"
    RMSE = "RMSE"
    MAE = "MAE"
    R2 = "R2"
    # Forecasting (all minimized; Average wQL is Autopilot's default objective).
    AverageWeightedQuantileLoss = "AverageWeightedQuantileLoss"
    WAPE = "WAPE"
    MASE = "MASE"
    MAPE = "MAPE"


#: Metrics valid for each concrete problem type; the first is Autopilot's default.
METRICS_BY_PROBLEM_TYPE: dict[ProblemType, list[ObjectiveMetric]] = {
    ProblemType.binary: [
        ObjectiveMetric.F1,
        ObjectiveMetric.AUC,
        ObjectiveMetric.Accuracy,
        ObjectiveMetric.BalancedAccuracy,
        ObjectiveMetric.LogLoss,
        ObjectiveMetric.Precision,
        ObjectiveMetric.Recall,
    ],
    ProblemType.multiclass: [
        ObjectiveMetric.Accuracy,
        ObjectiveMetric.F1macro,
        ObjectiveMetric.BalancedAccuracy,
        ObjectiveMetric.LogLoss,
        ObjectiveMetric.PrecisionMacro,
        ObjectiveMetric.RecallMacro,
    ],
    ProblemType.regression: [
        ObjectiveMetric.MSE,
        ObjectiveMetric.RMSE,
        ObjectiveMetric.MAE,
        ObjectiveMetric.R2,
    ],
    ProblemType.time_series_forecasting: [
        ObjectiveMetric.AverageWeightedQuantileLoss,
        ObjectiveMetric.WAPE,
        ObjectiveMetric.RMSE,
        ObjectiveMetric.MASE,
        ObjectiveMetric.MAPE,
    ],
}


def default_metric(problem_type: ProblemType) -> ObjectiveMetric:
    """Autopilot's default objective for a problem type (F1, Accuracy, MSE or Average wQL)."""
    if problem_type is ProblemType.auto:
        raise ValueError("resolve the problem type before choosing its default metric")
    return METRICS_BY_PROBLEM_TYPE[problem_type][0]


#: The share of the training file held out for validation when the spec does not say.
DEFAULT_VALIDATION_FRACTION = 0.2


class RunMode(str, Enum):
    """`complete` runs all four stages; `pilot` stops after the candidate definitions."""

    complete = "complete"
    pilot = "pilot"


class TrainingMode(str, Enum):
    """How candidates are searched (SageMaker's AUTO / ENSEMBLING / HYPERPARAMETER_TUNING)."""

    auto = "auto"
    ensembling = "ensembling"
    hyperparameter_tuning = "hyperparameter_tuning"


class AutoMLAlgorithm(str, Enum):
    """Algorithm families, named as Autopilot V2's `AutoMLAlgorithms` names the tabular ones.

    Locally each runs as one of the engine's families (`engine/families.py`); SageMaker
    allows a subset per training mode (`backends/sagemaker/jobs.py`).
    """

    xgboost = "xgboost"
    lightgbm = "lightgbm"
    catboost = "catboost"
    randomforest = "randomforest"
    extra_trees = "extra-trees"
    linear_learner = "linear-learner"
    mlp = "mlp"
    nn_torch = "nn-torch"
    fastai = "fastai"


class VpcConfig(ApiModel):
    security_group_ids: list[str] = Field(min_length=1, max_length=5)
    subnets: list[str] = Field(min_length=1, max_length=16)


class ExperimentSpec(ApiModel):
    """Everything the create-experiment form asks for.

    Budget fields left empty are filled with the backend's defaults; the resolved
    values are returned in `Experiment.budget`.
    """

    name: ExperimentName
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    project: str | None = Field(default=None, max_length=128)
    description: str | None = Field(default=None, max_length=1024)
    input_uri: str = Field(
        min_length=1,
        max_length=2048,
        description="Training data: a CSV path under the server root (local) or an `s3://` URI.",
        examples=["bank-additional/bank-additional-full.csv"],
    )
    manifest: bool = Field(
        default=False, description="The input is a manifest file listing the data objects."
    )
    delimiter: str | None = Field(
        default=None, min_length=1, max_length=1, description="Detected when omitted."
    )
    target: str = Field(min_length=1, max_length=512, description="Column to predict.")
    exclude_columns: list[str] = Field(
        default_factory=list,
        max_length=10000,
        description="Columns left out of training (for example ones that leak the target).",
    )
    sample_weight: str | None = Field(
        default=None,
        min_length=1,
        max_length=512,
        description="Column of non-negative numbers weighting each row in training, in every "
        "metric and in choosing the best candidate (Autopilot's `SampleWeightAttributeName`). "
        "Not a feature; rows whose weight is missing or not a number are left out.",
    )
    output_uri: str | None = Field(
        default=None,
        max_length=2048,
        description="Where results go (sagemaker: `s3://bucket/prefix`); local: the work dir.",
    )
    problem_type: ProblemType = ProblemType.auto
    objective_metric: ObjectiveMetric | None = Field(
        default=None, description="Default: F1 (binary), Accuracy (multiclass), MSE (regression)."
    )
    mode: RunMode = RunMode.complete
    training_mode: TrainingMode = TrainingMode.auto
    algorithms: list[AutoMLAlgorithm] = Field(
        default_factory=list,
        max_length=len(AutoMLAlgorithm),
        description="Algorithm families to train (Autopilot's `AlgorithmsConfig`); empty: all. "
        "SageMaker takes them in the ensembling and hyperparameter-tuning modes only.",
    )
    role_arn: str | None = Field(default=None, max_length=2048)
    kms_key_id: str | None = Field(default=None, max_length=2048)
    vpc_config: VpcConfig | None = None
    max_candidates: int | None = Field(default=None, ge=1, le=750)
    max_trial_runtime_seconds: int | None = Field(default=None, ge=1, le=259200)
    max_job_runtime_seconds: int | None = Field(default=None, ge=1, le=2592000)
    validation_fraction: float | None = Field(
        default=None,
        gt=0.0,
        le=0.5,
        description="Share of the training file held out for validation (a random, "
        "stratified split); empty: 0.2. Not to be set with `validation_file`, which replaces "
        "the split.",
    )
    validation_file: str | None = Field(
        default=None,
        min_length=1,
        max_length=2048,
        description="Your own validation data instead of a random split of the training file "
        "(Autopilot V2's `validation` channel): a CSV with the training file's columns, never "
        "trained on; tuning, the leaderboard's metrics and the choice of the best use it. A "
        "path under the server root (local) or an `s3://` URI (sagemaker).",
        examples=["sales/2024-q4.csv"],
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    reproducible: bool = Field(
        default=False,
        description="The same file and settings give the same leaderboard every time (local "
        "backend): the search is bounded by max_candidates only (required), with no "
        "wall-clock stops or time-based choices, fixed seeds and single-threaded training. "
        "max_job_runtime_seconds remains a safety limit: a run that exceeds it fails.",
    )
    candidate_plan: CandidatePlan | None = Field(
        default=None,
        description="Run these candidates instead of generating them (local backend), e.g. "
        "the plan of an imported SageMaker Autopilot candidate-definition notebook.",
    )
    forecast: ForecastSpec | None = Field(
        default=None,
        validate_default=True,
        description="Required with problem_type TimeSeriesForecasting (and only then): the "
        "timestamp and item-id columns, frequency, horizon, quantiles, related columns and "
        "backtest windows.",
    )

    @field_validator("exclude_columns")
    @classmethod
    def _unique_excludes(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("algorithms")
    @classmethod
    def _unique_algorithms(cls, value: list[AutoMLAlgorithm]) -> list[AutoMLAlgorithm]:
        return list(dict.fromkeys(value))

    @field_validator("sample_weight")
    @classmethod
    def _weight_not_target(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("target"):
            raise ValueError(
                f"the target column {value!r} cannot also be the sample weight column; "
                "choose a column of row weights"
            )
        return value

    @field_validator("forecast")
    @classmethod
    def _forecast_fits(
        cls, value: ForecastSpec | None, info: ValidationInfo
    ) -> ForecastSpec | None:
        """The forecast block goes with the forecasting problem type, and its columns with the
        rest of the spec (errors land on the `forecast` field, so a 400 names it)."""
        data = info.data
        forecasting = data.get("problem_type") is ProblemType.time_series_forecasting
        if value is None:
            if forecasting:
                raise ValueError(
                    "problem_type TimeSeriesForecasting needs the forecast block: at least its "
                    "timestamp column and horizon"
                )
            return value
        if not forecasting:
            raise ValueError(
                "the forecast block is for problem_type TimeSeriesForecasting: set that problem "
                "type, or leave forecast out"
            )
        target = data.get("target")
        roles = {
            "timestamp": [value.timestamp],
            "item_ids": value.item_ids,
            "related": value.related,
        }
        for role, columns in roles.items():
            if target in columns:
                raise ValueError(
                    f"the target column {target!r} is what is forecast: it cannot also be in "
                    f"forecast.{role}"
                )
        seen: dict[str, str] = {}
        for role, columns in roles.items():
            for column in columns:
                if column in seen:
                    raise ValueError(
                        f"column {column!r} is both forecast.{seen[column]} and forecast.{role}; "
                        "give each column one role"
                    )
                seen[column] = role
        unsupported = {
            "sample_weight": data.get("sample_weight") is not None,
            "validation_file": data.get("validation_file") is not None,
            "validation_fraction": data.get("validation_fraction") is not None,
            "candidate_plan": data.get("candidate_plan") is not None,
            "algorithms": bool(data.get("algorithms")),
        }
        for name, given in unsupported.items():
            if given:
                raise ValueError(
                    f"{name} does not apply to forecasting (candidates are scored on the "
                    "backtest windows at the end of each series); leave it out"
                )
        return value

    @model_validator(mode="after")
    def _check_consistency(self) -> ExperimentSpec:
        if self.target in self.exclude_columns:
            raise ValueError(f"the target column {self.target!r} cannot also be excluded")
        if self.objective_metric is not None and self.problem_type is not ProblemType.auto:
            allowed = METRICS_BY_PROBLEM_TYPE[self.problem_type]
            if self.objective_metric not in allowed:
                names = ", ".join(m.value for m in allowed)
                raise ValueError(
                    f"objective metric {self.objective_metric.value} does not apply to "
                    f"{self.problem_type.value} problems; choose one of {names}"
                )
        if (
            self.max_trial_runtime_seconds is not None
            and self.max_job_runtime_seconds is not None
            and self.max_trial_runtime_seconds > self.max_job_runtime_seconds
        ):
            raise ValueError("max_trial_runtime_seconds cannot exceed max_job_runtime_seconds")
        if self.validation_file is not None:
            if self.validation_fraction is not None:
                # The file replaces the random split: a fraction as well would be ignored.
                raise ValueError(
                    "validation_file replaces the random split, so validation_fraction cannot "
                    "be set as well; leave validation_fraction out (or drop validation_file)"
                )
            if self.validation_file.strip() == self.input_uri.strip():
                raise ValueError(
                    "validation_file is the training file (input_uri); choose a separate file "
                    "of held-out rows, or leave validation_file out to split the training file"
                )
        if self.reproducible and self.max_candidates is None:
            raise ValueError(
                "reproducible mode is bounded by the number of candidates only: set max_candidates"
            )
        return self

    @property
    def split_fraction(self) -> float:
        """The share of the training file held out: the spec's, or the default (0.2). Only
        meaningful without `validation_file`."""
        if self.validation_fraction is None:
            return DEFAULT_VALIDATION_FRACTION
        return self.validation_fraction


class Budget(ApiModel):
    """The budgets an experiment actually runs with (the spec's, or backend defaults)."""

    max_candidates: int
    max_trial_runtime_seconds: int
    max_job_runtime_seconds: int


class ExperimentStatus(str, Enum):
    Queued = "Queued"
    InProgress = "InProgress"
    Completed = "Completed"
    Failed = "Failed"
    Stopping = "Stopping"
    Stopped = "Stopped"
    Interrupted = "Interrupted"


TERMINAL_STATUSES = {
    ExperimentStatus.Completed,
    ExperimentStatus.Failed,
    ExperimentStatus.Stopped,
    ExperimentStatus.Interrupted,
}


class StageName(str, Enum):
    """The four Autopilot stages, in order."""

    pre_processing = "pre_processing"
    candidate_definitions = "candidate_definitions"
    feature_engineering = "feature_engineering"
    model_tuning = "model_tuning"


STAGE_TITLES: dict[StageName, str] = {
    StageName.pre_processing: "Pre-processing",
    StageName.candidate_definitions: "Candidate Definitions Generated",
    StageName.feature_engineering: "Feature Engineering",
    StageName.model_tuning: "Model Tuning",
}


class StageStatus(str, Enum):
    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"
    skipped = "skipped"


class Stage(ApiModel):
    name: StageName
    title: str
    status: StageStatus = StageStatus.pending
    started_at: datetime | None = None
    ended_at: datetime | None = None
    message: str | None = Field(default=None, description="What the stage is doing or did.")
    progress: float | None = Field(default=None, ge=0, le=1)


def initial_stages() -> list[Stage]:
    """The four stages, all pending."""
    return [Stage(name=name, title=STAGE_TITLES[name]) for name in StageName]


class ObjectiveInfo(ApiModel):
    metric: ObjectiveMetric
    goal: Literal["Maximize", "Minimize"]


class DataWarning(ApiModel):
    """Something about the data the user should know, with what to do about it."""

    code: str = Field(examples=["target_leakage"])
    severity: Literal["info", "warning", "error"] = "warning"
    column: str | None = None
    message: str
    suggestion: str | None = None


class BestCandidate(ApiModel):
    name: str
    algorithm: str | None = None
    objective_value: float | None = None


class ExperimentSummary(ApiModel):
    """One row of the experiments list."""

    name: str
    backend: str
    status: ExperimentStatus
    current_stage: StageName | None = None
    stages: list[Stage] = Field(default_factory=initial_stages)
    problem_type: ProblemType = ProblemType.auto
    objective: ObjectiveInfo | None = None
    best_candidate: BestCandidate | None = None
    candidates_completed: int = 0
    created_at: datetime
    ended_at: datetime | None = None
    failure_reason: str | None = None
    tags: list[Tag] = Field(default_factory=list)
    mode: RunMode = RunMode.complete
    dry_run: bool = Field(
        default=False, description="Recorded in dry-run mode: validated, never sent to AWS."
    )


class HistoryEntry(ApiModel):
    """A search continued with more time or candidates (`POST experiments/{name}/extend`)."""

    at: datetime
    trials_kept: int = Field(description="Trials of the earlier runs, kept as they were.")
    additional_seconds: int | None = None
    additional_candidates: int | None = None
    message: str


class Experiment(ExperimentSummary):
    """The full description of one experiment."""

    spec: ExperimentSpec
    budget: Budget | None = None
    secondary_status: str | None = Field(
        default=None, description="Backend-specific detail (SageMaker's AutoMLJobSecondaryStatus)."
    )
    status_message: str | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: list[DataWarning] = Field(default_factory=list)
    can_rerun: bool = Field(default=False, description="True once the experiment has ended.")
    can_extend: bool = Field(
        default=False,
        description="True when its search can be continued (`extend`): an ended (Completed, "
        "Stopped, Interrupted or Failed) local experiment that trains candidates and has at "
        "least one finished candidate.",
    )
    history: list[HistoryEntry] = Field(
        default_factory=list,
        description="Each time the search was continued, oldest first (cleared by a re-run).",
    )
    backend_details: dict[str, str] = Field(
        default_factory=dict, description="Backend-specific identifiers (job ARN, worker pid...)."
    )


class ExperimentExtendRequest(ApiModel):
    """More time and/or more candidates for an ended local experiment (`extend`)."""

    additional_seconds: int | None = Field(
        default=None,
        ge=1,
        le=2592000,
        description="Wall-clock seconds for the continued search (added to the budget). "
        "Default: the experiment's max_job_runtime_seconds again.",
    )
    additional_candidates: int | None = Field(
        default=None,
        ge=1,
        le=750,
        description="Trials to add (added to the budget). Default: what is left of max_candidates.",
    )

    @model_validator(mode="after")
    def _something_added(self) -> ExperimentExtendRequest:
        if self.additional_seconds is None and self.additional_candidates is None:
            raise ValueError(
                "give additional_seconds and/or additional_candidates: what to add to the search"
            )
        return self


class ExperimentValidation(ApiModel):
    """What creating this spec would do, without starting anything."""

    name_available: bool
    budget: Budget
    warnings: list[DataWarning] = Field(default_factory=list)
    cost_estimate: CostEstimate | None = Field(
        default=None, description="sagemaker: time and cost of this budget, with assumptions."
    )


class ExperimentList(ApiModel):
    experiments: list[ExperimentSummary]
    total: int


class ListExperimentsQuery(ApiModel):
    status: ExperimentStatus | None = None
    search: str | None = Field(default=None, max_length=128, description="Substring of the name.")
    sort_by: Literal["created_at", "name", "status"] = "created_at"
    order: Literal["asc", "desc"] = "desc"
    limit: int = Field(default=100, ge=1, le=1000)
    offset: Offset = 0
