"""`SageMakerBackend`: the backend interface on Amazon SageMaker Autopilot, via boto3.

A thin class, as `backends/local/backend.py` is: it owns the settings (traits) and wires
the parts that do the work, each a module next to this one (map in `__init__.py`):

- `experiments.Experiments`: AutoML jobs (validate, create, describe, list, stop)
- `candidates.Leaderboard`: candidates, their details, the job's artifacts
- `deployments.Deployments`: endpoints from candidates (variants) or exported models
- `serving.Endpoints`: endpoints (describe, list, invoke, traffic, delete)
- `monitoring.EndpointMonitor`: data capture, baselines, drift reports and their schedule
- `cleanup.Cleanup`: what an experiment left behind, and deleting it

They share `shared.Shared`: the AWS session (boto3 in its own thread pool), the records
this server keeps and the polling cache.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import boto3
from traitlets import Bool, Int, Unicode

from ... import models as m
from ... import ranking
from ...configuration import setting
from ...exceptions import AutopilotError, InvalidRequest
from ...paths import to_api_path
from ..base import AutopilotBackend, BackendContext, InvocationResult, MonitorsEndpoints
from . import datasets, endpoints, estimates, jobs
from .batches import BatchTransforms
from .candidates import Leaderboard
from .cleanup import Cleanup
from .deployments import Deployments
from .experiments import Experiments
from .monitoring import EndpointMonitor
from .pricing import DEPLOY_INSTANCE_TYPES, hourly_cost
from .serving import Endpoints
from .session import AwsSession
from .shared import Shared


class SageMakerBackend(MonitorsEndpoints[EndpointMonitor], AutopilotBackend):
    """Experiments as SageMaker AutoML jobs (V2 API), endpoints as SageMaker endpoints."""

    name = "sagemaker"

    aws_region = setting(
        Unicode,
        None,
        "AWS region of the SageMaker jobs, endpoints and S3 bucket.",
        "boto3's (AWS_REGION, ~/.aws/config)",
        allow_none=True,
    )
    role_arn = setting(
        Unicode,
        None,
        "IAM execution role SageMaker jobs and models run as (the create form can name another).",
        "the notebook instance's role, when there is one",
        allow_none=True,
    )
    default_bucket = setting(
        Unicode,
        None,
        "S3 bucket for inputs and outputs; created when missing.",
        "`sagemaker-<region>-<account>`",
        allow_none=True,
    )
    s3_prefix = setting(
        Unicode, "autopilot", "Key prefix for everything this server puts in S3.", "`autopilot`"
    )
    dry_run = setting(
        Bool,
        False,
        "Show the boto3 requests that would create, change or delete AWS resources instead "
        "of sending them (reads are sent).",
        "`False`",
    )
    max_upload_bytes = setting(
        Int,
        5 * 1024**3,
        "Largest file `datasets/upload` copies to S3 (bytes); larger ones are a 413 that "
        "suggests `aws s3 cp`.",
        "5 GiB",
        min=1,
    )

    def __init__(
        self,
        context: BackendContext,
        boto_session: boto3.Session | None = None,
        **kwargs: Any,
    ):
        super().__init__(context, **kwargs)
        self._boto_session = boto_session
        self._scheduler: asyncio.Future[None] | None = None
        self.shared = Shared(context, self, self.log)
        self.store, self.cache = self.shared.store, self.shared.cache
        self.experiments = Experiments(self.shared)
        self.leaderboard = Leaderboard(self.shared, self.experiments)
        self.endpoints = Endpoints(self.shared)
        self.monitor = EndpointMonitor(self.shared, self.endpoints)
        self.deployments = Deployments(
            self.shared, self.experiments, self.leaderboard, self.endpoints, self.monitor
        )
        self.batches = BatchTransforms(self.shared, self.endpoints)
        self.cleaner = Cleanup(self.shared, self.experiments, self.endpoints)

    # -- set-up ------------------------------------------------------------------------
    def _make_session(self) -> boto3.Session:
        """The boto3 Session to use: the standard credential chain and AWS_PROFILE.

        Tests (and embedders) pass `boto_session` to the constructor or override this.
        """
        if self._boto_session is not None:
            return self._boto_session
        return boto3.Session()

    @property
    def aws(self) -> AwsSession:
        """The AWS session, made on first use from the settings as they are then."""
        return self.shared.aws

    def _now(self) -> datetime:
        return self.shared.now()

    async def start(self) -> None:
        aws = self.aws
        self.log.info(
            "SageMaker backend: region %s, dry run %s, work dir %s",
            aws.region_or_none or "(not configured)",
            aws.dry_run,
            self.context.work_dir,
        )
        self._scheduler = asyncio.ensure_future(self.monitor.schedule_forever())

    async def shutdown(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
        running = [r.name for r in self.store.endpoints().values() if not r.serverless]
        if running:
            # A reminder in the server log: these are billed until someone deletes them.
            self.log.warning(
                "Endpoints deployed from this server may still be running (and billed by the "
                "hour): %s. Delete them with clean-up or in the SageMaker console.",
                ", ".join(sorted(running)),
            )
        if self.shared.has_aws:
            self.aws.shutdown()

    # -- server info -----------------------------------------------------------------------
    async def health(self) -> m.Health:
        aws = self.aws
        warnings: list[str] = []
        status = "ok"
        identity = role = bucket = None
        try:
            aws.check_region()
            ident = await aws.identity()
            identity = ident.get("Arn")
            role = await aws.execution_role()
            bucket = await aws.run(aws.bucket_name_sync)
            if role is None:
                warnings.append(
                    "No SageMaker execution role found: set --SageMakerBackend.role_arn or give one "
                    "in the create-experiment form."
                )
            # One (cached) ListEndpoints; costs from our records: no call per endpoint.
            warning = endpoints.running_warning(
                await self.endpoints.summaries(), self.store.endpoints(), aws.region
            )
            if warning:
                warnings.append(warning)
        except AutopilotError as exc:
            status = "error"
            warnings.append(exc.message)
        if aws.dry_run:
            warnings.append(
                "Dry run: requests that create, change or delete AWS resources are shown, not sent."
            )
        try:
            work_dir: str | None = to_api_path(self.context.root_dir, self.context.work_dir)
        except (ValueError, OSError):
            work_dir = None
        return m.Health(
            status=status,
            backend=self.name,
            version=self.context.version,
            work_dir=work_dir,
            region=aws.region_or_none,
            identity=identity,
            role_arn=role,
            default_bucket=bucket,
            dry_run=aws.dry_run,
            features=m.BackendFeatures(
                s3=True,
                upload=True,
                instance_types=list(DEPLOY_INSTANCE_TYPES),
                instance_prices={
                    t: price for t in DEPLOY_INSTANCE_TYPES if (price := hourly_cost(t)) is not None
                },
                serverless=True,
                batch_predictions=True,
                # On endpoints deployed with explanations (`Endpoint.explanations`).
                explanations=True,
                # TimeSeriesForecasting jobs (forecasting.py), deployed and forecast from
                # (forecast_serving.py).
                forecasting=True,
                not_implemented=self.not_implemented(),
            ),
            defaults=m.ExperimentDefaults(
                max_candidates=jobs.AWS_DEFAULT_MAX_CANDIDATES,
                max_trial_runtime_seconds=jobs.AWS_DEFAULT_MAX_TRIAL_RUNTIME,
                max_job_runtime_seconds=jobs.AWS_DEFAULT_MAX_JOB_RUNTIME,
                validation_fraction=0.2,
                metrics_by_problem_type={
                    p: [x for x in metrics if x in jobs.OPTIMISABLE]
                    for p, metrics in m.METRICS_BY_PROBLEM_TYPE.items()
                },
                minimized_metrics=ranking.minimized_metrics(),
                algorithms_by_training_mode={
                    mode: [m.AutoMLAlgorithm(a) for a in names]
                    for mode, names in jobs.ALGORITHMS_BY_MODE.items()
                },
            ),
            warnings=warnings,
        )

    # -- datasets -------------------------------------------------------------------------
    async def preview_dataset(self, request: m.DatasetPreviewRequest) -> m.DatasetPreview:
        return await self.aws.run(datasets.preview_sync, self.aws, self.context, request)

    async def upload_dataset(self, request: m.DatasetUploadRequest) -> m.DatasetUploadResponse:
        return await self.aws.run(
            datasets.upload_sync,
            self.aws,
            self.context.root_dir,
            request,
            max_bytes=self.max_upload_bytes,
            work_dir=self.context.work_dir,
        )

    # -- experiments ----------------------------------------------------------------------
    async def validate_experiment(self, spec: m.ExperimentSpec) -> m.ExperimentValidation:
        return await self.experiments.validate_experiment(spec)

    async def create_experiment(self, spec: m.ExperimentSpec) -> m.Experiment:
        return await self.experiments.create_experiment(spec)

    async def describe_experiment(self, name: str) -> m.Experiment:
        return await self.experiments.describe_experiment(name)

    async def list_experiments(self, query: m.ListExperimentsQuery) -> m.ExperimentList:
        return await self.experiments.list_experiments(query)

    async def stop_experiment(self, name: str) -> m.Experiment:
        return await self.experiments.stop_experiment(name)

    async def extend_experiment(
        self, name: str, request: m.ExperimentExtendRequest
    ) -> m.Experiment:
        await self.describe_experiment(name)  # 404 for an unknown name, as elsewhere
        raise InvalidRequest(
            "SageMaker Autopilot cannot continue an AutoML job: a job's completion criteria "
            "are fixed when it is created. Create a new experiment with a larger budget "
            "(max_candidates, max_job_runtime_seconds) instead; continuing a search is a "
            "local-backend feature."
        )

    # -- candidates and artifacts ------------------------------------------------------------
    async def list_candidates(self, name: str, query: m.ListCandidatesQuery) -> m.CandidateList:
        return await self.leaderboard.list_candidates(name, query)

    async def describe_candidate(self, name: str, candidate: str) -> m.CandidateDetail:
        return await self.leaderboard.describe_candidate(name, candidate)

    async def list_artifacts(self, name: str) -> m.ArtifactList:
        return await self.leaderboard.list_artifacts(name)

    # -- endpoints -------------------------------------------------------------------------
    async def deploy(self, name: str, request: m.DeployRequest) -> m.Endpoint:
        return await self.deployments.deploy(name, request)

    async def deploy_artifact(self, request: m.ArtifactDeployRequest) -> m.Endpoint:
        return await self.deployments.deploy_artifact(request)

    async def update_traffic(self, endpoint: str, update: m.TrafficUpdate) -> m.Endpoint:
        return await self.endpoints.update_traffic(endpoint, update)

    async def describe_endpoint(self, name: str) -> m.Endpoint:
        return await self.endpoints.describe_endpoint(name)

    async def list_endpoints(self) -> m.EndpointList:
        return await self.endpoints.list_endpoints()

    async def delete_endpoint(self, name: str) -> None:
        await self.endpoints.delete_endpoint(name)

    async def invoke_endpoint(
        self,
        name: str,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[m.InferenceKey] | None = None,
        explain: bool = False,
    ) -> InvocationResult:
        return await self.endpoints.invoke(
            name, body, content_type, accept, keys or [], explain=explain
        )

    async def forecast_future(self, name: str, item_ids: list[str] | None) -> m.ForecastFuture:
        return await self.endpoints.forecast_future(name, item_ids)

    # -- monitoring ------------------------------------------------------------------------
    async def start_batch_prediction(
        self, endpoint: str, request: m.BatchPredictionRequest
    ) -> m.BatchPrediction:
        return await self.batches.start(endpoint, request)

    async def describe_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        return await self.batches.describe(batch_id)

    async def estimate_endpoint(self, request: m.EndpointEstimateRequest) -> m.CostEstimate:
        return estimates.endpoint_estimate(request, region=self.aws.region_or_none)

    async def stop_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        return await self.batches.stop(batch_id)

    async def run_due_reports(self, now: datetime) -> list[str]:
        """Scheduled drift reports that are due (the scheduler calls it every minute)."""
        return await self.monitor.run_due_reports(now)

    # -- clean-up -------------------------------------------------------------------------
    async def cleanup_plan(self, name: str) -> m.CleanupPlan:
        return await self.cleaner.cleanup_plan(name)

    async def cleanup(self, name: str, request: m.CleanupRequest) -> m.CleanupResult:
        return await self.cleaner.cleanup(name, request)
