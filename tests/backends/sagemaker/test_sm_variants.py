"""Production variants on SageMaker (moto + the AutoML fake, requests checked against
botocore): two candidates behind one endpoint, weights, promotion, clean-up of both models."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from fake_automl import FakeAutoML
from test_sm_modes import walk_to_end

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend
from jupyter_autopilot.backends.sagemaker.pricing import hourly_cost


def test_two_candidates_behind_one_sagemaker_endpoint(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    run(backend.create_experiment(m.ExperimentSpec(name="ab", input_uri=tutorial_uri, target="y")))
    walk_to_end(backend, run, "ab")
    board = run(backend.list_candidates("ab", m.ListCandidatesQuery())).candidates
    done = [c for c in board if c.status is m.CandidateStatus.Completed]
    champion, challenger = done[0], done[1]
    assert all(c.deployable for c in done)  # every finished candidate keeps its containers

    with pytest.raises(ex.NotFound, match="nope"):
        run(
            backend.deploy(
                "ab",
                m.DeployRequest(
                    endpoint_name="ab-bad",
                    variants=[{"candidate": champion.name}, {"candidate": "nope"}],
                ),
            )
        )
    sm = boto_session.client("sagemaker")
    assert sm.list_models()["Models"] == []  # nothing made before the check failed

    endpoint = run(
        backend.deploy(
            "ab",
            m.DeployRequest(
                endpoint_name="ab-test",
                instance_type="ml.m5.large",
                variants=[
                    {"candidate": champion.name, "name": "champion", "weight": 3},
                    {"candidate": challenger.name, "name": "challenger", "weight": 1},
                ],
            ),
        )
    )
    assert [(v.name, v.candidate, v.traffic_share) for v in endpoint.variants] == [
        ("champion", champion.name, 0.75),
        ("challenger", challenger.name, 0.25),
    ]
    assert endpoint.variants[1].metrics == challenger.metrics
    assert endpoint.objective_metric == champion.objective_metric.value
    # Two variants, each on its own ml.m5.large: twice the price of one.
    assert endpoint.hourly_cost_usd == pytest.approx(2 * hourly_cost("ml.m5.large", 1))
    config = sm.describe_endpoint_config(EndpointConfigName="ab-test-config")
    assert [
        (v["VariantName"], v["InitialVariantWeight"]) for v in config["ProductionVariants"]
    ] == [
        ("champion", 3.0),
        ("challenger", 1.0),
    ]
    models = {v["ModelName"] for v in config["ProductionVariants"]}
    assert models == {"ab-test-v1-model", "ab-test-v2-model"}
    assert len(sm.list_models()["Models"]) == 2

    answer = run(backend.invoke_endpoint("ab-test", b"1,2\n", "text/csv", "text/csv"))
    assert answer.variant is not None  # SageMaker's InvokedProductionVariant
    backend.cache.clear()
    counted = run(backend.describe_endpoint("ab-test"))
    assert sum(v.invocation_count for v in counted.variants) == 1

    promoted = run(
        backend.update_traffic(
            "ab-test", m.TrafficUpdate(weights={"champion": 0.0, "challenger": 1.0})
        )
    )
    assert {v.name: v.traffic_share for v in promoted.variants} == {
        "champion": 0.0,
        "challenger": 1.0,
    }
    with pytest.raises(ex.InvalidRequest, match="champion"):
        run(backend.update_traffic("ab-test", m.TrafficUpdate(weights={"other": 1})))
    with pytest.raises(ex.InvalidRequest, match="above 0"):
        run(backend.update_traffic("ab-test", m.TrafficUpdate(weights={"challenger": 0})))

    plan = run(backend.cleanup_plan("ab"))
    planned_models = {i.name for i in plan.items if i.kind is m.ResourceKind.model}
    assert planned_models == models
    run(backend.delete_endpoint("ab-test"))
    assert sm.list_models()["Models"] == []
    assert sm.list_endpoint_configs()["EndpointConfigs"] == []
