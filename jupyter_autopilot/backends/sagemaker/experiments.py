"""Experiments as AutoML jobs: validate, create (CreateAutoMLJobV2), describe with the
four stages, list, stop. Dry-run experiments are kept as local records only.

The request and response translations are in `jobs.py` (pure functions); this part adds
the calls, the polling cache and the records this server keeps (`store.py`).
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from ... import models as m
from ...exceptions import AutopilotError, Conflict, InvalidDataset, InvalidRequest, NotFound
from . import cache as ttl
from . import candidates, datasets, estimates, forecasting, jobs, s3
from .dry_run import details_for
from .shared import Part
from .status_mapping import advance
from .store import ExperimentRecord


class Experiments(Part):
    """AutoML jobs: the experiments of the sagemaker backend."""

    async def validate_experiment(self, spec: m.ExperimentSpec) -> m.ExperimentValidation:
        """The checks create makes (name, role, header columns) plus the local engine's
        data warnings on the head of the input; nothing is created or sent for writing."""
        aws = self.aws
        spec = await self._with_frequency(spec)
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
                "Jupyter with --SageMakerBackend.role_arn.",
                details=[{"field": "role_arn"}],
            )
        columns = await aws.run(datasets.read_columns, aws, spec.input_uri, manifest=spec.manifest)
        self._check_columns(spec, columns)
        if columns:
            jobs.content_settings(columns[2], manifest=spec.manifest)
        await self._validation_key(spec, columns)
        budget = jobs.budget_from(None, spec)
        warnings = await aws.run(datasets.sample_warnings_sync, aws, spec, budget)
        return m.ExperimentValidation(
            name_available=available,
            budget=budget,
            warnings=warnings,
            cost_estimate=self.estimate(spec, aws.region_or_none),
        )

    async def _with_frequency(self, spec: m.ExperimentSpec) -> m.ExperimentSpec:
        """A forecasting spec without a frequency gets the one detected on the head of its
        S3 input (Autopilot requires ForecastFrequency; the local backend detects it too).
        Left as it is when the input cannot be read: the checks then say what to set."""
        forecast = spec.forecast
        if (
            forecast is None
            or forecast.frequency is not None
            or not spec.input_uri.startswith("s3://")
        ):
            return spec
        try:
            found = await self.aws.run(datasets.detect_frequency_sync, self.aws, spec)
        except AutopilotError as exc:
            self.log.info("No frequency detected for %s: %s", spec.name, exc.message)
            return spec
        if found is None:
            return spec
        return spec.model_copy(
            update={"forecast": forecast.model_copy(update={"frequency": found})}
        )

    async def create_experiment(self, spec: m.ExperimentSpec) -> m.Experiment:
        aws = self.aws
        spec = await self._with_frequency(spec)
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
                    "Jupyter with --SageMakerBackend.role_arn. It needs access to SageMaker and to the "
                    "input and output S3 locations (see docs/sagemaker.md).",
                    details=[{"field": "role_arn"}],
                )
            columns = await aws.run(
                datasets.read_columns, aws, spec.input_uri, manifest=spec.manifest
            )
            features = self._check_columns(spec, columns)
            # Content and compression types follow the data itself (not the manifest).
            input_key = columns[2] if columns else s3.parse_s3_uri(spec.input_uri)[1]
            jobs.content_settings(input_key, manifest=spec.manifest)  # refuses Gzip + manifest
            validation_key = await self._validation_key(spec, columns)
            if spec.output_uri:
                output_path = spec.output_uri.rstrip("/")
            else:
                bucket = await aws.run(aws.ensure_bucket_sync)
                output_path = s3.s3_uri(
                    bucket, s3.join_key(self.shared.settings.s3_prefix, spec.name, "output")
                )
            feature_spec_uri = None
            if forecasting.is_forecasting(spec):
                # The related columns when the file has others too (forecasting.py says
                # why); a Parquet input's header is not read, so its related are named.
                names = (
                    forecasting.check_forecast_columns(spec, columns[0])
                    if columns
                    else list(spec.forecast.related if spec.forecast else [])
                )
                if names:
                    feature_spec_uri = await self._put_feature_spec(spec, output_path, names)
            elif spec.exclude_columns:
                feature_spec_uri = await self._put_feature_spec(spec, output_path, features)
            request = jobs.build_create_request(
                spec,
                role_arn=role,
                output_path=output_path,
                input_key=input_key,
                feature_spec_uri=feature_spec_uri,
                validation_key=validation_key,
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
            return self.dry_run_experiment(record)
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
        if spec.sample_weight is not None and spec.sample_weight not in header:
            raise InvalidDataset(
                f"The sample weight column {spec.sample_weight!r} is not in {spec.input_uri}. "
                f"Columns: {', '.join(header[:30])}{' ...' if len(header) > 30 else ''}",
                details=[{"field": "sample_weight"}],
            )
        if forecasting.is_forecasting(spec):
            forecasting.check_forecast_columns(spec, header)
        # The weight column is not a feature (AWS leaves it out of the features too).
        not_features = {spec.target, spec.sample_weight, *spec.exclude_columns}
        return [c for c in header if c not in not_features]

    async def _validation_key(
        self, spec: m.ExperimentSpec, columns: tuple[list[str], str, str] | None
    ) -> str | None:
        """Check the validation file against the training input; returns its S3 key.

        AWS wants the two channels in the same format (CSV or Parquet) with the same
        schema ("How to specify training and validation datasets", developer guide):
        refused here with what to fix, before anything is created.
        """
        if spec.validation_file is None:
            return None
        if s3.parse_s3_uri(spec.validation_file) == s3.parse_s3_uri(spec.input_uri):
            raise InvalidRequest(
                "The validation file is the training file; choose a separate file of held-out "
                "rows, or leave the validation file out to split the training file.",
                details=[{"field": "validation_file"}],
            )
        try:
            found = await self.aws.run(
                datasets.read_columns, self.aws, spec.validation_file, manifest=False
            )
        except NotFound as error:  # the request names it: a 400, like every other problem
            raise InvalidDataset(error.message, details=[{"field": "validation_file"}]) from None
        key = found[2] if found else s3.parse_s3_uri(spec.validation_file)[1]
        content_type, _ = jobs.content_settings(key)
        train_type = jobs.content_settings(columns[2])[0] if columns else jobs.PARQUET_CONTENT_TYPE
        if content_type != train_type:
            raise InvalidDataset(
                f"The validation file {spec.validation_file} is "
                f"{'Parquet' if found is None else 'CSV'} but the training data is "
                f"{'CSV' if columns else 'Parquet'}; SageMaker Autopilot needs both in the same "
                "format.",
                details=[{"field": "validation_file"}],
            )
        if found is None or columns is None:
            return key
        header, delimiter, _ = found
        if delimiter != ",":
            raise InvalidDataset(
                f"{spec.validation_file} is not comma-separated; SageMaker Autopilot reads "
                "comma-separated CSV. Upload it with Upload to S3 (it converts the delimiter).",
                details=[{"field": "validation_file"}],
            )
        train_header = columns[0]
        if header != train_header:
            missing = [c for c in train_header if c not in header]
            extra = [c for c in header if c not in train_header]
            parts = []
            if missing:
                parts.append(f"missing {', '.join(repr(c) for c in missing[:8])}")
            if extra:
                parts.append(f"not in the training data {', '.join(repr(c) for c in extra[:8])}")
            what = "; ".join(parts) or "the same columns in another order"
            raise InvalidDataset(
                f"The validation file {spec.validation_file} does not have the training data's "
                f"header ({what}). SageMaker Autopilot needs the same columns in the same order; "
                "save it with the training file's header row.",
                details=[{"field": "validation_file"}],
            )
        return key

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

    def dry_run_experiment(self, record: ExperimentRecord) -> m.Experiment:
        return m.Experiment(
            name=record.name,
            backend="sagemaker",
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
                # The bill before the run, next to the requests it would send.
                "cost_estimate": self.estimate(record.spec, record.region).model_dump_json(),
            },
        )

    def estimate(self, spec: m.ExperimentSpec, region: str | None) -> m.CostEstimate:
        """Time and cost of `spec`'s budget (estimates.py states the assumptions)."""
        return estimates.experiment_estimate(
            jobs.budget_from(None, spec),
            region=region,
            candidates_only=spec.mode is not m.RunMode.complete,
        )

    async def describe_job(self, name: str, *, fresh: bool = False) -> dict[str, Any]:
        if fresh:
            self.cache.invalidate(("job", name))
        return await self.described("DescribeAutoMLJobV2", name, ttl.DESCRIBE_TTL)

    async def candidates_raw(self, name: str) -> list[dict[str, Any]]:
        return await self.cache.get(
            ("candidates", name),
            ttl.CANDIDATES_TTL,
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
            forecasting=forecasting.is_forecasting(spec),
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
            return self.dry_run_experiment(record)
        desc = await self.describe_job(name)
        external = record is None
        tag_dict = await self.shared.resource_tags(desc.get("AutoMLJobArn", "")) if external else {}
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
            rows = [candidates.candidate_from_aws(c) for c in await self.candidates_raw(name)]
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
            ttl.LIST_TTL,
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
                forecasting=bool(spec and forecasting.is_forecasting(spec)),
            )
            rows.append(jobs.summary_from(job, stages, spec))
        for name in self.store.experiment_names():
            record = self.store.load_experiment(name)
            if record is not None and record.dry_run and name not in seen:
                rows.append(
                    m.ExperimentSummary.model_validate(
                        self.dry_run_experiment(record).model_dump(
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
            return self.dry_run_experiment(record)
        desc = await self.describe_job(name, fresh=True)
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
