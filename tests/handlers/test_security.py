"""Security: the authorizer is honoured, endpoints are reachable only through the API,
models load only with their recorded checksum, secrets never leak, notebooks escape data."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from jupyter_server.auth.authorizer import Authorizer

pytestmark = [pytest.mark.timeout(600)]


class ReadOnlyAuthorizer(Authorizer):
    """Lets users read Autopilot resources, nothing else (as a hub admin might)."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != "autopilot" or action == "read"


@pytest.fixture
def jp_server_config(jp_server_config, request):  # type: ignore[no-untyped-def]
    if "read_only" in request.keywords:
        jp_server_config["ServerApp"]["authorizer_class"] = ReadOnlyAuthorizer
    return jp_server_config


@pytest.mark.read_only
async def test_read_only_users_can_look_but_not_change(api, jp_root_dir):
    assert (await api.get("health")).code == 200
    assert (await api.get("experiments")).code == 200
    create = await api.post("experiments", {"name": "x", "input_uri": "a.csv", "target": "y"})
    assert create.code == 403 and create.error == "forbidden"
    assert "not authorized to write" in create.body["message"]
    assert (await api.delete("experiments/x")).code == 403
    assert (await api.post("experiments/x/stop")).code == 403
    invoke = await api.post(
        "endpoints/e/invocations", raw=b"1,2", headers={"Content-Type": "text/csv"}
    )
    assert invoke.code == 403 and "execute" in invoke.body["message"]
    # Previewing a file is a read.
    assert (await api.post("datasets/preview", {"uri": "missing.csv"})).code == 404
    # Listing the samples is a read; copying one under the root a write.
    assert (await api.get("samples")).code == 200
    assert (await api.post("samples/bank-marketing")).code == 403
    assert not (jp_root_dir / "bank-additional").exists()


HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def hostile_csv(jp_root_dir: Path) -> str:
    rows = ["age,<img src=x onerror=alert(1)>,city,label"]
    for i in range(120):
        city = HOSTILE if i % 3 == 0 else ("paris" if i % 2 else "lyon")
        rows.append(f"{20 + i % 40},{i % 7},{city},{'yes' if (i % 40) > 18 else 'no'}")
    (jp_root_dir / "hostile.csv").write_text("\n".join(rows) + "\n")
    return "hostile.csv"


async def wait_done(api, name: str) -> dict:
    deadline = time.monotonic() + 300
    while True:
        body = (await api.get(f"experiments/{name}")).body
        if body["status"] not in ("Queued", "InProgress", "Stopping"):
            return body
        assert time.monotonic() < deadline
        await asyncio.sleep(0.3)


def notebook_texts(path: Path) -> list[tuple[str, str]]:
    """(kind, text) of every markdown cell and every HTML/markdown output."""
    nb = json.loads(path.read_text())
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            found.append(("markdown", "".join(cell["source"])))
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                if mime in ("text/html", "text/markdown", "image/svg+xml"):
                    found.append((mime, "".join(value) if isinstance(value, list) else value))
    return found


@pytest.mark.e2e
async def test_endpoint_secrets_checksums_and_escaping(api, hostile_csv, jp_root_dir, jp_serverapp):
    created = await api.post(
        "experiments",
        {"name": "hostile", "input_uri": hostile_csv, "target": "label", "max_candidates": 3},
    )
    assert created.code == 201, created.body
    done = await wait_done(api, "hostile")
    assert done["status"] == "Completed", done
    out = jp_root_dir / "autopilot" / "experiments" / "hostile"

    # Generated notebooks embed the data only escaped: no live HTML/JS from the CSV.
    for notebook in ("data_exploration.ipynb", "candidate_definitions.ipynb"):
        for kind, text in notebook_texts(out / notebook):
            assert "<script" not in text.lower(), (notebook, kind, text[:300])
            assert "<img" not in text.lower(), (notebook, kind, text[:300])

    # No token or secret lands in generated files or responses.
    token = jp_serverapp.identity_provider.token
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".ipynb", ".json", ".log", ".html", ".md"):
            assert token not in path.read_text(errors="ignore"), path

    await api.post("experiments/hostile/deploy", {"endpoint_name": "guarded"})
    deadline = time.monotonic() + 120
    while (endpoint := (await api.get("endpoints/guarded")).body)["status"] == "Creating":
        assert time.monotonic() < deadline
        await asyncio.sleep(0.3)
    assert endpoint["status"] == "InService", endpoint
    assert "secret" not in json.dumps(endpoint).lower()
    row = jp_serverapp.extension_manager.extension_apps["jupyter_autopilot"]
    backend = next(iter(row)).autopilot_backend
    port = backend.endpoints._running["guarded"].port
    # The model server answers nobody who lacks the per-endpoint secret.
    for path, method in (("/ping", "GET"), ("/invocations", "POST")):
        reply = await asyncio.to_thread(
            requests.request, method, f"http://127.0.0.1:{port}{path}", data=b"1,2,3", timeout=10
        )
        assert reply.status_code == 403
    secret = backend.endpoints._running["guarded"].secret
    db_bytes = (jp_root_dir / "autopilot" / ".state" / "autopilot.sqlite").read_bytes()
    assert secret.encode() not in db_bytes
    # Nor in what other processes of the machine's users can read about the model server.
    pid = int(endpoint["backend_details"]["pid"])
    for view in ("environ", "cmdline"):
        assert secret.encode() not in Path(f"/proc/{pid}/{view}").read_bytes(), view
    log = jp_root_dir / "autopilot" / "endpoints" / "guarded" / "server.log"
    assert secret not in log.read_text()

    # A model file changed after it was saved is refused (checksum recorded at save time).
    model = out / "model" / "model.joblib"
    model.write_bytes(model.read_bytes() + b"tampered")
    tampered = await api.post("experiments/hostile/deploy", {"endpoint_name": "tampered"})
    assert tampered.code == 202
    deadline = time.monotonic() + 120
    while (state := (await api.get("endpoints/tampered")).body)["status"] == "Creating":
        assert time.monotonic() < deadline
        await asyncio.sleep(0.3)
    assert state["status"] == "Failed"
    assert "checksum" in state["failure_reason"].lower()
    for name in ("guarded", "tampered"):
        assert (await api.delete(f"endpoints/{name}")).code == 200
