"""The local backend: our AutoML engine on this machine, state in SQLite."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from traitlets import Bool, Int, Unicode

from ... import models as m
from ... import ranking
from ...configuration import setting
from ...exceptions import Conflict, InvalidDataset, NotFound
from ...paths import (
    STATE_FOLDER,
    display_path,
    scrub_paths,
    to_api_path,
)
from ..base import AutopilotBackend, BackendContext, InvocationResult, MonitorsEndpoints
from . import datasets, exports, extend, interpreter, outputs
from .capacity import Capacity
from .cleanup import cleanup_plan
from .cpu import CpuPool
from .endpoints import EndpointManager
from .jobs import JobManager
from .monitoring import EndpointMonitor
from .store import Store

if TYPE_CHECKING:
    from ...engine import JobConfig

E = TypeVar("E", bound=m.ExperimentSummary)

#: Budgets when the spec leaves them empty: minutes, not Autopilot's hours. The candidate
#: cap is Autopilot's own default (250): the job's time budget, not the cap, ends a short
#: job, unless its search has converged first (`engine.tuning.CONVERGED_TRIALS`).
LOCAL_DEFAULTS = m.Budget(
    max_candidates=250, max_trial_runtime_seconds=120, max_job_runtime_seconds=300
)


#: A reproducible run is bounded by its candidate count; without a max_job_runtime_seconds
#: this safety limit (not a search budget) is what the server allows it.
REPRODUCIBLE_SAFETY_SECONDS = 24 * 3600


def local_budget(spec: m.ExperimentSpec) -> m.Budget:
    """The budget a job on this backend runs with: the spec's fields, `LOCAL_DEFAULTS` for
    the empty ones, the trial cap never above the job's (bench/engine uses it too, so the
    benchmark gets exactly what a user gets)."""
    default_job = (
        REPRODUCIBLE_SAFETY_SECONDS if spec.reproducible else LOCAL_DEFAULTS.max_job_runtime_seconds
    )
    job = spec.max_job_runtime_seconds or default_job
    trial = spec.max_trial_runtime_seconds or min(LOCAL_DEFAULTS.max_trial_runtime_seconds, job)
    return m.Budget(
        max_candidates=spec.max_candidates or LOCAL_DEFAULTS.max_candidates,
        max_trial_runtime_seconds=min(trial, job),
        max_job_runtime_seconds=job,
    )


class LocalBackend(MonitorsEndpoints[EndpointMonitor], AutopilotBackend):
    """Runs the four Autopilot stages with `jupyter_autopilot.engine` in worker processes."""

    name = "local"

    max_concurrent_jobs = setting(
        Int, 1, "How many local experiments train at once; the rest queue.", "`1`", min=1
    )
    max_dataset_bytes = setting(
        Int,
        0,
        "Largest training file the local backend accepts (bytes of CSV text, uncompressed), "
        "and the memory the engine may estimate it needs to analyse one. 0: computed from "
        "the memory (`LocalBackend.memory_bytes`) and the engine's measured memory per byte "
        "of CSV; a larger file is refused at preview and create with the size of a sample "
        "that fits.",
        "`0` (computed from memory)",
        min=0,
    )
    memory_bytes = setting(
        Int,
        0,
        "Memory (bytes) a training job may count on, from which the largest accepted file is "
        "computed (unless `LocalBackend.max_dataset_bytes` is set). 0: the memory this "
        "machine has available when the file is checked.",
        "`0` (available memory, measured)",
        min=0,
    )
    preload_helper = setting(
        Bool,
        True,
        "Start the CPU helper (the process that parses data files for previews and checks) "
        "with the server, so the create form's first preview does not wait for its imports. "
        "False: start it on the first request that needs it (saves a process of about 150 MB "
        "and 1-2 s of CPU per server start where the panel is not used).",
        "`True`",
    )
    fork_server = setting(
        Bool,
        True,
        "Fork workers, model servers and the CPU helper from a process that has already "
        "imported the engine's libraries (pandas, scikit-learn, the boosting libraries), so "
        "a job or an endpoint starts in milliseconds instead of 2-3 s of imports. That "
        "process (about 250 MB, most of it shared with its children) lives as long as the "
        "server. False: start each as a new Python process (Linux only; elsewhere always).",
        "`True`",
    )
    worker_python = setting(
        Unicode,
        "",
        "Python executable that runs the local backend's workers, model servers and CPU "
        "helper, e.g. an environment with the engine's dependencies when Jupyter's own must "
        "stay light (the SageMaker notebook-instance script sets it). It needs the same "
        "jupyter_autopilot version as the server.",
        "the server's own Python",
    )

    def __init__(self, context: BackendContext, **kwargs: Any):
        super().__init__(context, **kwargs)
        self.work_dir = context.work_dir
        self.experiments_dir = self.work_dir / "experiments"
        self.datasets_dir = self.work_dir / "datasets"
        self.store = Store(self.work_dir / STATE_FOLDER / "autopilot.sqlite")
        #: Workers, model servers and the CPU helper run this Python.
        self.python = interpreter.resolve(self.worker_python or None)
        self.capacity = Capacity(self.memory_bytes, self.max_dataset_bytes)
        self.jobs = JobManager(
            self.store,
            self.max_concurrent_jobs,
            self.log,
            python=self.python,
            fork_server=self.fork_server,
        )
        self.endpoints = EndpointManager(
            self.store,
            context.root_dir,
            self.work_dir,
            self.work_dir / "endpoints",
            self.log,
            self.python,
            self.fork_server,
        )
        self._background: set[asyncio.Task[Any]] = set()
        self.cpu = CpuPool(self.python, self.fork_server)
        self.monitor = EndpointMonitor(
            self.endpoints, self.cpu, self._training_data, self.capacity.memory_limit, self.log
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

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        self.log.info(
            "Local backend: work dir %s, at most %d experiment(s) training at once",
            self.work_dir,
            self.max_concurrent_jobs,
        )
        if not interpreter.is_own(self.python):
            self.log.info("Local workers and model servers run %s", self.python)
        if self.preload_helper:
            self.cpu.warm_up()
        await self.jobs.recover()
        await self.endpoints.recover()
        await self.jobs.schedule()
        self.monitor.start()

    async def shutdown(self) -> None:
        """Server stopping: the monitor, then model servers, workers (experiments become
        Interrupted) and the CPU helper, then the database. Each step runs even if one
        before it failed: an exception here would leave jupyter-server's stop hanging."""
        steps = [self.monitor.shutdown, self.endpoints.shutdown, self.jobs.shutdown]
        steps.append(self.cpu.shutdown)
        for step in steps:
            try:
                await step()
            except Exception:
                self.log.exception("Stopping the local backend: %s failed", step.__qualname__)
        self.store.close()

    async def health(self) -> m.Health:
        from ...engine.families import LOCAL_FAMILIES

        return m.Health(
            backend=self.name,
            version=self.context.version,
            work_dir=self._display_path(self.work_dir),
            max_concurrent_jobs=self.max_concurrent_jobs,
            features=m.BackendFeatures(
                s3=False,
                upload=True,
                instance_types=["local"],
                serverless=False,
                batch_predictions="start_batch_prediction" not in self.not_implemented(),
                explanations=True,
                forecasting=True,
                not_implemented=self.not_implemented(),
            ),
            defaults=m.ExperimentDefaults(
                **LOCAL_DEFAULTS.model_dump(),
                metrics_by_problem_type=m.METRICS_BY_PROBLEM_TYPE,
                minimized_metrics=ranking.minimized_metrics(),
                algorithms_by_training_mode={
                    mode: [m.AutoMLAlgorithm(a) for a in LOCAL_FAMILIES] for mode in m.TrainingMode
                },
            ),
        )

    def _display_path(self, path: Path) -> str:
        return display_path(self.context.root_dir, path, self.work_dir)

    def _without_server_paths(self, experiment: E) -> E:
        """The experiment as a response: paths relative to the root, and no absolute
        path in the messages a worker wrote (tracebacks and OS errors quote them)."""

        def scrub(text: str | None) -> str | None:
            return scrub_paths(text, self.context.root_dir, self.work_dir) if text else text

        update: dict[str, Any] = {
            "failure_reason": scrub(experiment.failure_reason),
            "stages": [
                stage.model_copy(update={"message": scrub(stage.message)})
                for stage in experiment.stages
            ],
        }
        if isinstance(experiment, m.Experiment):
            update["status_message"] = scrub(experiment.status_message)
            details = dict(experiment.backend_details)
            if "output_dir" in details:
                details["output_dir"] = self._display_path(Path(details["output_dir"]))
            update["backend_details"] = details
        return experiment.model_copy(update=update)

    # -- datasets --------------------------------------------------------------------
    async def preview_dataset(self, request: m.DatasetPreviewRequest) -> m.DatasetPreview:
        root = self.context.root_dir
        path = await asyncio.to_thread(datasets.existing_file, root, self.work_dir, request.uri)
        display = to_api_path(root, path)
        await asyncio.to_thread(self.capacity.check_fits, path)
        key = ("preview", request.rows, request.delimiter, display)
        preview = await self.cpu.cached(
            [path], key, datasets.preview_file, path, request.rows, request.delimiter, display
        )
        if request.forecast is None or request.target is None:
            return preview
        series = await self.cpu.cached(
            [path],
            ("series", request.delimiter, request.target, request.forecast.model_dump_json()),
            datasets.preview_series_file,
            path,
            request.target,
            request.forecast,
            request.delimiter,
            self.capacity.memory_limit(),
        )
        return preview.model_copy(update={"series": series})

    async def upload_dataset(self, request: m.DatasetUploadRequest) -> m.DatasetUploadResponse:
        return await asyncio.to_thread(
            datasets.upload, self.context.root_dir, self.work_dir, self.datasets_dir, request
        )

    # -- experiments -----------------------------------------------------------------
    async def _validate_new(
        self, spec: m.ExperimentSpec
    ) -> tuple[JobConfig, m.Budget, list[m.DataWarning]]:
        """Checks at create (and re-run) time, so bad input is a 400 and not a failed job.

        Returns the engine's configuration for the run, built here once: it is stored
        with the experiment and the worker runs exactly it.
        """
        from ...engine import validate_job

        config, budget = await asyncio.to_thread(self._job_config, spec)
        files = [config.data_path]
        if config.validation_path is not None:
            files.append(config.validation_path)
        warnings = await self.cpu.cached(
            files, ("validate", config.model_dump_json()), validate_job, config
        )
        return config, budget, warnings

    def _job_config(self, spec: m.ExperimentSpec) -> tuple[JobConfig, m.Budget]:
        from ...engine import JobConfig
        from ...engine.families import check_local

        if spec.manifest:
            raise InvalidDataset(
                "Manifest inputs are an S3 feature; on the local backend point input_uri at "
                "the CSV file itself."
            )
        check_local(spec.algorithms)
        data_path = datasets.existing_file(self.context.root_dir, self.work_dir, spec.input_uri)
        self.capacity.check_fits(data_path)
        validation_path = None
        if spec.validation_file is not None:
            validation_path = datasets.validation_file(
                self.context.root_dir, self.work_dir, spec.validation_file
            )
        budget = local_budget(spec)
        config = JobConfig.from_spec(
            spec,
            budget,
            data_path=data_path,
            validation_path=validation_path,
            output_dir=self.experiments_dir / spec.name,
            memory_limit_bytes=self.capacity.memory_limit(),
        )
        return config, budget

    async def validate_experiment(self, spec: m.ExperimentSpec) -> m.ExperimentValidation:
        _, budget, warnings = await self._validate_new(spec)
        available = not await asyncio.to_thread(self._exists, spec.name)
        return m.ExperimentValidation(name_available=available, budget=budget, warnings=warnings)

    async def create_experiment(self, spec: m.ExperimentSpec) -> m.Experiment:
        if await asyncio.to_thread(self._exists, spec.name):
            raise Conflict(
                f"An experiment named {spec.name!r} already exists; choose another name "
                "or delete the old experiment first."
            )
        config, budget, warnings = await self._validate_new(spec)
        await asyncio.to_thread(interpreter.check, self.python)
        output_dir = config.output_dir
        # Insert is atomic on the name: of two identical creates exactly one wins.
        await asyncio.to_thread(self.store.insert_experiment, spec, budget, config, warnings)
        if output_dir.exists():
            # Leftovers of a deleted experiment with the same name: never mix runs.
            await asyncio.to_thread(shutil.rmtree, output_dir, True)
        await self.jobs.schedule()
        return await self.describe_experiment(spec.name)

    def _exists(self, name: str) -> bool:
        try:
            self.store.experiment_row(name)
        except NotFound:
            return False
        return True

    async def list_experiments(self, query: m.ListExperimentsQuery) -> m.ExperimentList:
        found = await asyncio.to_thread(self.store.list_experiments, query, self.name)
        return found.model_copy(
            update={"experiments": [self._without_server_paths(e) for e in found.experiments]}
        )

    async def describe_experiment(self, name: str) -> m.Experiment:
        return self._without_server_paths(
            await asyncio.to_thread(self.store.experiment, name, self.name)
        )

    async def stop_experiment(self, name: str) -> m.Experiment:
        old = await asyncio.to_thread(
            self.store.transition,
            name,
            {m.ExperimentStatus.Queued},
            status=m.ExperimentStatus.Stopped,
            ended_at=m.utcnow(),
            failure_reason=None,
        )
        if old is None:
            old = await asyncio.to_thread(
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
            await asyncio.to_thread(
                self.store.fail_running_stages, name, "Stopped before it started."
            )
        return await self.describe_experiment(name)

    async def rerun_experiment(self, name: str) -> m.Experiment:
        current = await self.describe_experiment(name)
        if current.status not in m.TERMINAL_STATUSES:
            raise Conflict(
                f"Experiment {name!r} is {current.status.value}; stop it or wait for it to end "
                "before re-running."
            )
        config, _, _ = await self._validate_new(current.spec)
        await asyncio.to_thread(interpreter.check, self.python)
        await asyncio.to_thread(self.store.reset_for_rerun, name, config)
        await asyncio.to_thread(shutil.rmtree, config.output_dir, True)
        await self.jobs.schedule()
        return await self.describe_experiment(name)

    async def extend_experiment(
        self, name: str, request: m.ExperimentExtendRequest
    ) -> m.Experiment:
        current = await self.describe_experiment(name)
        extend.check_extendable(current)
        # The data is checked again as at create time (it must still be there).
        config, _, _ = await self._validate_new(current.spec)
        previous = await asyncio.to_thread(self.store.job_config, name)
        if previous is not None:
            config = previous.model_copy(update={"data_path": config.data_path})
        stored = await asyncio.to_thread(self.store.candidates, name)
        plan = extend.plan_extension(current, config, stored, request)
        await asyncio.to_thread(interpreter.check, self.python)
        await asyncio.to_thread(
            self.store.reset_for_extend,
            name,
            plan.config,
            plan.budget,
            plan.rebuilt,
            plan.entry,
        )
        await self.jobs.schedule()
        return await self.describe_experiment(name)

    async def delete_experiment(self, name: str) -> None:
        # The store checks the status in the same transaction as the delete: a re-run
        # racing this delete either finds the experiment gone (404) or makes it 409.
        await asyncio.to_thread(self.store.delete_experiment, name)

    # -- candidates and artifacts ----------------------------------------------------
    async def list_candidates(self, name: str, query: m.ListCandidatesQuery) -> m.CandidateList:
        experiment = await self.describe_experiment(name)
        candidates = await asyncio.to_thread(
            outputs.candidates_with_models, self.store, self.experiments_dir, experiment
        )
        return rank_candidates(experiment, candidates, query)

    async def describe_candidate(self, name: str, candidate: str) -> m.CandidateDetail:
        from ...engine import describe_candidate

        experiment = await self.describe_experiment(name)
        known = {
            c.name: c
            for c in await asyncio.to_thread(
                outputs.candidates_with_models, self.store, self.experiments_dir, experiment
            )
        }
        if candidate not in known:
            raise NotFound(f"Experiment {name!r} has no candidate named {candidate!r}.")
        ranked = rank_candidates(experiment, list(known.values()), m.ListCandidatesQuery())
        summary = next(c for c in ranked.candidates if c.name == candidate)
        output_dir = self.experiments_dir / name
        try:
            detail = await self.cpu.run(describe_candidate, output_dir, candidate)
        except FileNotFoundError as error:
            # Deleted, or re-run (which clears the cached validation rows), between the
            # listing above and the read: a page still showing it asked too late.
            raise Conflict(
                f"Candidate {candidate!r} of experiment {name!r} is no longer on disk: the "
                "experiment was deleted or is being re-run. Reload the experiment."
            ) from error
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
        return await asyncio.to_thread(
            outputs.artifacts,
            self.store,
            self.context.root_dir,
            self.experiments_dir / name,
            name,
            self._display_path,
        )

    # -- export ----------------------------------------------------------------------------
    async def export_candidate(
        self, name: str, candidate: str, request: m.ModelExportRequest
    ) -> m.ModelExport:
        from ...export.sagemaker_sklearn import build_artifact

        experiment = await self.describe_experiment(name)
        known = {c.name: c for c in await asyncio.to_thread(self.store.candidates, name)}
        if candidate not in known:
            raise NotFound(f"Experiment {name!r} has no candidate named {candidate!r}.")
        row = await asyncio.to_thread(self.store.experiment_row, name)
        model_path, sha = await asyncio.to_thread(
            self.endpoints._model_for, self.experiments_dir / name, row, candidate
        )
        target = await asyncio.to_thread(
            exports.export_target,
            self.context.root_dir,
            self.work_dir,
            name,
            candidate,
            request,
            model_path,
        )
        found = known[candidate]
        about = {
            "experiment": name,
            "candidate": candidate,
            "algorithm": found.algorithm,
            "objective_metric": experiment.objective.metric.value if experiment.objective else None,
            "objective_value": found.objective_value,
            "metrics": found.metrics,
        }
        writer = target.writer()
        try:
            await asyncio.to_thread(writer.open)
            # The helper process writes the archive into the writer's hidden temporary
            # file; it is published under its name only once complete.
            manifest = await self.cpu.run(build_artifact, model_path, sha, writer.temp_path, about)
            output = await asyncio.to_thread(writer.commit)
        finally:
            await asyncio.to_thread(writer.discard)
        return await asyncio.to_thread(
            exports.model_export, name, candidate, output, self._display_path(output), manifest
        )

    # -- monitoring ----------------------------------------------------------------------
    async def _training_data(self, experiment: str) -> tuple[Path, str]:
        """The data an experiment trained on, for monitoring baselines."""
        spec = (await self.describe_experiment(experiment)).spec
        path = await asyncio.to_thread(
            datasets.existing_file, self.context.root_dir, self.work_dir, spec.input_uri
        )
        return path, self._display_path(path)

    # -- clean-up --------------------------------------------------------------------
    async def cleanup_plan(self, name: str) -> m.CleanupPlan:
        await self.describe_experiment(name)
        return await asyncio.to_thread(self._cleanup_plan, name, m.CleanupRequest())

    def _cleanup_plan(self, name: str, request: m.CleanupRequest) -> m.CleanupPlan:
        return cleanup_plan(
            self.store, self.experiments_dir, self.datasets_dir, name, request, self._display_path
        )

    # -- endpoints -------------------------------------------------------------------
    async def deploy(self, name: str, request: m.DeployRequest) -> m.Endpoint:
        experiment = await self.describe_experiment(name)
        await asyncio.to_thread(interpreter.check, self.python)
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
        explain: bool = False,
    ) -> InvocationResult:
        payload, content, variant = await self.endpoints.invoke(
            name, body, content_type, accept, keys, explain
        )
        return InvocationResult(body=payload, content_type=content, variant=variant)

    async def forecast_future(self, name: str, item_ids: list[str] | None) -> m.ForecastFuture:
        answer = await self.endpoints.future(name, item_ids)
        return m.ForecastFuture(endpoint=name, **answer)

    async def update_traffic(self, endpoint: str, update: m.TrafficUpdate) -> m.Endpoint:
        return await self.endpoints.update_traffic(endpoint, update)

    async def start_batch_prediction(
        self, endpoint: str, request: m.BatchPredictionRequest
    ) -> m.BatchPrediction:
        return await self.endpoints.batches.start(endpoint, request)

    async def describe_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        return await self.endpoints.batches.describe(batch_id)

    async def stop_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        return await self.endpoints.batches.stop(batch_id)

    async def cleanup(self, name: str, request: m.CleanupRequest) -> m.CleanupResult:
        experiment = await self.describe_experiment(name)
        if experiment.status not in m.TERMINAL_STATUSES:
            raise Conflict(
                f"Experiment {name!r} is {experiment.status.value}; stop it before cleaning up."
            )
        plan = await asyncio.to_thread(self._cleanup_plan, name, request)
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
            await asyncio.to_thread(shutil.rmtree, self.experiments_dir / name)
        elif item.kind is m.ResourceKind.dataset:
            row = await asyncio.to_thread(self.store.experiment_row, name)
            await asyncio.to_thread(Path(row["data_path"]).unlink)
        elif item.kind is m.ResourceKind.experiment_record:
            await asyncio.to_thread(self.store.delete_experiment, name)


def rank_candidates(
    experiment: m.Experiment, candidates: list[m.Candidate], query: m.ListCandidatesQuery
) -> m.CandidateList:
    """The leaderboard page: ranked by the objective, the engine's best marked, as asked."""
    objective = experiment.objective.metric if experiment.objective else None
    best = experiment.best_candidate.name if experiment.best_candidate else None
    return ranking.select(ranking.rank(candidates, objective, best), query, objective)
