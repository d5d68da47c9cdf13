"""The backend interface every backend implements."""

from __future__ import annotations

import asyncio
import logging
from abc import ABCMeta, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from traitlets import MetaHasTraits
from traitlets.config import LoggingConfigurable

from .. import models as m
from ..exceptions import NotImplementedByBackend


@dataclass
class BackendContext:
    """What every backend shares, given by the server extension: the server root, the
    work dir (`AutopilotApp.work_dir`), the version and the log. A backend's own settings
    are traits of its class (`LocalBackend.max_concurrent_jobs`,
    `SageMakerBackend.aws_region`...), configured like any traitlets class."""

    root_dir: Path
    work_dir: Path
    version: str
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("jupyter_autopilot"))


@dataclass
class InvocationResult:
    """Raw response of an endpoint invocation, passed through to the HTTP client."""

    body: bytes
    content_type: str
    variant: str | None = None  # the production variant that answered, when split


class _BackendMeta(MetaHasTraits, ABCMeta):
    """Traitlets' metaclass with abstract methods."""


class AutopilotBackend(LoggingConfigurable, metaclass=_BackendMeta):
    """Experiments, candidates, artifacts, endpoints and clean-up on one platform.

    Every method is a coroutine and must not block the event loop: backends run
    blocking work (SQLite, pandas, boto3) in threads and training in processes.
    Methods that a backend does not provide raise `NotImplementedByBackend`, which the
    API reports as 501; `features()` lists them so the UI can hide what is missing.

    A configurable class (jupyter-scheduler's pattern): `AutopilotApp.backend_class`
    names it, its settings are its own config traits, and the server builds it with
    `parent=` the app, so `c.<ClassName>.<setting>` in the Jupyter config applies.
    """

    #: Short name (`AutopilotApp.backend` accepts it) shown in the UI.
    name: str = "abstract"

    def __init__(self, context: BackendContext, **kwargs: Any):
        kwargs.setdefault("log", context.log)
        super().__init__(**kwargs)
        self.context = context
        self._started: asyncio.Future[None] | None = None

    # -- lifecycle ---------------------------------------------------------------
    async def ensure_started(self) -> None:
        """Run `start()` exactly once, whoever asks first (server start or a request)."""
        if self._started is None:
            self._started = asyncio.ensure_future(self.start())
        await asyncio.shield(self._started)

    async def start(self) -> None:
        """Called once when the server starts (recover state, start schedulers)."""

    async def shutdown(self) -> None:
        """Called once when the server stops (stop child processes, flush state)."""

    # -- server info -------------------------------------------------------------
    @abstractmethod
    async def health(self) -> m.Health:
        """Backend name, version, where it keeps state and what it supports."""

    def not_implemented(self) -> list[str]:
        """Names of the operations this backend leaves to the base class (501)."""
        missing = []
        for op in OPTIONAL_OPERATIONS:
            if getattr(type(self), op) is getattr(AutopilotBackend, op):
                missing.append(op)
        return missing

    def _missing(self, what: str) -> NotImplementedByBackend:
        return NotImplementedByBackend(
            f"The {self.name} backend does not support {what} yet. "
            "See the README's 'Status' section for what is available."
        )

    # -- datasets ----------------------------------------------------------------
    async def preview_dataset(self, request: m.DatasetPreviewRequest) -> m.DatasetPreview:
        """Detected format, column types and missing values, and the first rows."""
        raise self._missing("dataset previews")

    async def upload_dataset(self, request: m.DatasetUploadRequest) -> m.DatasetUploadResponse:
        """Copy a file under the server root to where the backend reads its data."""
        raise self._missing("dataset uploads")

    async def list_samples(self) -> m.SampleList:
        """The sample datasets shipped with the package (the same on every backend)."""
        from ..samples import SAMPLES

        return m.SampleList(samples=[sample.describe() for sample in SAMPLES.values()])

    async def copy_sample(self, name: str, request: m.SampleCopyRequest) -> m.SampleCopy:
        """Copy a sample's CSV under the server root, never over a user's file.

        Backend-independent: the file lands under the root like any CSV the user has
        (the sagemaker wizard then offers its Upload to S3). Reading the archive and
        writing run in a thread.
        """
        from ..paths import to_api_path
        from ..samples import get_sample
        from ..samples.copies import copy_sample

        sample = get_sample(name)
        root = self.context.root_dir
        copied = await asyncio.to_thread(
            copy_sample, root, self.context.work_dir, sample.name, request.folder
        )
        return m.SampleCopy(
            path=to_api_path(root, copied.path),
            created=copied.created,
            size_bytes=copied.size_bytes,
            sample=sample.describe(),
        )

    # -- experiments -------------------------------------------------------------
    async def create_experiment(self, spec: m.ExperimentSpec) -> m.Experiment:
        """Validate the spec and the data, then start (or queue) the experiment."""
        raise self._missing("creating experiments")

    async def validate_experiment(self, spec: m.ExperimentSpec) -> m.ExperimentValidation:
        """What `create_experiment(spec)` would say (data warnings, budget), starting nothing."""
        raise self._missing("validating experiments")

    async def list_experiments(self, query: m.ListExperimentsQuery) -> m.ExperimentList:
        """Experiments, filtered and sorted as asked."""
        raise self._missing("listing experiments")

    async def describe_experiment(self, name: str) -> m.Experiment:
        """One experiment with its stages; `NotFound` when unknown."""
        raise self._missing("describing experiments")

    async def stop_experiment(self, name: str) -> m.Experiment:
        """Stop a running experiment, keeping every finished candidate."""
        raise self._missing("stopping experiments")

    async def rerun_experiment(self, name: str) -> m.Experiment:
        """Start an ended (failed, stopped, interrupted) experiment again with its spec."""
        raise self._missing("re-running experiments")

    async def extend_experiment(
        self, name: str, request: m.ExperimentExtendRequest
    ) -> m.Experiment:
        """Continue an ended experiment's search with more time and/or candidates, keeping
        every finished trial."""
        raise self._missing("continuing experiments")

    async def delete_experiment(self, name: str) -> None:
        """Forget an experiment that is not running (use clean-up to delete its resources)."""
        raise self._missing("deleting experiments")

    # -- candidates and artifacts -------------------------------------------------
    async def list_candidates(self, name: str, query: m.ListCandidatesQuery) -> m.CandidateList:
        """The leaderboard: every trial, best first by default."""
        raise self._missing("listing candidates")

    async def describe_candidate(self, name: str, candidate: str) -> m.CandidateDetail:
        """Hyperparameters, metrics, feature importance and model insights."""
        raise self._missing("candidate details")

    async def list_trials(self, query: m.ListTrialsQuery) -> m.TrialList:
        """Every trial of every experiment (or of the ones asked for), as one table.

        Built from `list_experiments` and `list_candidates`, so every backend has it.
        """
        from .trials import collect_trials

        return await collect_trials(self, query)

    async def import_sagemaker_notebook(
        self, request: m.SageMakerNotebookImportRequest
    ) -> m.SageMakerNotebookImport:
        """Parse a SageMaker Autopilot candidate-definition notebook under the server root.

        Backend-independent (a file read and an AST walk, in a thread); the result's
        `plan` is what an experiment with `candidate_plan` runs on the local backend.
        """
        from ..importers import import_notebook

        return await asyncio.to_thread(import_notebook, self.context.root_dir, request.path)

    async def export_candidate(
        self, name: str, candidate: str, request: m.ModelExportRequest
    ) -> m.ModelExport:
        """Write a candidate's model as a model.tar.gz for SageMaker's scikit-learn image."""
        raise self._missing("exporting models")

    async def list_artifacts(self, name: str) -> m.ArtifactList:
        """Notebooks and reports, as paths JupyterLab can open."""
        raise self._missing("artifacts")

    # -- endpoints -----------------------------------------------------------------
    async def deploy(self, name: str, request: m.DeployRequest) -> m.Endpoint:
        """Deploy a candidate (the best by default); returns the endpoint as Creating."""
        raise self._missing("deploying models")

    async def list_endpoints(self) -> m.EndpointList:
        raise self._missing("listing endpoints")

    async def describe_endpoint(self, name: str) -> m.Endpoint:
        raise self._missing("describing endpoints")

    async def delete_endpoint(self, name: str) -> None:
        raise self._missing("deleting endpoints")

    async def invoke_endpoint(
        self,
        name: str,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[m.InferenceKey] | None = None,
        explain: bool = False,
    ) -> InvocationResult:
        """Send rows (text/csv or application/json) to an endpoint; return its answer
        (with each row's feature contributions when `explain`)."""
        raise self._missing("invoking endpoints")

    async def forecast_future(self, name: str, item_ids: list[str] | None) -> m.ForecastFuture:
        """A forecaster endpoint's future rows for `item_ids` (default: every item), each
        related column at the item's last known value, to edit and send as `future`."""
        raise self._missing("future rows of forecasting endpoints")

    async def update_traffic(self, endpoint: str, update: m.TrafficUpdate) -> m.Endpoint:
        """New weights for an endpoint's production variants."""
        raise self._missing("traffic splits between production variants")

    async def deploy_artifact(self, request: m.ArtifactDeployRequest) -> m.Endpoint:
        """Deploy an exported model.tar.gz as a new endpoint."""
        raise self._missing("deploying exported models")

    async def start_batch_prediction(
        self, endpoint: str, request: m.BatchPredictionRequest
    ) -> m.BatchPrediction:
        """Predict every row of a CSV file, writing a CSV with predictions next to it."""
        raise self._missing("batch predictions")

    async def describe_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        raise self._missing("batch predictions")

    async def estimate_endpoint(self, request: m.EndpointEstimateRequest) -> m.CostEstimate:
        """What an endpoint of this shape would cost while it runs."""
        raise self._missing("cost estimates")

    async def stop_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        """Stop a running batch prediction; it ends Failed, without a partial output."""
        raise self._missing("stopping batch predictions")

    # -- monitoring -------------------------------------------------------------------
    async def monitoring_status(self, endpoint: str) -> m.MonitoringStatus:
        """Capture settings, what was captured, the baseline and the reports so far."""
        raise self._missing("endpoint monitoring")

    async def configure_monitoring(
        self, endpoint: str, config: m.MonitoringConfig
    ) -> m.MonitoringStatus:
        """Turn data capture on or off, set its sampling and the report schedule."""
        raise self._missing("endpoint monitoring")

    async def run_monitoring_report(
        self, endpoint: str, request: m.MonitoringReportRequest
    ) -> m.MonitoringReport:
        """Compare recently captured data with the training baseline, now."""
        raise self._missing("endpoint monitoring")

    async def describe_monitoring_report(self, endpoint: str, report_id: str) -> m.MonitoringReport:
        raise self._missing("endpoint monitoring")

    async def list_captures(self, endpoint: str, query: m.ListCapturesQuery) -> m.CapturedRecords:
        """The newest captured requests and responses."""
        raise self._missing("endpoint monitoring")

    # -- clean-up -------------------------------------------------------------------
    async def cleanup_plan(self, name: str) -> m.CleanupPlan:
        """Everything the experiment created that clean-up would delete."""
        raise self._missing("clean-up")

    async def cleanup(self, name: str, request: m.CleanupRequest) -> m.CleanupResult:
        """Delete what `cleanup_plan` lists; report what was deleted and what failed."""
        raise self._missing("clean-up")


#: Operations a backend may leave unimplemented (reported by `not_implemented()`).
OPTIONAL_OPERATIONS = [
    name
    for name, value in vars(AutopilotBackend).items()
    if callable(value)
    and not name.startswith("_")
    and name
    not in {
        "start",
        "shutdown",
        "health",
        "not_implemented",
        "ensure_started",
        "list_trials",
        "list_samples",
        "copy_sample",
    }
    and name != "import_sagemaker_notebook"
]


class EndpointMonitorPart(Protocol):
    """A backend's part answering the monitoring operations (both backends have one)."""

    async def monitoring_status(self, endpoint: str) -> m.MonitoringStatus: ...

    async def configure_monitoring(
        self, endpoint: str, config: m.MonitoringConfig
    ) -> m.MonitoringStatus: ...

    async def run_monitoring_report(
        self, endpoint: str, request: m.MonitoringReportRequest
    ) -> m.MonitoringReport: ...

    async def describe_monitoring_report(
        self, endpoint: str, report_id: str
    ) -> m.MonitoringReport: ...

    async def list_captures(
        self, endpoint: str, query: m.ListCapturesQuery
    ) -> m.CapturedRecords: ...


Monitor = TypeVar("Monitor", bound=EndpointMonitorPart)


class MonitorsEndpoints(Generic[Monitor]):
    """The monitoring operations of `AutopilotBackend`, answered by the backend's
    `monitor` part; a backend lists this class before `AutopilotBackend`."""

    monitor: Monitor

    async def monitoring_status(self, endpoint: str) -> m.MonitoringStatus:
        return await self.monitor.monitoring_status(endpoint)

    async def configure_monitoring(
        self, endpoint: str, config: m.MonitoringConfig
    ) -> m.MonitoringStatus:
        return await self.monitor.configure_monitoring(endpoint, config)

    async def run_monitoring_report(
        self, endpoint: str, request: m.MonitoringReportRequest
    ) -> m.MonitoringReport:
        return await self.monitor.run_monitoring_report(endpoint, request)

    async def describe_monitoring_report(self, endpoint: str, report_id: str) -> m.MonitoringReport:
        return await self.monitor.describe_monitoring_report(endpoint, report_id)

    async def list_captures(self, endpoint: str, query: m.ListCapturesQuery) -> m.CapturedRecords:
        return await self.monitor.list_captures(endpoint, query)
