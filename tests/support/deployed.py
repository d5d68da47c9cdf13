"""A small trained experiment and a serving endpoint, for tests that need one (plain
coroutines: the test runner has no async fixtures)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def customers(n: int, seed: int = 0, shift: bool = False) -> pd.DataFrame:
    """A small binary problem that trains in seconds; `shift` draws older customers
    with other jobs (drifted data for monitoring)."""
    rng = np.random.default_rng(seed)
    age = rng.normal(60 if shift else 40, 8, n).round(1)
    job = rng.choice(["admin", "services", "technician"], n, p=[0.5, 0.3, 0.2])
    if shift:
        job = rng.choice(["retired", "admin"], n, p=[0.7, 0.3])
    balance = rng.lognormal(7, 1, n).round(2)
    score = (age - 40) / 8 + (job == "admin") + rng.normal(0, 1, n)
    return pd.DataFrame(
        {"age": age, "job": job, "balance": balance, "y": np.where(score > 0.5, "yes", "no")}
    )


async def train(api, root: Path, name: str = "small", rows: int = 400) -> dict:
    """Train a two-candidate experiment on `customers.csv` under the root; its final body."""
    customers(rows).to_csv(root / "customers.csv", index=False)
    spec = {
        "name": name,
        "input_uri": "customers.csv",
        "target": "y",
        "max_candidates": 2,
        "max_job_runtime_seconds": 60,
    }
    created = await api.post("experiments", spec)
    assert created.code == 201, created.body
    final = await api.wait_for(
        f"experiments/{name}", lambda b: b["status"] not in ("Queued", "InProgress")
    )
    assert final["status"] == "Completed", final
    return final


async def deploy(api, experiment: str, endpoint: str) -> dict:
    """Deploy the best candidate and wait until it serves; the endpoint's body."""
    reply = await api.post(f"experiments/{experiment}/deploy", {"endpoint_name": endpoint})
    assert reply.code == 202, reply.body
    ready = await api.wait_for(f"endpoints/{endpoint}", lambda b: b["status"] != "Creating", 120)
    assert ready["status"] == "InService", ready
    return ready


def rows_to_score(root: Path, name: str = "to_score.csv", n: int = 50) -> Path:
    """A CSV to score (the features of `customers`) under the root."""
    path = root / name
    customers(n, seed=7).drop(columns="y").to_csv(path, index=False)
    return path
