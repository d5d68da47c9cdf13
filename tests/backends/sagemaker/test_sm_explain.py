"""Per-row explanations on SageMaker: SageMaker Clarify online explainability (moto + the
fake, which keeps the explainer moto drops, answers explained invocations in Clarify's
format and refuses EnableExplanations on an endpoint whose config has no explainer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pandas as pd
import pytest
from botocore.exceptions import ClientError
from fake_automl import FakeAutoML
from moto.sagemakerruntime.models import sagemakerruntime_backends
from test_sm_modes import walk_to_end

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend

COLUMNS = ["age", "job", "marital", "duration", "campaign"]
#: What Autopilot's classification containers answer for predicted_label, probability,
#: probabilities and labels, one CSV record per row.
ANSWER = "no,0.91,\"[0.91, 0.09]\",\"['no', 'yes']\"\n"


def answer_next(body: str) -> None:
    """moto's InvokeEndpoint answers the next call with `body` (the model's own answer)."""
    runtime = sagemakerruntime_backends["123456789012"]["us-east-1"]
    runtime.results_queue.append((body, "text/csv", "AllTraffic", ""))


def test_deploy_with_explanations_and_explain_a_row(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    local_csv: Path,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    run(backend.create_experiment(m.ExperimentSpec(name="why", input_uri=tutorial_uri, target="y")))
    walk_to_end(backend, run, "why")
    endpoint = run(
        backend.deploy("why", m.DeployRequest(endpoint_name="why-ep", explanations=True))
    )
    assert endpoint.explanations is True
    # The explainer: Kernel SHAP against the training data's medians and modes, off by
    # default, reading the class probabilities the model now also answers.
    [config] = [
        p for p in fake.sent("CreateEndpointConfig") if p["EndpointConfigName"].startswith("why-ep")
    ]
    clarify = config["ExplainerConfig"]["ClarifyExplainerConfig"]
    training = pd.read_csv(local_csv, sep=";")
    expected = [
        f"{training['age'].median():g}",
        training["job"].mode()[0],
        training["marital"].mode()[0],
        f"{training['duration'].median():g}",
        f"{training['campaign'].median():g}",
    ]
    assert expected == ["39.5", "admin.", "married", "306.5", "2.5"]
    assert clarify["ShapConfig"]["ShapBaselineConfig"]["ShapBaseline"] == ",".join(expected)
    assert clarify["EnableExplanations"] == "`false`"
    assert clarify["InferenceConfig"] == {
        "ProbabilityIndex": 2,
        "LabelIndex": 0,
        "FeatureHeaders": COLUMNS,
    }
    assert endpoint.inference_response_keys == [
        m.InferenceKey.predicted_label,
        m.InferenceKey.probability,
        m.InferenceKey.probabilities,
        m.InferenceKey.labels,
    ]
    model = boto_session.client("sagemaker").describe_model(ModelName="why-ep-model")
    assert (
        model["Containers"][-1]["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"]
        == "predicted_label,probability,probabilities,labels"
    )
    backend.cache.clear()
    assert run(backend.describe_endpoint("why-ep")).explanations is True

    # A plain invocation pays nothing for the explainer: the model's CSV, as before.
    answer_next(ANSWER)
    plain = run(
        backend.invoke_endpoint("why-ep", b"56,housemaid,married,261,1\n", "text/csv", "text/csv")
    )
    assert plain.body == ANSWER.encode()
    assert "EnableExplanations" not in fake.sent("InvokeEndpoint")[-1]

    # Explained: Clarify's attributions as the API's contributions.
    answer_next(ANSWER)
    explained = run(
        backend.invoke_endpoint(
            "why-ep",
            b"56,housemaid,married,261,1\n",
            "text/csv",
            "application/json",
            explain=True,
        )
    )
    assert fake.sent("InvokeEndpoint")[-1]["EnableExplanations"] == "`true`"
    document = json.loads(explained.body)
    [prediction] = document["predictions"]
    assert prediction["predicted_label"] == "no" and prediction["probabilities"] == [0.91, 0.09]
    explanation = document["explanation"]
    assert explanation["method"] == "kernel_shap" and explanation["space"] == "probability"
    [row] = explanation["rows"]
    # Binary: the last class, as local endpoints explain the positive class.
    assert row["label"] == "yes" and row["output"] == pytest.approx(0.09)
    total = sum(c["contribution"] for c in row["contributions"])
    assert row["base_value"] + total == pytest.approx(row["output"])
    values = {c["column"]: c["value"] for c in row["contributions"]}
    assert values == {
        "age": 56,
        "job": "housemaid",
        "marital": "married",
        "duration": 261,
        "campaign": 1,
    }
    magnitudes = [abs(c["contribution"]) for c in row["contributions"]]
    assert magnitudes == sorted(magnitudes, reverse=True) and magnitudes[0] > 0
    # JSON instances too; the keys asked for pick the prediction's fields.
    answer_next(ANSWER)
    keyed = run(
        backend.invoke_endpoint(
            "why-ep",
            json.dumps(
                {"instances": [dict(zip(COLUMNS, [30, "admin.", "single", 500, 2], strict=True))]}
            ).encode(),
            "application/json",
            "application/json",
            [m.InferenceKey.predicted_label, m.InferenceKey.probability],
            explain=True,
        )
    )
    keyed_doc = json.loads(keyed.body)
    assert keyed_doc["predictions"] == [
        {"predicted_label": "no", "probability": 0.91, "probabilities": None, "labels": None}
    ]
    assert keyed_doc["explanation"]["rows"][0]["label"] == "yes"
    # Explanations come as JSON only.
    with pytest.raises(ex.InvalidRequest, match="application/json"):
        run(
            backend.invoke_endpoint(
                "why-ep", b"56,housemaid,married,261,1\n", "text/csv", "text/csv", explain=True
            )
        )
    # Turning data capture on makes a new endpoint config: it keeps the explainer.
    run(
        backend.configure_monitoring(
            "why-ep", m.MonitoringConfig(data_capture=m.DataCaptureConfig(enabled=True))
        )
    )
    sm = boto_session.client("sagemaker")
    switched = sm.describe_endpoint(EndpointName="why-ep")["EndpointConfigName"]
    assert switched != "why-ep-config"
    kept = sm.describe_endpoint_config(EndpointConfigName=switched)
    assert kept["ExplainerConfig"] == config["ExplainerConfig"]
    assert kept["DataCaptureConfig"]["EnableCapture"]


def test_explain_on_an_endpoint_without_explainer_says_redeploy(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="plain", input_uri=tutorial_uri, target="y")
        )
    )
    walk_to_end(backend, run, "plain")
    endpoint = run(backend.deploy("plain", m.DeployRequest(endpoint_name="plain-ep")))
    assert endpoint.explanations is False
    config = [p for p in fake.sent("CreateEndpointConfig")][-1]
    assert "ExplainerConfig" not in config
    calls = len(fake.sent("InvokeEndpoint"))
    with pytest.raises(ex.Conflict, match="deployed without explanations") as refused:
        run(
            backend.invoke_endpoint(
                "plain-ep",
                b"56,housemaid,married,261,1\n",
                "text/csv",
                "application/json",
                explain=True,
            )
        )
    assert "explanations: true" in refused.value.message
    assert len(fake.sent("InvokeEndpoint")) == calls  # refused before AWS
    # SageMaker itself refuses EnableExplanations there (the fake keeps the rule).
    runtime = boto_session.client("sagemaker-runtime")
    with pytest.raises(ClientError, match="ExplainerConfig"):
        runtime.invoke_endpoint(
            EndpointName="plain-ep",
            Body=b"56,housemaid,married,261,1\n",
            ContentType="text/csv",
            Accept="text/csv",
            EnableExplanations="`true`",
        )
    # What this extension does not configure with explanations: a split, serverless.
    with pytest.raises(ex.InvalidRequest, match="explain one model"):
        run(
            backend.deploy(
                "plain",
                m.DeployRequest(
                    endpoint_name="plain-ab",
                    explanations=True,
                    variants=[{"candidate": "a"}, {"candidate": "b"}],
                ),
            )
        )
    with pytest.raises(ex.InvalidRequest, match="instance type"):
        run(
            backend.deploy(
                "plain",
                m.DeployRequest(
                    endpoint_name="plain-sl", explanations=True, serverless=m.ServerlessConfig()
                ),
            )
        )


async def test_explain_over_rest(api) -> None:
    health = await api.get("health")
    assert health.body["features"]["explanations"] is True  # the panel offers it
    reply = await api.post(
        "endpoints/nowhere/invocations",
        raw="1,2\n",
        headers={"Content-Type": "text/csv", "Accept": "application/json"},
        params={"explain": "true"},
    )
    assert reply.code == 404, reply.body


def _feature(name: str, *values: float) -> dict[str, Any]:
    return {"feature_header": name, "attributions": [{"attribution": list(values)}]}


def test_clarify_answers_map_to_contributions() -> None:
    from jupyter_autopilot.backends.sagemaker import explanations

    # Multiclass: the predicted class's probability and attributions.
    multi = explanations.explanation(
        {
            "explanations": {
                "kernel_shap": [[_feature("a", 0.1, -0.3, 0.2), _feature("b", 0.0, 0.1, -0.1)]]
            }
        },
        [
            m.Prediction(
                predicted_label="mid", probabilities=[0.2, 0.5, 0.3], labels=["lo", "mid", "hi"]
            )
        ],
        b"1,x\n",
        ["a", "b"],
    )
    [row] = multi.rows
    assert row.label == "mid" and row.output == pytest.approx(0.5)
    assert [(c.column, c.value, c.contribution) for c in row.contributions] == [
        ("a", 1, -0.3),
        ("b", "x", 0.1),
    ]
    assert row.base_value == pytest.approx(0.7)
    # Regression: the predicted value; no feature headers: the endpoint's columns.
    regression = explanations.explanation(
        {"explanations": {"kernel_shap": [[{"attributions": [{"attribution": [2.5]}]}]]}},
        [m.Prediction(predicted_label="12.5")],
        b"3.25\n",
        ["size"],
    )
    assert regression.space is m.ExplanationSpace.value
    [row] = regression.rows
    assert row.label is None and (row.output, row.base_value) == (12.5, 10.0)
    assert row.contributions[0].column == "size" and row.contributions[0].value == 3.25
    # An answer that is not Clarify's, or rows left unexplained: 502, saying so.
    with pytest.raises(ex.UpstreamError, match="Clarify"):
        explanations.parse_document(b"no,0.91\n")
    with pytest.raises(ex.UpstreamError, match="every row"):
        explanations.explanation({"explanations": {}}, [m.Prediction()], b"1\n", ["a"])
    with pytest.raises(ex.UpstreamError, match="could not be read"):
        explanations.explanation(
            {"explanations": {"kernel_shap": [[_feature("a", 0.1)]]}},
            [m.Prediction(predicted_label="body")],
            b"1\n",
            ["a"],
        )
