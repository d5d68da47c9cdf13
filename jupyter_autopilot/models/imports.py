"""Imports: SageMaker Autopilot candidate-definition notebooks, parsed to re-run locally."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import ApiModel
from .experiments import ObjectiveMetric, ProblemType
from .plans import CandidatePlan


class ImportedRange(ApiModel):
    """A SageMaker hyperparameter range as the notebook states it."""

    kind: Literal["Integer", "Continuous", "Categorical"]
    low: float | None = None
    high: float | None = None
    scaling: str | None = None
    values: list[str] | None = None


class ImportedCandidate(ApiModel):
    """One `select_candidate(...)` cell of the notebook and what it becomes locally."""

    name: str = Field(examples=["dpp0-xgboost"])
    data_transformer: str = Field(examples=["dpp0"])
    algorithm: str = Field(description="SageMaker's algorithm name.", examples=["xgboost"])
    transformers: list[str] = Field(
        default_factory=list,
        description="The data transformers, in order (RobustImputer, ThresholdOneHotEncoder...).",
    )
    description: str = ""
    local_algorithm: str | None = Field(
        default=None, description="The local family it runs as; empty if it cannot run here."
    )
    hyperparameter_ranges: dict[str, ImportedRange] = Field(default_factory=dict)
    notes: list[str] = Field(
        default_factory=list, description="What the local re-run does differently, and why."
    )


class SageMakerNotebookImportRequest(ApiModel):
    path: str = Field(
        min_length=1,
        max_length=4096,
        description="The candidate-definition notebook, relative to the server root.",
        examples=["SageMakerAutopilotCandidateDefinitionNotebook.ipynb"],
    )


class SageMakerNotebookImport(ApiModel):
    """A parsed SageMaker Autopilot candidate-definition notebook, ready to re-run locally."""

    path: str
    job_name: str
    target: str
    problem_type: ProblemType
    objective_metric: ObjectiveMetric | None = None
    sagemaker_metric: str | None = Field(default=None, examples=["ACCURACY"])
    n_columns: int | None = None
    data_location: str | None = Field(
        default=None, description="Where the Autopilot job's output (and data) lived on S3."
    )
    generated_module: str | None = Field(
        default=None,
        description="The generated data-processing modules found next to the notebook "
        "(root-relative folder), which give exact column types.",
    )
    candidates: list[ImportedCandidate]
    warnings: list[str] = Field(default_factory=list)
    plan: CandidatePlan | None = Field(
        default=None, description="What an experiment with `candidate_plan` runs locally."
    )
