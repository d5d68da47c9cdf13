"""Invocations that meet a dying or deleted endpoint answer what happened (404, 409 or a
502 naming the reason), never a pointer to a log that does not hold it."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from typing import Any

import pytest
from support.sample_data import cancer_frame

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROUNDS = 6


async def trained(api: Any, cancer_csv: str) -> None:
    """One small completed experiment, `cancer`, to deploy from."""
    spec = {"name": "cancer", "input_uri": cancer_csv, "target": "diagnosis", "max_candidates": 2}
    assert (await api.post("experiments", spec)).code == 201
    done = await api.wait_for("experiments/cancer", lambda b: b["status"] != "InProgress")
    assert done["status"] == "Completed", done


async def deployed(api: Any, name: str) -> dict[str, Any]:
    assert (await api.post("experiments/cancer/deploy", {"endpoint_name": name})).code == 202
    endpoint = await api.wait_for(f"endpoints/{name}", lambda b: b["status"] != "Creating", 120)
    assert endpoint["status"] == "InService", endpoint
    return endpoint


async def test_invoking_while_the_endpoint_is_deleted_answers_200_404_or_409(api, cancer_csv):
    await trained(api, cancer_csv)
    # Big enough that requests are still in flight when the process is stopped.
    rows = cancer_frame().drop(columns="diagnosis").sample(3000, replace=True, random_state=0)
    body = rows.to_csv(index=False)
    seen: Counter[int] = Counter()
    messages: dict[int, str] = {}
    for round_ in range(ROUNDS):
        name = f"doomed-{round_}"
        await deployed(api, name)
        stop = asyncio.Event()

        async def client(name: str, stop: asyncio.Event) -> None:
            while not stop.is_set():
                reply = await api.post(
                    f"endpoints/{name}/invocations", raw=body, headers={"Content-Type": "text/csv"}
                )
                seen[reply.code] += 1
                if reply.code != 200:
                    messages.setdefault(reply.code, str(reply.body))
                if reply.code == 404:
                    return

        clients = [asyncio.ensure_future(client(name, stop)) for _ in range(6)]
        await asyncio.sleep(0.3 + 0.1 * round_)
        deleted = await api.delete(f"endpoints/{name}")
        assert deleted.code == 200, deleted.body
        await asyncio.sleep(0.2)
        stop.set()
        await asyncio.gather(*clients)
    assert set(seen) <= {200, 404, 409}, (seen, messages)
    assert seen[200] and seen[404], seen


async def test_an_endpoint_process_that_dies_is_reported_with_its_exit_code(
    api, cancer_csv, jp_serverapp, monkeypatch
):
    await trained(api, cancer_csv)
    endpoint = await deployed(api, "fragile")
    # Recording the failure takes a second here, so that invocations surely meet the moment
    # the watcher has seen the exit and the row still says InService (once answered "is
    # InService: it is not serving", without the reason, seen on CI).
    store = jp_serverapp.web_app.settings["autopilot_backend"].endpoints.store
    update = store.update_endpoint

    def slow_update(name: str, **values: Any) -> None:
        if values.get("status") == "Failed":
            time.sleep(1.0)
        update(name, **values)

    monkeypatch.setattr(store, "update_endpoint", slow_update)
    os.kill(int(endpoint["backend_details"]["pid"]), signal.SIGKILL)
    row = cancer_frame().drop(columns="diagnosis").iloc[0].to_dict()
    until = time.monotonic() + 1.5
    while time.monotonic() < until:
        reply = await api.post("endpoints/fragile/invocations", {"instances": [row]})
        # The request met the dying process (502) or the watcher saw it first (409): both
        # say why, and neither sends the user to a log.
        assert reply.code in (409, 502), reply.body
        assert "exited (code -9" in reply.body["message"], reply.body
        assert "server.log" not in reply.body["message"]
        await asyncio.sleep(0.05)
    failed = await api.wait_for("endpoints/fragile", lambda b: b["status"] == "Failed")
    assert "exited (code -9)" in failed["failure_reason"]
