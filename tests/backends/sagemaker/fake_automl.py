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

import random
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters
from fake_candidates import Candidates
from fake_forecaster import FakeForecasters
from fake_job import (
    ACCOUNT,
    ENSEMBLING_STEPS,
    FORECAST_STEPS,
    HPO_STEPS,
    PILOT_STEPS,
    FakeJob,
    config,
    forecasting,
    metric,
    problem,
    tabular,
)
from fake_job_outputs import JobOutputs
from fake_rules import AwsRules, error
from fake_runtime import EndpointRuntime
from fake_transform import FakeTransforms

from jupyter_autopilot.backends.sagemaker.validation import (
    operation_model,
    request_errors,
    response_errors,
)

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
        #: What jobs write to S3 and CloudWatch (fake_job_outputs.py), their candidates
        #: (fake_candidates.py), and InvokeEndpoint's variants and capture (fake_runtime.py).
        self.outputs = JobOutputs(self)
        self.candidates = Candidates(self)
        self.runtime = EndpointRuntime(self)
        #: InvokeEndpoint on a forecaster's endpoint (fake_forecaster.py).
        self.forecasters = FakeForecasters(self)

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
        events.register("after-call.sagemaker-runtime.InvokeEndpoint", self.runtime.route)
        # Clarify's online explainability, which moto drops (fake_runtime.py).
        events.register(
            "before-call.sagemaker-runtime.InvokeEndpoint", self.runtime.check_explanations
        )
        events.register("before-call.sagemaker-runtime.InvokeEndpoint", self.forecasters.invoke)
        events.register(
            "after-call.sagemaker.DescribeEndpointConfig", self.runtime.describe_explainer
        )
        return self

    def _check_rules(self, model: Any, context: dict[str, Any], **_: Any) -> Any:
        if model.name in OWN_OPERATIONS:
            return None
        return self.rules.check(model.name, context.get("fake_api_params", {}))

    def _config_created(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if "Error" not in parsed:
            params = context.get("fake_api_params", {})
            self.rules.created_config(params["EndpointConfigName"])
            self.runtime.config_created(params)

    def _endpoint_described(
        self, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        if "Error" not in parsed:
            self.rules.described(context.get("fake_api_params", {})["EndpointName"])

    def fail_next(
        self, service: str, operation: str, code: str, message: str = "", status: int = 400
    ) -> None:
        """Make the next `operation` call fail with this AWS error."""
        self.failures.setdefault((service, operation), []).append((code, message or code, status))

    def sent(self, operation: str) -> list[dict[str, Any]]:
        """The parameters of every `operation` request sent so far, in order."""
        with self._lock:
            return [params for _, op, params in self.calls if op == operation]

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
        problem_config = params["AutoMLProblemTypeConfig"]
        tabular = problem_config.get("TabularJobConfig") or {}
        if "TimeSeriesForecastingJobConfig" in problem_config:
            steps = FORECAST_STEPS
        elif tabular.get("GenerateCandidateDefinitionsOnly"):
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
        settings = tabular(job)
        if (
            secondary in ("FeatureEngineering", "TrainingModels", "CandidateDefinitionsGenerated")
            and not job.artifacts
        ):
            # A forecasting job writes the data exploration notebook only ("In addition to
            # the data exploration notebook, Autopilot generates various reports").
            self.outputs.write_notebooks(
                job,
                pilot=not forecasting(job)
                and (
                    secondary == "CandidateDefinitionsGenerated"
                    or settings.get("Mode") == "HYPERPARAMETER_TUNING"
                    or settings.get("Mode", "AUTO") == "AUTO"
                ),
            )
        if secondary in ("ModelTuning", "TrainingModels"):
            self.candidates.add(job, final=False)
        if secondary in ("MaxCandidatesReached", "GeneratingExplainabilityReport"):
            self.candidates.add(job, final=True)
        if secondary == "GeneratingModelInsightsReport" and job.best:
            self.outputs.write_reports(job)
        if status in ("Completed", "Failed", "Stopped"):
            job.ended = job.modified
            for candidate in job.candidates:
                if candidate["CandidateStatus"] == "InProgress":
                    candidate["CandidateStatus"] = "Stopped"
                    candidate["EndTime"] = job.modified

    def _describe(self, job: FakeJob) -> dict[str, Any]:
        status, secondary = self._status(job)
        request = job.request
        problem_config = dict(request["AutoMLProblemTypeConfig"])
        settings = config(job)
        response: dict[str, Any] = {
            "AutoMLJobName": request["AutoMLJobName"],
            "AutoMLJobArn": job.arn,
            "AutoMLJobInputDataConfig": request["AutoMLJobInputDataConfig"],
            "OutputDataConfig": request["OutputDataConfig"],
            "RoleArn": request["RoleArn"],
            "AutoMLProblemTypeConfig": problem_config,
            "AutoMLProblemTypeConfigName": "TimeSeriesForecasting"
            if forecasting(job)
            else "Tabular",
            "CreationTime": job.created,
            "LastModifiedTime": job.modified or job.created,
            "AutoMLJobStatus": status,
            "AutoMLJobSecondaryStatus": secondary,
        }
        if len(request["AutoMLJobInputDataConfig"]) == 1 and not forecasting(job):
            # With a validation channel there is no split (and no DataSplitConfig).
            response["DataSplitConfig"] = request.get(
                "DataSplitConfig", {"ValidationFraction": 0.2}
            )
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
            criteria = settings.get("CompletionCriteria", {})
            response["ResolvedAttributes"] = {
                "AutoMLJobObjective": {"MetricName": metric(job)},
                "CompletionCriteria": {
                    # MaxCandidates: "For [...] time-series forecasting [...] the supported
                    # value is 1"; 250 is the tabular default.
                    "MaxCandidates": criteria.get("MaxCandidates", 1 if forecasting(job) else 250),
                    "MaxRuntimePerTrainingJobInSeconds": criteria.get(
                        "MaxRuntimePerTrainingJobInSeconds", 86400
                    ),
                    "MaxAutoMLJobRuntimeInSeconds": criteria.get(
                        "MaxAutoMLJobRuntimeInSeconds", 2592000
                    ),
                },
            }
            if not forecasting(job):
                # The union has no member for time series (botocore's service model).
                response["ResolvedAttributes"]["AutoMLProblemTypeResolvedAttributes"] = {
                    "TabularResolvedAttributes": {"ProblemType": problem(job)}
                }
        return response


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
