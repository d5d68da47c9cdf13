"""What this server remembers about the AWS resources it created.

AWS is the source of truth for status; this store keeps what AWS does not: the full
`ExperimentSpec` (description, excluded columns...), the stage history (AWS gives only
the current secondary status, so start/end times of stages are ours), the feature
columns, and the endpoints, models and endpoint configs deployed from an experiment (for
clean-up). Resources are also tagged on AWS (`tags.py`), so a fresh server can still
find them. Files are small JSON documents written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from ...models import (
    ApiModel,
    BatchPrediction,
    DataCaptureConfig,
    ExperimentSpec,
    ForecastSpec,
    InferenceKey,
    Stage,
)


class ExperimentRecord(ApiModel):
    """Local facts about one AutoML job created (or first seen) by this server."""

    name: str
    spec: ExperimentSpec
    job_arn: str | None = None
    region: str | None = None
    created_at: datetime
    dry_run: bool = False
    dry_run_requests: str | None = None
    stages: list[Stage] | None = None
    ensembling: bool | None = None
    input_columns: list[str] = Field(default_factory=list)
    output_path: str | None = None
    feature_spec_uri: str | None = None
    endpoints: list[str] = Field(default_factory=list)


class VariantRecord(ApiModel):
    """One production variant of an endpoint deployed here: its candidate and model."""

    name: str
    candidate: str
    model_name: str
    algorithm: str | None = None
    objective_value: float | None = None
    metrics: dict[str, float] = Field(default_factory=dict)


class ForecasterRecord(ApiModel):
    """What forecasting through a forecaster's endpoint needs (`forecast_serving.py`):
    the experiment's training data holds the items' history each request sends."""

    target: str
    forecast: ForecastSpec
    input_uri: str
    delimiter: str | None = None
    #: The training file's header: every request's columns, in this order.
    columns: list[str]
    #: The columns whose future values a forecast needs.
    related: list[str] = Field(default_factory=list)


class EndpointRecord(ApiModel):
    """Local facts about one endpoint deployed by this server."""

    name: str
    experiment: str | None = None
    candidate: str | None = None
    algorithm: str | None = None
    model_name: str
    config_name: str
    created_at: datetime
    instance_type: str | None = None
    instance_count: int | None = None
    serverless: bool = False
    inference_response_keys: list[InferenceKey] = Field(default_factory=list)
    input_columns: list[str] = Field(default_factory=list)
    objective_metric: str | None = None
    objective_value: float | None = None
    variants: list[VariantRecord] = Field(default_factory=list)
    data_capture: DataCaptureConfig = Field(default_factory=DataCaptureConfig)
    capture_destination: str | None = None
    schedule_minutes: int | None = None
    last_report_at: datetime | None = None
    baseline_error: str | None = None
    #: Deployed with SageMaker Clarify's explainer (`explanations.explainer_config`).
    explanations: bool = False
    #: Endpoint configs the endpoint was switched away from, deleted once it is back
    #: InService (the API reference says not to delete them during an update).
    retired_configs: list[str] = Field(default_factory=list)
    #: A forecaster's endpoint: how to send it its items' history (None: tabular).
    forecaster: ForecasterRecord | None = None


class BatchRecord(ApiModel):
    """A batch prediction run as a SageMaker transform job, and what finishing it needs."""

    batch: BatchPrediction
    job_name: str
    experiment: str | None = None
    #: Where the job's files live on S3 (an uploaded input, the outputs): cleaned up.
    s3_prefix: str
    output_s3: str
    #: Header of the result file: the input's columns, then the endpoint's response keys.
    header: list[str] = Field(default_factory=list)
    overwrite: bool = False
    #: A forecaster's batch: its outputs are Autopilot's forecast CSVs, read back tidy.
    forecaster: ForecasterRecord | None = None


class Store:
    """JSON records under `<work_dir>/experiments/<name>/` and `<work_dir>/sagemaker/`."""

    def __init__(self, work_dir: Path):
        self.work_dir = work_dir
        self._lock = threading.RLock()

    def experiment_dir(self, name: str) -> Path:
        """Where an experiment's downloaded notebooks and reports go."""
        return self.work_dir / "experiments" / name

    def _experiment_file(self, name: str) -> Path:
        return self.experiment_dir(name) / "sagemaker-experiment.json"

    def _endpoints_file(self) -> Path:
        return self.work_dir / "sagemaker" / "endpoints.json"

    # -- experiments -----------------------------------------------------------------
    def load_experiment(self, name: str) -> ExperimentRecord | None:
        path = self._experiment_file(name)
        with self._lock:
            data = _read_json(path)
        if not data:
            return None
        try:
            return ExperimentRecord.model_validate(data)
        except ValidationError:
            # Written by another version, or a job whose AWS settings our models reject:
            # forget it; it is rebuilt from AWS on the next describe.
            return None

    def save_experiment(self, record: ExperimentRecord) -> None:
        with self._lock:
            _write_json(self._experiment_file(record.name), record.model_dump(mode="json"))

    def forget_experiment(self, name: str) -> None:
        with self._lock:
            self._experiment_file(name).unlink(missing_ok=True)

    def experiment_names(self) -> list[str]:
        root = self.work_dir / "experiments"
        if not root.is_dir():
            return []
        return sorted(p.parent.name for p in root.glob("*/sagemaker-experiment.json"))

    # -- endpoints -------------------------------------------------------------------
    def endpoints(self) -> dict[str, EndpointRecord]:
        with self._lock:
            data = _read_json(self._endpoints_file()) or {}
        return {k: EndpointRecord.model_validate(v) for k, v in data.items()}

    def save_endpoint(self, record: EndpointRecord) -> None:
        with self._lock:
            data = _read_json(self._endpoints_file()) or {}
            data[record.name] = record.model_dump(mode="json")
            _write_json(self._endpoints_file(), data)

    def forget_endpoint(self, name: str) -> None:
        with self._lock:
            data = _read_json(self._endpoints_file()) or {}
            if data.pop(name, None) is not None:
                _write_json(self._endpoints_file(), data)

    # -- batch predictions (transform jobs) -----------------------------------------------
    def _batches_file(self) -> Path:
        return self.work_dir / "sagemaker" / "batches.json"

    def batches(self) -> dict[str, BatchRecord]:
        with self._lock:
            data = _read_json(self._batches_file()) or {}
        return {k: BatchRecord.model_validate(v) for k, v in data.items()}

    def save_batch(self, record: BatchRecord) -> None:
        with self._lock:
            data = _read_json(self._batches_file()) or {}
            data[record.batch.id] = record.model_dump(mode="json")
            _write_json(self._batches_file(), data)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except ValueError:
        # A damaged record must not take the backend down; AWS still has the truth.
        return None


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
