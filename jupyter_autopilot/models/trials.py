"""Trials across experiments: the Studio "Experiments and trials" view."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from .candidates import Candidate, CandidateStatus
from .common import ApiModel, Offset, comma_list
from .experiments import ExperimentStatus, ProblemType


class Trial(Candidate):
    """A candidate with the experiment it belongs to, for comparing across experiments."""

    experiment: str
    experiment_status: ExperimentStatus
    problem_type: ProblemType = ProblemType.auto
    objective_goal: Literal["Maximize", "Minimize"] | None = None


class TrialList(ApiModel):
    trials: list[Trial]
    total: int = Field(description="Trials matching the filters, before limit/offset.")
    experiments: list[str] = Field(description="Experiments the matching trials come from.")
    hyperparameter_names: list[str] = Field(
        description="Every hyperparameter name among the matching trials (table columns)."
    )
    metric_names: list[str] = Field(
        description="Every validation metric name among the matching trials (table columns)."
    )


class ListTrialsQuery(ApiModel):
    experiments: list[str] | None = Field(
        default=None,
        max_length=200,
        description="Only these experiments (comma-separated or repeated); default: all.",
    )
    status: CandidateStatus | None = None
    algorithm: str | None = Field(default=None, max_length=64)
    search: str | None = Field(
        default=None,
        max_length=128,
        description="Case-insensitive substring of the trial, experiment or algorithm name.",
    )
    sort_by: str = Field(
        default="started_at",
        max_length=64,
        description="`started_at`, `ended_at`, `duration`, `name`, `experiment`, `algorithm`, "
        "`objective` or a metric name.",
    )
    order: Literal["asc", "desc"] = "desc"
    limit: int = Field(default=1000, ge=1, le=10000)
    offset: Offset = 0

    @field_validator("experiments", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return comma_list(value)
