"""The bill before the run: time and cost estimates of experiments and endpoints."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fake_automl import FakeAutoML

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend, estimates, jobs
from jupyter_autopilot.backends.sagemaker.pricing import HOURLY_USD


def _budget(**values: int) -> m.Budget:
    return jobs.budget_from(
        None, m.ExperimentSpec(name="e", input_uri="s3://b/k", target="y", **values)
    )


def test_the_tutorials_defaults_give_its_two_hours_and_ten_dollars() -> None:
    estimate = estimates.experiment_estimate(_budget(), region="us-east-1")
    assert 1.5 <= estimate.typical_hours <= 2.5
    assert estimate.typical_cost_usd is not None and 5 <= estimate.typical_cost_usd <= 10
    # AWS's defaults allow 30 days and 24 h per trial: the worst case says so, loudly.
    assert estimate.max_hours == 720
    assert estimate.max_cost_usd is not None and estimate.max_cost_usd > 1000
    assert (
        "2025" in estimate.price_table
        and "aws.amazon.com/sagemaker/pricing" in estimate.price_table
    )
    assert any("max job runtime" in a for a in estimate.assumptions)
    assert "two hours" in estimate.tutorial_note and "USD 10" in estimate.tutorial_note


def test_a_job_runtime_limit_bounds_the_worst_case() -> None:
    estimate = estimates.experiment_estimate(
        _budget(max_candidates=20, max_job_runtime_seconds=3600), region="eu-west-1"
    )
    assert estimate.max_hours == 1
    price = HOURLY_USD[estimates.AUTOML_INSTANCE]
    # One hour with 5 trials at once at most, plus the analysis.
    assert estimate.max_cost_usd == pytest.approx(round(price * (0.25 + 5), 2))
    assert estimate.typical_hours < 1
    assert any("eu-west-1" in a for a in estimate.assumptions)
    pilot = estimates.experiment_estimate(_budget(), region=None, candidates_only=True)
    assert [line.what for line in pilot.lines] == [
        "Data analysis and feature engineering (processing job)"
    ]
    assert pilot.max_cost_usd == pytest.approx(round(price * 0.25, 2))


def test_validation_and_the_dry_run_view_carry_the_estimate(
    dry: SageMakerBackend, run: Any, tutorial_uri: str
) -> None:
    spec = m.ExperimentSpec(
        name="est", input_uri=tutorial_uri, target="y", max_job_runtime_seconds=7200
    )
    checked = run(dry.validate_experiment(spec))
    assert checked.cost_estimate is not None and checked.cost_estimate.max_hours == 2
    created = run(dry.create_experiment(spec))
    shown = m.CostEstimate.model_validate(json.loads(created.backend_details["cost_estimate"]))
    assert shown == checked.cost_estimate
    assert json.loads(created.backend_details["dry_run_requests"])  # still there


async def test_endpoint_estimate_route(api: Any, rest_fake: FakeAutoML) -> None:
    two = await api.post(
        "estimates/endpoint", {"instance_type": "ml.m5.large", "instance_count": 2}
    )
    assert two.code == 200, two.body
    assert two.body["typical_cost_usd"] == pytest.approx(round(0.115 * 2 * 24, 2))
    assert two.body["lines"][0]["hourly_usd"] == 0.115
    serverless = await api.post("estimates/endpoint", {"serverless": True, "hours": 5})
    assert serverless.code == 200 and serverless.body["typical_cost_usd"] is None
    assert "per request" in serverless.body["assumptions"][0]
    unknown = await api.post("estimates/endpoint", {"instance_type": "ml.p5.48xlarge"})
    assert unknown.code == 200 and unknown.body["typical_cost_usd"] is None
    assert "not in the price table" in unknown.body["assumptions"][0]
    bad = await api.post("estimates/endpoint", {"instance_count": 0})
    assert bad.code == 400 and bad.body["error"]


async def test_endpoint_estimate_from_the_client(api: Any, rest_fake: FakeAutoML, client) -> None:
    estimate = await asyncio.to_thread(client.estimate_endpoint, "ml.m5.large", 2, hours=10)
    assert estimate.typical_cost_usd == pytest.approx(round(0.115 * 2 * 10, 2))
    assert estimate.lines[0].hourly_usd == 0.115
