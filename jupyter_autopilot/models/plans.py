"""Candidate plans: candidate definitions given to the local engine instead of generated.

The importer of SageMaker Autopilot candidate-definition notebooks produces one
(`imports.SageMakerNotebookImport.plan`); an experiment created with `candidate_plan` set runs
the four stages with exactly these candidates, each with its own preprocessing and
hyperparameter ranges.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .common import ApiModel

#: Algorithm families a plan may use, and the hyperparameters each may search or fix.
#: Anything else is a 400 at create time rather than a worker crash mid-run.
PLAN_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "xgboost": (
        "learning_rate",
        "max_depth",
        "min_child_weight",
        "subsample",
        "colsample_bytree",
        "reg_lambda",
        "reg_alpha",
        "gamma",
        "max_bin",
    ),
    "lightgbm": (
        "learning_rate",
        "num_leaves",
        "min_child_samples",
        "colsample_bytree",
        "subsample",
        "reg_lambda",
        "reg_alpha",
        "min_split_gain",
        "max_depth",
    ),
    "linear": ("C", "alpha", "class_weight", "l1_ratio"),
    "mlp": ("alpha", "learning_rate_init", "hidden_layer_sizes", "batch_size"),
    "random_forest": ("max_features", "min_samples_leaf", "criterion", "n_estimators"),
    "extra_trees": ("max_features", "min_samples_leaf", "criterion", "n_estimators"),
}


class PlannedParam(ApiModel):
    """A hyperparameter range: numbers between `low` and `high`, or one of `choices`."""

    kind: Literal["float", "int", "categorical"]
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: list[str | int | float | bool | None] | None = None

    @model_validator(mode="after")
    def _check(self) -> PlannedParam:
        if self.kind == "categorical":
            if not self.choices:
                raise ValueError("a categorical range needs at least one choice")
            return self
        if self.low is None or self.high is None or self.low > self.high:
            raise ValueError("a numeric range needs low <= high")
        if self.log and self.low <= 0:
            raise ValueError("a logarithmic range needs low > 0")
        return self


class PlannedRecipe(ApiModel):
    """How a planned candidate preprocesses the columns (see `engine.recipes`)."""

    numeric_transform: Literal["none", "standard", "quantile"] = "none"
    log_skewed: bool = Field(
        default=False, description="Log-transform long-tailed numeric columns first."
    )
    impute: bool = Field(
        default=False, description="Median-impute numbers, with missing-value indicators."
    )
    categorical_encoding: Literal["onehot", "ordinal"] = "onehot"
    high_cardinality_encoding: Literal["onehot", "ordinal", "target"] = "onehot"
    min_frequency: float | None = Field(
        default=None, gt=0, description="One-hot: rarer categories fall into one bucket."
    )
    max_categories: int | None = Field(default=None, ge=2)
    text_max_features: int = Field(default=2000, ge=1, le=100_000)
    dense: bool = True


class PlannedCandidate(ApiModel):
    """One candidate pipeline: a recipe, an algorithm and its hyperparameter space."""

    name: str = Field(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$")
    algorithm: Literal["xgboost", "lightgbm", "linear", "mlp", "random_forest", "extra_trees"]
    recipe: PlannedRecipe
    search_space: dict[str, PlannedParam] = Field(default_factory=dict)
    fixed: dict[str, Any] = Field(default_factory=dict)
    description: str = Field(default="", max_length=4000)
    max_boosting_rounds: int | None = Field(default=None, ge=1, le=10_000)

    @model_validator(mode="after")
    def _check(self) -> PlannedCandidate:
        allowed = PLAN_ALGORITHMS[self.algorithm]
        unknown = sorted((set(self.search_space) | set(self.fixed)) - set(allowed))
        if unknown:
            raise ValueError(
                f"candidate {self.name}: {self.algorithm} has no hyperparameter "
                + ", ".join(unknown)
                + "; use "
                + ", ".join(allowed)
            )
        return self


class CandidatePlan(ApiModel):
    """Candidates to run instead of the generated ones (local backend)."""

    source: str = Field(default="", max_length=2048, description="Where the plan came from.")
    candidates: list[PlannedCandidate] = Field(min_length=1, max_length=50)
    column_types: dict[str, Literal["numeric", "categorical", "text"]] = Field(
        default_factory=dict,
        description="Column types to use instead of the inferred ones (from the generated "
        "data-processing modules, when available).",
    )

    @model_validator(mode="after")
    def _unique(self) -> CandidatePlan:
        names = [c.name for c in self.candidates]
        if len(set(names)) != len(names):
            raise ValueError("candidate names in a plan must be unique")
        return self
