"""Clean-up: what an experiment created, and deleting it."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import ApiModel


class ResourceKind(str, Enum):
    endpoint = "endpoint"
    endpoint_config = "endpoint_config"
    model = "model"
    s3_object = "s3_object"
    s3_prefix = "s3_prefix"
    directory = "directory"
    file = "file"
    dataset = "dataset"
    experiment_record = "experiment_record"


class CleanupItem(ApiModel):
    kind: ResourceKind
    name: str = Field(description="Resource name, path or URI.")
    description: str
    size_bytes: int | None = None
    hourly_cost_usd: float | None = None


class CleanupPlan(ApiModel):
    experiment: str
    items: list[CleanupItem]


class CleanupRequest(ApiModel):
    include_outputs: bool = Field(
        default=True,
        description="Also delete generated notebooks, models and reports (and S3 outputs).",
    )
    delete_experiment: bool = Field(
        default=False, description="Also forget the experiment itself (local backend)."
    )


class CleanupFailure(ApiModel):
    item: CleanupItem
    error: str


class CleanupResult(ApiModel):
    experiment: str
    deleted: list[CleanupItem]
    failed: list[CleanupFailure] = Field(default_factory=list)
