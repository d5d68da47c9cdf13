"""Shared fixtures: a real Jupyter server with the extension (pytest-jupyter) and data."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import xdist_groups
from support.sample_data import write_bank_sample, write_cancer_csv
from tornado.httpclient import HTTPClientError

from jupyter_autopilot.client import AutopilotClient
from jupyter_autopilot.samples import BANK_MARKETING

pytest_plugins = ("pytest_jupyter.jupyter_server", "pytester")


@pytest.hookimpl(optionalhook=True)  # pytest-xdist may be absent
def pytest_configure_node(node: Any) -> None:
    xdist_groups.configure_node(node)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist may be absent
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup`: a unit per test, or per group sharing an expensive fixture
    (tests/support/xdist_groups.py). Units are sent in collection order (no reordering
    by size), which puts the `slow` tests first (see `pytest_collection_modifyitems`)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    return xdist_groups.make_scheduler(config, log)


def pytest_unconfigure(config: pytest.Config) -> None:
    xdist_groups.remove_groups_file(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the `slow` tests first: under pytest-xdist the wall time is then set by the
    total work, not by a long test that happened to start last."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if hasattr(config, "workerinput"):
        # xdist schedules by node id: of tests sharing one (schemathesis 4's cases under
        # pytest 9), only the first would run. scripts/test runs those without xdist.
        seen: set[str] = set()
        repeated = {i.nodeid for i in items if i.nodeid in seen or seen.add(i.nodeid)}  # type: ignore[func-returns-value]
        if repeated:
            raise pytest.UsageError(
                "tests sharing a node id cannot run under pytest-xdist (only one of them "
                "would): run them without -n: " + ", ".join(sorted(repeated))
            )
    # Checks that every module- or session-scoped fixture is listed, with or without -n.
    xdist_groups.write_groups(config, items)


@pytest.fixture(scope="session")
def bank_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tutorial's bank-additional-full.csv (41,188 rows, `;`-separated, target `y`),
    shipped in jupyter_autopilot/samples; unzipped once per test session."""
    return BANK_MARKETING.extract_csv(tmp_path_factory.mktemp("bank"))


@pytest.fixture(scope="session")
def bank_sample_csv(bank_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stratified 4,000-row sample of the bank data, same format, for quick end-to-end runs."""
    return write_bank_sample(bank_csv, tmp_path_factory.mktemp("bank_sample") / "bank-sample.csv")


@pytest.fixture
def autopilot_config() -> dict[str, Any]:
    """Extra `AutopilotApp` settings; override in a module or conftest to change backend."""
    return {}


@pytest.fixture
def local_backend_config() -> dict[str, Any]:
    """`LocalBackend` settings of the test server. The CPU helper starts on the first
    request that needs it: preloading it at every server start (the default, so a user's
    first preview is quick) cost a second of CPU in each of hundreds of tests that never
    preview; tests/backends/local/test_cpu_pool.py checks the preload itself."""
    return {"preload_helper": False}


@pytest.fixture
def jp_server_config(
    autopilot_config: dict[str, Any], local_backend_config: dict[str, Any]
) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyter_autopilot": True},
            # Test against a server that requires authentication on every endpoint.
            "allow_unauthenticated_access": False,
            # A broken extension must fail the tests, not quietly answer 404.
            "reraise_server_extension_failures": True,
        },
        "AutopilotApp": dict(autopilot_config),
        "LocalBackend": dict(local_backend_config),
    }


@dataclass
class Reply:
    code: int
    body: Any
    headers: Any

    @property
    def error(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None


class Api:
    """`jp_fetch` for our JSON API: returns a Reply for any status instead of raising."""

    def __init__(self, fetch: Any):
        self._fetch = fetch

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        timeout: float = 60,
    ) -> Reply:
        """One request; `timeout` bounds it from the moment it is sent (tornado's client
        sends at most 10 at once and queues the rest)."""
        kwargs: dict[str, Any] = {"method": method, "headers": dict(headers or {})}
        if raw is not None:
            kwargs["body"] = raw
        elif body is not None:
            kwargs["body"] = json.dumps(body)
            kwargs["headers"].setdefault("Content-Type", "application/json")
        elif method in ("POST", "PUT", "PATCH"):
            kwargs["body"] = b""
        if params:
            kwargs["params"] = params
        kwargs["request_timeout"] = timeout
        try:
            response = await self._fetch("autopilot", "api", *path.strip("/").split("/"), **kwargs)
        except HTTPClientError as error:
            response = error.response
            assert response is not None, f"no response for {method} {path}: {error}"
        text = response.body.decode() if response.body else ""
        content_type = response.headers.get("Content-Type", "")
        data: Any = json.loads(text) if "json" in content_type and text else text
        return Reply(response.code, data, response.headers)

    async def get(self, path: str, **kw: Any) -> Reply:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.call("POST", path, body, **kw)

    async def put(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.call("PUT", path, body, **kw)

    async def delete(self, path: str, **kw: Any) -> Reply:
        return await self.call("DELETE", path, **kw)

    async def wait_for(
        self,
        path: str,
        done: Callable[[Any], bool],
        timeout: float = 300,
        interval: float = 0.3,
    ) -> Any:
        """GET `path` (which must answer 200) until `done(body)`; fails with the last
        body after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            reply = await self.get(path)
            assert reply.code == 200, reply.body
            if done(reply.body):
                return reply.body
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting on {path}: {json.dumps(reply.body)[:2000]}")
            await asyncio.sleep(interval)


@pytest.fixture
def cancer_csv(jp_root_dir: Path) -> str:
    """scikit-learn's breast cancer data under the server root, target `diagnosis`."""
    write_cancer_csv(jp_root_dir / "data" / "cancer.csv")
    return "data/cancer.csv"


@pytest.fixture
def api(jp_fetch: Any) -> Api:
    return Api(jp_fetch)


@pytest.fixture
def server_url(jp_serverapp: Any, jp_base_url: str, http_server_client: Any) -> str:
    """The test server's URL, for clients outside the test's own fetch."""
    # http_server_client makes pytest-jupyter actually serve the app on its port.
    return f"http://127.0.0.1:{jp_serverapp.port}{jp_base_url}"


@pytest.fixture
def client(jp_serverapp: Any, server_url: str) -> AutopilotClient:
    """The Python client of the test server (synchronous: call it in a thread, since the
    server shares the test's event loop)."""
    return AutopilotClient(server_url, jp_serverapp.identity_provider.token)


@pytest.fixture
def root_bank_csv(jp_root_dir: Path, bank_csv: Path) -> str:
    """The bank CSV copied under the server root; returns its root-relative path."""
    target = jp_root_dir / "bank-additional" / "bank-additional-full.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bank_csv, target)
    return "bank-additional/bank-additional-full.csv"


@pytest.fixture
def root_bank_sample_csv(jp_root_dir: Path, bank_sample_csv: Path) -> str:
    """The 4,000-row bank sample under the server root, for tests about the flow rather
    than the data's size; returns its root-relative path."""
    target = jp_root_dir / "bank-additional" / "bank-sample.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bank_sample_csv, target)
    return "bank-additional/bank-sample.csv"
