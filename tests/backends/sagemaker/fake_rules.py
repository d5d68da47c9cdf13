"""SageMaker's own rules, which moto does not enforce, for `FakeAutoML`.

Each rule cites where AWS states it. A request that breaks a rule AWS enforces gets the
error AWS answers (a ValidationException); a call the API reference only says one must
not make (deleting an endpoint config during an update) succeeds, as on AWS, and is
recorded in `fake.problems`, which fails the test. docs/sagemaker.md lists the rules
with the tests that cover them.
"""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSResponse

if TYPE_CHECKING:
    from fake_automl import FakeAutoML

#: Operations whose `Tags` are checked (the ones the backend sends tags with).
TAGGED = (
    "CreateAutoMLJobV2",
    "CreateModel",
    "CreateEndpointConfig",
    "CreateEndpoint",
    "CreateTransformJob",
)
#: MaxPayloadInMB's ceiling, alone and times MaxConcurrentTransforms (CreateTransformJob).
MAX_PAYLOAD_MB = 100
#: AutoMLAlgorithmConfig.AutoMLAlgorithms per training mode (botocore's service model).
ALGORITHMS_BY_MODE = {
    "ENSEMBLING": {
        "catboost",
        "extra-trees",
        "fastai",
        "lightgbm",
        "linear-learner",
        "nn-torch",
        "randomforest",
        "xgboost",
    },
    "HYPERPARAMETER_TUNING": {"linear-learner", "mlp", "xgboost"},
}
#: TagList's maximum in botocore's SageMaker model (the AWS-wide limit per resource).
MAX_TAGS = 50
#: TimeSeriesForecastingJobConfig.ForecastHorizon's documented maximum.
MAX_FORECAST_HORIZON = 500
#: AutoMLJobObjective.MetricName's time-series values (AutoMLMetricEnum's names).
FORECAST_METRICS = {"AverageWeightedQuantileLoss", "WAPE", "RMSE", "MASE", "MAPE"}


def error(code: str, message: str, status: int = 400) -> tuple[AWSResponse, dict[str, Any]]:
    """A parsed AWS error response, as botocore's parser would return it."""
    parsed = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {}},
    }
    return AWSResponse("https://fake", status, {}, None), parsed


def _invalid(message: str) -> tuple[AWSResponse, dict[str, Any]]:
    return error("ValidationException", message)


class AwsRules:
    """The state and checks behind the rules (one per `FakeAutoML`).

    `config_visibility_delay`: how many reads (CreateEndpoint, UpdateEndpoint,
    DescribeEndpointConfig) miss a just-created endpoint config, as DynamoDB's eventually
    consistent reads behind CreateEndpoint can; 0 (the default) keeps unrelated tests fast.
    `update_describes`: how many DescribeEndpoint answers say `Updating` after
    UpdateEndpoint before the endpoint is `InService` again.
    """

    def __init__(self, fake: FakeAutoML):
        self.fake = fake
        self.config_visibility_delay = 0
        self.update_describes = 1
        #: Endpoint configs not yet visible: name -> reads that will still miss it.
        self._invisible: dict[str, int] = {}
        #: Endpoints being updated: name -> (describes left, the config it leaves).
        self.updating: dict[str, tuple[int, str]] = {}

    # -- plumbing ---------------------------------------------------------------------
    def moto_backend(self) -> Any:
        from fake_automl import ACCOUNT
        from moto.sagemaker.models import sagemaker_backends

        return sagemaker_backends[ACCOUNT][self.fake.region]

    def check(self, operation: str, params: dict[str, Any]) -> Any:
        """The error AWS would answer `operation` with, or None to let the call through."""
        if operation in TAGGED:
            found = self._tags(params.get("Tags") or [])
            if found:
                return found
        check = getattr(self, f"_check_{operation}", None)
        return check(params) if check else None

    # -- tags -------------------------------------------------------------------------
    @staticmethod
    def _tags(tags: list[dict[str, str]]) -> Any:
        """At most 50 tags (TagList `max` in the service model), unique keys ("Tag keys
        must be unique per resource", CreateAutoMLJobV2's Tags), no `aws:` prefix
        (reserved: "Tagging AWS resources", tag naming limits)."""
        if len(tags) > MAX_TAGS:
            return _invalid(
                f"1 validation error detected: Value at 'tags' failed to satisfy constraint: "
                f"Member must have length less than or equal to {MAX_TAGS}"
            )
        keys = [t.get("Key", "") for t in tags]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            return _invalid(f"Duplicate tag keys are not allowed: {', '.join(duplicates)}.")
        reserved = [k for k in keys if k.lower().startswith("aws:")]
        if reserved:
            return _invalid(f"Tag keys starting with 'aws:' are reserved for AWS use: {reserved}.")
        return None

    # -- AutoML -----------------------------------------------------------------------
    def _check_CreateAutoMLJobV2(self, params: dict[str, Any]) -> Any:
        """CompressionType Gzip only for S3Prefix inputs (AutoMLJobChannel.CompressionType:
        "We allow the compression type Gzip for S3Prefix inputs on tabular data only");
        the training and validation channels' rules (`_channels`); sample weights in
        ENSEMBLING mode only."""
        found = self._channels(params)
        if found:
            return found
        series = (params.get("AutoMLProblemTypeConfig") or {}).get("TimeSeriesForecastingJobConfig")
        if series is not None:
            return self._forecasting(params, series)
        for channel in params.get("AutoMLJobInputDataConfig") or []:
            source = channel.get("DataSource", {}).get("S3DataSource", {})
            if channel.get("CompressionType") == "Gzip" and source.get("S3DataType") != "S3Prefix":
                return _invalid(
                    "CompressionType Gzip is supported only for S3Prefix inputs of tabular data."
                )
        # TabularJobConfig.SampleWeightAttributeName: "Support for sample weights is
        # available in Ensembling mode only."
        tabular = (params.get("AutoMLProblemTypeConfig") or {}).get("TabularJobConfig") or {}
        if tabular.get("SampleWeightAttributeName") and tabular.get("Mode") != "ENSEMBLING":
            return _invalid("Sample weights are supported in ENSEMBLING mode only.")
        # CandidateGenerationConfig.AlgorithmsConfig: "should not be set when the training
        # mode AutoMLJobConfig.Mode is set to AUTO"; one AutoMLAlgorithms entry; its
        # algorithms "must belong to the list corresponding to the training mode".
        configs = (tabular.get("CandidateGenerationConfig") or {}).get("AlgorithmsConfig")
        if configs is not None:
            mode = tabular.get("Mode", "AUTO")
            allowed = ALGORITHMS_BY_MODE.get(mode)
            if allowed is None:
                return _invalid("AlgorithmsConfig cannot be set when Mode is AUTO.")
            if len(configs) != 1:
                return _invalid("AlgorithmsConfig takes exactly one AutoMLAlgorithms entry.")
            refused = [a for a in configs[0].get("AutoMLAlgorithms", []) if a not in allowed]
            if refused:
                return _invalid(f"Algorithms {refused} are not available in {mode} mode.")
        return None

    def _forecasting(self, params: dict[str, Any], series: dict[str, Any]) -> Any:
        """A TimeSeriesForecasting job's rules (botocore's documentation of each member):
        - DataSplitConfig "must not be set for the time-series forecasting problem type";
        - CompressionType: Gzip "for S3Prefix inputs on tabular data only";
        - CompletionCriteria.MaxCandidates: "For [...] time-series forecasting [...] the
          supported value is 1";
        - ForecastHorizon: "The maximum forecast horizon is the lesser of 500 time-steps or
          1/4 of the time-steps in the dataset" (the quarter is checked on the data);
        - AutoMLJobObjective.MetricName for time series: "RMSE, wQL, Average wQL, MASE,
          MAPE, WAPE";
        - FeatureSpecificationS3Uri: its column keys "must not include any column set in
          TimeSeriesConfig".
        """
        if params.get("DataSplitConfig") is not None:
            return _invalid(
                "DataSplitConfig must not be set for the TimeSeriesForecasting problem type."
            )
        for channel in params.get("AutoMLJobInputDataConfig") or []:
            if channel.get("CompressionType", "None") != "None":
                return _invalid("CompressionType must be None for time-series forecasting.")
        criteria = series.get("CompletionCriteria") or {}
        if criteria.get("MaxCandidates", 1) != 1:
            return _invalid("MaxCandidates must be 1 for the TimeSeriesForecasting problem type.")
        if series.get("ForecastHorizon", 0) > MAX_FORECAST_HORIZON:
            return _invalid(
                f"ForecastHorizon must be less than or equal to {MAX_FORECAST_HORIZON}."
            )
        objective = (params.get("AutoMLJobObjective") or {}).get("MetricName")
        if objective is not None and objective not in FORECAST_METRICS:
            return _invalid(f"{objective} is not an objective metric for time-series forecasting.")
        uri = series.get("FeatureSpecificationS3Uri")
        if uri:
            bucket, _, key = uri[len("s3://") :].partition("/")
            try:
                spec = json.loads(self.fake._s3.get_object(Bucket=bucket, Key=key)["Body"].read())
            except Exception:
                return _invalid(f"Could not read the feature specification at {uri}.")
            config = series.get("TimeSeriesConfig") or {}
            declared = {
                config.get("TargetAttributeName"),
                config.get("TimestampAttributeName"),
                config.get("ItemIdentifierAttributeName"),
                *(config.get("GroupingAttributeNames") or []),
            }
            clash = [c for c in spec.get("FeatureAttributeNames", []) if c in declared]
            if clash:
                return _invalid(
                    f"FeatureAttributeNames must not include columns of TimeSeriesConfig: {clash}."
                )
        return None

    def _channels(self, params: dict[str, Any]) -> Any:
        """ "How to specify training and validation datasets" (developer guide): at most two
        data sources, one with ChannelType `training` (the default) and the other
        `validation`; "The two data sources must have the same format, either CSV or
        Parquet, and the same schema. You must not set the value for the
        ValidationFraction in this case [...] Setting this value will cause an error."
        AutoMLJobChannel.ChannelType: "Channels for training and validation must share the
        same ContentType". The schema is compared on the CSV header rows."""
        channels = params.get("AutoMLJobInputDataConfig") or []
        types = [c.get("ChannelType", "training") for c in channels]
        if types.count("training") != 1 or types.count("validation") > 1:
            return _invalid(
                "AutoMLJobInputDataConfig takes one training channel and at most one "
                f"validation channel; got {types}."
            )
        if "validation" not in types:
            return None
        if (params.get("DataSplitConfig") or {}).get("ValidationFraction") is not None:
            return _invalid(
                "ValidationFraction cannot be set when a validation channel is provided."
            )
        content = {c.get("ContentType", "text/csv;header=present") for c in channels}
        if len(content) > 1:
            return _invalid("Channels for training and validation must share the same ContentType.")
        headers = [self._header(c) for c in channels]
        if None not in headers and headers[0] != headers[1]:
            return _invalid("The training and validation datasets must have the same schema.")
        return None

    def _header(self, channel: dict[str, Any]) -> list[str] | None:
        """The header row of a channel's CSV object (None: not a readable CSV object)."""
        source = channel.get("DataSource", {}).get("S3DataSource", {})
        if source.get("S3DataType") != "S3Prefix" or "csv" not in channel.get(
            "ContentType", "text/csv"
        ):
            return None
        bucket, _, key = source.get("S3Uri", "")[len("s3://") :].partition("/")
        try:
            head = self.fake._s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-65535")
        except Exception:  # a prefix or a missing object: AWS fails the job later instead
            return None
        body = head["Body"].read()
        if channel.get("CompressionType") == "Gzip":
            return None
        lines = body.decode("utf-8", "replace").splitlines()
        return next(csv.reader(lines[:1]), []) if lines else []

    # -- transform jobs ---------------------------------------------------------------
    def _check_CreateTransformJob(self, params: dict[str, Any]) -> Any:
        """CreateTransformJob's rules beyond the model's shapes (its documentation in
        botocore's service model): the name is unique in the account and region;
        ModelName names an existing model; "The value of MaxPayloadInMB cannot be greater
        than 100 MB. If you specify the MaxConcurrentTransforms parameter, the value of
        (MaxConcurrentTransforms * MaxPayloadInMB) also cannot exceed 100 MB"."""
        name = params.get("TransformJobName", "")
        if name in self.fake.transforms.jobs:
            return _invalid(f"Job name must be unique within an AWS account and region: {name}")
        if params.get("ModelName") not in self.moto_backend()._models:
            return _invalid(f'Could not find model "{params.get("ModelName")}".')
        payload = params.get("MaxPayloadInMB", 6)
        if payload > MAX_PAYLOAD_MB:
            return _invalid(f"MaxPayloadInMB {payload} is over {MAX_PAYLOAD_MB} MB.")
        concurrent = params.get("MaxConcurrentTransforms")
        if concurrent and concurrent * payload > MAX_PAYLOAD_MB:
            return _invalid(
                f"MaxConcurrentTransforms * MaxPayloadInMB ({concurrent} * {payload}) is over "
                f"{MAX_PAYLOAD_MB} MB."
            )
        return None

    def _check_DescribeTransformJob(self, params: dict[str, Any]) -> Any:
        return self._no_transform_job(params)

    def _check_StopTransformJob(self, params: dict[str, Any]) -> Any:
        return self._no_transform_job(params)

    def _no_transform_job(self, params: dict[str, Any]) -> Any:
        name = params.get("TransformJobName")
        if name not in self.fake.transforms.jobs:
            return error("ValidationException", f"Could not find job to update with name {name}")
        return None

    # -- endpoint configs -------------------------------------------------------------
    def _check_CreateEndpointConfig(self, params: dict[str, Any]) -> Any:
        """Serverless endpoints: one production variant, no data capture, single-container
        models without VPC ("Serverless Inference: Feature exclusions", developer guide)."""
        variants = params.get("ProductionVariants") or []
        serverless = [v for v in variants if v.get("ServerlessConfig")]
        if not serverless:
            return None
        if len(variants) > 1:
            return _invalid("Serverless endpoints support a single production variant.")
        if params.get("DataCaptureConfig"):
            return _invalid("DataCaptureConfig is not supported for serverless endpoints.")
        model = self.moto_backend()._models.get(serverless[0].get("ModelName"))
        if model is not None and model.vpc_config:
            return _invalid("Models with a VpcConfig cannot be hosted on serverless endpoints.")
        if model is not None and len(model.containers or []) > 1:
            return _invalid("Inference pipelines cannot be hosted on serverless endpoints.")
        return None

    def created_config(self, name: str) -> None:
        """A new endpoint config: unseen by the next `config_visibility_delay` reads."""
        if self.config_visibility_delay:
            self._invisible[name] = self.config_visibility_delay

    def _missing(self, name: str) -> Any:
        """ "Could not find endpoint configuration" while the config is not yet visible
        (CreateEndpointConfig/CreateEndpoint API reference: eventually consistent reads;
        "retry logic is recommended")."""
        left = self._invisible.get(name, 0)
        if not left:
            return None
        if left == 1:
            del self._invisible[name]
        else:
            self._invisible[name] = left - 1
        arn = f"arn:aws:sagemaker:{self.fake.region}:123456789012:endpoint-config/{name.lower()}"
        return _invalid(f'Could not find endpoint configuration "{arn}".')

    def _check_DescribeEndpointConfig(self, params: dict[str, Any]) -> Any:
        return self._missing(params["EndpointConfigName"])

    def _check_CreateEndpoint(self, params: dict[str, Any]) -> Any:
        return self._missing(params["EndpointConfigName"])

    def _check_DeleteEndpointConfig(self, params: dict[str, Any]) -> Any:
        """ "You must not delete an EndpointConfig in use by an endpoint that is live or while
        the UpdateEndpoint or CreateEndpoint operations are being performed on the endpoint"
        (DeleteEndpointConfig API reference). AWS does not refuse it: the call goes through
        and the test fails on `fake.problems`."""
        name = params["EndpointConfigName"]
        for endpoint in self.moto_backend().endpoints.values():
            leaving = self.updating.get(endpoint.endpoint_name, (0, ""))[1]
            if name in (endpoint.endpoint_config_name, leaving):
                self.fake.problems.append(
                    f"DeleteEndpointConfig {name}: in use by endpoint {endpoint.endpoint_name} "
                    f"({endpoint.endpoint_status})"
                )
        return None

    # -- updates ----------------------------------------------------------------------
    def _check_UpdateEndpoint(self, params: dict[str, Any]) -> Any:
        """No second update while one runs; the new config must be visible; the
        DataCaptureConfig exclusion is "Not currently supported" (VariantProperty)."""
        endpoint = self.moto_backend().endpoints.get(params["EndpointName"])
        if endpoint is not None and endpoint.endpoint_status != "InService":
            return _invalid(
                f"Cannot update in-progress endpoint {endpoint.arn} "
                f"(status {endpoint.endpoint_status})."
            )
        excluded = [
            p.get("VariantPropertyType")
            for p in params.get("ExcludeRetainedVariantProperties") or []
        ]
        if "DataCaptureConfig" in excluded:
            return _invalid("VariantPropertyType DataCaptureConfig is not currently supported.")
        return self._missing(params["EndpointConfigName"])

    def update(self, endpoint: Any, config: Any, params: dict[str, Any]) -> None:
        """Apply UpdateEndpoint: the new config's variants, keeping the live weights and
        instance counts with RetainAllVariantProperties (UpdateEndpoint API reference),
        except those listed in ExcludeRetainedVariantProperties; `Updating` for a while."""
        live = {v["VariantName"]: v for v in endpoint.production_variants}
        variants = endpoint._process_production_variants(config.production_variants)
        if params.get("RetainAllVariantProperties"):
            excluded = {
                p.get("VariantPropertyType")
                for p in params.get("ExcludeRetainedVariantProperties") or []
            }
            kept = {
                "DesiredWeight": ("CurrentWeight", "DesiredWeight"),
                "DesiredInstanceCount": ("CurrentInstanceCount", "DesiredInstanceCount"),
            }
            for variant in variants:
                old = live.get(variant["VariantName"])
                for kind, members in kept.items():
                    if old is None or kind in excluded:
                        continue
                    for member in members:
                        if member in old:
                            variant[member] = old[member]
        old_config = endpoint.endpoint_config_name
        endpoint.endpoint_config_name = config.endpoint_config_name
        endpoint.production_variants = variants
        endpoint.data_capture_config = config.data_capture_config
        if self.update_describes:
            endpoint.endpoint_status = "Updating"
            self.updating[endpoint.endpoint_name] = (self.update_describes, old_config)

    def described(self, name: str) -> None:
        """One DescribeEndpoint answer given: an update ends after `update_describes`."""
        left, old_config = self.updating.get(name, (0, ""))
        if not left:
            return
        if left > 1:
            self.updating[name] = (left - 1, old_config)
            return
        del self.updating[name]
        endpoint = self.moto_backend().endpoints.get(name)
        if endpoint is not None:
            endpoint.endpoint_status = "InService"
