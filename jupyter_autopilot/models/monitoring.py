"""Endpoint monitoring (SageMaker Model Monitor's core): data capture, a baseline from the
training data, and drift reports comparing what an endpoint receives with that baseline."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from .common import ApiModel

DriftStatus = Literal["ok", "warning", "drift", "insufficient_data"]


class DataCaptureConfig(ApiModel):
    """Record a sample of an endpoint's requests and responses in the work dir."""

    enabled: bool = False
    sampling_percentage: int = Field(
        default=100, ge=1, le=100, description="Share of invocations recorded."
    )


class MonitoringConfig(ApiModel):
    """What `PUT endpoints/{name}/monitoring` sets."""

    data_capture: DataCaptureConfig
    schedule_minutes: int | None = Field(
        default=None,
        ge=1,
        le=7 * 24 * 60,
        description="Run a drift report on the data captured in each interval; "
        "null: on demand only.",
    )


class Histogram(ApiModel):
    """Shares of values per bin (numeric) or category, in the baseline and now."""

    bins: list[str]
    baseline: list[float]
    current: list[float]


class FeatureDrift(ApiModel):
    feature: str
    kind: str = Field(description="Column type the model uses: numeric, categorical, text...")
    status: DriftStatus
    distance: float | None = Field(
        default=None,
        description="Population stability index between baseline and current "
        "distributions (< 0.1 stable, 0.1-0.25 moderate shift, > 0.25 drift).",
    )
    statistic: float | None = Field(
        default=None, description="Kolmogorov-Smirnov (numeric) or Jensen-Shannon distance."
    )
    statistic_name: Literal["ks", "jensen_shannon"] | None = None
    baseline_missing: float = Field(description="Share of missing values in the baseline.")
    current_missing: float = Field(description="Share of missing values in captured data.")
    current_count: int = Field(description="Captured values considered.")
    histogram: Histogram | None = None


class PredictionDrift(ApiModel):
    kind: Literal["label", "value"]
    status: DriftStatus
    distance: float | None = None
    histogram: Histogram | None = None


class Violation(ApiModel):
    """A constraint the captured data broke (Model Monitor's constraint violations)."""

    feature: str | None = None
    check: Literal[
        "missing_values", "data_type", "unknown_category", "out_of_range", "prediction_drift"
    ]
    message: str
    observed: float
    threshold: float


class MonitoringReportSummary(ApiModel):
    id: str
    endpoint: str
    created_at: datetime
    trigger: Literal["on_demand", "schedule"]
    status: DriftStatus
    window_start: datetime
    window_end: datetime
    records: int = Field(description="Captured invocations in the window.")
    rows: int = Field(description="Rows those invocations carried.")
    drifted_features: int
    violations: int


class MonitoringReport(MonitoringReportSummary):
    baseline_rows: int
    features: list[FeatureDrift]
    prediction: PredictionDrift | None = None
    constraint_violations: list[Violation] = Field(default_factory=list)


class BaselineSummary(ApiModel):
    created_at: datetime
    rows: int = Field(description="Training rows profiled (a sample of large files).")
    source: str = Field(description="The training data, relative to the server root.")
    features: int


class MonitoringStatus(ApiModel):
    endpoint: str
    data_capture: DataCaptureConfig
    schedule_minutes: int | None = None
    captured_records: int = 0
    captured_rows: int = 0
    last_capture_at: datetime | None = None
    baseline: BaselineSummary | None = None
    baseline_error: str | None = Field(
        default=None, description="Why no baseline could be built (e.g. the data is gone)."
    )
    reports: list[MonitoringReportSummary] = Field(
        default_factory=list, description="Newest first (the last 50)."
    )


class MonitoringReportRequest(ApiModel):
    window_hours: float = Field(
        default=24.0, gt=0, le=24 * 90, description="Compare the data captured this far back."
    )


class CapturedRecord(ApiModel):
    """One captured invocation: its input rows and what the model answered."""

    captured_at: datetime
    content_type: str
    inputs: list[dict[str, Any]]
    outputs: list[dict[str, Any]]
    truncated: bool = Field(default=False, description="Only the first rows were kept.")


class CapturedRecords(ApiModel):
    records: list[CapturedRecord]
    total: int = Field(description="Captured invocations on disk.")


class ListCapturesQuery(ApiModel):
    limit: int = Field(default=100, ge=1, le=10000, description="Newest records first.")
