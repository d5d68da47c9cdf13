"""The Python client against a real Jupyter server (the client runs in a thread,
because it is synchronous and the test server shares this event loop)."""

from __future__ import annotations

import asyncio
import json

import pytest

from jupyter_autopilot import models as m
from jupyter_autopilot.client import AutopilotClient, AutopilotClientError, discovery


async def test_health_returns_the_api_model(client):
    health = await asyncio.to_thread(client.health)
    assert isinstance(health, m.Health)
    assert health.backend == "local"


async def test_errors_carry_status_code_and_message(client):
    with pytest.raises(AutopilotClientError) as error:
        await asyncio.to_thread(client.experiment, "missing")
    assert error.value.status == 404
    assert error.value.code == "not_found"
    assert "missing" in str(error.value)


async def test_sample_dataset_copies_under_the_root(client, jp_root_dir):
    path = await asyncio.to_thread(client.sample_dataset, "bank-marketing")
    assert path == "bank-additional/bank-additional-full.csv"
    assert (jp_root_dir / path).stat().st_size == 5_834_924
    elsewhere = await asyncio.to_thread(client.sample_dataset, "bank-marketing", folder="")
    assert elsewhere == "bank-additional-full.csv"
    (sample,) = await asyncio.to_thread(client.samples)
    assert sample.name == "bank-marketing" and sample.license == "CC-BY-4.0"
    with pytest.raises(AutopilotClientError) as error:
        await asyncio.to_thread(client.sample_dataset, "bank-marketing", folder="../up")
    assert error.value.status == 400 and "outside the Jupyter server root" in str(error.value)


async def test_client_validates_before_sending(client):
    with pytest.raises(ValueError, match="naming rule"):
        await asyncio.to_thread(
            client.create_experiment, name="bad_name", input_uri="x.csv", target="y"
        )


async def test_wrong_token_is_refused(jp_serverapp, server_url):
    client = AutopilotClient(server_url, "wrong")
    with pytest.raises(AutopilotClientError) as error:
        await asyncio.to_thread(client.health)
    assert error.value.status == 403


async def test_discovery_from_environment(monkeypatch, server_url, jp_serverapp):
    monkeypatch.setenv("JUPYTER_AUTOPILOT_URL", server_url)
    monkeypatch.setenv("JUPYTER_AUTOPILOT_TOKEN", jp_serverapp.identity_provider.token)
    client = AutopilotClient()
    assert (await asyncio.to_thread(client.health)).backend == "local"


async def test_discovery_finds_the_server_that_owns_the_kernel(
    monkeypatch, jp_serverapp, jp_fetch, jp_base_url
):
    """A notebook kernel finds its own server among several by asking each for its
    sessions; here a real kernel is started through the server's sessions API."""
    reply = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps({"path": "probe.ipynb", "type": "notebook", "kernel": {"name": "python3"}}),
    )
    kernel_id = json.loads(reply.body)["kernel"]["id"]
    this_server = {
        "url": f"http://localhost:{jp_serverapp.port}{jp_base_url}",
        "token": jp_serverapp.identity_provider.token,
        "port": jp_serverapp.port,
    }
    elsewhere = {"url": "http://127.0.0.1:9/", "token": "x", "port": 9}
    monkeypatch.delenv("JUPYTER_AUTOPILOT_URL", raising=False)
    monkeypatch.setattr(discovery, "_running_servers", lambda: [elsewhere, this_server])
    monkeypatch.setattr(discovery, "_kernel_id", lambda: kernel_id)
    client = await asyncio.to_thread(AutopilotClient)
    assert client.server.url == f"http://127.0.0.1:{jp_serverapp.port}{jp_base_url}"
    assert (await asyncio.to_thread(client.health)).backend == "local"
    await jp_fetch("api", "kernels", kernel_id, method="DELETE")


def test_discovery_explains_when_it_cannot_decide(monkeypatch):
    monkeypatch.delenv("JUPYTER_AUTOPILOT_URL", raising=False)
    monkeypatch.setattr(discovery, "_running_servers", lambda: [])
    monkeypatch.setattr(discovery, "_kernel_id", lambda: None)
    with pytest.raises(AutopilotClientError, match="JUPYTER_AUTOPILOT_URL"):
        AutopilotClient()


@pytest.mark.e2e
@pytest.mark.timeout(600)
async def test_client_journey_deploy_predict_cleanup(client, root_bank_csv, jp_root_dir):
    """The README's notebook example, for real, on the tutorial data."""
    import pandas as pd

    from jupyter_autopilot.client import read_csv_for_endpoint
    from jupyter_autopilot.engine import load_model

    def journey():
        preview = client.preview(root_bank_csv)
        assert preview.delimiter == ";"
        exp = client.create_experiment(
            name="client-journey",
            input_uri=root_bank_csv,
            target="y",
            max_candidates=4,
            max_job_runtime_seconds=90,
        )
        final = client.wait(exp.name, timeout=400, poll_seconds=0.5, progress=False)
        board = client.leaderboard(exp.name)
        endpoint = client.deploy(exp.name, endpoint_name="client-ep", timeout=120, poll_seconds=0.5)
        rows = read_csv_for_endpoint(jp_root_dir / root_bank_csv).sample(40, random_state=3)
        predicted = client.predict(endpoint.name, rows)  # the target column is ignored
        batch_input = jp_root_dir / "client-batch.csv"
        rows.to_csv(batch_input, sep=";", index=False)
        batch = client.batch_predict(endpoint.name, "client-batch.csv")
        with pytest.raises(AutopilotClientError, match="overwrite") as refused:
            client.batch_predict(endpoint.name, "client-batch.csv")  # the output exists
        assert refused.value.status == 409
        replaced = client.batch_predict(endpoint.name, "client-batch.csv", overwrite=True)
        assert replaced.status is m.BatchStatus.Completed
        assert client.batch_prediction(replaced.id) == replaced
        assert client.stop_batch_prediction(replaced.id) == replaced  # finished: unchanged
        with pytest.raises(AutopilotClientError) as no_prices:
            client.estimate_endpoint("ml.m5.large")
        assert no_prices.value.status == 501  # prices are SageMaker's; local costs nothing
        artifacts = {a.kind.value: a for a in client.artifacts(exp.name)}
        model = load_model(jp_root_dir / artifacts["model"].path)
        client.delete_endpoint(endpoint.name)
        endpoints_after = client.endpoints()
        result = client.cleanup(exp.name, delete_experiment=True)
        return final, board, endpoint, rows, predicted, batch, model, endpoints_after, result

    (
        final,
        board,
        endpoint,
        rows,
        predicted,
        batch,
        model,
        after,
        result,
    ) = await asyncio.to_thread(journey)
    assert final.status is m.ExperimentStatus.Completed
    assert isinstance(board, pd.DataFrame) and board.iloc[0]["rank"] == 1
    assert {"validation:F1", "validation:AUC"} <= set(board.columns)
    assert endpoint.status is m.EndpointStatus.InService
    features = rows.drop(columns="y")
    assert list(predicted.index) == list(rows.index)
    assert predicted["predicted_label"].tolist() == list(model.predict(features))
    assert predicted["probability"].to_numpy() == pytest.approx(model.predict_proba(features)[:, 1])
    assert batch.status is m.BatchStatus.Completed and batch.rows_done == 40
    scored = pd.read_csv(jp_root_dir / batch.output_path, sep=";")
    assert scored["predicted_label"].tolist() == predicted["predicted_label"].tolist()
    assert after == []
    assert result.failed == []
    assert not (jp_root_dir / "autopilot" / "experiments" / "client-journey").exists()


@pytest.mark.e2e
@pytest.mark.timeout(600)
async def test_client_extends_a_finished_experiment(client, cancer_csv):
    def journey():
        exp = client.create_experiment(
            name="more", input_uri=cancer_csv, target="diagnosis", max_candidates=2
        )
        client.wait(exp.name, timeout=300, poll_seconds=0.5, progress=False)
        with pytest.raises(ValueError, match="additional_seconds"):
            client.extend(exp.name)  # nothing to add: refused before sending
        extended = client.extend(exp.name, additional_candidates=1)
        final = client.wait(exp.name, timeout=300, poll_seconds=0.5, progress=False)
        return extended, final, client.candidates(exp.name)

    extended, final, board = await asyncio.to_thread(journey)
    assert extended.budget is not None and extended.budget.max_candidates == 3
    assert final.status is m.ExperimentStatus.Completed
    assert [h.additional_candidates for h in final.history] == [1]
    numbers = sorted(
        m.trial_number(c.name) or 0 for c in board if c.definition not in ("ensemble", "bagged")
    )
    assert numbers == [1, 2, 3]
