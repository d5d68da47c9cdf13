"""The local backend: our AutoML engine on this machine, state in SQLite."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ... import models as m
from ...exceptions import Conflict, InvalidDataset, InvalidRequest, NotFound
from ...paths import to_api_path
from ..base import AutopilotBackend, BackendContext, InvocationResult
from . import datasets, interpreter
from .cpu import CpuPool
from .endpoints import EndpointManager
from .jobs import JobManager
from .monitoring import EndpointMonitor
from .store import Store

T = TypeVar("T")

#: Budgets when the spec leaves them empty: minutes, not Autopilot's hours. The candidate
#: cap is Autopilot's own default (250): the job's time budget, not the cap, ends a short
#: job, unless its search has converged first (`engine.tuning.CONVERGED_TRIALS`).
LOCAL_DEFAULTS = m.Budget(
    max_candidates=250, max_trial_runtime_seconds=120, max_job_runtime_seconds=300
)


def local_budget(spec: m.ExperimentSpec) -> m.Budget:
    """The budget a job on this backend runs with: the spec's fields, `LOCAL_DEFAULTS` for
    the empty ones, the trial cap never above the job's (bench/engine uses it too, so the
    benchmark gets exactly what a user gets)."""
    job = spec.max_job_runtime_seconds or LOCAL_DEFAULTS.max_job_runtime_seconds
    trial = spec.max_trial_runtime_seconds or min(LOCAL_DEFAULTS.max_trial_runtime_seconds, job)
    return m.Budget(
        max_candidates=spec.max_candidates or LOCAL_DEFAULTS.max_candidates,
        max_trial_runtime_seconds=min(trial, job),
        max_job_runtime_seconds=job,
    )


#: Artifact kinds and the files the engine writes them to (relative to the output dir).
ARTIFACT_FILES: dict[m.ArtifactKind, tuple[str, str]] = {
    m.ArtifactKind.data_exploration_notebook: (
        "data_exploration.ipynb",
        "Data exploration notebook",
    ),
    m.ArtifactKind.candidate_definitions_notebook: (
        "candidate_definitions.ipynb",
        "Candidate definitions notebook",
    ),
    m.ArtifactKind.explainability_report: ("reports/explainability.json", "Explainability report"),
    m.ArtifactKind.model_insights_report: ("reports/model_insights.json", "Model insights report"),
    m.ArtifactKind.model: ("model/model.joblib", "Best model"),
    m.ArtifactKind.model_card: ("model/model_card.json", "Model card"),
    m.ArtifactKind.log: ("worker.log", "Worker log"),
}


class LocalBackend(AutopilotBackend):
    """Runs the four Autopilot stages with `jupyter_autopilot.engine` in worker processes."""

    name = "local"

    def __init__(self, context: BackendContext):
        super().__init__(context)
        self.work_dir = context.work_dir
        self.experiments_dir = self.work_dir / "experiments"
        self.datasets_dir = self.work_dir / "datasets"
        self.store = Store(self.work_dir / ".state" / "autopilot.sqlite")
        #: Workers, model servers and the CPU helper run this Python.
        self.python = interpreter.resolve(context.worker_python)
        self.jobs = JobManager(
            self.store, context.max_concurrent_jobs, self.log, python=self.python
        )
        self.endpoints = EndpointManager(
            self.store, context.root_dir, self.work_dir / "endpoints", self.log, self.python
        )
        self._background: set[asyncio.Task[Any]] = set()
        self.cpu = CpuPool(self.python)
        self.monitor = EndpointMonitor(
            self.endpoints, self.cpu, self._training_data, context.max_dataset_bytes, self.log
        )
        try:
            self.work_dir.resolve().relative_to(context.root_dir.resolve())
        except ValueError:
            self.log.warning(
                "The Autopilot work dir %s is outside the server root %s: generated notebooks "
                "will not open in JupyterLab.",
                self.work_dir,
                context.root_dir,
            )

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Blocking work (SQLite, pandas, file copies) off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        if not interpreter.is_own(self.python):
            self.log.info("Local workers and model servers run %s", self.python)
        self.cpu.warm_up()
        await self.jobs.recover()
        await self.endpoints.recover()
        await self.jobs.schedule()
        self.monitor.start()

    async def shutdown(self) -> None:
        await self.monitor.shutdown()
        await self.endpoints.shutdown()
        await self.jobs.shutdown()
        self.cpu.shutdown()
        self.store.close()

    async def health(self) -> m.Health:
        return m.Health(
            backend=self.name,
            version=self.context.version,
            work_dir=self._display_path(self.work_dir),
            max_concurrent_jobs=self.context.max_concurrent_jobs,
            features=m.BackendFeatures(
                s3=False,
                upload=True,
                instance_types=["local"],
                serverless=False,
                batch_predictions="start_batch_prediction" not in self.not_implemented(),
                not_implemented=self.not_implemented(),
            ),
            defaults=m.ExperimentDefaults(
                **LOCAL_DEFAULTS.model_dump(),
                metrics_by_problem_type=m.METRICS_BY_PROBLEM_TYPE,
            ),
        )

    def _display_path(self, path: Path) -> str:
        try:
            return to_api_path(self.context.root_dir, path)
        except ValueError:
            return str(path)

    # -- datasets --------------------------------------------------------------------
    async def preview_dataset(self, request: m.DatasetPreviewRequest) -> m.DatasetPreview:
        root = self.context.root_dir
        path = await self._run(datasets.existing_file, root, request.uri)
        display = to_api_path(root, path)
        key = ("preview", request.rows, request.delimiter, display)
        return await self.cpu.cached(
            [path], key, datasets.preview_file, path, request.rows, request.delimiter, display
        )

    async def upload_dataset(self, request: m.DatasetUploadRequest) -> m.DatasetUploadResponse:
        return await self._run(datasets.upload, self.context.root_dir, self.datasets_dir, request)

    # -- experiments -----------------------------------------------------------------
    async def _validate_new(
        self, spec: m.ExperimentSpec
    ) -> tuple[Path, m.Budget, list[m.DataWarning]]:
        """Checks at create time, so bad input is a 400 and not a failed job."""
        from ...engine import validate_job

        data_path, budget, config = await self._run(self._job_config, spec)
        warnings = await self.cpu.cached(
            [data_path], ("validate", config.model_dump_json()), validate_job, config
        )
        return data_path, budget, warnings

    def _job_config(self, spec: m.ExperimentSpec) -> tuple[Path, m.Budget, Any]:
        from ...engine import JobConfig

        if spec.manifest:
            raise InvalidDataset(
                "Manifest inputs are an S3 feature; on the local backend point input_uri at "
                "the CSV file itself."
            )
        data_path = datasets.existing_file(self.context.root_dir, spec.input_uri)
        size = data_path.stat().st_size
        if size > self.context.max_dataset_bytes:
            raise InvalidDataset(
                f"The file is {size / 1e6:.0f} MB; this server accepts up to "
                f"{self.context.max_dataset_bytes / 1e6:.0f} MB "
                "(--AutopilotApp.max_dataset_bytes). Sample it down or raise the limit."
            )
        budget = local_budget(spec)
        config = JobConfig.from_spec(
            spec,
            budget,
            data_path=data_path,
            output_dir=self.experiments_dir / spec.name,
            memory_limit_bytes=self.context.max_dataset_bytes,
        )
        return data_path, budget, config

    async def validate_experiment(self, spec: m.ExperimentSpec) -> m.ExperimentValidation:
        _, budget, warnings = await self._validate_new(spec)
        available = not await self._run(self._exists, spec.name)
        return m.ExperimentValidation(name_available=available, budget=budget, warnings=warnings)

    async def create_experiment(self, spec: m.ExperimentSpec) -> m.Experiment:
        if await self._run(self._exists, spec.name):
            raise Conflict(
                f"An experiment named {spec.name!r} already exists; choose another name "
                "or delete the old experiment first."
            )
        data_path, budget, warnings = await self._validate_new(spec)
        await self._run(interpreter.check, self.python)
        output_dir = self.experiments_dir / spec.name
        # Insert is atomic on the name: of two identical creates exactly one wins.
        await self._run(self.store.insert_experiment, spec, budget, data_path, output_dir, warnings)
        if output_dir.exists():
            # Leftovers of a deleted experiment with the same name: never mix runs.
            await self._run(shutil.rmtree, output_dir, True)
        await self.jobs.schedule()
        return await self.describe_experiment(spec.name)

    def _exists(self, name: str) -> bool:
        try:
            self.store.experiment_row(name)
        except NotFound:
            return False
        return True

    async def list_experiments(self, query: m.ListExperimentsQuery) -> m.ExperimentList:
        return await self._run(self.store.list_experiments, query, self.name)

    async def describe_experiment(self, name: str) -> m.Experiment:
        return await self._run(self.store.experiment, name, self.name)

    async def stop_experiment(self, name: str) -> m.Experiment:
        old = await self._run(
            self.store.transition,
            name,
            {m.ExperimentStatus.Queued},
            status=m.ExperimentStatus.Stopped,
            ended_at=m.utcnow(),
            failure_reason=None,
        )
        if old is None:
            old = await self._run(
                self.store.transition,
                name,
                {m.ExperimentStatus.InProgress},
                status=m.ExperimentStatus.Stopping,
                stop_requested=1,
            )
            if old is None:
                current = await self.describe_experiment(name)
                if current.status is m.ExperimentStatus.Stopping:
                    return current
                raise Conflict(
                    f"Experiment {name!r} is {current.status.value}; only queued or running "
                    "experiments can be stopped."
                )
            self._spawn(self.jobs.stop(name))
        else:
            await self._run(self.store.fail_running_stages, name, "Stopped before it started.")
        return await self.describe_experiment(name)

    async def rerun_experiment(self, name: str) -> m.Experiment:
        current = await self.describe_experiment(name)
        if current.status not in m.TERMINAL_STATUSES:
            raise Conflict(
                f"Experiment {name!r} is {current.status.value}; stop it or wait for it to end "
                "before re-running."
            )
        await self._validate_new(current.spec)
        await self._run(interpreter.check, self.python)
        await self._run(self.store.reset_for_rerun, name)
        output_dir = self.experiments_dir / name
        await self._run(shutil.rmtree, output_dir, True)
        await self.jobs.schedule()
        return await self.describe_experiment(name)

    async def delete_experiment(self, name: str) -> None:
        current = await self.describe_experiment(name)
        if current.status not in m.TERMINAL_STATUSES:
            raise Conflict(
                f"Experiment {name!r} is {current.status.value}; stop it before deleting it."
            )
        await self._run(self.store.delete_experiment, name)

    # -- candidates and artifacts ----------------------------------------------------
    async def list_candidates(self, name: str, query: m.ListCandidatesQuery) -> m.CandidateList:
        experiment = await self.describe_experiment(name)
        candidates = await self._run(self._candidates_with_models, experiment)
        return rank_candidates(experiment, candidates, query)

    def _candidates_with_models(self, experiment: m.Experiment) -> list[m.Candidate]:
        """The stored candidates, `deployable` where a model file was kept (the best one's
        and the top candidates' models are saved)."""
        folder = self.experiments_dir / experiment.name
        saved = {p.parent.name for p in folder.glob("candidates/*/model.joblib")}
        if experiment.best_candidate is not None and (folder / "model" / "model.joblib").is_file():
            saved.add(experiment.best_candidate.name)
        return [
            c.model_copy(update={"deployable": True}) if c.name in saved else c
            for c in self.store.candidates(experiment.name)
        ]

    async def describe_candidate(self, name: str, candidate: str) -> m.CandidateDetail:
        from ...engine import describe_candidate

        experiment = await self.describe_experiment(name)
        known = {c.name: c for c in await self._run(self._candidates_with_models, experiment)}
        if candidate not in known:
            raise NotFound(f"Experiment {name!r} has no candidate named {candidate!r}.")
        ranked = rank_candidates(experiment, list(known.values()), m.ListCandidatesQuery())
        summary = next(c for c in ranked.candidates if c.name == candidate)
        output_dir = self.experiments_dir / name
        detail = await self.cpu.run(describe_candidate, output_dir, candidate)
        return m.CandidateDetail(
            **{
                **summary.model_dump(),
                "feature_importance": detail.feature_importance,
                "importance_method": detail.importance_method,
                "insights": detail.insights,
                "training_curves": detail.training_curves,
                "training_findings": detail.training_findings,
            }
        )

    async def list_artifacts(self, name: str) -> m.ArtifactList:
        await self.describe_experiment(name)
        return await self._run(self._artifacts, name)

    def _artifacts(self, name: str) -> m.ArtifactList:
        output_dir = self.experiments_dir / name
        recorded = self.store.artifacts(name)
        artifacts = []
        for kind, (relative, title) in ARTIFACT_FILES.items():
            path = recorded.get(kind, output_dir / relative)
            available = path.is_file()
            api_path = None
            if available:
                try:
                    api_path = to_api_path(self.context.root_dir, path)
                except ValueError:
                    api_path = None
            artifacts.append(
                m.Artifact(
                    kind=kind,
                    title=title,
                    available=available,
                    path=api_path,
                    uri=str(path) if available else None,
                    size_bytes=path.stat().st_size if available else None,
                )
            )
        return m.ArtifactList(artifacts=artifacts)

    # -- clean-up --------------------------------------------------------------------
    # -- export ----------------------------------------------------------------------------
    async def export_candidate(
        self, name: str, candidate: str, request: m.ModelExportRequest
    ) -> m.ModelExport:
        from ...export.sagemaker_sklearn import build_artifact
        from ...paths import resolve_under_root

        experiment = await self.describe_experiment(name)
        known = {c.name: c for c in await self._run(self.store.candidates, name)}
        if candidate not in known:
            raise NotFound(f"Experiment {name!r} has no candidate named {candidate!r}.")
        row = await self._run(self.store.experiment_row, name)
        model_path, sha = await self._run(
            self.endpoints._model_for, self.experiments_dir / name, row, candidate
        )
        if request.output_path:
            output = resolve_under_root(
                self.context.root_dir, request.output_path, what="output path"
            )
            if not output.name.endswith(".tar.gz"):
                raise InvalidRequest(
                    f"The output path {request.output_path!r} must end with .tar.gz "
                    "(SageMaker reads model.tar.gz archives)."
                )
        else:
            output = self.work_dir / "exports" / name / candidate / "model.tar.gz"
        found = known[candidate]
        about = {
            "experiment": name,
            "candidate": candidate,
            "algorithm": found.algorithm,
            "objective_metric": experiment.objective.metric.value if experiment.objective else None,
            "objective_value": found.objective_value,
            "metrics": found.metrics,
        }
        manifest = await self.cpu.run(build_artifact, model_path, sha, output, about)
        size, digest = await self._run(_size_and_sha256, output)
        return m.ModelExport(
            experiment=name,
            candidate=candidate,
            path=self._display_path(output),
            size_bytes=size,
            sha256=digest,
            format=manifest["format"],
            framework_version=manifest["framework_version"],
            entry_point=manifest["entry_point"],
            input_columns=manifest["input_columns"],
            requirements=manifest["requirements"],
            exported_at=manifest["exported_at"],
        )

    # -- monitoring ----------------------------------------------------------------------
    async def _training_data(self, experiment: str) -> tuple[Path, str]:
        """The data an experiment trained on, for monitoring baselines."""
        spec = (await self.describe_experiment(experiment)).spec
        path = await self._run(datasets.existing_file, self.context.root_dir, spec.input_uri)
        return path, self._display_path(path)

    async def monitoring_status(self, endpoint: str) -> m.MonitoringStatus:
        return await self.monitor.status(endpoint)

    async def configure_monitoring(
        self, endpoint: str, config: m.MonitoringConfig
    ) -> m.MonitoringStatus:
        return await self.monitor.configure(endpoint, config)

    async def run_monitoring_report(
        self, endpoint: str, request: m.MonitoringReportRequest
    ) -> m.MonitoringReport:
        return await self.monitor.run_report(endpoint, request)

    async def describe_monitoring_report(self, endpoint: str, report_id: str) -> m.MonitoringReport:
        return await self.monitor.report(endpoint, report_id)

    async def list_captures(self, endpoint: str, query: m.ListCapturesQuery) -> m.CapturedRecords:
        return await self.monitor.captures(endpoint, query.limit)

    async def cleanup_plan(self, name: str) -> m.CleanupPlan:
        await self.describe_experiment(name)
        return await self._run(self._cleanup_plan, name, m.CleanupRequest())

    def _cleanup_plan(self, name: str, request: m.CleanupRequest) -> m.CleanupPlan:
        items: list[m.CleanupItem] = []
        items += self._endpoint_cleanup_items(name)
        output_dir = self.experiments_dir / name
        if request.include_outputs and output_dir.exists():
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.directory,
                    name=self._display_path(output_dir),
                    description="Notebooks, models, reports, caches and logs of the experiment",
                    size_bytes=_tree_size(output_dir),
                )
            )
        row = self.store.experiment_row(name)
        data_path = Path(row["data_path"])
        if _is_within(data_path, self.datasets_dir) and data_path.exists():
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.dataset,
                    name=self._display_path(data_path),
                    description="Dataset copied into the work dir for this experiment",
                    size_bytes=data_path.stat().st_size,
                )
            )
        if request.delete_experiment:
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.experiment_record,
                    name=name,
                    description="The experiment and its leaderboard in the Autopilot panel",
                )
            )
        return m.CleanupPlan(experiment=name, items=items)

    def _endpoint_cleanup_items(self, name: str) -> list[m.CleanupItem]:
        """Endpoints deployed from this experiment (each a process and a model copy)."""
        items = []
        for row in self.store.endpoint_rows(name):
            model = Path(row["model_path"])
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.endpoint,
                    name=row["name"],
                    description=f"Local endpoint ({row['status']}) serving candidate "
                    f"{row['candidate']}: its model server process and model copy",
                    size_bytes=model.stat().st_size if model.exists() else None,
                )
            )
        return items

    # -- endpoints -------------------------------------------------------------------
    async def deploy(self, name: str, request: m.DeployRequest) -> m.Endpoint:
        experiment = await self.describe_experiment(name)
        await self._run(interpreter.check, self.python)
        return await self.endpoints.deploy(experiment, self.experiments_dir / name, request)

    async def list_endpoints(self) -> m.EndpointList:
        return await self.endpoints.list_all()

    async def describe_endpoint(self, name: str) -> m.Endpoint:
        return await self.endpoints.describe(name)

    async def delete_endpoint(self, name: str) -> None:
        await self.endpoints.delete(name)

    async def invoke_endpoint(
        self,
        name: str,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[m.InferenceKey] | None = None,
    ) -> InvocationResult:
        payload, content, variant = await self.endpoints.invoke(
            name, body, content_type, accept, keys
        )
        return InvocationResult(body=payload, content_type=content, variant=variant)

    async def update_traffic(self, endpoint: str, update: m.TrafficUpdate) -> m.Endpoint:
        return await self.endpoints.update_traffic(endpoint, update)

    async def start_batch_prediction(
        self, endpoint: str, request: m.BatchPredictionRequest
    ) -> m.BatchPrediction:
        return await self.endpoints.start_batch(endpoint, request)

    async def describe_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        return await self.endpoints.describe_batch(batch_id)

    async def cleanup(self, name: str, request: m.CleanupRequest) -> m.CleanupResult:
        experiment = await self.describe_experiment(name)
        if experiment.status not in m.TERMINAL_STATUSES:
            raise Conflict(
                f"Experiment {name!r} is {experiment.status.value}; stop it before cleaning up."
            )
        plan = await self._run(self._cleanup_plan, name, request)
        deleted: list[m.CleanupItem] = []
        failed: list[m.CleanupFailure] = []
        for item in plan.items:
            try:
                await self._delete_item(name, item)
            except Exception as error:  # report and carry on with the rest
                failed.append(m.CleanupFailure(item=item, error=str(error)))
            else:
                deleted.append(item)
        return m.CleanupResult(experiment=name, deleted=deleted, failed=failed)

    async def _delete_item(self, name: str, item: m.CleanupItem) -> None:
        if item.kind is m.ResourceKind.endpoint:
            await self.delete_endpoint(item.name)
        elif item.kind is m.ResourceKind.directory:
            await self._run(shutil.rmtree, self.experiments_dir / name)
        elif item.kind is m.ResourceKind.dataset:
            row = await self._run(self.store.experiment_row, name)
            await self._run(Path(row["data_path"]).unlink)
        elif item.kind is m.ResourceKind.experiment_record:
            await self._run(self.store.delete_experiment, name)


def _size_and_sha256(path: Path) -> tuple[int, str]:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def rank_candidates(
    experiment: m.Experiment, candidates: list[m.Candidate], query: m.ListCandidatesQuery
) -> m.CandidateList:
    """Rank completed candidates by objective, mark the best, then sort/filter as asked."""
    minimize = experiment.objective is not None and experiment.objective.goal == "Minimize"
    best_name = experiment.best_candidate.name if experiment.best_candidate else None
    scored = [
        c
        for c in candidates
        if c.status is m.CandidateStatus.Completed and c.objective_value is not None
    ]
    scored.sort(key=lambda c: float(c.objective_value or 0.0) * (1 if minimize else -1))
    ranks = {c.name: i + 1 for i, c in enumerate(scored)}
    ranked = [
        c.model_copy(update={"rank": ranks.get(c.name), "is_best": c.name == best_name})
        for c in candidates
    ]
    if query.status is not None:
        ranked = [c for c in ranked if c.status is query.status]
    ranked = sort_candidates(ranked, query, minimize)
    total = len(ranked)
    return m.CandidateList(
        candidates=ranked[query.offset : query.offset + query.limit], total=total
    )


def sort_candidates(
    candidates: list[m.Candidate], query: m.ListCandidatesQuery, minimize: bool
) -> list[m.Candidate]:
    def value(c: m.Candidate) -> Any:
        key = query.sort_by
        if key == "objective":
            return c.objective_value
        if key == "started_at":
            return c.started_at.timestamp() if c.started_at else None
        if key == "duration":
            return c.duration_seconds
        if key == "name":
            return c.name
        return c.metrics.get(key)

    present = [c for c in candidates if value(c) is not None]
    missing = [c for c in candidates if value(c) is None]
    if query.order == "best":
        # Best first: by the objective's goal, or by the named metric's own goal.
        metric_minimized = query.sort_by in {metric.value for metric in m.MINIMIZED_METRICS}
        if query.sort_by == "objective":
            descending = not minimize
        elif query.sort_by in ("duration", "started_at", "name"):
            descending = query.sort_by == "started_at"
        else:
            descending = not metric_minimized
    else:
        descending = query.order == "desc"
    present.sort(key=value, reverse=descending)
    return present + missing


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _is_within(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True
