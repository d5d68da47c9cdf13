"""AutoML jobs: the CreateAutoMLJobV2 request for a spec, and Experiments from describes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...exceptions import InvalidRequest
from ...models import (
    AutoMLAlgorithm,
    BestCandidate,
    Budget,
    DataWarning,
    Experiment,
    ExperimentSpec,
    ExperimentSummary,
    ObjectiveInfo,
    ObjectiveMetric,
    ProblemType,
    RunMode,
    Stage,
    Tag,
    TrainingMode,
    VpcConfig,
    default_metric,
)
from ...ranking import objective_goal
from . import forecasting
from . import tags as t
from .status_mapping import current_stage, experiment_status, stage_message

PROBLEM_TYPES: dict[ProblemType, str] = {
    ProblemType.binary: "BinaryClassification",
    ProblemType.multiclass: "MulticlassClassification",
    ProblemType.regression: "Regression",
}
PROBLEM_TYPES_BACK = {v: k for k, v in PROBLEM_TYPES.items()}
#: AutoMLProblemTypeConfigName of a TimeSeriesForecastingJobConfig job (and our ProblemType).
FORECASTING = ProblemType.time_series_forecasting.value

MODES: dict[TrainingMode, str] = {
    TrainingMode.auto: "AUTO",
    TrainingMode.ensembling: "ENSEMBLING",
    TrainingMode.hyperparameter_tuning: "HYPERPARAMETER_TUNING",
}
MODES_BACK = {v: k for k, v in MODES.items()}

#: Autopilot's own defaults when a budget is left empty (what `Budget` reports).
AWS_DEFAULT_MAX_CANDIDATES = 250
AWS_DEFAULT_MAX_TRIAL_RUNTIME = 86400
AWS_DEFAULT_MAX_JOB_RUNTIME = 2592000

#: Metrics Autopilot can optimise (AutoMLMetricEnum); LogLoss is reported, not optimised.
OPTIMISABLE = {m for m in ObjectiveMetric if m is not ObjectiveMetric.LogLoss}

#: Tags AWS allows on one resource (TagList's maximum in the service model); ours count.
MAX_TAGS = 50

CSV_CONTENT_TYPE = "text/csv;header=present"
PARQUET_CONTENT_TYPE = "x-application/vnd.amazon+parquet"


def content_settings(key: str, *, manifest: bool = False) -> tuple[str, str]:
    """(ContentType, CompressionType) for an input object, from its name.

    SageMaker takes CompressionType Gzip for S3Prefix inputs only (AutoMLJobChannel in the
    API reference), so gzip-compressed files listed in a manifest are refused.
    """
    lower = key.lower()
    compression = "Gzip" if lower.endswith(".gz") else "None"
    if manifest and compression == "Gzip":
        raise InvalidRequest(
            f"The manifest lists a gzip-compressed file ({key.rsplit('/', 1)[-1]}); SageMaker "
            "Autopilot reads compressed data only from an S3 prefix, not through a manifest. "
            "Use the .gz file's S3 URI as the input (without manifest), or list uncompressed "
            "files in the manifest.",
            details=[{"field": "manifest"}],
        )
    stem = lower[:-3] if lower.endswith(".gz") else lower
    content_type = PARQUET_CONTENT_TYPE if stem.endswith((".parquet", ".pq")) else CSV_CONTENT_TYPE
    return content_type, compression


def resolve_objective(spec: ExperimentSpec) -> tuple[str | None, ObjectiveMetric | None]:
    """The (ProblemType, objective metric) to send.

    Autopilot wants both or neither: with a problem type and no metric we send its
    default metric; a metric with `auto` problem type cannot be sent.
    """
    if spec.problem_type is ProblemType.time_series_forecasting:
        return FORECASTING, forecasting.forecast_metric(spec)
    if spec.problem_type is ProblemType.auto:
        if spec.objective_metric is not None:
            raise InvalidRequest(
                "SageMaker Autopilot needs the problem type when you choose an objective metric: "
                "choose binary, multiclass or regression, or leave the metric empty.",
                details=[{"field": "problem_type"}],
            )
        return None, None
    metric = spec.objective_metric or default_metric(spec.problem_type)
    if metric not in OPTIMISABLE:
        raise InvalidRequest(
            f"SageMaker Autopilot cannot optimise {metric.value}; choose another objective metric.",
            details=[{"field": "objective_metric"}],
        )
    return PROBLEM_TYPES[spec.problem_type], metric


def job_tags(spec: ExperimentSpec) -> dict[str, str]:
    """The tags we put on an AutoML job, besides the user's."""
    ours = {t.CREATED_BY: "jupyter-autopilot", t.EXPERIMENT: spec.name}
    if spec.project:
        ours[t.PROJECT] = spec.project
    return ours


def check_tags(spec: ExperimentSpec) -> None:
    """The user's tags plus ours within AWS's 50, with unique keys, none of them reserved
    (`aws:` is AWS's prefix, `jupyter-autopilot:` ours)."""
    ours = job_tags(spec)
    keys = [tag.key for tag in spec.tags]
    allowed = MAX_TAGS - len(ours)
    if len(keys) > allowed:
        raise InvalidRequest(
            f"SageMaker allows {MAX_TAGS} tags on an AutoML job and jupyter-autopilot adds "
            f"{len(ours)} ({', '.join(ours)}), so keep at most {allowed} of yours; you gave "
            f"{len(keys)}.",
            details=[{"field": "tags"}],
        )
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise InvalidRequest(
            f"Tag keys must be unique; {', '.join(duplicates)} is given more than once.",
            details=[{"field": "tags"}],
        )
    reserved = [k for k in keys if k.lower().startswith(("aws:", t.PREFIX))]
    if reserved:
        raise InvalidRequest(
            f"The tag key {reserved[0]!r} is reserved (aws: is AWS's prefix, {t.PREFIX} "
            "jupyter-autopilot's); choose another key.",
            details=[{"field": "tags"}],
        )


#: The algorithms SageMaker accepts per training mode (AutoMLAlgorithmConfig's
#: AutoMLAlgorithms, botocore's service model); AlgorithmsConfig is not allowed in AUTO.
ALGORITHMS_BY_MODE: dict[TrainingMode, tuple[str, ...]] = {
    TrainingMode.ensembling: (
        "catboost",
        "extra-trees",
        "fastai",
        "lightgbm",
        "linear-learner",
        "nn-torch",
        "randomforest",
        "xgboost",
    ),
    TrainingMode.hyperparameter_tuning: ("linear-learner", "mlp", "xgboost"),
}


def _sent_mode(spec: ExperimentSpec) -> TrainingMode:
    """The training mode sent to AWS (a pilot runs hyperparameter tuning)."""
    return TrainingMode.hyperparameter_tuning if spec.mode is RunMode.pilot else spec.training_mode


def check_algorithms(spec: ExperimentSpec) -> None:
    """The chosen algorithms must fit the training mode, as AWS requires."""
    if not spec.algorithms:
        return
    mode = _sent_mode(spec)
    allowed = ALGORITHMS_BY_MODE.get(mode)
    if allowed is None:
        raise InvalidRequest(
            "SageMaker Autopilot takes a choice of algorithms in the ensembling and "
            "hyperparameter-tuning training modes, not in auto; choose one of those modes or "
            "leave the algorithms empty for all.",
            details=[{"field": "algorithms"}],
        )
    refused = [a.value for a in spec.algorithms if a.value not in allowed]
    if refused:
        raise InvalidRequest(
            f"SageMaker's {mode.value.replace('_', ' ')} mode"
            + (" (a pilot run's)" if spec.mode is RunMode.pilot else "")
            + f" does not train {', '.join(refused)}; it offers {', '.join(allowed)}.",
            details=[{"field": "algorithms"}],
        )


def check_spec(spec: ExperimentSpec) -> None:
    """Reject spec fields the sagemaker backend cannot honour, with what to do instead."""
    check_tags(spec)
    check_algorithms(spec)
    if forecasting.is_forecasting(spec):
        forecasting.check_forecast_spec(spec)
    if spec.candidate_plan is not None:
        raise InvalidRequest(
            "A candidate plan (re-running a candidate-definition notebook's candidates) runs on "
            "the local backend only; SageMaker generates its own candidates. Start JupyterLab "
            "with --AutopilotApp.backend=local to re-run them on this machine.",
            details=[{"field": "candidate_plan"}],
        )
    if spec.reproducible:
        raise InvalidRequest(
            "Reproducible mode runs on the local backend only: SageMaker Autopilot has no "
            "setting that makes two jobs give the same leaderboard. Leave reproducible off, "
            "or start JupyterLab with --AutopilotApp.backend=local.",
            details=[{"field": "reproducible"}],
        )
    if not spec.input_uri.startswith("s3://"):
        raise InvalidRequest(
            f"The sagemaker backend reads training data from S3, not {spec.input_uri!r}. Upload "
            "the file first (Upload to S3 in the dataset panel, or POST datasets/upload) and use "
            "the s3:// URI it returns.",
            details=[{"field": "input_uri"}],
        )
    if spec.validation_file is not None and not spec.validation_file.startswith("s3://"):
        raise InvalidRequest(
            f"The sagemaker backend reads the validation file from S3, not "
            f"{spec.validation_file!r}. Upload it like the training file (Upload to S3 in the "
            "dataset panel, or POST datasets/upload) and use the s3:// URI it returns.",
            details=[{"field": "validation_file"}],
        )
    if spec.output_uri is not None and not spec.output_uri.startswith("s3://"):
        raise InvalidRequest(
            "The output location must be an s3:// URI (or empty for the default bucket).",
            details=[{"field": "output_uri"}],
        )
    if spec.delimiter not in (None, ","):
        raise InvalidRequest(
            f"SageMaker Autopilot reads comma-separated CSV; the delimiter {spec.delimiter!r} is "
            "not supported. Upload the file with Upload to S3, which converts it to commas.",
            details=[{"field": "delimiter"}],
        )
    if spec.sample_weight is not None and (
        spec.mode is RunMode.pilot or spec.training_mode is not TrainingMode.ensembling
    ):
        raise InvalidRequest(
            "SageMaker Autopilot supports sample weights in the ensembling training mode only "
            "(a pilot run needs hyperparameter tuning). Choose training mode ensembling and a "
            "complete run, or leave the sample weight column empty.",
            details=[{"field": "sample_weight"}],
        )
    if spec.mode is RunMode.pilot and spec.training_mode is TrainingMode.ensembling:
        raise InvalidRequest(
            "A pilot run generates candidate definitions, which only the hyperparameter-tuning "
            "mode has; choose training mode auto or hyperparameter_tuning for a pilot.",
            details=[{"field": "training_mode"}],
        )


def build_create_request(
    spec: ExperimentSpec,
    *,
    role_arn: str,
    output_path: str,
    input_key: str,
    feature_spec_uri: str | None = None,
    validation_key: str | None = None,
) -> dict[str, Any]:
    """The CreateAutoMLJobV2 parameters for `spec` (every field the spec has).

    With `spec.validation_file` the request has a second channel, `ChannelType:
    validation`, and no `DataSplitConfig`: AWS takes one training and at most one
    validation channel of the same format and schema, and refuses a ValidationFraction
    beside a validation channel ("How to specify training and validation datasets",
    developer guide). `validation_key` is the validation object's key (its name sets the
    compression type)."""
    problem_type, metric = resolve_objective(spec)
    content_type, compression = content_settings(input_key, manifest=spec.manifest)
    if forecasting.is_forecasting(spec):
        if compression != "None":
            # AutoMLJobChannel.CompressionType: Gzip "for S3Prefix inputs on tabular data only".
            raise InvalidRequest(
                f"SageMaker Autopilot reads forecasting data uncompressed; {input_key} is "
                "gzip-compressed. Upload the plain CSV or Parquet file.",
                details=[{"field": "input_uri"}],
            )
        return _forecast_request(
            spec,
            role_arn=role_arn,
            output_path=output_path,
            content_type=content_type,
            feature_spec_uri=feature_spec_uri,
        )
    tabular: dict[str, Any] = {"TargetAttributeName": spec.target}
    if problem_type:
        tabular["ProblemType"] = problem_type
    criteria: dict[str, int] = {}
    if spec.max_candidates is not None:
        criteria["MaxCandidates"] = spec.max_candidates
    if spec.max_trial_runtime_seconds is not None:
        criteria["MaxRuntimePerTrainingJobInSeconds"] = spec.max_trial_runtime_seconds
    if spec.max_job_runtime_seconds is not None:
        criteria["MaxAutoMLJobRuntimeInSeconds"] = spec.max_job_runtime_seconds
    if criteria:
        tabular["CompletionCriteria"] = criteria
    mode = spec.training_mode
    if spec.mode is RunMode.pilot:
        # Candidate definitions exist only in hyperparameter-tuning mode.
        mode = TrainingMode.hyperparameter_tuning
        tabular["GenerateCandidateDefinitionsOnly"] = True
    tabular["Mode"] = MODES[mode]
    if feature_spec_uri:
        tabular["FeatureSpecificationS3Uri"] = feature_spec_uri
    if spec.sample_weight is not None:
        tabular["SampleWeightAttributeName"] = spec.sample_weight
    if spec.algorithms:
        tabular["CandidateGenerationConfig"] = {
            "AlgorithmsConfig": [{"AutoMLAlgorithms": [a.value for a in spec.algorithms]}]
        }

    request: dict[str, Any] = {
        "AutoMLJobName": spec.name,
        "AutoMLJobInputDataConfig": [
            {
                "ChannelType": "training",
                "ContentType": content_type,
                "CompressionType": compression,
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "ManifestFile" if spec.manifest else "S3Prefix",
                        "S3Uri": spec.input_uri,
                    }
                },
            }
        ],
        "OutputDataConfig": {"S3OutputPath": output_path},
        "AutoMLProblemTypeConfig": {"TabularJobConfig": tabular},
        "RoleArn": role_arn,
    }
    if spec.validation_file is not None:
        # The object's name decides: the key found under a prefix, else the URI's own.
        valid_type, valid_compression = content_settings(validation_key or spec.validation_file)
        request["AutoMLJobInputDataConfig"].append(
            {
                "ChannelType": "validation",
                "ContentType": valid_type,
                "CompressionType": valid_compression,
                "DataSource": {
                    "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": spec.validation_file}
                },
            }
        )
    else:
        request["DataSplitConfig"] = {"ValidationFraction": spec.split_fraction}
    _finish_request(request, spec, metric)
    return request


def _finish_request(
    request: dict[str, Any], spec: ExperimentSpec, metric: ObjectiveMetric | None
) -> None:
    """Encryption, network, objective and tags: the same for every problem type."""
    if spec.kms_key_id:
        request["OutputDataConfig"]["KmsKeyId"] = spec.kms_key_id
    security: dict[str, Any] = {}
    if spec.kms_key_id:
        security["VolumeKmsKeyId"] = spec.kms_key_id
    if spec.vpc_config is not None:
        security["VpcConfig"] = {
            "SecurityGroupIds": list(spec.vpc_config.security_group_ids),
            "Subnets": list(spec.vpc_config.subnets),
        }
    if security:
        request["SecurityConfig"] = security
    if metric is not None:
        request["AutoMLJobObjective"] = {"MetricName": metric.value}
    request["Tags"] = t.user_tags(spec.tags) + t.aws_tags(job_tags(spec))


def _forecast_request(
    spec: ExperimentSpec,
    *,
    role_arn: str,
    output_path: str,
    content_type: str,
    feature_spec_uri: str | None,
) -> dict[str, Any]:
    """CreateAutoMLJobV2 for a forecasting spec: one training channel, no DataSplitConfig
    ("must not be set for the time-series forecasting problem type, as Autopilot
    automatically splits the input dataset", CreateAutoMLJobV2's DataSplitConfig)."""
    request: dict[str, Any] = {
        "AutoMLJobName": spec.name,
        "AutoMLJobInputDataConfig": [
            {
                "ChannelType": "training",
                "ContentType": content_type,
                "CompressionType": "None",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": spec.input_uri}},
            }
        ],
        "OutputDataConfig": {"S3OutputPath": output_path},
        "AutoMLProblemTypeConfig": {
            "TimeSeriesForecastingJobConfig": forecasting.job_config(spec, feature_spec_uri)
        },
        "RoleArn": role_arn,
    }
    _finish_request(request, spec, forecasting.forecast_metric(spec))
    return request


def budget_from(desc: dict[str, Any] | None, spec: ExperimentSpec) -> Budget:
    """The budget a job runs with: resolved by AWS when known, else the spec or defaults."""
    resolved = ((desc or {}).get("ResolvedAttributes") or {}).get("CompletionCriteria") or {}
    return Budget(
        max_candidates=resolved.get("MaxCandidates")
        or spec.max_candidates
        or AWS_DEFAULT_MAX_CANDIDATES,
        max_trial_runtime_seconds=resolved.get("MaxRuntimePerTrainingJobInSeconds")
        or spec.max_trial_runtime_seconds
        or AWS_DEFAULT_MAX_TRIAL_RUNTIME,
        max_job_runtime_seconds=resolved.get("MaxAutoMLJobRuntimeInSeconds")
        or spec.max_job_runtime_seconds
        or AWS_DEFAULT_MAX_JOB_RUNTIME,
    )


def spec_from_description(desc: dict[str, Any], tag_dict: dict[str, str]) -> ExperimentSpec:
    """Rebuild a spec for a job this server did not create (from its describe and tags)."""
    config = desc.get("AutoMLProblemTypeConfig") or {}
    tabular = config.get("TabularJobConfig") or {}
    series_config = config.get("TimeSeriesForecastingJobConfig") or {}
    forecast = forecasting.forecast_from(series_config) if series_config else None
    if forecast is not None:
        # The fields this function reads from a tabular config, where a forecasting job has them.
        tabular = {
            "TargetAttributeName": series_config["TimeSeriesConfig"].get("TargetAttributeName"),
            "CompletionCriteria": series_config.get("CompletionCriteria"),
        }
    criteria = tabular.get("CompletionCriteria") or {}
    channels = desc.get("AutoMLJobInputDataConfig") or [{}]
    by_type = {c.get("ChannelType", "training"): c for c in channels}
    channel = by_type.get("training", channels[0])
    source = (channel.get("DataSource") or {}).get("S3DataSource") or {}
    validation_source = ((by_type.get("validation") or {}).get("DataSource") or {}).get(
        "S3DataSource"
    ) or {}
    fraction = (desc.get("DataSplitConfig") or {}).get("ValidationFraction")
    security = desc.get("SecurityConfig") or {}
    vpc = security.get("VpcConfig")
    metric_name = (desc.get("AutoMLJobObjective") or {}).get("MetricName")
    metric = ObjectiveMetric(metric_name) if metric_name in ObjectiveMetric.__members__ else None
    problem = PROBLEM_TYPES_BACK.get(tabular.get("ProblemType", ""), ProblemType.auto)
    if forecast is not None:
        problem = ProblemType.time_series_forecasting
    if problem is ProblemType.auto:
        metric = None
    user_tags = [
        Tag(key=k, value=v) for k, v in tag_dict.items() if not k.startswith((t.PREFIX, "aws:"))
    ]
    return ExperimentSpec.model_construct(
        name=desc["AutoMLJobName"],
        tags=user_tags[:50],
        project=tag_dict.get(t.PROJECT),
        description=None,
        input_uri=source.get("S3Uri", "s3://unknown/"),
        manifest=source.get("S3DataType") == "ManifestFile",
        delimiter=None,
        target=tabular.get("TargetAttributeName", "unknown"),
        exclude_columns=[],
        sample_weight=tabular.get("SampleWeightAttributeName"),
        algorithms=[
            AutoMLAlgorithm(name)
            for config in (tabular.get("CandidateGenerationConfig") or {}).get(
                "AlgorithmsConfig", []
            )
            for name in config.get("AutoMLAlgorithms", [])
            if name in {a.value for a in AutoMLAlgorithm}
        ],
        output_uri=(desc.get("OutputDataConfig") or {}).get("S3OutputPath"),
        problem_type=problem,
        objective_metric=metric,
        mode=RunMode.pilot if tabular.get("GenerateCandidateDefinitionsOnly") else RunMode.complete,
        training_mode=MODES_BACK.get(tabular.get("Mode", "AUTO"), TrainingMode.auto),
        role_arn=desc.get("RoleArn"),
        kms_key_id=security.get("VolumeKmsKeyId")
        or (desc.get("OutputDataConfig") or {}).get("KmsKeyId"),
        vpc_config=VpcConfig(security_group_ids=vpc["SecurityGroupIds"], subnets=vpc["Subnets"])
        if vpc
        else None,
        max_candidates=criteria.get("MaxCandidates"),
        max_trial_runtime_seconds=criteria.get("MaxRuntimePerTrainingJobInSeconds"),
        max_job_runtime_seconds=criteria.get("MaxAutoMLJobRuntimeInSeconds"),
        # Our form allows (0, 0.5]; AWS allows [0, 1]. A validation channel replaces it.
        validation_fraction=None
        if validation_source or fraction is None or forecast is not None
        else min(max(fraction, 0.01), 0.5),
        validation_file=validation_source.get("S3Uri"),
        seed=0,
        forecast=forecast,
    )


def resolved_problem(desc: dict[str, Any], spec: ExperimentSpec) -> ProblemType:
    """The problem type AWS resolved (or the spec's while it has not)."""
    resolved = (
        (desc.get("ResolvedAttributes") or {}).get("AutoMLProblemTypeResolvedAttributes") or {}
    ).get("TabularResolvedAttributes") or {}
    return PROBLEM_TYPES_BACK.get(resolved.get("ProblemType", ""), spec.problem_type)


def resolved_objective(desc: dict[str, Any], spec: ExperimentSpec) -> ObjectiveInfo | None:
    """The objective AWS resolved (metric and goal)."""
    name = ((desc.get("ResolvedAttributes") or {}).get("AutoMLJobObjective") or {}).get(
        "MetricName"
    )
    name = name or (desc.get("AutoMLJobObjective") or {}).get("MetricName")
    metric: ObjectiveMetric | None = None
    if name in ObjectiveMetric.__members__:
        metric = ObjectiveMetric(name)
    elif spec.objective_metric is not None:
        metric = spec.objective_metric
    if metric is None:
        return None
    return ObjectiveInfo(metric=metric, goal=objective_goal(metric))


def best_candidate_of(desc: dict[str, Any], algorithm: str | None = None) -> BestCandidate | None:
    best = desc.get("BestCandidate")
    if not best:
        return None
    value = (best.get("FinalAutoMLJobObjectiveMetric") or {}).get("Value")
    return BestCandidate(name=best["CandidateName"], algorithm=algorithm, objective_value=value)


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return None


def experiment_from(
    desc: dict[str, Any],
    *,
    spec: ExperimentSpec,
    stages: list[Stage],
    tag_list: list[Tag],
    candidates_completed: int,
    best_algorithm: str | None,
    details: dict[str, str],
) -> Experiment:
    """The API's Experiment for one DescribeAutoMLJobV2 result."""
    primary = desc.get("AutoMLJobStatus", "InProgress")
    secondary = desc.get("AutoMLJobSecondaryStatus", "Starting")
    status = experiment_status(primary)
    warnings = [
        DataWarning(code="partial_failure", severity="warning", message=p["PartialFailureMessage"])
        for p in desc.get("PartialFailureReasons") or []
        if p.get("PartialFailureMessage")
    ]
    created = _aware(desc.get("CreationTime"))
    assert created is not None
    return Experiment(
        name=desc["AutoMLJobName"],
        backend="sagemaker",
        status=status,
        current_stage=current_stage(stages),
        stages=stages,
        problem_type=resolved_problem(desc, spec),
        objective=resolved_objective(desc, spec),
        best_candidate=best_candidate_of(desc, best_algorithm),
        candidates_completed=candidates_completed,
        created_at=created,
        ended_at=_aware(desc.get("EndTime")),
        failure_reason=desc.get("FailureReason"),
        tags=tag_list,
        mode=spec.mode,
        spec=spec,
        budget=budget_from(desc, spec),
        secondary_status=secondary,
        status_message=stage_message(secondary),
        started_at=created,
        updated_at=_aware(desc.get("LastModifiedTime")),
        warnings=warnings,
        can_rerun=False,
        backend_details=details,
    )


def summary_from(
    job: dict[str, Any], stages: list[Stage], spec: ExperimentSpec | None
) -> ExperimentSummary:
    """A row of the experiments list from a ListAutoMLJobs summary."""
    return ExperimentSummary(
        name=job["AutoMLJobName"],
        backend="sagemaker",
        status=experiment_status(job.get("AutoMLJobStatus", "InProgress")),
        current_stage=current_stage(stages),
        stages=stages,
        problem_type=spec.problem_type if spec else ProblemType.auto,
        objective=(
            ObjectiveInfo(
                metric=spec.objective_metric,
                goal=objective_goal(spec.objective_metric),
            )
            if spec and spec.objective_metric
            else None
        ),
        created_at=job["CreationTime"],
        ended_at=job.get("EndTime"),
        failure_reason=job.get("FailureReason"),
        tags=list(spec.tags) if spec else [],
        mode=spec.mode if spec else RunMode.complete,
    )
