"""Deployed models: endpoints, invocations and batch predictions."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import Field, field_validator, model_validator

from .common import ApiModel, EndpointName, comma_list
from .monitoring import DataCaptureConfig


class InferenceKey(str, Enum):
    """Response content an Autopilot model can return (SAGEMAKER_INFERENCE_OUTPUT)."""

    predicted_label = "predicted_label"
    probability = "probability"
    probabilities = "probabilities"
    labels = "labels"


#: What Autopilot's containers return when nothing else is asked for.
DEFAULT_INFERENCE_KEYS = (InferenceKey.predicted_label, InferenceKey.probability)


class ServerlessConfig(ApiModel):
    memory_size_mb: int = Field(default=2048, ge=1024, le=6144, multiple_of=1024)
    max_concurrency: int = Field(default=5, ge=1, le=200)


class VariantSpec(ApiModel):
    """One production variant: a candidate and its share of the traffic."""

    candidate: str = Field(min_length=1, max_length=128)
    weight: float = Field(
        default=1.0, ge=0, le=1000, description="Relative weight (SageMaker's variant weight)."
    )
    name: str | None = Field(
        default=None,
        pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
        description="Default: `variant-1`, `variant-2`, ...",
    )


class DeployRequest(ApiModel):
    """Deploy a candidate of an experiment (the best unless one is named)."""

    candidate: str | None = Field(default=None, description="Default: the best candidate.")
    endpoint_name: EndpointName | None = Field(
        default=None, description="Default: `<experiment>-<short id>`."
    )
    instance_type: str | None = Field(default=None, examples=["ml.m5.large"])
    instance_count: int = Field(default=1, ge=1, le=10)
    serverless: ServerlessConfig | None = None
    inference_response_keys: list[InferenceKey] | None = Field(
        default=None,
        min_length=1,
        description="What the endpoint answers. Default: predicted_label and probability "
        "for classification models (as far as the model can return them), predicted_label "
        "for regression models.",
    )
    data_capture: DataCaptureConfig | None = Field(
        default=None, description="Record sampled requests and responses for monitoring."
    )
    variants: list[VariantSpec] | None = Field(
        default=None,
        min_length=2,
        max_length=5,
        description="Serve several candidates behind one endpoint with a traffic split "
        "(production variants); instead of `candidate`.",
    )
    explanations: bool = Field(
        default=False,
        description="SageMaker: configure SageMaker Clarify online explainability on the "
        "endpoint (Kernel SHAP against a baseline row of the training data's medians and "
        "most frequent values), so that invocations with `?explain=true` return each row's "
        "feature contributions. Explained invocations run the model many times (latency). "
        "Local endpoints always explain; this is ignored there.",
    )

    @model_validator(mode="after")
    def _check_variants(self) -> DeployRequest:
        if self.variants is None:
            return self
        if self.candidate is not None:
            raise ValueError("give either candidate or variants, not both")
        names = [v.name or f"variant-{i}" for i, v in enumerate(self.variants, 1)]
        if len(set(names)) != len(names):
            raise ValueError(f"variant names must be unique: {', '.join(names)}")
        if not any(v.weight > 0 for v in self.variants):
            raise ValueError("at least one variant needs a weight above 0 to get traffic")
        return self

    def variant_names(self) -> list[str]:
        """The variants' names, defaults filled in."""
        return [v.name or f"variant-{i}" for i, v in enumerate(self.variants or [], 1)]


class EndpointStatus(str, Enum):
    Creating = "Creating"
    InService = "InService"
    Updating = "Updating"
    Deleting = "Deleting"
    Failed = "Failed"
    OutOfService = "OutOfService"


class LatencySummary(ApiModel):
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    samples: int = 0


class ProductionVariant(ApiModel):
    """A candidate served behind an endpoint, with its traffic and its numbers."""

    name: str
    candidate: str
    algorithm: str | None = None
    objective_value: float | None = Field(default=None, description="Validation objective.")
    metrics: dict[str, float] = Field(default_factory=dict, description="Validation metrics.")
    weight: float
    traffic_share: float = Field(description="weight / sum of weights.")
    invocation_count: int = 0
    latency: LatencySummary = Field(default_factory=LatencySummary)


class TrafficUpdate(ApiModel):
    """New weights per variant (SageMaker's UpdateEndpointWeightsAndCapacities)."""

    weights: dict[str, float] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> TrafficUpdate:
        # Whether some variant still gets traffic depends on the weights not named here:
        # the backend checks that.
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("weights cannot be negative")
        return self


class Endpoint(ApiModel):
    name: str
    backend: str
    status: EndpointStatus
    experiment: str | None = None
    candidate: str | None = None
    algorithm: str | None = None
    model_name: str | None = None
    objective_metric: str | None = None
    objective_value: float | None = None
    created_at: datetime
    updated_at: datetime | None = None
    failure_reason: str | None = None
    instance_type: str | None = None
    instance_count: int | None = None
    serverless: ServerlessConfig | None = None
    hourly_cost_usd: float | None = Field(
        default=None, description="Approximate on-demand price per hour (sagemaker)."
    )
    inference_response_keys: list[InferenceKey] = Field(default_factory=list)
    input_columns: list[str] = Field(
        default_factory=list, description="Feature columns in training order (CSV input)."
    )
    data_capture: DataCaptureConfig = Field(default_factory=DataCaptureConfig)
    variants: list[ProductionVariant] = Field(
        default_factory=list, description="Production variants when traffic is split."
    )
    explanations: bool = Field(
        default=False,
        description="Invocations can ask `?explain=true` for per-row contributions: always "
        "on local endpoints; on SageMaker when deployed with `explanations` (Clarify).",
    )
    invocation_count: int = 0
    latency: LatencySummary = Field(default_factory=LatencySummary)
    backend_details: dict[str, str] = Field(default_factory=dict)


class EndpointList(ApiModel):
    endpoints: list[Endpoint]


class Prediction(ApiModel):
    predicted_label: Any = None
    probability: float | None = None
    probabilities: list[float] | None = None
    labels: list[str] | None = None


class ExplanationMethod(str, Enum):
    """How contributions were computed (docs/architecture.md, "Per-row explanations")."""

    tree_shap = "tree_shap"  # exact TreeSHAP of one boosted-tree model, margin space
    linear = "linear"  # exact Shapley values of one linear model's margin
    sampling = "sampling"  # permutation-sampling Shapley estimate, output space
    kernel_shap = "kernel_shap"  # SageMaker Clarify's Kernel SHAP estimate, output space


class ExplanationSpace(str, Enum):
    """What `output`, `base_value` and the contributions are measured in."""

    log_odds = "log_odds"  # of the positive class (`label`): probability = 1/(1+e^-output)
    probability = "probability"  # of the explained class (`label`)
    value = "value"  # the predicted number (regression)


class Contribution(ApiModel):
    column: str
    value: Any = Field(default=None, description="The row's input value (null if missing).")
    contribution: float


class RowExplanation(ApiModel):
    """One row: `base_value + sum(contributions) == output` (in the explanation's space)."""

    label: str | None = Field(
        default=None,
        description="The class explained: the positive class (binary) or the predicted "
        "class (multiclass); null for regression.",
    )
    output: float = Field(description="The row's prediction in the explanation's space.")
    base_value: float = Field(description="The expected output (the reference's).")
    contributions: list[Contribution] = Field(
        description="One per input column, largest magnitude first."
    )


class Explanation(ApiModel):
    """Per-row feature contributions, asked with `?explain=true` (local endpoints, and
    SageMaker endpoints deployed with `explanations`)."""

    method: ExplanationMethod
    space: ExplanationSpace
    rows: list[RowExplanation]


class InvocationResponse(ApiModel):
    """Predictions for the rows sent, in order (JSON responses); a forecaster's endpoint
    answers `forecasts` instead."""

    predictions: list[Prediction] = Field(
        description="One per row sent (tabular models); empty from a forecaster."
    )
    forecasts: list[dict[str, str | float | None]] | None = Field(
        default=None,
        description="A forecaster's answer, tidy: one object per item and step with "
        "`item_id`, `timestamp`, `mean` and one value per quantile (`p10`, `p50`, `p90`...).",
    )
    explanation: Explanation | None = Field(
        default=None, description="With `?explain=true`: each row's feature contributions."
    )


class BatchPredictionRequest(ApiModel):
    input_path: str = Field(min_length=1, max_length=2048, description="CSV under the server root.")
    output_path: str | None = Field(
        default=None,
        max_length=2048,
        description="A new CSV under the server root, outside the work dir (default: "
        "`<input stem>.predictions.csv` next to the input).",
    )
    overwrite: bool = Field(
        default=False,
        description="Replace the output file if it exists (never the input, a folder or a "
        "file in the work dir). Without it an existing output file is a 409.",
    )
    inference_response_keys: list[InferenceKey] | None = None


class BatchStatus(str, Enum):
    InProgress = "InProgress"
    Completed = "Completed"
    Failed = "Failed"


class BatchPrediction(ApiModel):
    id: str
    endpoint: str
    status: BatchStatus
    input_path: str
    output_path: str
    rows_done: int = 0
    rows_total: int | None = None
    created_at: datetime
    ended_at: datetime | None = None
    failure_reason: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class InvocationJsonBody(ApiModel):
    """JSON rows to predict: records (`{"column": value}`) or lists in training order."""

    instances: list[dict[str, Any] | list[Any]] = Field(min_length=1)


class InvocationQuery(ApiModel):
    keys: list[InferenceKey] | None = Field(
        default=None,
        description="Response content, comma-separated (default: the endpoint's keys).",
    )
    explain: bool = Field(
        default=False,
        description="Add each row's feature contributions (JSON only; local endpoints; "
        "at most 10 rows).",
    )

    @field_validator("keys", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return comma_list(value)


class ModelExportRequest(ApiModel):
    """Export a candidate's model for SageMaker's scikit-learn container."""

    output_path: str | None = Field(
        default=None,
        max_length=2048,
        description="Where to write model.tar.gz, under the server root and outside the "
        "work dir (default: the work dir's `exports/<experiment>/<candidate>/model.tar.gz`).",
    )
    overwrite: bool = Field(
        default=False,
        description="Replace `output_path` if it exists (never a file in the work dir).",
    )


class ModelExport(ApiModel):
    experiment: str
    candidate: str
    path: str = Field(description="The model.tar.gz, relative to the server root.")
    size_bytes: int
    sha256: str = Field(description="Checksum of the archive.")
    format: str = Field(examples=["sagemaker-sklearn"])
    framework_version: str = Field(description="SageMaker scikit-learn image version to use.")
    entry_point: str
    input_columns: list[str]
    requirements: list[str]
    exported_at: datetime


class ArtifactDeployRequest(ApiModel):
    """Deploy an exported model.tar.gz as a new endpoint (SageMaker backend)."""

    artifact: str = Field(
        min_length=1,
        max_length=2048,
        description="A model.tar.gz under the server root (uploaded to S3 first) or an "
        "`s3://` URI.",
    )
    endpoint_name: EndpointName
    image_uri: str | None = Field(
        default=None,
        max_length=512,
        description="Default: SageMaker's scikit-learn inference image for the region.",
    )
    instance_type: str | None = Field(default=None, examples=["ml.m5.large"])
    instance_count: int = Field(default=1, ge=1, le=10)
    serverless: ServerlessConfig | None = None
    inference_response_keys: list[InferenceKey] = Field(
        default_factory=lambda: [InferenceKey.predicted_label, InferenceKey.probability],
        min_length=1,
    )
