"""`SageMakerBackend`: the backend interface on Amazon SageMaker Autopilot, via boto3.

The modules next to this one do the work (see docs/sagemaker.md for the map); this
class wires them to the interface: it caches polling results, keeps local records, and
runs every boto3 call in the AWS thread pool.
"""

from __future__ import annotations

import asyncio
import collections
import csv
import difflib
import io
import json
import secrets
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import boto3

from ... import models as m
from ...exceptions import (
    AutopilotError,
    Conflict,
    InvalidDataset,
    InvalidRequest,
    NotFound,
    UnsupportedMediaType,
)
from ...monitoring import reports
from ...paths import to_api_path
from ..base import AutopilotBackend, BackendContext, InvocationResult
from . import artifacts, candidates, datasets, endpoints, imported, jobs, s3, training_logs
from . import monitoring as sm_monitoring
from . import tags as t
from .cache import TTLCache
from .dry_run import DryRunRecorder, details_for
from .pricing import DEFAULT_INSTANCE_TYPE, DEPLOY_INSTANCE_TYPES, hourly_cost
from .session import AwsSession
from .status_mapping import advance
from .store import EndpointRecord, ExperimentRecord, Store, VariantRecord

T = TypeVar("T")

#: Seconds a polled result is reused (per job / endpoint), so that many open panels
#: cost one AWS call per period.
DESCRIBE_TTL = 5.0
CANDIDATES_TTL = 10.0
LIST_TTL = 10.0
ENDPOINT_TTL = 5.0
ARTIFACTS_TTL = 15.0
TAGS_TTL = 300.0
STATIC_TTL = 3600.0  # endpoint configs and finished training jobs never change
CAPTURE_SYNC_TTL = 20.0  # SageMaker writes capture files every few minutes anyway
SCHEDULER_SECONDS = 60.0

ACTIVE_ENDPOINT = {m.EndpointStatus.Creating, m.EndpointStatus.InService, m.EndpointStatus.Updating}


class SageMakerBackend(AutopilotBackend):
    """Experiments as SageMaker AutoML jobs (V2 API), endpoints as SageMaker endpoints."""

    name = "sagemaker"

    def __init__(self, context: BackendContext, boto_session: boto3.Session | None = None):
        super().__init__(context)
        self._boto_session = boto_session
        self.store = Store(context.work_dir)
        self.cache = TTLCache()
        self._aws: AwsSession | None = None
        self._locks: dict[str, asyncio.Lock] = {}
        #: Upload progress by target URI: (bytes sent, total bytes).
        self.uploads: dict[str, tuple[int, int]] = {}
        self._scheduler: asyncio.Future[None] | None = None
        #: Invocations per production variant seen through this server (SageMaker itself
        #: reports them only through CloudWatch).
        self.variant_counts: collections.defaultdict[str, collections.Counter[str]] = (
            collections.defaultdict(collections.Counter)
        )

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
        if self._aws is None:
            self._aws = AwsSession(
                self._make_session,
                region=self.context.aws_region,
                role_arn=self.context.role_arn,
                default_bucket=self.context.default_bucket,
                dry_run=self.context.sagemaker_dry_run,
                log=self.log,
                user_agent=f"jupyter-autopilot/{self.context.version}",
            )
        return self._aws

    @property
    def dry_run_log(self) -> DryRunRecorder:
        """Every request dry-run mode held back (the last 200)."""
        return self.aws.recorder

    def _now(self) -> datetime:
        return m.utcnow()

    def _lock(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    async def start(self) -> None:
        aws = self.aws
        self.log.info(
            "SageMaker backend: region %s, dry run %s, work dir %s",
            aws.region_or_none or "(not configured)",
            aws.dry_run,
            self.context.work_dir,
        )
        self._scheduler = asyncio.ensure_future(self._schedule_forever())

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
        if self._aws is not None:
            self._aws.shutdown()

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
                    "No SageMaker execution role found: set --AutopilotApp.role_arn or give one "
                    "in the create-experiment form."
                )
            running = [
                e
                for e in (await self.list_endpoints()).endpoints
                if e.status in ACTIVE_ENDPOINT and e.serverless is None
            ]
            if running:
                cost = sum(e.hourly_cost_usd or 0.0 for e in running)
                warnings.append(
                    f"{len(running)} endpoint(s) running in {aws.region}, about USD {cost:.2f} per hour "
                    f"(approximate): {', '.join(e.name for e in running)}. Delete them when done."
                )
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
                batch_predictions=False,
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
            ),
            warnings=warnings,
        )

    # -- datasets -------------------------------------------------------------------------
    async def preview_dataset(self, request: m.DatasetPreviewRequest) -> m.DatasetPreview:
        return await self.aws.run(datasets.preview_sync, self.aws, self.context, request)

    async def upload_dataset(self, request: m.DatasetUploadRequest) -> m.DatasetUploadResponse:
        key = request.path

        def progress(done: int, total: int) -> None:
            self.uploads[key] = (done, total)

        try:
            return await self.aws.run(
                datasets.upload_sync, self.aws, self.context, request, on_progress=progress
            )
        finally:
            self.uploads.pop(key, None)

    # -- experiments ----------------------------------------------------------------------
    async def validate_experiment(self, spec: m.ExperimentSpec) -> m.ExperimentValidation:
        """The checks create makes (name, role, header columns) plus the local engine's
        data warnings on the head of the input; nothing is created or sent for writing."""
        aws = self.aws
        jobs.check_spec(spec)
        aws.check_region()
        existing = self.store.load_experiment(spec.name)
        available = existing is None or (existing.dry_run and not aws.dry_run)
        if available:
            try:
                await aws.call(
                    "sagemaker", "DescribeAutoMLJobV2", "check the name", AutoMLJobName=spec.name
                )
                available = False  # a job of that name exists (created elsewhere)
            except NotFound:
                pass
        if not (spec.role_arn or await aws.execution_role()):
            raise InvalidRequest(
                "No IAM execution role for SageMaker: give one in the form (role_arn) or start "
                "Jupyter with --AutopilotApp.role_arn.",
                details=[{"field": "role_arn"}],
            )
        columns = await aws.run(datasets.read_columns, aws, spec.input_uri, manifest=spec.manifest)
        self._check_columns(spec, columns)
        budget = jobs.budget_from(None, spec)
        warnings = await aws.run(datasets.sample_warnings_sync, aws, spec, budget)
        return m.ExperimentValidation(name_available=available, budget=budget, warnings=warnings)

    async def create_experiment(self, spec: m.ExperimentSpec) -> m.Experiment:
        aws = self.aws
        jobs.check_spec(spec)
        aws.check_region()
        existing = self.store.load_experiment(spec.name)
        # A dry-run record reserves nothing on AWS: a real create may reuse its name.
        if existing is not None and not (existing.dry_run and not aws.dry_run):
            raise Conflict(
                f"An experiment named {spec.name!r} exists already; AutoML job names cannot be "
                "reused on SageMaker, so choose another name."
            )
        with aws.recorder.collect() as requests:
            role = spec.role_arn or await aws.execution_role()
            if not role:
                raise InvalidRequest(
                    "No IAM execution role for SageMaker: give one in the form (role_arn) or start "
                    "Jupyter with --AutopilotApp.role_arn. It needs access to SageMaker and to the "
                    "input and output S3 locations (see docs/sagemaker.md).",
                    details=[{"field": "role_arn"}],
                )
            columns = await aws.run(
                datasets.read_columns, aws, spec.input_uri, manifest=spec.manifest
            )
            features = self._check_columns(spec, columns)
            if spec.output_uri:
                output_path = spec.output_uri.rstrip("/")
            else:
                bucket = await aws.run(aws.ensure_bucket_sync)
                output_path = s3.s3_uri(
                    bucket, s3.join_key(self.context.s3_prefix, spec.name, "output")
                )
            feature_spec_uri = None
            if spec.exclude_columns:
                feature_spec_uri = await self._put_feature_spec(spec, output_path, features)
            # Content and compression types follow the data itself (not the manifest).
            input_key = columns[2] if columns else s3.parse_s3_uri(spec.input_uri)[1]
            request = jobs.build_create_request(
                spec,
                role_arn=role,
                output_path=output_path,
                input_key=input_key,
                feature_spec_uri=feature_spec_uri,
                extra_tags={t.EXPERIMENT: spec.name},
            )
            response = await aws.call(
                "sagemaker", "CreateAutoMLJobV2", f"create the AutoML job {spec.name}", **request
            )
        record = ExperimentRecord(
            name=spec.name,
            spec=spec,
            job_arn=response.get("AutoMLJobArn"),
            region=aws.region,
            created_at=self._now(),
            dry_run=aws.dry_run,
            dry_run_requests=details_for(requests)["dry_run_requests"] if aws.dry_run else None,
            stages=m.initial_stages(),
            ensembling=True if spec.training_mode is m.TrainingMode.ensembling else None,
            input_columns=features,
            output_path=output_path,
            feature_spec_uri=feature_spec_uri,
        )
        self.store.save_experiment(record)
        self.cache.invalidate(("jobs",))
        self.log.info(
            "Created AutoML job %s (%s)", spec.name, "dry run" if aws.dry_run else record.job_arn
        )
        if record.dry_run:
            return self._dry_run_experiment(record)
        return await self.describe_experiment(spec.name)

    def _check_columns(
        self, spec: m.ExperimentSpec, columns: tuple[list[str], str, str] | None
    ) -> list[str]:
        """Check target, excluded columns and delimiter against the input's header."""
        if columns is None:
            if spec.exclude_columns:
                raise InvalidRequest(
                    "Excluding columns needs a CSV input whose header can be read; remove the "
                    "excluded columns or use a CSV input.",
                    details=[{"field": "exclude_columns"}],
                )
            return []
        header, delimiter, _key = columns
        if delimiter != ",":
            shown = "tab" if delimiter == "\t" else repr(delimiter)
            raise InvalidDataset(
                f"{spec.input_uri} uses {shown} as delimiter, but SageMaker Autopilot reads "
                "comma-separated CSV. Upload the local file with Upload to S3 (it converts the "
                "delimiter) or save it with commas.",
                details=[{"field": "input_uri"}],
            )
        if spec.target not in header:
            close = [c for c in header if c.casefold() == spec.target.casefold()]
            close = close or difflib.get_close_matches(spec.target, header, n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise InvalidDataset(
                f"The target column {spec.target!r} is not in {spec.input_uri}.{hint} Columns: "
                f"{', '.join(header[:30])}{' ...' if len(header) > 30 else ''}",
                details=[{"field": "target"}],
            )
        unknown = [c for c in spec.exclude_columns if c not in header]
        if unknown:
            raise InvalidDataset(
                f"Excluded column(s) {', '.join(repr(c) for c in unknown)} are not in {spec.input_uri}.",
                details=[{"field": "exclude_columns"}],
            )
        return [c for c in header if c != spec.target and c not in spec.exclude_columns]

    async def _put_feature_spec(
        self, spec: m.ExperimentSpec, output_path: str, features: list[str]
    ) -> str:
        """Write the FeatureSpecification file that leaves the excluded columns out."""
        bucket, prefix = s3.parse_s3_uri(output_path)
        key = s3.join_key(prefix, "feature-specification.json")
        body = json.dumps({"FeatureAttributeNames": features}).encode()
        await self.aws.call(
            "s3",
            "PutObject",
            f"write the feature specification for {spec.name}",
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType="application/json",
        )
        return s3.s3_uri(bucket, key)

    def _dry_run_experiment(self, record: ExperimentRecord) -> m.Experiment:
        return m.Experiment(
            name=record.name,
            backend=self.name,
            status=m.ExperimentStatus.Queued,
            stages=record.stages or m.initial_stages(),
            problem_type=record.spec.problem_type,
            created_at=record.created_at,
            tags=list(record.spec.tags),
            mode=record.spec.mode,
            dry_run=True,
            spec=record.spec,
            budget=jobs.budget_from(None, record.spec),
            status_message="Dry run: the request was validated but not sent to AWS.",
            backend_details={
                "dry_run": "true",
                "dry_run_requests": record.dry_run_requests or "[]",
            },
        )

    async def _describe_job(self, name: str, *, fresh: bool = False) -> dict[str, Any]:
        if fresh:
            self.cache.invalidate(("job", name))
        return await self.cache.get(
            ("job", name),
            DESCRIBE_TTL,
            lambda: self.aws.call(
                "sagemaker",
                "DescribeAutoMLJobV2",
                f"describe the experiment {name}",
                AutoMLJobName=name,
            ),
        )

    async def _candidates_raw(self, name: str) -> list[dict[str, Any]]:
        return await self.cache.get(
            ("candidates", name),
            CANDIDATES_TTL,
            lambda: self.aws.run(
                self.aws.paginate_sync,
                "sagemaker",
                "ListCandidatesForAutoMLJob",
                f"list the candidates of {name}",
                "Candidates",
                AutoMLJobName=name,
                SortBy="FinalObjectiveMetricValue",
                SortOrder="Descending",
                MaxResults=100,
            ),
        )

    async def _resource_tags(self, arn: str) -> dict[str, str]:
        if not arn:
            return {}
        result = await self.cache.get(
            ("tags", arn),
            TAGS_TTL,
            lambda: self.aws.run(
                self.aws.paginate_sync,
                "sagemaker",
                "ListTags",
                f"list the tags of {arn}",
                "Tags",
                ResourceArn=arn,
            ),
        )
        return t.as_dict(result)

    def _observe(
        self, name: str, desc: dict[str, Any], record: ExperimentRecord | None
    ) -> tuple[ExperimentRecord, list[m.Stage]]:
        """Apply one describe result to the stage history, saving it when it moved."""
        spec = record.spec if record else jobs.spec_from_description(desc, {})
        ensembling = record.ensembling if record else None
        mode = ((desc.get("AutoMLProblemTypeConfig") or {}).get("TabularJobConfig") or {}).get(
            "Mode"
        )
        if mode == "ENSEMBLING":
            ensembling = True
        elif mode == "HYPERPARAMETER_TUNING":
            ensembling = False
        stages = advance(
            record.stages if record else None,
            primary=desc.get("AutoMLJobStatus", "InProgress"),
            secondary=desc.get("AutoMLJobSecondaryStatus", "Starting"),
            now=self._now(),
            pilot=spec.mode is m.RunMode.pilot,
            ensembling=ensembling,
            failure_reason=desc.get("FailureReason"),
            created_at=desc.get("CreationTime"),
        )
        if desc.get("AutoMLJobSecondaryStatus") == "TrainingModels":
            ensembling = True
        if record is None:
            record = ExperimentRecord(
                name=name,
                spec=spec,
                job_arn=desc.get("AutoMLJobArn"),
                region=self.aws.region_or_none,
                created_at=desc.get("CreationTime") or self._now(),
                stages=stages,
                ensembling=ensembling,
                output_path=(desc.get("OutputDataConfig") or {}).get("S3OutputPath"),
            )
            self.store.save_experiment(record)
        elif stages != record.stages or ensembling != record.ensembling:
            record = record.model_copy(update={"stages": stages, "ensembling": ensembling})
            self.store.save_experiment(record)
        return record, stages

    async def describe_experiment(self, name: str) -> m.Experiment:
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            return self._dry_run_experiment(record)
        desc = await self._describe_job(name)
        external = record is None
        tag_dict = await self._resource_tags(desc.get("AutoMLJobArn", "")) if external else {}
        if external:
            # Not created here: rebuild the spec from AWS (and remember it from now on).
            record = ExperimentRecord(
                name=name,
                spec=jobs.spec_from_description(desc, tag_dict),
                job_arn=desc.get("AutoMLJobArn"),
                region=self.aws.region_or_none,
                created_at=desc.get("CreationTime") or self._now(),
                output_path=(desc.get("OutputDataConfig") or {}).get("S3OutputPath"),
            )
        record, stages = self._observe(name, desc, record)
        completed = 0
        best_algorithm = None
        if desc.get("BestCandidate") or stages[-1].status is not m.StageStatus.pending:
            rows = [candidates.candidate_from_aws(c) for c in await self._candidates_raw(name)]
            completed = sum(1 for c in rows if c.status is m.CandidateStatus.Completed)
        if desc.get("BestCandidate"):
            best_algorithm = candidates.algorithm_of(desc["BestCandidate"])
        details = {"job_arn": desc.get("AutoMLJobArn", ""), "region": self.aws.region_or_none or ""}
        if record.output_path:
            details["output_path"] = record.output_path
        return jobs.experiment_from(
            desc,
            spec=record.spec,
            stages=stages,
            tag_list=list(record.spec.tags),
            candidates_completed=completed,
            best_algorithm=best_algorithm,
            details=details,
        )

    async def list_experiments(self, query: m.ListExperimentsQuery) -> m.ExperimentList:
        summaries_raw = await self.cache.get(
            ("jobs",),
            LIST_TTL,
            lambda: self.aws.run(
                self.aws.paginate_sync,
                "sagemaker",
                "ListAutoMLJobs",
                "list the AutoML jobs",
                "AutoMLJobSummaries",
                limit=1000,
                SortBy="CreationTime",
                SortOrder="Descending",
                MaxResults=100,
            ),
        )
        rows: list[m.ExperimentSummary] = []
        seen: set[str] = set()
        for job in summaries_raw:
            name = job["AutoMLJobName"]
            seen.add(name)
            record = self.store.load_experiment(name)
            spec = record.spec if record else None
            stages = advance(
                record.stages if record else None,
                primary=job.get("AutoMLJobStatus", "InProgress"),
                secondary=job.get("AutoMLJobSecondaryStatus", "Starting"),
                now=self._now(),
                pilot=bool(spec and spec.mode is m.RunMode.pilot),
                ensembling=record.ensembling if record else None,
                failure_reason=job.get("FailureReason"),
                created_at=job.get("CreationTime"),
            )
            rows.append(jobs.summary_from(job, stages, spec))
        for name in self.store.experiment_names():
            record = self.store.load_experiment(name)
            if record is not None and record.dry_run and name not in seen:
                rows.append(
                    m.ExperimentSummary.model_validate(
                        self._dry_run_experiment(record).model_dump(
                            include=set(m.ExperimentSummary.model_fields)
                        )
                    )
                )
        if query.status is not None:
            rows = [r for r in rows if r.status is query.status]
        if query.search:
            needle = query.search.lower()
            rows = [r for r in rows if needle in r.name.lower()]
        if query.sort_by == "name":
            rows.sort(key=lambda r: r.name.lower(), reverse=query.order == "desc")
        elif query.sort_by == "status":
            rows.sort(key=lambda r: r.status.value, reverse=query.order == "desc")
        else:
            rows.sort(key=lambda r: r.created_at, reverse=query.order == "desc")
        return m.ExperimentList(
            experiments=rows[query.offset : query.offset + query.limit], total=len(rows)
        )

    async def stop_experiment(self, name: str) -> m.Experiment:
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            await self.aws.call(
                "sagemaker", "StopAutoMLJob", f"stop the experiment {name}", AutoMLJobName=name
            )
            return self._dry_run_experiment(record)
        desc = await self._describe_job(name, fresh=True)
        # Record the stage it is stopped in (the stop ends that stage, see status_mapping).
        self._observe(name, desc, record)
        if desc.get("AutoMLJobStatus") in ("Completed", "Failed", "Stopped"):
            raise Conflict(
                f"The experiment {name} has already ended ({desc['AutoMLJobStatus']}); nothing to stop."
            )
        with self.aws.recorder.collect() as requests:
            await self.aws.call(
                "sagemaker", "StopAutoMLJob", f"stop the experiment {name}", AutoMLJobName=name
            )
        self.cache.invalidate(("job", name), ("jobs",))
        experiment = await self.describe_experiment(name)
        if self.aws.dry_run:
            experiment.backend_details.update(details_for(requests))
        return experiment

    # -- candidates and artifacts ------------------------------------------------------------
    async def _ranked(
        self, name: str
    ) -> tuple[list[m.Candidate], list[dict[str, Any]], dict[str, Any]]:
        desc = await self._describe_job(name)
        raw = await self._candidates_raw(name)
        best = (desc.get("BestCandidate") or {}).get("CandidateName")
        rows = candidates.rank([candidates.candidate_from_aws(c) for c in raw], best)
        return rows, raw, desc

    async def list_candidates(self, name: str, query: m.ListCandidatesQuery) -> m.CandidateList:
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            return m.CandidateList(candidates=[], total=0)
        rows, _raw, _desc = await self._ranked(name)
        return candidates.select(rows, query)

    async def describe_candidate(self, name: str, candidate: str) -> m.CandidateDetail:
        rows, raw, _desc = await self._ranked(name)
        row = next((c for c in rows if c.name == candidate), None)
        source = next((c for c in raw if c["CandidateName"] == candidate), None)
        if row is None or source is None:
            raise NotFound(f"The experiment {name} has no candidate named {candidate!r}.")
        hyperparameters: dict[str, Any] = {}
        if row.training_job_name:
            try:
                job = await self.cache.get(
                    ("training-job", row.training_job_name),
                    STATIC_TTL
                    if row.status is not m.CandidateStatus.InProgress
                    else CANDIDATES_TTL,
                    lambda: self.aws.call(
                        "sagemaker",
                        "DescribeTrainingJob",
                        f"describe the training job {row.training_job_name}",
                        TrainingJobName=row.training_job_name,
                    ),
                )
                hyperparameters = {
                    k: v
                    for k, v in (job.get("HyperParameters") or {}).items()
                    if not k.startswith(("_", "sagemaker_"))
                }
            except AutopilotError as exc:
                # Details are a bonus: the leaderboard row is still right without them.
                self.log.warning("No hyperparameters for %s: %s", candidate, exc.message)
        curves, findings = await self._training_insight(row)
        importance: list[m.FeatureImportance] = []
        location = (
            (source.get("CandidateProperties") or {}).get("CandidateArtifactLocations") or {}
        ).get("Explainability")
        if location:
            importance = await self.cache.get(
                ("importance", location),
                STATIC_TTL,
                lambda: self.aws.run(self._read_importance, location),
            )
            if not importance:
                # The report is written after the candidate finishes: ask again soon
                # instead of remembering "nothing" for an hour.
                self.cache.invalidate(("importance", location))
        base = row.model_dump()
        base["hyperparameters"] = hyperparameters
        return m.CandidateDetail(
            **base,
            feature_importance=importance,
            importance_method="shap" if importance else None,
            insights=m.ModelInsights(metrics=dict(row.metrics)),
            training_curves=curves,
            training_findings=findings,
        )

    async def _training_insight(
        self, row: m.Candidate
    ) -> tuple[list[m.TrainingCurve], list[m.TrainingFinding]]:
        """The candidate's learning curves from its training job's CloudWatch log."""
        job = row.training_job_name
        if not job or row.status is m.CandidateStatus.InProgress:
            return [], []
        try:
            lines = await self.cache.get(
                ("training-log", job),
                STATIC_TTL,
                lambda: self.aws.run(training_logs.read_training_log, self.aws, job),
            )
        except AutopilotError as exc:
            # Curves are a bonus (logs:GetLogEvents may not be allowed): say so in the log.
            self.log.info("No training log for %s: %s", job, exc.message)
            return [], []
        return training_logs.curves_and_findings(lines)

    def _read_importance(self, location: str) -> list[m.FeatureImportance]:
        try:
            bucket, prefix = s3.parse_s3_uri(location)
            key = s3.join_key(prefix, "analysis.json")
            data, _ = s3.read_head(self.aws, bucket, key, 5 * 1024**2)
            return candidates.feature_importance_from_clarify(json.loads(data))
        except (AutopilotError, ValueError) as exc:
            self.log.info("No feature importance at %s: %s", location, exc)
            return []

    async def list_artifacts(self, name: str) -> m.ArtifactList:
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            return m.ArtifactList(
                artifacts=artifacts.sync_artifacts(
                    self.aws, None, None, Path("."), self.context.root_dir
                )
            )
        desc = await self._describe_job(name)
        dest = self.store.experiment_dir(name)

        async def load() -> list[m.Artifact]:
            async with self._lock(f"artifacts:{name}"):
                return await self.aws.run(
                    artifacts.sync_artifacts,
                    self.aws,
                    desc,
                    desc.get("BestCandidate"),
                    dest,
                    self.context.root_dir,
                )

        found = await self.cache.get(
            ("artifacts", name, desc.get("LastModifiedTime")), ARTIFACTS_TTL, load
        )
        return m.ArtifactList(artifacts=found)

    # -- endpoints -------------------------------------------------------------------------
    async def deploy(self, name: str, request: m.DeployRequest) -> m.Endpoint:
        aws = self.aws
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            raise Conflict(f"{name} is a dry-run experiment: it has no candidates to deploy.")
        rows, raw, desc = await self._ranked(name)
        if request.variants:
            return await self._deploy_variants(name, request, rows, raw, desc, record)
        wanted = request.candidate or (desc.get("BestCandidate") or {}).get("CandidateName")
        if wanted is None:
            best = next((c for c in rows if c.rank == 1), None)
            wanted = best.name if best else None
        if wanted is None:
            raise Conflict(
                f"The experiment {name} has no finished candidate yet; deploy once model tuning "
                "has completed at least one candidate."
            )
        endpoint_name = request.endpoint_name or endpoints.default_endpoint_name(name)
        model_name, config_name = endpoints.resource_names(endpoint_name)
        instance_type = (
            None if request.serverless else (request.instance_type or DEFAULT_INSTANCE_TYPE)
        )
        role = desc.get("RoleArn") or await aws.execution_role()
        keys = list(request.inference_response_keys)
        tag_list = t.aws_tags(
            {
                t.CREATED_BY: "jupyter-autopilot",
                t.EXPERIMENT: name,
                t.CANDIDATE: wanted,
                t.INFERENCE_KEYS: ":".join(k.value for k in keys),
            }
        )
        model_request, row = self._candidate_model(
            name, rows, raw, wanted, model_name, role, desc, request, tag_list
        )
        variant = endpoints.production_variant(
            model_name,
            instance_type=instance_type,
            instance_count=request.instance_count,
            serverless=request.serverless,
        )
        input_columns = (
            record.input_columns
            if record and record.input_columns
            else await self._input_columns(desc)
        )
        capture, destination = await self._capture_settings(request.data_capture)
        with aws.recorder.collect() as requests:
            response = await self._create_serving(
                endpoint_name, [model_request], config_name, [variant], tag_list, capture
            )
        now = self._now()
        endpoint_record = EndpointRecord(
            name=endpoint_name,
            experiment=name,
            candidate=wanted,
            data_capture=request.data_capture or m.DataCaptureConfig(),
            capture_destination=destination,
            algorithm=row.algorithm,
            model_name=model_name,
            config_name=config_name,
            created_at=now,
            instance_type=instance_type,
            instance_count=None if request.serverless else request.instance_count,
            serverless=request.serverless is not None,
            inference_response_keys=keys,
            input_columns=input_columns,
            objective_metric=row.objective_metric.value if row.objective_metric else None,
            objective_value=row.objective_value,
        )
        endpoint = self._created(endpoint_record, record, response, [variant], requests)
        self.log.info("Deploying %s of %s to endpoint %s", wanted, name, endpoint_name)
        return endpoint

    async def deploy_artifact(self, request: m.ArtifactDeployRequest) -> m.Endpoint:
        """An exported local model (model.tar.gz) as a SageMaker endpoint running
        SageMaker's scikit-learn image with the archive's `code/inference.py`."""
        from ...paths import existing_file

        aws = self.aws
        aws.check_region()
        region = aws.region_or_none or ""
        endpoint_name = request.endpoint_name
        if request.artifact.startswith("s3://"):
            s3.parse_s3_uri(request.artifact, what="artifact")
            model_data_url, manifest = request.artifact, {}
        else:
            path = await aws.run(
                existing_file,
                self.context.root_dir,
                request.artifact,
                what="artifact",
                work_dir=self.context.work_dir,
            )
            manifest = await aws.run(imported.read_manifest, path)
            bucket = await aws.run(aws.ensure_bucket_sync)
            key = s3.join_key(self.context.s3_prefix, "models", endpoint_name, "model.tar.gz")
            await aws.run(s3.upload_file, aws, path, bucket, key)
            model_data_url = s3.s3_uri(bucket, key)
        role = await aws.execution_role()
        if not role:
            raise InvalidRequest(
                "No IAM execution role for SageMaker: start Jupyter with --AutopilotApp.role_arn.",
                details=[{"field": "role_arn"}],
            )
        keys = [k.value for k in request.inference_response_keys]
        model_name, config_name = endpoints.resource_names(endpoint_name)
        experiment, candidate = manifest.get("experiment"), manifest.get("candidate")
        tag_values = {t.CREATED_BY: "jupyter-autopilot", t.INFERENCE_KEYS: ":".join(keys)}
        if experiment:
            tag_values[t.EXPERIMENT] = experiment
        if candidate:
            tag_values[t.CANDIDATE] = candidate
        tag_list = t.aws_tags(tag_values)
        model_request = {
            "ModelName": model_name,
            "ExecutionRoleArn": role,
            "PrimaryContainer": imported.container(model_data_url, region, request.image_uri, keys),
            "Tags": tag_list,
        }
        instance_type = (
            None if request.serverless else (request.instance_type or DEFAULT_INSTANCE_TYPE)
        )
        variant = endpoints.production_variant(
            model_name,
            instance_type=instance_type,
            instance_count=request.instance_count,
            serverless=request.serverless,
        )
        with aws.recorder.collect() as requests:
            response = await self._create_serving(
                endpoint_name, [model_request], config_name, [variant], tag_list
            )
        now = self._now()
        record = EndpointRecord(
            name=endpoint_name,
            experiment=experiment,
            candidate=candidate,
            algorithm=manifest.get("algorithm"),
            model_name=model_name,
            config_name=config_name,
            created_at=now,
            instance_type=instance_type,
            instance_count=None if request.serverless else request.instance_count,
            serverless=request.serverless is not None,
            inference_response_keys=list(request.inference_response_keys),
            input_columns=manifest.get("input_columns", []),
            objective_metric=manifest.get("objective_metric"),
            objective_value=manifest.get("objective_value"),
        )
        endpoint = self._created(record, None, response, [variant], requests)
        endpoint.backend_details["model_data"] = model_data_url
        self.log.info("Deploying exported model %s to endpoint %s", model_data_url, endpoint_name)
        return endpoint

    @staticmethod
    def _candidate_model(
        name: str,
        rows: list[m.Candidate],
        raw: list[dict[str, Any]],
        candidate: str,
        model_name: str,
        role: str | None,
        desc: dict[str, Any],
        request: m.DeployRequest,
        tags: list[dict[str, str]],
    ) -> tuple[dict[str, Any], m.Candidate]:
        """The CreateModel request for a finished candidate (its inference containers, set
        to answer the requested keys; the job's VPC), and its leaderboard row."""
        source = next((c for c in raw if c["CandidateName"] == candidate), None)
        row = next((c for c in rows if c.name == candidate), None)
        if source is None or row is None:
            raise NotFound(f"The experiment {name} has no candidate named {candidate!r}.")
        if row.status is not m.CandidateStatus.Completed:
            raise Conflict(
                f"The candidate {candidate} is {row.status.value}; only completed candidates "
                "can be deployed."
            )
        containers = source.get("InferenceContainers") or []
        if not containers:
            raise Conflict(f"The candidate {candidate} has no inference containers to deploy.")
        if request.serverless is not None and len(containers) > 1:
            raise InvalidRequest(
                f"The candidate {candidate} is a pipeline of {len(containers)} containers; "
                "SageMaker Serverless Inference serves single-container models only. Choose an "
                "instance type (for example ml.m5.large) or deploy an ensemble candidate.",
                details=[{"field": "serverless"}],
            )
        definitions = endpoints.model_containers(
            endpoints.configure_containers(containers, list(request.inference_response_keys))
        )
        model_request: dict[str, Any] = {
            "ModelName": model_name,
            "ExecutionRoleArn": role,
            "Tags": tags,
        }
        if len(definitions) == 1:
            model_request["PrimaryContainer"] = definitions[0]
        else:
            model_request["Containers"] = definitions
            model_request["InferenceExecutionConfig"] = {"Mode": "Serial"}
        vpc = (desc.get("SecurityConfig") or {}).get("VpcConfig")
        if vpc:
            model_request["VpcConfig"] = vpc
        return model_request, row

    async def _deploy_variants(
        self,
        name: str,
        request: m.DeployRequest,
        rows: list[m.Candidate],
        raw: list[dict[str, Any]],
        desc: dict[str, Any],
        record: ExperimentRecord | None,
    ) -> m.Endpoint:
        """Several candidates behind one endpoint: a model per candidate and one endpoint
        config with a production variant each, weighted as asked."""
        aws = self.aws
        assert request.variants is not None
        endpoint_name = request.endpoint_name or endpoints.default_endpoint_name(name)
        _, config_name = endpoints.resource_names(endpoint_name)
        instance_type = (
            None if request.serverless else (request.instance_type or DEFAULT_INSTANCE_TYPE)
        )
        role = desc.get("RoleArn") or await aws.execution_role()
        keys = list(request.inference_response_keys)
        tag_list = t.aws_tags(
            {
                t.CREATED_BY: "jupyter-autopilot",
                t.EXPERIMENT: name,
                t.INFERENCE_KEYS: ":".join(k.value for k in keys),
            }
        )
        model_requests: list[dict[str, Any]] = []
        variants: list[dict[str, Any]] = []
        records: list[VariantRecord] = []
        metric: str | None = None
        for index, (variant_name, spec) in enumerate(
            zip(request.variant_names(), request.variants, strict=True), 1
        ):
            model_name = f"{endpoint_name[:52]}-v{index}-model"
            model_tags = t.aws_tags(
                {t.CREATED_BY: "jupyter-autopilot", t.EXPERIMENT: name, t.CANDIDATE: spec.candidate}
            )
            model_request, row = self._candidate_model(
                name, rows, raw, spec.candidate, model_name, role, desc, request, model_tags
            )
            if metric is None and row.objective_metric is not None:
                metric = row.objective_metric.value
            model_requests.append(model_request)
            variants.append(
                endpoints.production_variant(
                    model_name,
                    instance_type=instance_type,
                    instance_count=request.instance_count,
                    serverless=request.serverless,
                    name=variant_name,
                    weight=spec.weight,
                )
            )
            records.append(
                VariantRecord(
                    name=variant_name,
                    candidate=spec.candidate,
                    model_name=model_name,
                    algorithm=row.algorithm,
                    objective_value=row.objective_value,
                    metrics=row.metrics,
                )
            )
        input_columns = (
            record.input_columns
            if record and record.input_columns
            else await self._input_columns(desc)
        )
        capture, destination = await self._capture_settings(request.data_capture)
        with aws.recorder.collect() as requests:
            response = await self._create_serving(
                endpoint_name, model_requests, config_name, variants, tag_list, capture
            )
        now = self._now()
        first = records[0]
        endpoint_record = EndpointRecord(
            name=endpoint_name,
            data_capture=request.data_capture or m.DataCaptureConfig(),
            capture_destination=destination,
            experiment=name,
            candidate=first.candidate,
            algorithm=first.algorithm,
            model_name=first.model_name,
            config_name=config_name,
            created_at=now,
            instance_type=instance_type,
            instance_count=None if request.serverless else request.instance_count,
            serverless=request.serverless is not None,
            inference_response_keys=keys,
            input_columns=input_columns,
            objective_metric=metric or desc.get("AutoMLJobObjective", {}).get("MetricName"),
            objective_value=first.objective_value,
            variants=records,
        )
        endpoint = self._created(endpoint_record, record, response, variants, requests)
        self.log.info("Deploying %d variants of %s to %s", len(records), name, endpoint_name)
        return endpoint

    async def update_traffic(self, endpoint: str, update: m.TrafficUpdate) -> m.Endpoint:
        """UpdateEndpointWeightsAndCapacities: new weights, applied by SageMaker in place."""
        desc = await self._ensure_endpoint_exists(endpoint)
        known = [v.get("VariantName") for v in desc.get("ProductionVariants") or []]
        if len(known) < 2:
            raise Conflict(
                f"Endpoint {endpoint!r} serves a single model; deploy with `variants` to split "
                "traffic between candidates."
            )
        unknown = sorted(set(update.weights) - set(known))
        if unknown:
            raise InvalidRequest(
                f"Endpoint {endpoint!r} has no variant named {', '.join(map(repr, unknown))}; "
                f"its variants are {', '.join(str(k) for k in known)}."
            )
        current = {
            v["VariantName"]: float(v.get("CurrentWeight", 1.0))
            for v in desc.get("ProductionVariants") or []
        }
        merged = {**current, **update.weights}
        if not any(w > 0 for w in merged.values()):
            raise InvalidRequest("At least one variant needs a weight above 0 to get traffic.")
        await self.aws.call(
            "sagemaker",
            "UpdateEndpointWeightsAndCapacities",
            f"update the traffic weights of {endpoint}",
            EndpointName=endpoint,
            DesiredWeightsAndCapacities=[
                {"VariantName": name, "DesiredWeight": weight}
                for name, weight in update.weights.items()
            ],
        )
        self.cache.invalidate(("endpoints",), ("endpoint", endpoint))
        return await self.describe_endpoint(endpoint)

    # -- monitoring ------------------------------------------------------------------------
    async def _capture_settings(
        self, config: m.DataCaptureConfig | None
    ) -> tuple[dict[str, Any] | None, str | None]:
        """(DataCaptureConfig for the endpoint config, S3 destination) when capture is on."""
        if config is None or not config.enabled:
            return None, None
        bucket = await self.aws.run(self.aws.ensure_bucket_sync)
        destination = sm_monitoring.capture_destination(bucket, self.context.s3_prefix)
        return sm_monitoring.data_capture_config(destination, config), destination

    def _monitored(self, endpoint: str) -> EndpointRecord:
        record = self.store.endpoints().get(endpoint)
        if record is None:
            raise NotFound(
                f"There is no endpoint named {endpoint!r} deployed from this server; "
                "monitoring covers the endpoints it created."
            )
        return record

    def _monitor_dir(self, endpoint: str) -> Path:
        return self.context.work_dir / "sagemaker" / "endpoints" / endpoint

    async def _sync_captures(self, record: EndpointRecord) -> None:
        """Bring SageMaker's new capture files into the work dir (at most every 20 s)."""
        if not record.capture_destination:
            return

        async def sync() -> int:
            return await self.aws.run(
                sm_monitoring.sync_captures,
                self.aws,
                record.capture_destination,
                record.name,
                self._monitor_dir(record.name),
                record.input_columns,
                [k.value for k in record.inference_response_keys],
            )

        await self.cache.get(("captures", record.name), CAPTURE_SYNC_TTL, sync)

    async def monitoring_status(self, endpoint: str) -> m.MonitoringStatus:
        record = self._monitored(endpoint)
        await self._sync_captures(record)
        return await asyncio.to_thread(
            reports.status,
            self._monitor_dir(endpoint),
            endpoint,
            record.data_capture,
            record.schedule_minutes,
            record.baseline_error,
        )

    async def configure_monitoring(
        self, endpoint: str, config: m.MonitoringConfig
    ) -> m.MonitoringStatus:
        """Capture settings live in the endpoint config: a change makes a new config and
        updates the endpoint to it (SageMaker keeps serving meanwhile)."""
        record = self._monitored(endpoint)
        if config.data_capture != record.data_capture:
            record = await self._switch_capture(record, config.data_capture)
        record = record.model_copy(update={"schedule_minutes": config.schedule_minutes})
        if not self.aws.dry_run:
            self.store.save_endpoint(record)
        return await self.monitoring_status(endpoint)

    async def _switch_capture(
        self, record: EndpointRecord, wanted: m.DataCaptureConfig
    ) -> EndpointRecord:
        aws = self.aws
        desc = await self._ensure_endpoint_exists(record.name)
        old_config = desc.get("EndpointConfigName") or record.config_name
        current = await self._endpoint_config(old_config) or {}
        capture, destination = await self._capture_settings(wanted)
        if capture is None and record.capture_destination:
            # Off: keep the destination so what was captured stays readable.
            capture = sm_monitoring.data_capture_config(record.capture_destination, wanted)
            destination = record.capture_destination
        new_config = f"{record.name[:49]}-config-{secrets.token_hex(3)}"
        tag_list = t.aws_tags(
            {t.CREATED_BY: "jupyter-autopilot", t.EXPERIMENT: record.experiment or ""}
        )
        params: dict[str, Any] = {
            "EndpointConfigName": new_config,
            "ProductionVariants": current.get("ProductionVariants") or [],
            "Tags": tag_list,
        }
        if capture:
            params["DataCaptureConfig"] = capture
        await aws.call(
            "sagemaker",
            "CreateEndpointConfig",
            f"create the endpoint config {new_config}",
            **params,
        )
        try:
            await aws.call(
                "sagemaker",
                "UpdateEndpoint",
                f"switch {record.name} to the endpoint config {new_config}",
                EndpointName=record.name,
                EndpointConfigName=new_config,
            )
        except AutopilotError:
            await aws.call(
                "sagemaker",
                "DeleteEndpointConfig",
                f"delete the endpoint config {new_config}",
                EndpointConfigName=new_config,
            )
            raise
        if old_config and old_config != new_config:
            try:
                await aws.call(
                    "sagemaker",
                    "DeleteEndpointConfig",
                    f"delete the old endpoint config {old_config}",
                    EndpointConfigName=old_config,
                )
            except AutopilotError as error:
                self.log.warning("Old endpoint config %s kept: %s", old_config, error.message)
        self.cache.invalidate(
            ("endpoints",), ("endpoint", record.name), ("endpoint-config", old_config)
        )
        return record.model_copy(
            update={
                "data_capture": wanted,
                "capture_destination": destination,
                "config_name": new_config,
            }
        )

    async def run_monitoring_report(
        self, endpoint: str, request: m.MonitoringReportRequest
    ) -> m.MonitoringReport:
        return await self._report(endpoint, request, "on_demand")

    async def _report(
        self, endpoint: str, request: m.MonitoringReportRequest, trigger: str
    ) -> m.MonitoringReport:
        record = self._monitored(endpoint)
        folder = self._monitor_dir(endpoint)
        self.cache.invalidate(("captures", endpoint))
        await self._sync_captures(record)
        if not await asyncio.to_thread(reports.baseline_path(folder).is_file):
            record = await self._ensure_sm_baseline(record)
        until = self._now()
        since = until - timedelta(hours=request.window_hours)
        found = await asyncio.to_thread(reports.captured_records, folder, 1)
        records_in_window = [r for r in found.records if r.captured_at >= since]
        if not found.total or not records_in_window:
            raise Conflict(
                f"Endpoint {endpoint!r} has no captured data in the last "
                f"{request.window_hours:g} hours: enable data capture and send it some "
                "requests first (SageMaker writes capture files every few minutes)."
            )
        report = await asyncio.to_thread(
            reports.build_report, folder, endpoint, since, until, trigger
        )
        if not self.aws.dry_run:
            self.store.save_endpoint(record.model_copy(update={"last_report_at": until}))
        return report

    async def _ensure_sm_baseline(self, record: EndpointRecord) -> EndpointRecord:
        experiment = self.store.load_experiment(record.experiment) if record.experiment else None
        try:
            if experiment is None:
                raise ValueError(
                    "this endpoint was not deployed from an experiment of this server, so its "
                    "training data is unknown"
                )
            await self.aws.run(
                sm_monitoring.build_baseline_from_s3,
                self.aws,
                self._monitor_dir(record.name),
                experiment.spec.input_uri,
                experiment.spec.manifest,
                record.input_columns,
            )
        except (AutopilotError, OSError, ValueError) as error:
            message = getattr(error, "message", None) or str(error)
            reason = f"The baseline needs the experiment's training data: {message}"
            if not self.aws.dry_run:
                self.store.save_endpoint(record.model_copy(update={"baseline_error": reason}))
            raise Conflict(reason) from None
        updated = record.model_copy(update={"baseline_error": None})
        if not self.aws.dry_run:
            self.store.save_endpoint(updated)
        return updated

    async def describe_monitoring_report(self, endpoint: str, report_id: str) -> m.MonitoringReport:
        self._monitored(endpoint)
        found = await asyncio.to_thread(reports.read_report, self._monitor_dir(endpoint), report_id)
        if found is None:
            raise NotFound(f"Endpoint {endpoint!r} has no monitoring report {report_id!r}.")
        return found

    async def list_captures(self, endpoint: str, query: m.ListCapturesQuery) -> m.CapturedRecords:
        record = self._monitored(endpoint)
        await self._sync_captures(record)
        return await asyncio.to_thread(
            reports.captured_records, self._monitor_dir(endpoint), query.limit
        )

    async def run_due_reports(self, now: datetime) -> list[str]:
        """Scheduled drift reports that are due (called every SCHEDULER_SECONDS)."""
        done = []
        for record in self.store.endpoints().values():
            if not record.schedule_minutes:
                continue
            last = record.last_report_at
            if last is not None and now - last < timedelta(minutes=record.schedule_minutes):
                continue
            window = m.MonitoringReportRequest(window_hours=record.schedule_minutes / 60)
            try:
                await self._report(record.name, window, "schedule")
            except Conflict:
                self.store.save_endpoint(record.model_copy(update={"last_report_at": now}))
                continue
            done.append(record.name)
        return done

    async def _schedule_forever(self) -> None:
        while True:
            await asyncio.sleep(SCHEDULER_SECONDS)
            try:
                await self.run_due_reports(self._now())
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad endpoint must not stop the scheduler
                self.log.exception("Scheduled monitoring failed")

    def _created(
        self,
        endpoint_record: EndpointRecord,
        experiment: ExperimentRecord | None,
        response: dict[str, Any],
        variants: list[dict[str, Any]],
        requests: Any,
    ) -> m.Endpoint:
        """Record a just-created endpoint (unless dry run) and describe it as Creating."""
        name = endpoint_record.name
        if not self.aws.dry_run:
            self.store.save_endpoint(endpoint_record)
            if experiment is not None and name not in experiment.endpoints:
                self.store.save_experiment(
                    experiment.model_copy(update={"endpoints": [*experiment.endpoints, name]})
                )
        self.cache.invalidate(("endpoints",), ("endpoint", name))
        endpoint = endpoints.endpoint_from(
            {
                "EndpointStatus": "Creating",
                "CreationTime": endpoint_record.created_at,
                "EndpointArn": response.get("EndpointArn", ""),
            },
            {"ProductionVariants": variants},
            endpoint_record,
            {},
            name=name,
            region=self.aws.region_or_none,
            now=endpoint_record.created_at,
        )
        if self.aws.dry_run:
            endpoint.backend_details.update(details_for(requests))
        return endpoint

    async def _create_serving(
        self,
        endpoint_name: str,
        model_requests: list[dict[str, Any]],
        config_name: str,
        variants: list[dict[str, Any]],
        tag_list: list[dict[str, str]],
        data_capture: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """CreateModel (one per variant), CreateEndpointConfig, CreateEndpoint; on any
        failure delete what was made, so nothing half-made (and billed) is left behind."""
        aws = self.aws
        created: list[tuple[str, str, dict[str, Any]]] = []
        try:
            for model_request in model_requests:
                model_name = model_request["ModelName"]
                await aws.call(
                    "sagemaker", "CreateModel", f"create the model {model_name}", **model_request
                )
                created.append(
                    ("DeleteModel", f"delete the model {model_name}", {"ModelName": model_name})
                )
            await aws.call(
                "sagemaker",
                "CreateEndpointConfig",
                f"create the endpoint config {config_name}",
                EndpointConfigName=config_name,
                ProductionVariants=variants,
                Tags=tag_list,
                **({"DataCaptureConfig": data_capture} if data_capture else {}),
            )
            created.append(
                (
                    "DeleteEndpointConfig",
                    f"delete the endpoint config {config_name}",
                    {"EndpointConfigName": config_name},
                )
            )
            return dict(
                await aws.call(
                    "sagemaker",
                    "CreateEndpoint",
                    f"create the endpoint {endpoint_name}",
                    EndpointName=endpoint_name,
                    EndpointConfigName=config_name,
                    Tags=tag_list,
                )
            )
        except AutopilotError:
            for operation, action, params in reversed(created):
                try:
                    await aws.call("sagemaker", operation, action, **params)
                except AutopilotError as cleanup_error:
                    self.log.warning("Could not roll back: %s", cleanup_error.message)
            raise

    async def _input_columns(self, desc: dict[str, Any]) -> list[str]:
        """Feature columns for a job not created here (header of its input, minus target)."""
        try:
            source = desc["AutoMLJobInputDataConfig"][0]["DataSource"]["S3DataSource"]
            target = desc["AutoMLProblemTypeConfig"]["TabularJobConfig"]["TargetAttributeName"]
            columns = await self.aws.run(
                datasets.read_columns,
                self.aws,
                source["S3Uri"],
                manifest=source["S3DataType"] == "ManifestFile",
            )
        except (AutopilotError, KeyError, IndexError):
            return []
        return [c for c in columns[0] if c != target] if columns else []

    async def _describe_endpoint_raw(self, name: str) -> dict[str, Any]:
        return await self.cache.get(
            ("endpoint", name),
            ENDPOINT_TTL,
            lambda: self.aws.call(
                "sagemaker", "DescribeEndpoint", f"describe the endpoint {name}", EndpointName=name
            ),
        )

    async def _endpoint_config(self, config_name: str | None) -> dict[str, Any] | None:
        if not config_name:
            return None
        try:
            return await self.cache.get(
                ("endpoint-config", config_name),
                STATIC_TTL,
                lambda: self.aws.call(
                    "sagemaker",
                    "DescribeEndpointConfig",
                    f"describe the endpoint config {config_name}",
                    EndpointConfigName=config_name,
                ),
            )
        except NotFound:
            return None

    async def describe_endpoint(self, name: str) -> m.Endpoint:
        desc = await self._describe_endpoint_raw(name)
        config = await self._endpoint_config(desc.get("EndpointConfigName"))
        record = self.store.endpoints().get(name)
        tag_dict = {} if record else await self._resource_tags(desc.get("EndpointArn", ""))
        return endpoints.endpoint_from(
            desc,
            config,
            record,
            tag_dict,
            name=name,
            region=self.aws.region_or_none,
            now=self._now(),
            variant_counts=dict(self.variant_counts.get(name, {})),
        )

    async def list_endpoints(self) -> m.EndpointList:
        summaries = await self.cache.get(
            ("endpoints",),
            LIST_TTL,
            lambda: self.aws.run(
                self.aws.paginate_sync,
                "sagemaker",
                "ListEndpoints",
                "list the endpoints",
                "Endpoints",
                limit=100,
                SortBy="CreationTime",
                SortOrder="Descending",
                MaxResults=100,
            ),
        )
        gate = asyncio.Semaphore(4)

        async def one(name: str) -> m.Endpoint | None:
            async with gate:
                try:
                    return await self.describe_endpoint(name)
                except NotFound:
                    return None  # deleted between the list and the describe

        found = await asyncio.gather(*(one(s["EndpointName"]) for s in summaries))
        return m.EndpointList(endpoints=[e for e in found if e is not None])

    async def _ensure_endpoint_exists(self, name: str) -> dict[str, Any]:
        try:
            return await self._describe_endpoint_raw(name)
        except NotFound:
            raise NotFound(
                f"There is no endpoint named {name!r} in {self.aws.region_or_none}."
            ) from None

    async def delete_endpoint(self, name: str) -> None:
        _deleted, failed = await self._delete_endpoint_resources(name)
        if failed:
            raise failed[0][1]

    async def _delete_endpoint_resources(
        self, name: str
    ) -> tuple[list[m.CleanupItem], list[tuple[m.CleanupItem, AutopilotError]]]:
        """Delete an endpoint, then its config and model when we created them."""
        desc = await self._ensure_endpoint_exists(name)
        record = self.store.endpoints().get(name)
        tag_dict = {} if record else await self._resource_tags(desc.get("EndpointArn", ""))
        ours = record is not None or tag_dict.get(t.CREATED_BY) == "jupyter-autopilot"
        config_name = desc.get("EndpointConfigName") or (record.config_name if record else None)
        config = await self._endpoint_config(config_name)
        model_names = [
            v["ModelName"]
            for v in (config or {}).get("ProductionVariants") or []
            if v.get("ModelName")
        ] or ([record.model_name] if record else [])
        steps: list[tuple[m.CleanupItem, str, dict[str, Any]]] = [
            (
                m.CleanupItem(kind=m.ResourceKind.endpoint, name=name, description="Endpoint"),
                "DeleteEndpoint",
                {"EndpointName": name},
            )
        ]
        if ours and config_name:
            steps.append(
                (
                    m.CleanupItem(
                        kind=m.ResourceKind.endpoint_config,
                        name=config_name,
                        description="Endpoint configuration",
                    ),
                    "DeleteEndpointConfig",
                    {"EndpointConfigName": config_name},
                )
            )
        for model_name in model_names if ours else []:
            steps.append(
                (
                    m.CleanupItem(kind=m.ResourceKind.model, name=model_name, description="Model"),
                    "DeleteModel",
                    {"ModelName": model_name},
                )
            )
        deleted: list[m.CleanupItem] = []
        failed: list[tuple[m.CleanupItem, AutopilotError]] = []
        for item, operation, params in steps:
            try:
                await self.aws.call(
                    "sagemaker",
                    operation,
                    f"delete {item.description.lower()} {item.name}",
                    **params,
                )
                deleted.append(item)
            except NotFound:
                deleted.append(item)  # already gone: that is what we wanted
            except AutopilotError as exc:
                failed.append((item, exc))
        if not self.aws.dry_run and not failed:
            self.store.forget_endpoint(name)
        self.cache.invalidate(("endpoints",), ("endpoint", name))
        return deleted, failed

    async def invoke_endpoint(
        self,
        name: str,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[m.InferenceKey] | None = None,
    ) -> InvocationResult:
        record = self.store.endpoints().get(name)
        deployed_keys = list(record.inference_response_keys) if record else []
        if keys and deployed_keys and any(k not in deployed_keys for k in keys):
            raise InvalidRequest(
                f"The endpoint {name} was deployed to return {', '.join(k.value for k in deployed_keys)}; "
                "deploy it again with the response keys you need.",
                details=[{"field": "keys"}],
            )
        kind = content_type.split(";")[0].strip().lower()
        if kind == "application/json":
            body = self._json_to_csv(body, record.input_columns if record else [])
        elif kind != "text/csv":
            raise UnsupportedMediaType(
                f"Autopilot endpoints read text/csv (or JSON instances here), not {content_type}."
            )

        def invoke() -> tuple[bytes, str | None]:
            response = self.aws.call_sync(
                "sagemaker-runtime",
                "InvokeEndpoint",
                f"invoke the endpoint {name}",
                EndpointName=name,
                Body=body,
                ContentType="text/csv",
                Accept="text/csv",
            )
            return bytes(response["Body"].read()), response.get("InvokedProductionVariant")

        answer, variant = await self.aws.run(invoke)
        if record is not None and record.data_capture.enabled:
            # This request may have been captured: look for new capture files next time.
            self.cache.invalidate(("captures", name))
        if variant and record is not None and record.variants:
            self.variant_counts[name][variant] += 1
        shown_keys = keys or deployed_keys
        if keys and deployed_keys and keys != deployed_keys:
            answer = _select_columns(answer, deployed_keys, keys)
        if accept.split(";")[0].strip().lower() == "application/json":
            predictions = _csv_to_predictions(
                answer, shown_keys or [m.InferenceKey.predicted_label]
            )
            return InvocationResult(
                body=m.InvocationResponse(predictions=predictions).model_dump_json().encode(),
                content_type="application/json",
                variant=variant if record and record.variants else None,
            )
        return InvocationResult(
            body=answer,
            content_type="text/csv",
            variant=variant if record and record.variants else None,
        )

    @staticmethod
    def _json_to_csv(body: bytes, columns: list[str]) -> bytes:
        try:
            parsed = m.InvocationJsonBody.model_validate_json(body)
        except ValueError as exc:
            raise InvalidRequest(
                f'JSON input must look like {{"instances": [...]}}: {exc}'
            ) from exc
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in parsed.instances:
            if isinstance(row, dict):
                if not columns:
                    raise InvalidRequest(
                        "This endpoint's column order is unknown: send lists or text/csv rows."
                    )
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
            else:
                writer.writerow(["" if v is None else v for v in row])
        return out.getvalue().encode()

    # -- clean-up -------------------------------------------------------------------------
    async def cleanup_plan(self, name: str) -> m.CleanupPlan:
        record = self.store.load_experiment(name)
        if record is None:
            await self.describe_experiment(
                name
            )  # NotFound for unknown names; records external jobs
            record = self.store.load_experiment(name)
        assert record is not None
        items: list[m.CleanupItem] = []
        for endpoint in (await self.list_endpoints()).endpoints:
            if endpoint.experiment != name:
                continue
            shape = (
                f"{endpoint.instance_type} x {endpoint.instance_count}"
                if endpoint.instance_type
                else "serverless"
            )
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.endpoint,
                    name=endpoint.name,
                    description=f"Endpoint ({shape}), {endpoint.status.value}",
                    hourly_cost_usd=endpoint.hourly_cost_usd,
                )
            )
            if endpoint.backend_details.get("endpoint_config"):
                items.append(
                    m.CleanupItem(
                        kind=m.ResourceKind.endpoint_config,
                        name=endpoint.backend_details["endpoint_config"],
                        description=f"Endpoint configuration of {endpoint.name}",
                    )
                )
            saved = self.store.endpoints().get(endpoint.name)
            variant_models = [v.model_name for v in saved.variants] if saved else []
            for model_name in variant_models or (
                [endpoint.model_name] if endpoint.model_name else []
            ):
                items.append(
                    m.CleanupItem(
                        kind=m.ResourceKind.model,
                        name=model_name,
                        description=f"Model of {endpoint.name}",
                    )
                )
        outputs = self._output_prefix(record)
        if outputs:
            bucket, prefix = outputs
            objects = await self.aws.run(s3.list_objects, self.aws, bucket, prefix, limit=10000)
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.s3_prefix,
                    name=s3.s3_uri(bucket, prefix),
                    description=f"Autopilot outputs on S3 ({len(objects)} objects: notebooks, models, reports)",
                    size_bytes=sum(o["Size"] for o in objects),
                )
            )
        if record.feature_spec_uri and not (
            outputs and record.feature_spec_uri.startswith(s3.s3_uri(*outputs))
        ):
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.s3_object,
                    name=record.feature_spec_uri,
                    description="Feature specification file",
                )
            )
        local = self.store.experiment_dir(name)
        for sub in ("notebooks", "explainability", "model-insights"):
            folder = local / sub
            if folder.is_dir():
                try:
                    shown = to_api_path(self.context.root_dir, folder)
                except ValueError:
                    shown = str(folder)
                items.append(
                    m.CleanupItem(
                        kind=m.ResourceKind.directory,
                        name=shown,
                        description="Downloaded notebooks and reports",
                        size_bytes=sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
                    )
                )
        return m.CleanupPlan(experiment=name, items=items)

    def _output_prefix(self, record: ExperimentRecord) -> tuple[str, str] | None:
        """The S3 prefix holding this job's outputs (only ever this job's own folder)."""
        if not record.output_path or record.dry_run:
            return None
        bucket, prefix = s3.parse_s3_uri(record.output_path)
        if not record.spec.output_uri:
            # Our default layout: <s3_prefix>/<name>/output is entirely this experiment's.
            return bucket, s3.join_key(prefix) + "/"
        # A user-chosen location may hold other things: only the job's own sub-folder.
        return bucket, s3.join_key(prefix, record.name) + "/"

    async def cleanup(self, name: str, request: m.CleanupRequest) -> m.CleanupResult:
        plan = await self.cleanup_plan(name)
        record = self.store.load_experiment(name)
        dry = self.aws.dry_run
        deleted: list[m.CleanupItem] = []
        failed: list[m.CleanupFailure] = []

        def mark(item: m.CleanupItem) -> m.CleanupItem:
            return (
                item.model_copy(update={"description": f"Dry run: would delete {item.description}"})
                if dry
                else item
            )

        handled: set[tuple[m.ResourceKind, str]] = set()
        # Endpoints first: they are what costs money by the hour.
        for item in [i for i in plan.items if i.kind is m.ResourceKind.endpoint]:
            try:
                done, errors = await self._delete_endpoint_resources(item.name)
            except AutopilotError as exc:
                failed.append(m.CleanupFailure(item=item, error=exc.message))
                continue
            for part in done:
                handled.add((part.kind, part.name))
                original = next(
                    (i for i in plan.items if (i.kind, i.name) == (part.kind, part.name)), part
                )
                deleted.append(mark(original))
            for part, error in errors:
                handled.add((part.kind, part.name))
                failed.append(m.CleanupFailure(item=part, error=error.message))
        for item in plan.items:
            if (item.kind, item.name) in handled or item.kind is m.ResourceKind.endpoint:
                continue
            try:
                if item.kind in (m.ResourceKind.endpoint_config, m.ResourceKind.model):
                    operation = (
                        "DeleteEndpointConfig"
                        if item.kind is m.ResourceKind.endpoint_config
                        else "DeleteModel"
                    )
                    key = (
                        "EndpointConfigName"
                        if item.kind is m.ResourceKind.endpoint_config
                        else "ModelName"
                    )
                    try:
                        await self.aws.call(
                            "sagemaker", operation, f"delete {item.name}", **{key: item.name}
                        )
                    except NotFound:
                        pass
                elif not request.include_outputs:
                    continue
                elif item.kind is m.ResourceKind.s3_prefix:
                    bucket, prefix = s3.parse_s3_uri(item.name)
                    await self.aws.run(s3.delete_prefix, self.aws, bucket, prefix)
                elif item.kind is m.ResourceKind.s3_object:
                    bucket, key = s3.parse_s3_uri(item.name)
                    await self.aws.call(
                        "s3", "DeleteObject", f"delete {item.name}", Bucket=bucket, Key=key
                    )
                elif item.kind is m.ResourceKind.directory and not dry:
                    folder = self.store.experiment_dir(name) / Path(item.name).name
                    await asyncio.to_thread(shutil.rmtree, folder, True)
                deleted.append(mark(item))
            except AutopilotError as exc:
                failed.append(m.CleanupFailure(item=item, error=exc.message))
        if request.delete_experiment and record is not None and not dry and not failed:
            self.store.forget_experiment(name)
            deleted.append(
                m.CleanupItem(
                    kind=m.ResourceKind.experiment_record,
                    name=name,
                    description="Local record of the experiment",
                )
            )
        self.cache.invalidate(("endpoints",), prefix=("artifacts", name))
        return m.CleanupResult(experiment=name, deleted=deleted, failed=failed)

    # -- helpers for the Python client and tests ---------------------------------------------
    async def wait_for_endpoint(
        self, name: str, *, delay: int = 30, max_attempts: int = 60
    ) -> m.Endpoint:
        """Block (in the AWS thread pool) until the endpoint is InService, using boto3's waiter."""

        def wait() -> None:
            try:
                waiter = self.aws.client("sagemaker").get_waiter("endpoint_in_service")
                waiter.wait(
                    EndpointName=name, WaiterConfig={"Delay": delay, "MaxAttempts": max_attempts}
                )
            except Exception as exc:
                from .errors import translate

                raise translate(
                    exc, f"wait for the endpoint {name}", region=self.aws.region_or_none
                ) from exc

        await self.aws.run(wait)
        self.cache.invalidate(("endpoint", name))
        return await self.describe_endpoint(name)


def _select_columns(
    answer: bytes, deployed: list[m.InferenceKey], wanted: list[m.InferenceKey]
) -> bytes:
    """Keep only the `wanted` response columns of a CSV answer (in the wanted order)."""
    indexes = [deployed.index(k) for k in wanted]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(answer.decode("utf-8"))):
        # `probabilities`/`labels` are JSON-ish lists that csv keeps quoted as one field.
        writer.writerow([row[i] if i < len(row) else "" for i in indexes])
    return out.getvalue().encode()


def _csv_to_predictions(answer: bytes, keys: list[m.InferenceKey]) -> list[m.Prediction]:
    predictions = []
    for row in csv.reader(io.StringIO(answer.decode("utf-8"))):
        if not row:
            continue
        values: dict[str, Any] = {}
        for key, raw in zip(keys, row, strict=False):
            if key is m.InferenceKey.probability:
                values["probability"] = float(raw) if raw else None
            elif key in (m.InferenceKey.probabilities, m.InferenceKey.labels):
                try:
                    parsed = json.loads(raw.replace("'", '"'))
                except ValueError:
                    parsed = [p.strip() for p in raw.strip("[]").split(",") if p.strip()]
                if key is m.InferenceKey.probabilities:
                    values["probabilities"] = [float(p) for p in parsed]
                else:
                    values["labels"] = [str(p) for p in parsed]
            else:
                values["predicted_label"] = raw
        predictions.append(m.Prediction(**values))
    return predictions
