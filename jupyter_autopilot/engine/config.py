"""What a run needs (`JobConfig`) and what it produced (`JobResult`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..models import (
    Budget,
    Candidate,
    CandidatePlan,
    DataWarning,
    ExperimentSpec,
    ForecastSpec,
    ObjectiveMetric,
    ProblemType,
    RunMode,
    TrainingMode,
)
from ..models.experiments import METRICS_BY_PROBLEM_TYPE
from .families import local_families


class JobConfig(BaseModel):
    """Everything one engine run needs; independent of Jupyter and of any backend."""

    model_config = ConfigDict(extra="forbid")

    data_path: Path = Field(
        description="Absolute path to the CSV file (optionally gzip-compressed)."
    )
    output_dir: Path = Field(description="Where notebooks, the model, reports and caches go.")
    target: str = Field(min_length=1)
    exclude_columns: list[str] = Field(default_factory=list)
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    sample_weight: str | None = Field(
        default=None, min_length=1, description="Column of row weights (not a feature)."
    )
    problem_type: ProblemType = ProblemType.auto
    objective_metric: ObjectiveMetric | None = None
    mode: RunMode = RunMode.complete
    training_mode: TrainingMode = TrainingMode.auto
    algorithms: list[str] = Field(
        default_factory=list, description="The engine's families to train; empty: all."
    )
    max_candidates: int = Field(default=250, ge=1)
    max_trial_runtime_seconds: int = Field(default=300, ge=1)
    max_job_runtime_seconds: int = Field(default=3600, ge=1)
    validation_fraction: float = Field(default=0.2, gt=0.0, le=0.5)
    validation_path: Path | None = Field(
        default=None,
        description="Absolute path to the user's validation CSV: the validation split "
        "instead of `validation_fraction` of the training file (never trained on).",
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    n_jobs: int = Field(default=2, ge=1)
    memory_limit_bytes: int | None = Field(default=None, ge=1)
    experiment_name: str = "experiment"
    reproducible: bool = Field(
        default=False,
        description="Bounded by max_candidates only: no wall-clock stops or time-based "
        "choices, one training thread (see `ExperimentSpec.reproducible`).",
    )
    candidate_plan: CandidatePlan | None = Field(
        default=None, description="Candidates to run instead of the generated ones."
    )
    forecast: ForecastSpec | None = Field(
        default=None,
        description="A forecasting run (problem type TimeSeriesForecasting): what to forecast.",
    )
    prior_trials: list[Candidate] = Field(
        default_factory=list,
        description="A continued run: the trials of the earlier runs, kept as they are; the "
        "search continues after them (`max_candidates` counts them too).",
    )

    @model_validator(mode="after")
    def _check(self) -> JobConfig:
        self.exclude_columns = list(dict.fromkeys(self.exclude_columns))
        if self.target in self.exclude_columns:
            raise ValueError(f"the target column {self.target!r} cannot also be excluded")
        if self.sample_weight is not None and self.sample_weight == self.target:
            raise ValueError(
                f"the target column {self.target!r} cannot also be the sample weight column"
            )
        forecasting = self.problem_type is ProblemType.time_series_forecasting
        if forecasting != (self.forecast is not None):
            raise ValueError("a forecast block goes with (and only with) a forecasting problem")
        if self.objective_metric is not None and self.problem_type is not ProblemType.auto:
            allowed = METRICS_BY_PROBLEM_TYPE[self.problem_type]
            if self.objective_metric not in allowed:
                raise ValueError(
                    f"objective metric {self.objective_metric.value} does not apply to "
                    f"{self.problem_type.value} problems; choose one of "
                    + ", ".join(m.value for m in allowed)
                )
        return self

    @classmethod
    def from_spec(
        cls,
        spec: ExperimentSpec,
        budget: Budget,
        data_path: Path,
        output_dir: Path,
        validation_path: Path | None = None,
        **kw: Any,
    ) -> JobConfig:
        """Build a config from the create-experiment form and the resolved budget.

        `data_path` is the resolved local file (the spec's `input_uri` is relative to the
        server root), `validation_path` the resolved `validation_file`; `kw` sets the
        remaining fields (`n_jobs`, `memory_limit_bytes`...).
        """
        values: dict[str, Any] = {
            "data_path": Path(data_path),
            "output_dir": Path(output_dir),
            "target": spec.target,
            "exclude_columns": list(spec.exclude_columns),
            "delimiter": spec.delimiter,
            "sample_weight": spec.sample_weight,
            "problem_type": spec.problem_type,
            "objective_metric": spec.objective_metric,
            "mode": spec.mode,
            "training_mode": spec.training_mode,
            "algorithms": local_families(spec.algorithms),
            "max_candidates": budget.max_candidates,
            "max_trial_runtime_seconds": budget.max_trial_runtime_seconds,
            "max_job_runtime_seconds": budget.max_job_runtime_seconds,
            "validation_fraction": spec.split_fraction,
            "validation_path": None if validation_path is None else Path(validation_path),
            "seed": spec.seed,
            "reproducible": spec.reproducible,
            "experiment_name": spec.name,
            "candidate_plan": spec.candidate_plan,
            "forecast": spec.forecast,
        }
        values.update(kw)
        return cls(**values)


class JobResult(BaseModel):
    """The outcome of `run_job`."""

    model_config = ConfigDict(extra="forbid")

    problem_type: ProblemType
    objective_metric: ObjectiveMetric
    best_candidate: str | None = None
    best_objective_value: float | None = None
    model_path: Path | None = None
    model_sha256: str | None = None
    stopped: bool = False
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    candidates: list[Candidate] = Field(
        default_factory=list, description="The leaderboard, best first."
    )
    warnings: list[DataWarning] = Field(default_factory=list)
    artifacts: dict[str, Path] = Field(default_factory=dict, description="Artifact kind -> path.")
    labels: list[str] | None = None
    n_rows: int = 0
    n_features: int = 0
    output_dir: Path | None = None
