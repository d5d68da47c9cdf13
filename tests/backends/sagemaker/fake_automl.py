"""A stateful fake of SageMaker's AutoML API, plugged into a boto3 Session.

moto 5.2 answers the AutoML calls with a static stub, so this fake takes them over
through botocore's events on the Session the backend uses:

* `before-parameter-build.<service>.<Operation>` sees the API parameters of every call:
  they are checked against botocore's service model (botocore's own validator plus
  `validation.request_errors`, which adds enums, maximum sizes and patterns);
* `before-call.sagemaker.<Operation>` returns a response for the AutoML operations
  (short-circuiting the HTTP layer and moto, exactly like botocore's Stubber), after
  checking the response against the operation's output shape.

Every problem found goes to `fake.problems`; the `aws` fixture fails the test if any.
A job walks through the secondary statuses one step per DescribeAutoMLJobV2 call (or
per `advance()` when `auto_advance` is off), creates candidates while it tunes, and
writes its notebooks and reports to (moto's) S3 like Autopilot does.
"""

from __future__ import annotations

import io
import json
import math
import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ParamValidationError
from botocore.response import StreamingBody
from botocore.validate import validate_parameters
from fake_rules import AwsRules, error
from fake_transform import FakeTransforms
from support.autopilot_notebook import BANK_CANDIDATES, candidate_notebook, dpp_module

from jupyter_autopilot.backends.sagemaker.validation import (
    operation_model,
    request_errors,
    response_errors,
)

ACCOUNT = "123456789012"
AUTOML_OPERATIONS = [
    "CreateAutoMLJobV2",
    "DescribeAutoMLJobV2",
    "ListAutoMLJobs",
    "StopAutoMLJob",
    "ListCandidatesForAutoMLJob",
]
#: Operations this fake answers itself (everything else goes to moto).
TRANSFORM_OPERATIONS = ("CreateTransformJob", "DescribeTransformJob", "StopTransformJob")
OWN_OPERATIONS = (
    *AUTOML_OPERATIONS,
    *TRANSFORM_OPERATIONS,
    "DescribeTrainingJob",
    "ListTags",
    "UpdateEndpoint",
)
HPO_STEPS = [
    ("InProgress", "Starting"),
    ("InProgress", "AnalyzingData"),
    ("InProgress", "FeatureEngineering"),
    ("InProgress", "ModelTuning"),
    ("InProgress", "ModelTuning"),
    ("InProgress", "MaxCandidatesReached"),
    ("InProgress", "GeneratingExplainabilityReport"),
    ("InProgress", "GeneratingModelInsightsReport"),
    ("Completed", "Completed"),
]
ENSEMBLING_STEPS = [
    ("InProgress", "Starting"),
    ("InProgress", "AnalyzingData"),
    ("InProgress", "TrainingModels"),
    ("InProgress", "TrainingModels"),
    ("InProgress", "GeneratingExplainabilityReport"),
    ("InProgress", "GeneratingModelInsightsReport"),
    ("Completed", "Completed"),
]
PILOT_STEPS = [
    ("InProgress", "Starting"),
    ("InProgress", "AnalyzingData"),
    ("Completed", "CandidateDefinitionsGenerated"),
]
IMAGE = "683313688378.dkr.ecr.{region}.amazonaws.com/{name}"
CLASSIFICATION_KEYS = "predicted_label,probability,probabilities,labels"


def notebook(title: str) -> str:
    """A minimal valid notebook, like the ones Autopilot writes."""
    return json.dumps(
        {
            "cells": [{"cell_type": "markdown", "metadata": {}, "source": [f"# {title}"]}],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


@dataclass
class FakeJob:
    request: dict[str, Any]
    arn: str
    created: datetime
    steps: list[tuple[str, str]]
    step: int = 0
    stopped: bool = False
    candidates: list[dict[str, Any]] = field(default_factory=list)
    artifacts: dict[str, str] = field(default_factory=dict)
    best: dict[str, Any] | None = None
    modified: datetime | None = None
    ended: datetime | None = None
    failure: str | None = None


class FakeAutoML:
    """AutoML calls answered from memory; everything else left to moto."""

    def __init__(
        self,
        session: boto3.Session,
        *,
        region: str = "us-east-1",
        candidates_per_job: int = 3,
        auto_advance: bool = True,
        realtime: bool = False,
    ):
        self.session = session
        self.region = region
        self.candidates_per_job = candidates_per_job
        self.auto_advance = auto_advance
        self.jobs: dict[str, FakeJob] = {}
        self.training_jobs: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, list[dict[str, str]]] = {}
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.problems: list[str] = []
        self.failures: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
        self._lock = threading.RLock()
        self._random = random.Random(7)
        self._s3 = session.client("s3", region_name=region)
        self._logs = session.client("logs", region_name=region)
        # Tests want a deterministic clock; the UI wants times that read as "just now".
        self.realtime = realtime
        self._clock = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
        #: SageMaker's rules that moto lacks (fake_rules.py); tests tune its delays.
        self.rules = AwsRules(self)
        #: Batch transform jobs (fake_transform.py): moto writes no output for them.
        self.transforms = FakeTransforms(self)

    # -- plumbing -------------------------------------------------------------------------
    def install(self) -> FakeAutoML:
        """Register on the Session's events (before the backend makes its clients)."""
        events = self.session.events
        for service in ("sagemaker", "sagemaker-runtime", "s3", "sts", "iam"):
            events.register(f"before-parameter-build.{service}", self._check_request)
            events.register_first(f"before-call.{service}", self._inject_failure)
        for operation in OWN_OPERATIONS:
            events.register(f"before-call.sagemaker.{operation}", self._respond)
        # The rules for what moto answers (the specific handlers above check their own).
        events.register("before-call.sagemaker", self._check_rules)
        events.register("after-call.sagemaker.CreateEndpointConfig", self._config_created)
        events.register("after-call.sagemaker.DescribeEndpoint", self._endpoint_described)
        events.register("after-call.sagemaker-runtime.InvokeEndpoint", self._route_variant)
        return self

    def _check_rules(self, model: Any, context: dict[str, Any], **_: Any) -> Any:
        if model.name in OWN_OPERATIONS:
            return None
        return self.rules.check(model.name, context.get("fake_api_params", {}))

    def _config_created(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if "Error" not in parsed:
            self.rules.created_config(context.get("fake_api_params", {})["EndpointConfigName"])

    def _endpoint_described(
        self, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        if "Error" not in parsed:
            self.rules.described(context.get("fake_api_params", {})["EndpointName"])

    def _route_variant(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        """Answer from a production variant picked by weight, as SageMaker does (moto always
        names a static "prod" variant), and capture the exchange when the endpoint's config
        asks for it, in SageMaker's capture file layout and format."""
        params = context.get("fake_api_params", {})
        name = params.get("EndpointName")
        if not name or not isinstance(parsed, dict):
            return
        # moto's own records: calls through the client would count as the user's.
        endpoint = self.rules.moto_backend().endpoints[name]
        variants = endpoint.production_variants
        weights = [float(v.get("CurrentWeight", 1.0) or 0.0) for v in variants]
        if variants and sum(weights) > 0:
            picked = self._random.choices(variants, weights)[0]
            parsed["InvokedProductionVariant"] = picked["VariantName"]
        capture = endpoint.data_capture_config or {}
        if not capture.get("EnableCapture"):
            return
        if self._random.random() * 100 >= capture.get("InitialSamplingPercentage", 100):
            return
        answer = parsed["Body"].read()
        parsed["Body"] = StreamingBody(io.BytesIO(answer), len(answer))
        body = params.get("Body", b"")
        now = datetime.now(timezone.utc)  # capture files are read by time windows
        event = {
            "captureData": {
                "endpointInput": {
                    "observedContentType": params.get("ContentType", "text/csv"),
                    "mode": "INPUT",
                    "data": body.decode() if isinstance(body, bytes) else str(body),
                    "encoding": "CSV",
                },
                "endpointOutput": {
                    "observedContentType": "text/csv; charset=utf-8",
                    "mode": "OUTPUT",
                    "data": answer.decode("utf-8", "replace"),
                    "encoding": "CSV",
                },
            },
            "eventMetadata": {
                "eventId": uuid.uuid4().hex,
                "inferenceTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            "eventVersion": "0",
        }
        bucket, _, prefix = capture["DestinationS3Uri"][len("s3://") :].partition("/")
        variant = parsed.get("InvokedProductionVariant", "AllTraffic")
        key = f"{prefix}/{name}/{variant}/{now:%Y/%m/%d/%H}/{uuid.uuid4().hex}.jsonl"
        self._s3.put_object(Bucket=bucket, Key=key.lstrip("/"), Body=json.dumps(event) + "\n")

    def fail_next(
        self, service: str, operation: str, code: str, message: str = "", status: int = 400
    ) -> None:
        """Make the next `operation` call fail with this AWS error."""
        self.failures.setdefault((service, operation), []).append((code, message or code, status))

    def _check_request(self, params: dict[str, Any], model: Any, **kwargs: Any) -> None:
        service = model.service_model.service_name
        with self._lock:
            self.calls.append((service, model.name, dict(params)))
        try:
            validate_parameters(params, model.input_shape)
        except ParamValidationError as exc:
            self.problems.append(f"{model.name}: {exc}")
        if service in ("sagemaker", "sagemaker-runtime"):
            self.problems.extend(
                f"{model.name} request: {e}" for e in request_errors(service, model.name, params)
            )
        kwargs["context"]["fake_api_params"] = params

    def _inject_failure(self, model: Any, **kwargs: Any) -> Any:
        key = (model.service_model.service_name, model.name)
        queue = self.failures.get(key)
        if not queue:
            return None
        code, message, status = queue.pop(0)
        return _error(code, message, status)

    def _respond(self, model: Any, context: dict[str, Any], **kwargs: Any) -> Any:
        # Handlers of more specific events run first, so injected failures are checked here too.
        failure = self._inject_failure(model)
        if failure is not None:
            return failure
        params = context.get("fake_api_params", {})
        broken = self.rules.check(model.name, params)
        if broken is not None:
            return broken
        handler = getattr(self, f"_op_{model.name}")
        with self._lock:
            result = handler(params)
        if result is None:
            return None  # not ours: let moto answer
        if isinstance(result, tuple):
            return result  # an error response
        self.problems.extend(
            f"{model.name} response: {e}" for e in response_errors("sagemaker", model.name, result)
        )
        return AWSResponse("https://fake", 200, {}, None), result

    def _now(self) -> datetime:
        if self.realtime:
            return datetime.now(timezone.utc)
        self._clock += timedelta(seconds=7)
        return self._clock

    # -- endpoints: what moto lacks --------------------------------------------------------
    def _op_UpdateEndpoint(self, params: dict[str, Any]) -> Any:
        """Switch an endpoint to another config (moto has no UpdateEndpoint)."""
        backend = self.rules.moto_backend()
        endpoint = backend.endpoints.get(params["EndpointName"])
        config = backend.endpoint_configs.get(params["EndpointConfigName"])
        if endpoint is None or config is None:
            return _error("ValidationException", "Could not find endpoint or endpoint config.")
        self.rules.update(endpoint, config, params)
        return {"EndpointArn": endpoint.arn}

    # -- transform jobs (fake_transform.py) ------------------------------------------------
    def _op_CreateTransformJob(self, params: dict[str, Any]) -> Any:
        return self.transforms.create(params)

    def _op_DescribeTransformJob(self, params: dict[str, Any]) -> Any:
        return self.transforms.describe(params)

    def _op_StopTransformJob(self, params: dict[str, Any]) -> Any:
        return self.transforms.stop(params)

    # -- AutoML operations ----------------------------------------------------------------
    def _op_CreateAutoMLJobV2(self, params: dict[str, Any]) -> Any:
        name = params["AutoMLJobName"]
        if name in self.jobs:
            return _error("ResourceInUse", f"Job {name} already exists.")
        tabular = params["AutoMLProblemTypeConfig"]["TabularJobConfig"]
        if tabular.get("GenerateCandidateDefinitionsOnly"):
            steps = PILOT_STEPS
        elif tabular.get("Mode") == "ENSEMBLING":
            steps = ENSEMBLING_STEPS
        else:
            steps = HPO_STEPS
        arn = f"arn:aws:sagemaker:{self.region}:{ACCOUNT}:automl-job/{name.lower()}"
        now = self._now()
        self.jobs[name] = FakeJob(
            request=params, arn=arn, created=now, steps=list(steps), modified=now
        )
        self.tags[arn] = list(params.get("Tags", []))
        return {"AutoMLJobArn": arn}

    def _op_DescribeAutoMLJobV2(self, params: dict[str, Any]) -> Any:
        job = self.jobs.get(params["AutoMLJobName"])
        if job is None:
            return _error("ResourceNotFound", f"Job {params['AutoMLJobName']} does not exist.")
        if self.auto_advance:
            self._advance(job)
        return self._describe(job)

    def _op_ListAutoMLJobs(self, params: dict[str, Any]) -> Any:
        jobs = sorted(
            self.jobs.values(),
            key=lambda j: j.created,
            reverse=params.get("SortOrder") == "Descending",
        )
        summaries = []
        for job in jobs:
            status, secondary = self._status(job)
            summary: dict[str, Any] = {
                "AutoMLJobName": job.request["AutoMLJobName"],
                "AutoMLJobArn": job.arn,
                "AutoMLJobStatus": status,
                "AutoMLJobSecondaryStatus": secondary,
                "CreationTime": job.created,
                "LastModifiedTime": job.modified or job.created,
            }
            if job.ended:
                summary["EndTime"] = job.ended
            summaries.append(summary)
        return _page(summaries, params, "AutoMLJobSummaries", 100)

    def _op_StopAutoMLJob(self, params: dict[str, Any]) -> Any:
        job = self.jobs.get(params["AutoMLJobName"])
        if job is None:
            return _error("ResourceNotFound", "no such job")
        status, _ = self._status(job)
        if status != "InProgress":
            return _error(
                "ValidationException", f"Job is {status}; only InProgress jobs can be stopped."
            )
        job.stopped = True
        # Like SageMaker: Stopping at once, Stopped a little later.
        job.steps = [*job.steps[: job.step + 1], ("Stopping", "Stopping"), ("Stopped", "Stopped")]
        job.step += 1
        job.modified = self._now()
        return {}

    def _op_ListCandidatesForAutoMLJob(self, params: dict[str, Any]) -> Any:
        job = self.jobs.get(params["AutoMLJobName"])
        if job is None:
            return _error("ResourceNotFound", "no such job")
        rows = list(job.candidates)
        if params.get("StatusEquals"):
            rows = [c for c in rows if c["CandidateStatus"] == params["StatusEquals"]]
        if params.get("SortBy") == "FinalObjectiveMetricValue":
            rows.sort(
                key=lambda c: c.get("FinalAutoMLJobObjectiveMetric", {}).get("Value", -1e9),
                reverse=params.get("SortOrder", "Ascending") == "Descending",
            )
        return _page(rows, params, "Candidates", 300)

    def _op_DescribeTrainingJob(self, params: dict[str, Any]) -> Any:
        return self.training_jobs.get(params["TrainingJobName"])

    def _op_ListTags(self, params: dict[str, Any]) -> Any:
        if ":automl-job/" not in params["ResourceArn"]:
            return None
        return {"Tags": self.tags.get(params["ResourceArn"], [])}

    # -- the walk -------------------------------------------------------------------------
    def _status(self, job: FakeJob) -> tuple[str, str]:
        return job.steps[min(job.step, len(job.steps) - 1)]

    def advance(self, name: str, steps: int = 1) -> None:
        """Move a job forward by hand (with `auto_advance=False`)."""
        with self._lock:
            for _ in range(steps):
                self._advance(self.jobs[name])

    def finish(self, name: str) -> None:
        """Run a job to its end."""
        with self._lock:
            job = self.jobs[name]
            while job.step < len(job.steps) - 1:
                self._advance(job)

    def fail(self, name: str, reason: str) -> None:
        with self._lock:
            job = self.jobs[name]
            job.steps = [*job.steps[: job.step + 1], ("Failed", "Failed")]
            job.failure = reason
            self._advance(job)

    def _advance(self, job: FakeJob) -> None:
        if job.step >= len(job.steps) - 1:
            return
        job.step += 1
        job.modified = self._now()
        status, secondary = self._status(job)
        tabular = job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
        if (
            secondary in ("FeatureEngineering", "TrainingModels", "CandidateDefinitionsGenerated")
            and not job.artifacts
        ):
            self._write_notebooks(
                job,
                pilot=secondary == "CandidateDefinitionsGenerated"
                or tabular.get("Mode") == "HYPERPARAMETER_TUNING"
                or tabular.get("Mode", "AUTO") == "AUTO",
            )
        if secondary in ("ModelTuning", "TrainingModels"):
            self._add_candidates(job, final=False)
        if secondary in ("MaxCandidatesReached", "GeneratingExplainabilityReport"):
            self._add_candidates(job, final=True)
        if secondary == "GeneratingModelInsightsReport" and job.best:
            self._write_reports(job)
        if status in ("Completed", "Failed", "Stopped"):
            job.ended = job.modified
            for candidate in job.candidates:
                if candidate["CandidateStatus"] == "InProgress":
                    candidate["CandidateStatus"] = "Stopped"
                    candidate["EndTime"] = job.modified

    def _output(self, job: FakeJob) -> tuple[str, str]:
        uri = job.request["OutputDataConfig"]["S3OutputPath"]
        bucket, _, prefix = uri[5:].partition("/")
        return bucket, "/".join(p for p in (prefix.strip("/"), job.request["AutoMLJobName"]) if p)

    def _put(self, bucket: str, key: str, body: str | bytes) -> str:
        self._s3.put_object(
            Bucket=bucket, Key=key, Body=body.encode() if isinstance(body, str) else body
        )
        return f"s3://{bucket}/{key}"

    def _write_notebooks(self, job: FakeJob, pilot: bool) -> None:
        bucket, base = self._output(job)
        folder = (
            f"{base}/sagemaker-automl-candidates/{job.request['AutoMLJobName']}-artifacts/notebooks"
        )
        job.artifacts["DataExplorationNotebookLocation"] = self._put(
            bucket,
            f"{folder}/SageMakerAutopilotDataExplorationNotebook.ipynb",
            notebook("Data exploration"),
        )
        if pilot:
            tabular = job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
            job.artifacts["CandidateDefinitionNotebookLocation"] = self._put(
                bucket,
                f"{folder}/SageMakerAutopilotCandidateDefinitionNotebook.ipynb",
                candidate_notebook(
                    job=job.request["AutoMLJobName"],
                    target=tabular["TargetAttributeName"],
                    n_columns=self._column_count(job),
                    problem=self._problem(job),
                    metric=self._metric(job).upper(),
                    s3_base=f"s3://{bucket}/{base}",
                ),
            )
            self._write_generated_modules(job, bucket, base)

    def _write_training_log(self, training: str, index: int, regression: bool) -> None:
        """The built-in XGBoost's per-round lines in the job's CloudWatch log stream, as
        SageMaker writes them. Every third candidate overfits: its validation loss turns up
        after round 40 while the training loss keeps falling."""
        group = "/aws/sagemaker/TrainingJobs"
        try:
            self._logs.create_log_group(logGroupName=group)
        except self._logs.exceptions.ResourceAlreadyExistsException:
            pass
        stream = f"{training}/algo-1-1700000000"
        self._logs.create_log_stream(logGroupName=group, logStreamName=stream)
        metric = "rmse" if regression else "logloss"
        start = int(self._now().timestamp() * 1000)
        messages = [
            "[2026-01-01:00:00:00:INFO] Running standalone xgboost training.",
            "[20:56:24] INFO: ../src/tree/updater_prune.cc:101: tree pruning end",
        ]
        for r in range(120):
            train = 0.65 * math.exp(-r / 30) + 0.05
            valid = 0.65 * math.exp(-r / 35) + 0.12
            if index % 3 == 0 and r > 40:
                valid += 0.004 * (r - 40)
            messages.append(
                f"[{r}]#011train-{metric}:{train:.5f}#011validation-{metric}:{valid:.5f}"
            )
        self._logs.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[{"timestamp": start + i, "message": m} for i, m in enumerate(messages)],
        )

    def _header_sample(self, job: FakeJob) -> list[list[str]]:
        """The training CSV's first rows (header first), as Autopilot's analysis sees them."""
        uri = job.request["AutoMLJobInputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"]
        bucket, _, key = uri[len("s3://") :].partition("/")
        head = self._s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-65535")["Body"].read()
        lines = head.decode("utf-8", "replace").splitlines()[:-1] or [""]
        return [line.split(",") for line in lines]

    def _column_count(self, job: FakeJob) -> int:
        return len(self._header_sample(job)[0])

    def _write_generated_modules(self, job: FakeJob, bucket: str, base: str) -> None:
        """dppN.py per candidate, where the notebook's setup cell syncs them from."""
        rows = self._header_sample(job)
        header, body = rows[0], rows[1:]
        target = job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"]["TargetAttributeName"]

        def numeric(index: int) -> bool:
            try:
                [float(r[index]) for r in body if len(r) > index and r[index] != ""]
            except ValueError:
                return False
            return True

        features = [(i, c) for i, c in enumerate(header) if c != target]
        numbers = [c for i, c in features if numeric(i)]
        labels = [c for i, c in features if c not in numbers]
        folder = (
            f"{base}/sagemaker-automl-candidates/pr-1/generated_module/candidate_data_processors"
        )
        for name, _, transformers in BANK_CANDIDATES:
            self._put(
                bucket,
                f"{folder}/{name}.py",
                dpp_module(header, target, numbers, labels, transformers),
            )

    def _problem(self, job: FakeJob) -> str:
        tabular = job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
        return tabular.get("ProblemType", "BinaryClassification")

    def _metric(self, job: FakeJob) -> str:
        objective = job.request.get("AutoMLJobObjective", {}).get("MetricName")
        if objective:
            return objective
        return {
            "BinaryClassification": "F1",
            "MulticlassClassification": "Accuracy",
            "Regression": "MSE",
        }[self._problem(job)]

    def _add_candidates(self, job: FakeJob, final: bool) -> None:
        name = job.request["AutoMLJobName"]
        ensembling = (
            job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"].get("Mode") == "ENSEMBLING"
        )
        metric = self._metric(job)
        regression = self._problem(job) == "Regression"
        target_count = self.candidates_per_job if final else max(1, self.candidates_per_job // 2)
        for index in range(len(job.candidates), target_count):
            now = self._now()
            cand_name = (
                f"WeightedEnsemble-L3-FULL-t{index}"
                if ensembling
                else f"{name[:20]}-dpp{index % 3}-xgb-{index:03d}"
            )
            training = f"{name[:20]}-tj-{index:03d}"
            value = round(0.5 + 0.4 * ((index * 37) % 100) / 100, 4)
            bucket, base = self._output(job)
            model_url = f"s3://{bucket}/{base}/data-processor-models/{cand_name}/model.tar.gz"
            if ensembling:
                containers = [
                    {
                        "Image": IMAGE.format(
                            region=self.region, name="autogluon-inference:0.4-cpu-py38"
                        ),
                        "ModelDataUrl": model_url,
                        "Environment": {
                            "MODEL_NAME": cand_name,
                            **(
                                {}
                                if regression
                                else {"SAGEMAKER_INFERENCE_SUPPORTED": CLASSIFICATION_KEYS}
                            ),
                        },
                    }
                ]
            else:
                containers = [
                    {
                        "Image": IMAGE.format(
                            region=self.region, name="sagemaker-sklearn-automl:2.5-1-cpu-py3"
                        ),
                        "ModelDataUrl": model_url,
                        "Environment": {
                            "AUTOML_TRANSFORM_MODE": "feature-transform",
                            "SAGEMAKER_PROGRAM": "sagemaker_serve",
                        },
                    },
                    {
                        "Image": IMAGE.format(
                            region=self.region, name="sagemaker-xgboost:1.3-1-cpu-py3"
                        ),
                        "ModelDataUrl": model_url.replace("model.tar.gz", "xgb.tar.gz"),
                        "Environment": {
                            "MAX_CONTENT_LENGTH": "20971520",
                            **(
                                {}
                                if regression
                                else {
                                    "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,probabilities"
                                }
                            ),
                        },
                    },
                ]
                if not regression:
                    containers.append(
                        {
                            "Image": IMAGE.format(
                                region=self.region, name="sagemaker-sklearn-automl:2.5-1-cpu-py3"
                            ),
                            "ModelDataUrl": model_url,
                            "Environment": {
                                "AUTOML_TRANSFORM_MODE": "inverse-label-transform",
                                "SAGEMAKER_INFERENCE_SUPPORTED": CLASSIFICATION_KEYS,
                            },
                        }
                    )
            candidate = {
                "CandidateName": cand_name,
                "ObjectiveStatus": "Succeeded",
                "CandidateSteps": [
                    {
                        "CandidateStepType": "AWS::SageMaker::ProcessingJob",
                        "CandidateStepArn": f"arn:aws:sagemaker:{self.region}:{ACCOUNT}:processing-job/{name[:20]}-db-{index}",
                        "CandidateStepName": f"{name[:20]}-db-{index}",
                    },
                    {
                        "CandidateStepType": "AWS::SageMaker::TrainingJob",
                        "CandidateStepArn": f"arn:aws:sagemaker:{self.region}:{ACCOUNT}:training-job/{training}",
                        "CandidateStepName": training,
                    },
                ],
                "CandidateStatus": "InProgress",
                "InferenceContainers": containers,
                "CreationTime": now,
                "LastModifiedTime": now,
            }
            job.candidates.append(candidate)
            self.training_jobs[training] = _training_job(training, self.region, now)
            if not ensembling:
                self._write_training_log(training, index, regression)
        for candidate in job.candidates[: target_count if final else max(1, target_count - 1)]:
            if candidate["CandidateStatus"] != "InProgress":
                continue
            index = job.candidates.index(candidate)
            value = round(0.5 + 0.4 * ((index * 37) % 100) / 100, 4)
            candidate["CandidateStatus"] = "Completed"
            candidate["EndTime"] = self._now()
            candidate["LastModifiedTime"] = candidate["EndTime"]
            candidate["FinalAutoMLJobObjectiveMetric"] = {
                "Type": "Minimize" if metric in ("MSE", "RMSE", "MAE") else "Maximize",
                "MetricName": metric,
                "Value": value,
                "StandardMetricName": metric,
            }
            bucket, base = self._output(job)
            candidate["CandidateProperties"] = {
                "CandidateArtifactLocations": {
                    "Explainability": f"s3://{bucket}/{base}/documentation/explainability/output/{candidate['CandidateName']}",
                    "ModelInsights": f"s3://{bucket}/{base}/documentation/model_monitor/output/{candidate['CandidateName']}",
                },
                "CandidateMetrics": [
                    {
                        "MetricName": metric,
                        "StandardMetricName": metric,
                        "Value": value,
                        "Set": "Validation",
                    },
                    {"StandardMetricName": "LogLoss", "Value": 0.3, "Set": "Validation"},
                    {
                        "MetricName": metric,
                        "StandardMetricName": metric,
                        "Value": min(value + 0.05, 1.0),
                        "Set": "Train",
                    },
                ],
            }
        done = [c for c in job.candidates if c["CandidateStatus"] == "Completed"]
        if done:
            minimize = metric in ("MSE", "RMSE", "MAE")
            job.best = sorted(
                done,
                key=lambda c: c["FinalAutoMLJobObjectiveMetric"]["Value"],
                reverse=not minimize,
            )[0]

    def _write_reports(self, job: FakeJob) -> None:
        assert job.best is not None
        locations = job.best["CandidateProperties"]["CandidateArtifactLocations"]
        for uri in locations.values():
            bucket, _, prefix = uri[5:].partition("/")
            self._put(bucket, f"{prefix}/report.pdf", b"%PDF-1.4 fake report\n")
        bucket, _, prefix = locations["Explainability"][5:].partition("/")
        analysis = {
            "explanations": {
                "kernel_shap": {
                    "label0": {"global_shap_values": {"duration": 0.9, "age": 0.2, "job": -0.1}}
                }
            }
        }
        self._put(bucket, f"{prefix}/analysis.json", json.dumps(analysis))

    def _describe(self, job: FakeJob) -> dict[str, Any]:
        status, secondary = self._status(job)
        request = job.request
        tabular = dict(request["AutoMLProblemTypeConfig"]["TabularJobConfig"])
        response: dict[str, Any] = {
            "AutoMLJobName": request["AutoMLJobName"],
            "AutoMLJobArn": job.arn,
            "AutoMLJobInputDataConfig": request["AutoMLJobInputDataConfig"],
            "OutputDataConfig": request["OutputDataConfig"],
            "RoleArn": request["RoleArn"],
            "AutoMLProblemTypeConfig": {"TabularJobConfig": tabular},
            "CreationTime": job.created,
            "LastModifiedTime": job.modified or job.created,
            "AutoMLJobStatus": status,
            "AutoMLJobSecondaryStatus": secondary,
            "DataSplitConfig": request.get("DataSplitConfig", {"ValidationFraction": 0.2}),
        }
        for key in ("AutoMLJobObjective", "SecurityConfig"):
            if key in request:
                response[key] = request[key]
        if job.ended:
            response["EndTime"] = job.ended
        if job.failure:
            response["FailureReason"] = job.failure
        if job.artifacts:
            response["AutoMLJobArtifacts"] = dict(job.artifacts)
        if job.best is not None and status != "InProgress":
            response["BestCandidate"] = job.best
        if job.step >= 2:
            criteria = tabular.get("CompletionCriteria", {})
            response["ResolvedAttributes"] = {
                "AutoMLJobObjective": {"MetricName": self._metric(job)},
                "CompletionCriteria": {
                    "MaxCandidates": criteria.get("MaxCandidates", 250),
                    "MaxRuntimePerTrainingJobInSeconds": criteria.get(
                        "MaxRuntimePerTrainingJobInSeconds", 86400
                    ),
                    "MaxAutoMLJobRuntimeInSeconds": criteria.get(
                        "MaxAutoMLJobRuntimeInSeconds", 2592000
                    ),
                },
                "AutoMLProblemTypeResolvedAttributes": {
                    "TabularResolvedAttributes": {"ProblemType": self._problem(job)}
                },
            }
        return response


def _training_job(name: str, region: str, now: datetime) -> dict[str, Any]:
    return {
        "TrainingJobName": name,
        "TrainingJobArn": f"arn:aws:sagemaker:{region}:{ACCOUNT}:training-job/{name}",
        "ModelArtifacts": {"S3ModelArtifacts": f"s3://bucket/{name}/model.tar.gz"},
        "TrainingJobStatus": "Completed",
        "SecondaryStatus": "Completed",
        "HyperParameters": {
            "max_depth": "6",
            "eta": "0.3",
            "_tuning_objective_metric": "validation:f1",
            "num_round": "100",
        },
        "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "xgboost"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "CreationTime": now,
    }


def _page(
    rows: list[dict[str, Any]], params: dict[str, Any], key: str, max_page: int
) -> dict[str, Any]:
    size = min(params.get("MaxResults", max_page), max_page)
    start = int(params.get("NextToken") or 0)
    response: dict[str, Any] = {key: rows[start : start + size]}
    if start + size < len(rows):
        response["NextToken"] = str(start + size)
    return response


_error = error


__all__ = ["ACCOUNT", "FakeAutoML", "operation_model"]
