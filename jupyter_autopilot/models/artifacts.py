"""Files an experiment produces: notebooks, reports, the model."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import ApiModel


class ArtifactKind(str, Enum):
    data_exploration_notebook = "data_exploration_notebook"
    candidate_definitions_notebook = "candidate_definitions_notebook"
    explainability_report = "explainability_report"
    model_insights_report = "model_insights_report"
    #: A forecaster's backtest: accuracy metrics and forecasts over the held-out windows.
    backtest_results = "backtest_results"
    model = "model"
    model_card = "model_card"
    log = "log"


class Artifact(ApiModel):
    kind: ArtifactKind
    title: str
    available: bool = Field(description="False until the stage that writes it has run.")
    path: str | None = Field(
        default=None,
        description="Path relative to the Jupyter server root, openable in JupyterLab.",
    )
    uri: str | None = Field(default=None, description="Original location (e.g. an `s3://` URI).")
    size_bytes: int | None = None


class ArtifactList(ApiModel):
    artifacts: list[Artifact]
