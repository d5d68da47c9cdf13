"""Small pieces: inference keys, pricing, the cache, validation and redaction."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import endpoints, pricing
from jupyter_autopilot.backends.sagemaker.cache import TTLCache
from jupyter_autopilot.backends.sagemaker.store import EndpointRecord
from jupyter_autopilot.backends.sagemaker.validation import operation_model, redact, request_errors

K = m.InferenceKey
HPO = [
    {
        "Image": "x/sagemaker-sklearn-automl:2",
        "ModelDataUrl": "s3://b/1",
        "Environment": {"AUTOML_TRANSFORM_MODE": "feature-transform"},
    },
    {
        "Image": "x/sagemaker-xgboost:1.3",
        "ModelDataUrl": "s3://b/2",
        "Environment": {
            "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,probabilities"
        },
    },
    {
        "Image": "x/sagemaker-sklearn-automl:2",
        "ModelDataUrl": "s3://b/3",
        "Environment": {
            "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,probabilities,labels"
        },
    },
]


def test_keys_for_an_hpo_pipeline() -> None:
    out = endpoints.configure_containers(HPO, [K.predicted_label, K.probability, K.labels])
    assert "SAGEMAKER_INFERENCE_OUTPUT" not in out[0]["Environment"]
    # The algorithm outputs what it can; the label transform reads it and adds the labels.
    assert out[1]["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"] == "predicted_label,probability"
    assert out[2]["Environment"]["SAGEMAKER_INFERENCE_INPUT"] == "predicted_label,probability"
    assert (
        out[2]["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"] == "predicted_label,probability,labels"
    )
    assert "SAGEMAKER_INFERENCE_OUTPUT" not in HPO[1]["Environment"]  # the input is not modified


def test_unsupported_key_is_refused() -> None:
    single = [
        {
            "Image": "autogluon",
            "ModelDataUrl": "s3://b/1",
            "Environment": {"SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability"},
        }
    ]
    with pytest.raises(ex.InvalidRequest, match="labels"):
        endpoints.configure_containers(single, [K.labels])
    assert (
        endpoints.configure_containers(single, [K.probability])[0]["Environment"][
            "SAGEMAKER_INFERENCE_OUTPUT"
        ]
        == "probability"
    )


def test_names_fit_the_limits() -> None:
    name = endpoints.default_endpoint_name("a" * 32)
    assert len(name) <= 63
    model, config = endpoints.resource_names("e" * 63)
    assert len(model) <= 63 and len(config) <= 63 and model != config


def test_pricing_table() -> None:
    assert pricing.hourly_cost("ml.m5.large", 2) == pytest.approx(0.23)
    assert pricing.hourly_cost("ml.unknown.size") is None and pricing.hourly_cost(None) is None
    assert set(pricing.DEPLOY_INSTANCE_TYPES) <= set(pricing.HOURLY_USD)
    enum = (
        operation_model("sagemaker", "CreateEndpointConfig")
        .input_shape.members["ProductionVariants"]
        .member.members["InstanceType"]
        .enum
    )
    assert set(pricing.HOURLY_USD) <= set(enum)


def test_endpoint_left_running_warns_with_cost() -> None:
    created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    record = EndpointRecord(
        name="e",
        model_name="e-model",
        config_name="e-config",
        created_at=created,
        instance_type="ml.m5.xlarge",
        instance_count=1,
    )
    endpoint = endpoints.endpoint_from(
        {"EndpointStatus": "InService", "CreationTime": created, "EndpointConfigName": "e-config"},
        {
            "ProductionVariants": [
                {
                    "VariantName": "AllTraffic",
                    "ModelName": "e-model",
                    "InstanceType": "ml.m5.xlarge",
                    "InitialInstanceCount": 1,
                }
            ]
        },
        record,
        {},
        name="e",
        region="us-east-1",
        now=created + timedelta(hours=10),
    )
    assert endpoint.hourly_cost_usd == pytest.approx(0.23)
    assert "Running for 10 hours, about USD 2.30 so far" in endpoint.backend_details["warning"]
    assert "Approximate" in endpoint.backend_details["cost_note"]


def test_cache_ttl_and_coalescing() -> None:
    now = [0.0]
    cache = TTLCache(clock=lambda: now[0])
    calls = []

    async def load() -> int:
        calls.append(1)
        await asyncio.sleep(0.01)
        return len(calls)

    async def scenario() -> list[int]:
        first = await asyncio.gather(*(cache.get("k", 5, load) for _ in range(10)))
        now[0] = 4.9
        cached = await cache.get("k", 5, load)
        now[0] = 5.1
        fresh = await cache.get("k", 5, load)
        return [*first, cached, fresh]

    assert asyncio.run(scenario()) == [1] * 11 + [2]


def test_cache_does_not_keep_failures() -> None:
    cache = TTLCache()

    async def boom() -> int:
        raise ex.NotFound("gone")

    async def scenario() -> None:
        for _ in range(2):
            with pytest.raises(ex.NotFound):
                await cache.get("k", 5, boom)

    asyncio.run(scenario())
    assert cache.misses == 2


def test_strict_validation_and_redaction() -> None:
    errors = request_errors(
        "sagemaker", "CreateAutoMLJobV2", {"AutoMLJobName": "bad_name", "Unknown": 1}
    )
    text = "\n".join(errors)
    assert (
        "does not match the pattern" in text
        and "unknown member Unknown" in text
        and "missing required member RoleArn" in text
    )
    shape = operation_model("sagemaker-runtime", "InvokeEndpoint").input_shape
    safe = redact(shape, {"EndpointName": "e", "Body": b"1,2", "CustomAttributes": "token=abc"})
    assert safe == {"EndpointName": "e", "Body": "***", "CustomAttributes": "***"}  # both sensitive
    put = redact(
        operation_model("s3", "PutObject").input_shape, {"Bucket": "b", "Key": "k", "Body": b"abc"}
    )
    assert put["Body"] == "<3 bytes>"
