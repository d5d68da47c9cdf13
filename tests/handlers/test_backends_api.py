"""A server offering more than one backend (`AutopilotApp.extra_backends`), through the
real server: `?backend=` on every route, health listing them, and a backend that fails
to start taking nobody else down. (Local + SageMaker, against moto and the fake, is in
tests/backends/sagemaker/test_two_backends_api.py.)"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jupyter_autopilot import models as m
from jupyter_autopilot.backends import AutopilotBackend
from jupyter_autopilot.client import AutopilotClient, AutopilotClientError


class BrokenBackend(AutopilotBackend):
    """A backend whose start fails, as one with a bad setting would."""

    name = "broken"

    async def start(self) -> None:
        raise RuntimeError("the broken backend's disk is read-only")

    async def health(self) -> m.Health:  # never reached: it did not start
        raise AssertionError("health of a backend that did not start")


@pytest.fixture
def autopilot_config() -> dict[str, Any]:
    return {"extra_backends": [BrokenBackend]}


async def test_health_lists_the_backends_and_why_one_is_unusable(api: Any) -> None:
    health = await api.get("health")
    assert health.code == 200, health.body
    assert health.body["backend"] == "local"
    assert health.body["backends"] == [
        {"name": "local", "default": True, "usable": True, "reason": None},
        {
            "name": "broken",
            "default": False,
            "usable": False,
            "reason": "the broken backend's disk is read-only.",
        },
    ]


async def test_a_backend_that_did_not_start_answers_503_and_the_default_works(
    api: Any, jp_serverapp: Any
) -> None:
    # The server's own start-up hook, as `jupyter lab` runs it: it must not raise.
    app = jp_serverapp.web_app.settings["autopilot_backends"]
    await app.start_all()
    reply = await api.get("experiments", params={"backend": "broken"})
    assert reply.code == 503 and reply.error == "backend_unavailable", reply.body
    assert (
        "The broken backend did not start: the broken backend's disk is read-only."
        in (reply.body["message"])
    )
    assert "c.BrokenBackend" in reply.body["message"]
    listed = await api.get("experiments")
    assert listed.code == 200 and listed.body["experiments"] == []
    local = await api.get("experiments", params={"backend": "local", "status": "Completed"})
    assert local.code == 200, local.body  # `backend` is not a field of the route's query


@pytest.mark.parametrize("route", ["health", "experiments", "endpoints", "trials"])
async def test_an_unknown_backend_is_a_400_naming_the_offered_ones(api: Any, route: str) -> None:
    reply = await api.get(route, params={"backend": "sagemkaer"})
    assert reply.code == 400 and reply.error == "invalid_request", reply.body
    assert reply.body["message"] == (
        "backend: this server has no backend 'sagemkaer'; it offers local, broken "
        "(set AutopilotApp.extra_backends to add one)."
    )


async def test_an_unknown_backend_is_refused_before_the_body_is_used(
    api: Any, cancer_csv: str, jp_root_dir: Any
) -> None:
    spec = {"name": "not-started", "input_uri": cancer_csv, "target": "diagnosis"}
    reply = await api.post("experiments", spec, params={"backend": "nope"})
    assert reply.code == 400 and "it offers local, broken" in reply.body["message"]
    assert (await api.get("experiments/not-started")).code == 404


async def test_the_client_addresses_a_backend(
    client: AutopilotClient, server_url: str, jp_serverapp: Any
) -> None:
    health = await asyncio.to_thread(client.health)
    assert [b.name for b in health.backends] == ["local", "broken"]
    broken = client.using("broken")
    assert broken.backend == "broken" and client.backend is None
    with pytest.raises(AutopilotClientError) as error:
        await asyncio.to_thread(broken.experiments)
    assert error.value.status == 503 and "did not start" in str(error.value)
    direct = AutopilotClient(server_url, jp_serverapp.identity_provider.token, backend="elsewhere")
    with pytest.raises(AutopilotClientError) as error:
        await asyncio.to_thread(direct.health)
    assert error.value.status == 400 and "it offers local, broken" in str(error.value)
    assert await asyncio.to_thread(broken.using(None).experiments) == []


@pytest.mark.parametrize("route", ["health", "experiments/some-name", "endpoints"])
async def test_a_route_without_query_parameters_refuses_unknown_ones(api: Any, route: str) -> None:
    # Every route documents `backend`; one declaring nothing else must not accept other
    # parameters silently (a misspelt `?backnd=sagemaker` would address the default).
    reply = await api.get(route, params={"backnd": "sagemaker"})
    assert reply.code == 400 and reply.error == "invalid_request", reply.body
    assert reply.body["message"] == (
        "Unknown query parameter 'backnd': this route takes only ?backend=<name>."
    )
    assert (await api.get(route, params={"backend": "local"})).code in (200, 404)
