"""`LocalBackend.preload_helper`: the CPU helper starts with the server (so a user's first
preview does not wait for its imports), or, when turned off, on the first request that
needs it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import psutil
import pytest


@pytest.fixture(params=[True, False], ids=["preloaded", "on-demand"])
def local_backend_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {"preload_helper": request.param}


async def test_the_helper_starts_with_the_server_or_on_the_first_preview(
    api: Any, jp_serverapp: Any, cancer_csv: str, local_backend_config: dict[str, Any]
) -> None:
    backend = jp_serverapp.web_app.settings["autopilot_backend"]
    assert (await api.get("health")).code == 200
    if local_backend_config["preload_helper"]:
        deadline = time.monotonic() + 30
        while backend.cpu.pid is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert backend.cpu.pid is not None, "no helper started with the server"
        preloaded = backend.cpu.pid
    else:
        await asyncio.sleep(0.5)
        assert backend.cpu.pid is None, "a helper started before any request needed it"
        preloaded = None
    reply = await api.post("datasets/preview", {"uri": cancer_csv})
    assert reply.code == 200, reply.body
    assert backend.cpu.pid is not None
    assert "cpu_helper" in " ".join(psutil.Process(backend.cpu.pid).cmdline())
    if preloaded is not None:
        assert backend.cpu.pid == preloaded  # the preview used the preloaded helper
