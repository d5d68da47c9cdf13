"""Deploying: an endpoint from candidates of an experiment (each a model behind a
production variant; a single candidate is the one-variant case) or from an exported
model.tar.gz, created so that a failure leaves nothing half-made behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ... import models as m
from ...exceptions import AutopilotError, Conflict, InvalidRequest, NotFound
from . import datasets, endpoints, explanations, forecasting, imported, s3
from . import tags as t
from .candidates import Leaderboard
from .dry_run import details_for
from .experiments import Experiments
from .monitoring import EndpointMonitor
from .pricing import DEFAULT_INSTANCE_TYPE
from .serving import Endpoints
from .shared import Part, Shared
from .store import EndpointRecord, ExperimentRecord, ForecasterRecord, VariantRecord


@dataclass
class PlannedVariant:
    """A production variant to create: its name, candidate, weight and model's name."""

    name: str
    candidate: str
    weight: float
    model_name: str


class Deployments(Part):
    """Creates endpoints (CreateModel, CreateEndpointConfig, CreateEndpoint)."""

    def __init__(
        self,
        shared: Shared,
        experiments: Experiments,
        leaderboard: Leaderboard,
        endpoints: Endpoints,
        monitor: EndpointMonitor,
    ):
        super().__init__(shared)
        self.experiments = experiments
        self.leaderboard = leaderboard
        self.endpoints = endpoints
        self.monitor = monitor

    async def deploy(self, name: str, request: m.DeployRequest) -> m.Endpoint:
        """Candidates of an experiment behind a new endpoint: a model per candidate, each
        the production variant of one endpoint config, weighted as asked. One candidate
        (the best by default) is the one-variant case: its variant is AllTraffic."""
        aws = self.aws
        record = self.store.load_experiment(name)
        if record is not None and record.dry_run:
            raise Conflict(f"{name} is a dry-run experiment: it has no candidates to deploy.")
        endpoints.check_serverless(request)
        check_explanations(request)
        rows, raw, desc = await self.leaderboard.ranked(name)
        forecaster = forecasting.is_forecasting_job(desc)
        if forecaster:
            forecasting.check_deploy_request(request)
        endpoints.check_serverless(
            request, job_vpc=(desc.get("SecurityConfig") or {}).get("VpcConfig")
        )
        endpoint_name = request.endpoint_name or endpoints.default_endpoint_name(name)
        planned = self._plan_variants(name, request, rows, desc, endpoint_name)
        _, config_name = endpoints.resource_names(endpoint_name)
        instance_type = (
            None if request.serverless else (request.instance_type or DEFAULT_INSTANCE_TYPE)
        )
        role = desc.get("RoleArn") or await aws.execution_role()
        # A forecaster answers its quantiles and mean: no response keys to choose.
        keys = (
            []
            if forecaster
            else endpoints.response_keys(raw, planned[0].candidate, request.inference_response_keys)
        )
        if request.explanations:
            keys = endpoints.explained_keys(raw, planned[0].candidate, keys)
        request = request.model_copy(update={"inference_response_keys": keys})
        ours = {t.CREATED_BY: "jupyter-autopilot", t.EXPERIMENT: name}
        answers = {t.INFERENCE_KEYS: ":".join(k.value for k in keys)}
        # Each model names its candidate; the endpoint too when it serves just one.
        single = {t.CANDIDATE: planned[0].candidate} if len(planned) == 1 else {}
        tag_list = t.aws_tags({**ours, **single, **answers})
        model_requests: list[dict[str, Any]] = []
        variants: list[dict[str, Any]] = []
        records: list[VariantRecord] = []
        metric: str | None = None
        for plan in planned:
            model_tags = t.aws_tags({**ours, t.CANDIDATE: plan.candidate, **answers})
            model_request, row = self._candidate_model(
                name, rows, raw, plan.candidate, plan.model_name, role, desc, request, model_tags
            )
            if metric is None and row.objective_metric is not None:
                metric = row.objective_metric.value
            model_requests.append(model_request)
            variants.append(
                endpoints.production_variant(
                    plan.model_name,
                    instance_type=instance_type,
                    instance_count=request.instance_count,
                    serverless=request.serverless,
                    name=plan.name,
                    weight=plan.weight,
                )
            )
            scores = row.model_dump(include={"algorithm", "objective_value", "metrics"})
            records.append(
                VariantRecord(
                    name=plan.name, candidate=plan.candidate, model_name=plan.model_name, **scores
                )
            )
        input_columns = (
            record.input_columns
            if record and record.input_columns
            else await self._input_columns(desc)
        )
        forecaster_record = await self._forecaster(record, desc) if forecaster else None
        if forecaster_record is not None:
            from ...engine.forecasting.series import ITEM, TIMESTAMP

            # What a forecast request names, as a local forecaster's endpoint shows it.
            input_columns = [ITEM, TIMESTAMP, *forecaster_record.related]
        capture, destination = await self.monitor.capture_settings(request.data_capture)
        explainer = (
            await self._explainer(name, record, desc, input_columns, keys)
            if request.explanations
            else None
        )
        with aws.recorder.collect() as requests:
            response = await self._create_serving(
                endpoint_name, model_requests, config_name, variants, tag_list, capture, explainer
            )
        first = records[0]
        endpoint_record = EndpointRecord(
            name=endpoint_name,
            data_capture=request.data_capture or m.DataCaptureConfig(),
            capture_destination=destination,
            experiment=name,
            # The first variant's candidate, model and score stand for the endpoint's.
            **first.model_dump(include={"candidate", "algorithm", "model_name", "objective_value"}),
            config_name=config_name,
            created_at=self._now(),
            instance_type=instance_type,
            instance_count=None if request.serverless else request.instance_count,
            serverless=request.serverless is not None,
            inference_response_keys=keys,
            input_columns=input_columns,
            objective_metric=metric or desc.get("AutoMLJobObjective", {}).get("MetricName"),
            # A split endpoint remembers its variants; a single model is the endpoint's own.
            variants=records if request.variants else [],
            explanations=explainer is not None,
            forecaster=forecaster_record,
        )
        endpoint = self._created(endpoint_record, record, response, variants, requests)
        shown = ", ".join(r.candidate for r in records)
        self.log.info("Deploying %s of %s to endpoint %s", shown, name, endpoint_name)
        return endpoint

    async def _explainer(
        self,
        name: str,
        record: ExperimentRecord | None,
        desc: dict[str, Any],
        columns: list[str],
        keys: list[m.InferenceKey],
    ) -> dict[str, Any]:
        """The ExplainerConfig of an endpoint deployed with explanations: its baseline
        from the head of the experiment's training data on S3."""
        if not columns:
            raise InvalidRequest(
                f"The input columns of {name}'s model are unknown, so SageMaker Clarify "
                "cannot be given a baseline; deploy without explanations.",
                details=[{"field": "explanations"}],
            )
        if record is not None:
            uri, manifest = record.spec.input_uri, record.spec.manifest
        else:
            source = desc["AutoMLJobInputDataConfig"][0]["DataSource"]["S3DataSource"]
            uri, manifest = source["S3Uri"], source["S3DataType"] == "ManifestFile"
        baseline = await self.aws.run(
            explanations.baseline_from_s3, self.aws, uri, manifest, columns
        )
        return explanations.explainer_config(baseline, columns, keys)

    @staticmethod
    def _plan_variants(
        name: str,
        request: m.DeployRequest,
        rows: list[m.Candidate],
        desc: dict[str, Any],
        endpoint_name: str,
    ) -> list[PlannedVariant]:
        """The variants to deploy: those asked for, or the one candidate asked for (else
        the job's best) as the AllTraffic variant."""
        if request.variants:
            return [
                PlannedVariant(
                    variant, spec.candidate, spec.weight, f"{endpoint_name[:52]}-v{i}-model"
                )
                for i, (variant, spec) in enumerate(
                    zip(request.variant_names(), request.variants, strict=True), 1
                )
            ]
        wanted = request.candidate or (desc.get("BestCandidate") or {}).get("CandidateName")
        if wanted is None:
            best = next((c for c in rows if c.rank == 1), None)
            wanted = best.name if best else None
        if wanted is None:
            raise Conflict(
                f"The experiment {name} has no finished candidate yet; deploy once model tuning "
                "has completed at least one candidate."
            )
        model_name, _ = endpoints.resource_names(endpoint_name)
        return [PlannedVariant("AllTraffic", wanted, 1.0, model_name)]

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
        if forecasting.is_forecasting_job(desc):
            # One container with nothing to configure (its answer is fixed: quantiles, mean).
            definitions = endpoints.model_containers(containers)
        else:
            definitions = endpoints.model_containers(
                endpoints.configure_containers(
                    containers, list(request.inference_response_keys or [])
                )
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
                self.shared.context.root_dir,
                request.artifact,
                what="artifact",
                work_dir=self.shared.context.work_dir,
            )
            manifest = await aws.run(imported.read_manifest, path)
            bucket = await aws.run(aws.ensure_bucket_sync)
            key = s3.join_key(
                self.shared.settings.s3_prefix, "models", endpoint_name, "model.tar.gz"
            )
            await aws.run(s3.upload_file, aws, path, bucket, key)
            model_data_url = s3.s3_uri(bucket, key)
        role = await aws.execution_role()
        if not role:
            raise InvalidRequest(
                "No IAM execution role for SageMaker: start Jupyter with --SageMakerBackend.role_arn.",
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
            "PrimaryContainer": imported.container(
                model_data_url,
                region,
                request.image_uri,
                keys,
                manifest.get("framework_version"),
            ),
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

    async def _create_serving(
        self,
        endpoint_name: str,
        model_requests: list[dict[str, Any]],
        config_name: str,
        variants: list[dict[str, Any]],
        tag_list: list[dict[str, str]],
        data_capture: dict[str, Any] | None = None,
        explainer: dict[str, Any] | None = None,
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
                **({"ExplainerConfig": explainer} if explainer else {}),
            )
            created.append(
                (
                    "DeleteEndpointConfig",
                    f"delete the endpoint config {config_name}",
                    {"EndpointConfigName": config_name},
                )
            )
            return dict(
                await self.endpoints.when_config_visible(
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

    async def _forecaster(
        self, record: ExperimentRecord | None, desc: dict[str, Any]
    ) -> ForecasterRecord:
        """How the forecaster's endpoint is sent its items' history: the job's training
        data on S3 and its columns (`forecast_serving.py`)."""
        from . import forecast_serving, jobs

        spec = record.spec if record is not None else jobs.spec_from_description(desc, {})
        assert spec.forecast is not None and spec.target is not None
        uri = desc["AutoMLJobInputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"]
        found = await self.aws.run(datasets.read_columns, self.aws, uri, manifest=False)
        header, delimiter = (found[0], found[1]) if found else ([], None)
        return ForecasterRecord(
            target=spec.target,
            forecast=spec.forecast,
            input_uri=uri,
            delimiter=delimiter,
            columns=header,
            related=forecast_serving.related_columns(spec.forecast, spec.target, header),
        )

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


def check_explanations(request: m.DeployRequest) -> None:
    """Refuse explanations where this extension does not configure them: a split endpoint
    (the explainer would explain whichever variant answers) or a serverless one."""
    if not request.explanations:
        return
    if request.variants:
        raise InvalidRequest(
            "Explanations explain one model: deploy a single candidate with explanations, "
            "or split traffic without them.",
            details=[{"field": "explanations"}],
        )
    if request.serverless is not None:
        raise InvalidRequest(
            "Explanations are configured on endpoints with an instance type (SageMaker "
            "Clarify's explainer runs many model calls per explained row beside the model); "
            "choose an instance type, or deploy serverless without explanations.",
            details=[{"field": "explanations"}],
        )
