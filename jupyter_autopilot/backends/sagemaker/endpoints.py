"""Deploying candidates: model containers, endpoint configs, and Endpoint responses."""

from __future__ import annotations

import copy
import secrets
from datetime import datetime, timezone
from typing import Any

from ...exceptions import InvalidRequest
from ...models import (
    DataCaptureConfig,
    DeployRequest,
    Endpoint,
    EndpointStatus,
    InferenceKey,
    ProductionVariant,
    ServerlessConfig,
)
from .pricing import PRICE_NOTE, hourly_cost
from .store import EndpointRecord

SUPPORTED = "SAGEMAKER_INFERENCE_SUPPORTED"
OUTPUT = "SAGEMAKER_INFERENCE_OUTPUT"
INPUT = "SAGEMAKER_INFERENCE_INPUT"

ENDPOINT_STATUS: dict[str, EndpointStatus] = {
    "Creating": EndpointStatus.Creating,
    "InService": EndpointStatus.InService,
    "Updating": EndpointStatus.Updating,
    "SystemUpdating": EndpointStatus.Updating,
    "RollingBack": EndpointStatus.Updating,
    "Deleting": EndpointStatus.Deleting,
    "Failed": EndpointStatus.Failed,
    "UpdateRollbackFailed": EndpointStatus.Failed,
    "OutOfService": EndpointStatus.OutOfService,
}

#: SageMaker statuses of an endpoint that exists and may be billed.
ACTIVE_STATUSES = ("Creating", "InService", "Updating", "SystemUpdating", "RollingBack")

#: Running this long (hours) earns a "still running" warning on the endpoint.
LEFT_RUNNING_HOURS = 2.0


def _supported(container: dict[str, Any]) -> list[str] | None:
    value = (container.get("Environment") or {}).get(SUPPORTED)
    if value is None:
        return None
    return [k.strip() for k in str(value).split(",") if k.strip()]


def response_keys(
    raw_candidates: list[dict[str, Any]], candidate: str, requested: list[InferenceKey] | None
) -> list[InferenceKey]:
    """The response keys to deploy `candidate` with: those requested, else what its
    containers can return of `predicted_label, probability` (classification), else
    `predicted_label` alone: regression containers choose no output (the SageMaker
    developer guide's "Configure inference output in generated containers")."""
    if requested:
        return list(requested)
    source = next((c for c in raw_candidates if c.get("CandidateName") == candidate), {})
    choosers = [c for c in source.get("InferenceContainers") or [] if _supported(c) is not None]
    supported = (_supported(choosers[-1]) or []) if choosers else []
    wanted = (InferenceKey.predicted_label, InferenceKey.probability)
    return [k for k in wanted if k.value in supported] or [InferenceKey.predicted_label]


def explained_keys(
    raw_candidates: list[dict[str, Any]], candidate: str, keys: list[InferenceKey]
) -> list[InferenceKey]:
    """`keys` plus what Clarify needs to explain a classification model: the class
    probabilities (what Kernel SHAP explains) and their labels. A regression model's
    single output is explained as it is."""
    source = next((c for c in raw_candidates if c.get("CandidateName") == candidate), {})
    choosers = [c for c in source.get("InferenceContainers") or [] if _supported(c) is not None]
    if not choosers:
        return keys
    needed = [InferenceKey.predicted_label, InferenceKey.probabilities, InferenceKey.labels]
    return [*keys, *(k for k in needed if k not in keys)]


def configure_containers(
    containers: list[dict[str, Any]], keys: list[InferenceKey]
) -> list[dict[str, Any]]:
    """The candidate's InferenceContainers with the response content set to `keys`.

    Autopilot containers that can choose their output list it in
    SAGEMAKER_INFERENCE_SUPPORTED. The last of them must support every key; each one
    outputs the keys it supports (SAGEMAKER_INFERENCE_OUTPUT) and each one after the
    first reads what the previous one outputs (SAGEMAKER_INFERENCE_INPUT). For an HPO
    pipeline (feature transform, algorithm, label transform) that is: algorithm OUTPUT,
    label transform INPUT and OUTPUT; for an ensemble (one container): its OUTPUT.
    """
    wanted = [k.value for k in keys]
    result = copy.deepcopy(containers)
    choosers = [c for c in result if _supported(c) is not None]
    if not choosers:
        if wanted != [InferenceKey.predicted_label.value]:
            raise InvalidRequest(
                "This model returns only the predicted value (regression models have no "
                'probabilities); deploy it with inference_response_keys ["predicted_label"].',
                details=[{"field": "inference_response_keys"}],
            )
        return result
    last_supported = _supported(choosers[-1]) or []
    missing = [k for k in wanted if k not in last_supported]
    if missing:
        raise InvalidRequest(
            f"This candidate cannot return {', '.join(missing)}; it supports "
            f"{', '.join(last_supported)}.",
            details=[{"field": "inference_response_keys"}],
        )
    previous: str | None = None
    for index, container in enumerate(choosers):
        supported = _supported(container) or []
        env = container.setdefault("Environment", {})
        own = wanted if index == len(choosers) - 1 else [k for k in wanted if k in supported]
        if not own:
            own = [InferenceKey.predicted_label.value]
        env[OUTPUT] = ",".join(own)
        if previous is not None:
            env[INPUT] = previous
        previous = env[OUTPUT]
    return result


def check_serverless(request: DeployRequest, *, job_vpc: dict[str, Any] | None = None) -> None:
    """Refuse what SageMaker Serverless Inference does not support ("Feature exclusions" in
    the developer guide): several production variants, data capture, models in a VPC
    (inference pipelines are refused with the candidate, see `_candidate_model`)."""
    if request.serverless is None:
        return
    if request.variants:
        raise InvalidRequest(
            "A serverless endpoint serves a single model: SageMaker Serverless Inference does "
            "not support several production variants. Choose an instance type to split traffic "
            "between candidates.",
            details=[{"field": "variants"}],
        )
    if request.data_capture is not None and request.data_capture.enabled:
        raise InvalidRequest(
            "SageMaker Serverless Inference does not capture data, so a serverless endpoint "
            "cannot be monitored. Turn data capture off, or choose an instance type.",
            details=[{"field": "data_capture"}],
        )
    if job_vpc:
        raise InvalidRequest(
            "This experiment ran in a VPC, so its models are deployed in that VPC, which "
            "SageMaker Serverless Inference does not support. Choose an instance type.",
            details=[{"field": "serverless"}],
        )


def model_containers(containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """AutoMLContainerDefinitions -> CreateModel ContainerDefinitions (same three members)."""
    return [
        {k: v for k, v in c.items() if k in ("Image", "ModelDataUrl", "Environment")}
        for c in containers
    ]


def default_endpoint_name(experiment: str) -> str:
    """`<experiment>-<6 hex>`: unique enough, within the 63-character limit."""
    return f"{experiment[:56]}-{secrets.token_hex(3)}"


def resource_names(endpoint: str) -> tuple[str, str]:
    """(model name, endpoint config name) for an endpoint; both at most 63 characters."""
    return f"{endpoint[:57]}-model", f"{endpoint[:56]}-config"


def production_variant(
    model_name: str,
    *,
    instance_type: str | None,
    instance_count: int,
    serverless: ServerlessConfig | None,
    name: str = "AllTraffic",
    weight: float = 1.0,
) -> dict[str, Any]:
    """A production variant of the endpoint config (the single AllTraffic one by default)."""
    variant: dict[str, Any] = {"VariantName": name, "ModelName": model_name}
    if serverless is not None:
        variant["ServerlessConfig"] = {
            "MemorySizeInMB": serverless.memory_size_mb,
            "MaxConcurrency": serverless.max_concurrency,
        }
    else:
        variant["InstanceType"] = instance_type
        variant["InitialInstanceCount"] = instance_count
        variant["InitialVariantWeight"] = weight
    return variant


def endpoint_from(
    description: dict[str, Any] | None,
    config: dict[str, Any] | None,
    record: EndpointRecord | None,
    tag_dict: dict[str, str],
    *,
    name: str,
    region: str | None,
    now: datetime | None = None,
    variant_counts: dict[str, int] | None = None,
) -> Endpoint:
    """The API's Endpoint from DescribeEndpoint (+ its config, our record and tags)."""
    from . import tags as t

    description = description or {}
    variant = ((config or {}).get("ProductionVariants") or [{}])[0]
    summary = (description.get("ProductionVariants") or [{}])[0]
    serverless_cfg = variant.get("ServerlessConfig") or summary.get("CurrentServerlessConfig")
    instance_type = variant.get("InstanceType") or (record.instance_type if record else None)
    count = summary.get("CurrentInstanceCount") or variant.get("InitialInstanceCount")
    if count is None and record is not None:
        count = record.instance_count
    status = ENDPOINT_STATUS.get(
        description.get("EndpointStatus", "Creating"), EndpointStatus.Creating
    )
    created = (
        description.get("CreationTime")
        or (record.created_at if record else None)
        or datetime.now(timezone.utc)
    )
    keys_text = tag_dict.get(t.INFERENCE_KEYS, "")
    keys = (
        list(record.inference_response_keys)
        if record
        else [InferenceKey(k) for k in keys_text.split(":") if k in InferenceKey.__members__]
    )
    cost = None if serverless_cfg else hourly_cost(instance_type, count)
    split = production_variants(description, config, record, variant_counts or {})
    if len(split) > 1 and not serverless_cfg:
        costs = [
            hourly_cost(v.get("InstanceType"), v.get("InitialInstanceCount"))
            for v in (config or {}).get("ProductionVariants", [])
        ]
        cost = None if None in costs else round(sum(c for c in costs if c is not None), 4)
    details: dict[str, str] = {"region": region or ""}
    if description.get("EndpointArn"):
        details["endpoint_arn"] = description["EndpointArn"]
    if description.get("EndpointConfigName") or record:
        details["endpoint_config"] = description.get("EndpointConfigName") or (
            record.config_name if record else ""
        )
    if variant.get("ModelName") or record:
        details["model"] = variant.get("ModelName") or (record.model_name if record else "")
    if cost is not None:
        details["cost_note"] = PRICE_NOTE
    elif serverless_cfg:
        details["cost_note"] = (
            "Serverless: billed per request and compute time, nothing while idle."
        )
    now = now or datetime.now(timezone.utc)
    if (
        status in (EndpointStatus.InService, EndpointStatus.Creating, EndpointStatus.Updating)
        and not serverless_cfg
    ):
        hours = (now - created).total_seconds() / 3600 if created.tzinfo else 0.0
        if hours >= LEFT_RUNNING_HOURS:
            spent = f", about USD {cost * hours:.2f} so far" if cost else ""
            details["warning"] = (
                f"Running for {hours:.0f} hours{spent}. It is billed every hour until deleted: "
                "delete it (clean-up) when you no longer need it."
            )
        else:
            details["warning"] = (
                "Billed per hour while it exists, even when idle: delete it when done."
            )
    return Endpoint(
        name=name,
        backend="sagemaker",
        status=status,
        experiment=(record.experiment if record else None) or tag_dict.get(t.EXPERIMENT),
        candidate=(record.candidate if record else None) or tag_dict.get(t.CANDIDATE),
        algorithm=record.algorithm if record else None,
        model_name=details.get("model"),
        objective_metric=record.objective_metric if record else None,
        objective_value=record.objective_value if record else None,
        created_at=created,
        updated_at=description.get("LastModifiedTime"),
        failure_reason=description.get("FailureReason"),
        instance_type=None if serverless_cfg else instance_type,
        instance_count=None if serverless_cfg else count,
        serverless=(
            ServerlessConfig(
                memory_size_mb=serverless_cfg.get("MemorySizeInMB", 2048),
                max_concurrency=serverless_cfg.get("MaxConcurrency", 5),
            )
            if serverless_cfg
            else None
        ),
        hourly_cost_usd=cost,
        inference_response_keys=keys,
        input_columns=list(record.input_columns) if record else [],
        data_capture=record.data_capture if record else DataCaptureConfig(),
        variants=split,
        explanations=(
            record.explanations
            if record is not None
            else bool(((config or {}).get("ExplainerConfig") or {}).get("ClarifyExplainerConfig"))
        ),
        backend_details=details,
    )


def running_warning(
    summaries: list[dict[str, Any]], records: dict[str, EndpointRecord], region: str
) -> str | None:
    """`/health`'s reminder of billed endpoints, from ListEndpoints' summaries and our
    records alone (no DescribeEndpoint per endpoint): ours with their approximate hourly
    price, and how many others the account has running."""
    active = [s for s in summaries if s.get("EndpointStatus") in ACTIVE_STATUSES]
    ours = [records[s["EndpointName"]] for s in active if s["EndpointName"] in records]
    billed = [r for r in ours if not r.serverless]
    others = len(active) - len(ours)
    if not billed and not others:
        return None
    parts = []
    if billed:
        cost = sum(
            (hourly_cost(r.instance_type, r.instance_count) or 0.0) * max(1, len(r.variants))
            for r in billed
        )
        parts.append(
            f"{len(billed)} endpoint(s) deployed from here are running in {region}, about "
            f"USD {cost:.2f} per hour (approximate): {', '.join(r.name for r in billed)}."
        )
    if others:
        parts.append(f"{others} other endpoint(s) of this account are active in {region}.")
    return " ".join(parts) + " Delete endpoints when you are done with them."


def production_variants(
    description: dict[str, Any],
    config: dict[str, Any] | None,
    record: EndpointRecord | None,
    counts: dict[str, int],
) -> list[ProductionVariant]:
    """Variants of a split endpoint (none for a single-variant one): the config's
    variants, their current weights from DescribeEndpoint, candidates from our record."""
    configured = (config or {}).get("ProductionVariants") or []
    recorded = {v.name: v for v in (record.variants if record else [])}
    if len(configured) < 2 and not recorded:
        return []
    live = {v.get("VariantName"): v for v in description.get("ProductionVariants") or []}
    weights = {
        v["VariantName"]: float(
            live.get(v["VariantName"], {}).get("CurrentWeight", v.get("InitialVariantWeight", 1.0))
        )
        for v in configured
    }
    total = sum(weights.values()) or 1.0
    out = []
    for v in configured:
        variant_name = v["VariantName"]
        known = recorded.get(variant_name)
        out.append(
            ProductionVariant(
                name=variant_name,
                candidate=known.candidate if known else v.get("ModelName", ""),
                algorithm=known.algorithm if known else None,
                objective_value=known.objective_value if known else None,
                metrics=dict(known.metrics) if known else {},
                weight=weights[variant_name],
                traffic_share=round(weights[variant_name] / total, 4),
                invocation_count=counts.get(variant_name, 0),
            )
        )
    return out
