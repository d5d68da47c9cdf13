"""The Python client against a real Jupyter server (the client runs in a thread,
because it is synchronous and the test server shares this event loop)."""

from __future__ import annotations

import asyncio
import json

import pytest

from jupyter_autopilot import models as m
from jupyter_autopilot.client import AutopilotClient, AutopilotClientError, discovery


@pytest.fixture
def server_url(jp_serverapp, jp_base_url, http_server_client) -> str:
    # http_server_client makes pytest-jupyter actually serve the app on its port.
    return f"http://127.0.0.1:{jp_serverapp.port}{jp_base_url}"


@pytest.fixture
def client(jp_serverapp, server_url) -> AutopilotClient:
    return AutopilotClient(server_url, jp_serverapp.identity_provider.token)


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
