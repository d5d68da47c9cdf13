"""No response gives out the server's absolute paths (issue #20, item 10): a whole local
journey's responses are walked, every string and key checked, and the paths they do
give are relative to the Jupyter root, as JupyterLab opens them."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support.deployed import customers

import jupyter_autopilot
from jupyter_autopilot.backends.local import batches as local_batches

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


class Recorder:
    """Calls the API through `api` and keeps every response body."""

    def __init__(self, api):
        self.api = api
        self.bodies: list[tuple[str, Any]] = []

    async def __call__(self, method: str, path: str, body: Any = None, **kw: Any):
        reply = await self.api.call(method, path, body, **kw)
        self.bodies.append((f"{method} {path} -> {reply.code}", reply.body))
        return reply

    async def until(self, path: str, done) -> Any:
        body = await self.api.wait_for(path, done, timeout=180)
        self.bodies.append((f"GET {path}", body))
        return body


async def test_a_whole_journey_gives_no_absolute_server_path(api, jp_root_dir: Path, monkeypatch):
    call = Recorder(api)
    # Training data as pandas writes it with its index (a nameless first column) and a
    # repeated name: the batch below reads its header as training did.
    frame = customers(400)
    frame.insert(3, "balance2", np.random.default_rng(3).normal(size=400).round(3))
    frame = frame.rename(columns={"balance2": "balance"})
    (jp_root_dir / "data").mkdir()
    frame.to_csv(jp_root_dir / "data" / "train.csv")

    await call("GET", "health")
    await call("POST", "datasets/preview", {"uri": "data/train.csv"})
    await call("POST", "datasets/preview", {"uri": "data/missing.csv"})
    await call("POST", "datasets/upload", {"path": "data/train.csv", "key_prefix": "in"})
    spec = {
        "name": "journey",
        "input_uri": "data/train.csv",
        "target": "y",
        "max_candidates": 2,
        "max_job_runtime_seconds": 60,
    }
    await call("POST", "validation/experiment", spec)
    assert (await call("POST", "experiments", spec)).code == 201
    final = await call.until("experiments/journey", lambda b: b["status"] == "Completed")
    assert final["backend_details"]["output_dir"] == "autopilot/experiments/journey"
    await call("GET", "experiments")
    await call("GET", "experiments/journey/candidates")
    best = final["best_candidate"]["name"]
    await call("GET", f"experiments/journey/candidates/{best}")
    artifacts = await call("GET", "experiments/journey/artifacts")
    for artifact in artifacts.body["artifacts"]:
        if artifact["available"]:
            assert artifact["uri"] == artifact["path"], artifact
            assert (jp_root_dir / artifact["path"]).is_file(), artifact
    await call("GET", "trials")

    assert (await call("POST", "experiments/journey/deploy", {"endpoint_name": "ep"})).code == 202
    endpoint = await call.until("endpoints/ep", lambda b: b["status"] == "InService")
    await call("GET", "endpoints")
    await call("GET", "endpoints/ep/monitoring")
    named = frame.reset_index()
    named.columns = ["column_1", "age", "job", "balance", "balance_2", "y"]  # as trained
    invoked = await call(
        "POST",
        "endpoints/ep/invocations",
        raw=named[endpoint["input_columns"]].head(3).to_csv(index=False),
        headers={"Content-Type": "text/csv"},
    )
    assert invoked.code == 200, invoked.body

    # A batch on the training file itself (its nameless and repeated columns included).
    started = await call("POST", "endpoints/ep/batch-predictions", {"input_path": "data/train.csv"})
    assert started.code == 202, started.body
    done = await call.until(f"batch-predictions/{started.body['id']}", lambda b: b["ended_at"])
    assert done["status"] == "Completed", done
    assert done["output_path"] == "data/train.predictions.csv"
    assert (jp_root_dir / done["output_path"]).is_file()
    await call("POST", "endpoints/ep/batch-predictions", {"input_path": "data/train.csv"})

    # A batch that fails on a file error: the OS names the file by its absolute path.
    def vanished(path: Path) -> int:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))

    with monkeypatch.context() as patch:
        patch.setattr(local_batches, "_count_rows", vanished)
        started = await call(
            "POST",
            "endpoints/ep/batch-predictions",
            {"input_path": "data/train.csv", "output_path": "data/other.csv"},
        )
        failed = await call.until(
            f"batch-predictions/{started.body['id']}", lambda b: b["ended_at"]
        )
    assert failed["status"] == "Failed"
    assert "'data/train.csv'" in failed["failure_reason"], failed

    await call("POST", f"experiments/journey/candidates/{best}/export", {})
    await call("POST", f"experiments/journey/candidates/{best}/export", {"output_path": "m.tar.gz"})
    await call("GET", "experiments/journey/cleanup")

    # An endpoint that fails to start (its model changed on disk): the reason and the
    # 409 of an invocation quote the model server's log.
    model = jp_root_dir / "autopilot" / "experiments" / "journey" / "model" / "model.joblib"
    model.write_bytes(model.read_bytes() + b"tampered")
    assert (await call("POST", "experiments/journey/deploy", {"endpoint_name": "bad"})).code == 202
    failed_endpoint = await call.until("endpoints/bad", lambda b: b["status"] != "Creating")
    assert failed_endpoint["status"] == "Failed"
    await call(
        "POST", "endpoints/bad/invocations", raw="1,2\n", headers={"Content-Type": "text/csv"}
    )
    await call("POST", "experiments/journey/cleanup", {"delete_experiment": True})

    assert "checksum" in failed_endpoint["failure_reason"]
    # Neither the root nor the server's own files (the package, its Python).
    roots = {str(jp_root_dir), os.path.realpath(jp_root_dir), sys.prefix, sys.base_prefix}
    roots.add(str(Path(jupyter_autopilot.__file__).resolve().parent.parent))
    leaks = [
        (where, text)
        for where, body in call.bodies
        for text in strings(body)
        if any(root in text for root in roots)
    ]
    assert leaks == [], leaks
    assert len(call.bodies) >= 29
