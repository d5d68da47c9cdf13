"""What the server says about itself: backend, version, options for the forms."""

from __future__ import annotations

from pydantic import Field

from .common import ApiModel
from .experiments import AutoMLAlgorithm, ObjectiveMetric, ProblemType, TrainingMode


class BackendFeatures(ApiModel):
    """What the active backend supports, so the UI shows only what works."""

    s3: bool = Field(description="Inputs and outputs are S3 URIs; show the AWS-only fields.")
    upload: bool = Field(description="`datasets/upload` is available.")
    instance_types: list[str] = Field(default_factory=list)
    instance_prices: dict[str, float] = Field(
        default_factory=dict,
        description="Approximate on-demand USD per hour of each instance type (sagemaker).",
    )
    serverless: bool = False
    batch_predictions: bool = True
    explanations: bool = Field(
        default=False,
        description="Invocations answer `?explain=true` (per-row feature contributions).",
    )
    forecasting: bool = Field(
        default=False,
        description="Experiments may be TimeSeriesForecasting (the wizard offers it); "
        "false where the backend refuses them.",
    )
    not_implemented: list[str] = Field(
        default_factory=list, description="Routes this build answers with 501."
    )


class ExperimentDefaults(ApiModel):
    max_candidates: int
    max_trial_runtime_seconds: int
    max_job_runtime_seconds: int
    validation_fraction: float = 0.2
    metrics_by_problem_type: dict[ProblemType, list[ObjectiveMetric]]
    algorithms_by_training_mode: dict[TrainingMode, list[AutoMLAlgorithm]] = Field(
        default_factory=dict,
        description="The algorithms one may choose per training mode (a mode that is "
        "absent takes no choice: SageMaker's auto mode).",
    )
    minimized_metrics: list[ObjectiveMetric] = Field(
        description="Metrics where smaller is better (LogLoss and the errors); every other "
        "metric is better larger. Leaderboards sort `order=best` by it; one list for the "
        "server and the UI (`jupyter_autopilot.ranking`, from the engine's metrics).",
        examples=[["LogLoss", "MAE", "MSE", "RMSE"]],
    )


class BackendInfo(ApiModel):
    """One of the backends this server offers (`AutopilotApp.backend` and
    `AutopilotApp.extra_backends`); every route takes `?backend=<name>`."""

    name: str = Field(description="What `?backend=` takes (`local`, `sagemaker`...).")
    default: bool = Field(description="The backend a request without `?backend=` uses.")
    usable: bool = Field(
        description="It started and its own health is `ok` (false without AWS credentials, "
        "or when it failed to start)."
    )
    reason: str | None = Field(
        default=None, description="Why it is not usable (or what to know), when it is not."
    )


class Health(ApiModel):
    status: str = "ok"
    backend: str
    version: str
    work_dir: str | None = Field(default=None, description="Local backend state, relative to root.")
    region: str | None = None
    identity: str | None = Field(default=None, description="AWS caller identity ARN (sagemaker).")
    role_arn: str | None = None
    default_bucket: str | None = None
    dry_run: bool = False
    max_concurrent_jobs: int | None = None
    features: BackendFeatures
    defaults: ExperimentDefaults
    warnings: list[str] = Field(
        default_factory=list,
        description="What the user should know now (no AWS credentials, endpoints left running...).",
    )
    backends: list[BackendInfo] = Field(
        default_factory=list,
        description="Every backend this server offers, the default first; filled in by the "
        "health route.",
    )
