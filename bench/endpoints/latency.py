"""Local endpoint performance through the Jupyter server, against the physical floor.

    python bench/endpoints/latency.py [--requests 500] [--clients 50] [--seconds 10]

Trains a small experiment on the tutorial's bank data in a real `jupyter server`
subprocess, deploys the best candidate, then measures and prints:

- single-row invocation through the server (HTTP + Jupyter auth + proxy to the model
  server process): p50/p99, as a ratio to the loaded model's in-process predict;
- one text/csv request with 10,000 bank rows against `predict_proba` of the same model on
  the same rows (already a DataFrame) in this process: rows per second of each (best) and
  the ratio endpoint / in-process, measured in rounds that alternate the two (the machine
  is shared: a round keeps the best of its repeats; the median round is reported, and
  all rounds show the spread);
- N concurrent clients for S seconds: errors and p99.
Goals: p50 < 10 ms and overhead < 5 ms on a 2-core machine (issue #5); the batch ratio
at least 0.90, i.e. serving costs under 10% on big requests (issue #20).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import requests

from jupyter_autopilot.engine import load_model
from jupyter_autopilot.testing import temporary_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import BANK_MEMBER, bank_csv_bytes


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def batch_round(
    endpoint: Callable[[], object], in_process: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Best seconds of the endpoint request and of the in-process prediction, alternated so
    that both meet the same load on a shared machine."""
    ours, floor = [], []
    for _ in range(repeats):
        ours += timed(endpoint, 1)
        floor += timed(in_process, 1)
    return min(ours) / 1000, min(floor) / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--batch-rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="batch ratio measurements")
    parser.add_argument("--repeats", type=int, default=10, help="requests per round")
    args = parser.parse_args()

    files = {BANK_MEMBER: bank_csv_bytes()}
    with temporary_server(files, prefix="autopilot-bench-") as server:
        csv_path = server.root / BANK_MEMBER
        spec = {
            "name": "bench",
            "input_uri": "bank-additional/bank-additional-full.csv",
            "target": "y",
            "max_candidates": 6,
            "max_job_runtime_seconds": 120,
        }
        assert server.post("experiments", spec).status_code == 201
        done = server.wait_for(
            "experiments/bench", lambda b: b["status"] not in ("Queued", "InProgress"), 600
        )
        assert done["status"] == "Completed", done
        server.post("experiments/bench/deploy", {"endpoint_name": "bench-ep"})
        endpoint = server.wait_for("endpoints/bench-ep", lambda b: b["status"] != "Creating", 120)
        assert endpoint["status"] == "InService", endpoint

        frame = pd.read_csv(csv_path, sep=";")
        features = frame.drop(columns="y")
        one_row = features.head(1)
        one_csv = one_row.to_csv(index=False, header=False).encode()
        model = load_model(server.root / "autopilot/experiments/bench/model/model.joblib")

        floor = timed(lambda: model.predict_proba(one_row), args.requests)

        session = requests.Session()
        session.headers.update(
            {"Authorization": f"token {server.token}", "Content-Type": "text/csv"}
        )
        url = f"{server.url}/autopilot/api/endpoints/bench-ep/invocations"
        for _ in range(20):  # warm-up: connections, caches
            session.post(url, data=one_csv).raise_for_status()
        through = timed(lambda: session.post(url, data=one_csv).raise_for_status(), args.requests)

        batch = features.sample(
            args.batch_rows, random_state=0, replace=len(features) < args.batch_rows
        )
        batch_csv = batch.to_csv(index=False).encode()
        reply = session.post(url, data=batch_csv)
        reply.raise_for_status()
        assert len(reply.json()["predictions"]) == args.batch_rows
        rounds = [
            batch_round(
                lambda: session.post(url, data=batch_csv).raise_for_status(),
                lambda: model.predict_proba(batch),
                args.repeats,
            )
            for _ in range(args.rounds)
        ]

        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.seconds

        def client() -> None:
            nonlocal errors
            own = requests.Session()
            own.headers.update(session.headers)
            local: list[float] = []
            bad = 0
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    ok = own.post(url, data=one_csv, timeout=30).status_code == 200
                except requests.RequestException:
                    ok = False
                local.append((time.perf_counter() - started) * 1000)
                bad += not ok
            with lock:
                latencies.extend(local)
                errors += bad

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    f50, f99 = percentile(floor, 50), percentile(floor, 99)
    t50, t99 = percentile(through, 50), percentile(through, 99)
    ratios = sorted(floor / ours for ours, floor in rounds)
    ratio = statistics.median(ratios)
    rows_per_s = args.batch_rows / min(ours for ours, _ in rounds)
    floor_rows_per_s = args.batch_rows / min(floor for _, floor in rounds)
    print()
    print("Local endpoint latency (bank-additional-full, best candidate)")
    print(f"{'measure':<44}{'ours':>12}{'floor':>12}{'ratio':>9}")
    print(f"{'single row p50 (ms)':<44}{t50:>12.2f}{f50:>12.2f}{t50 / f50:>9.2f}")
    print(f"{'single row p99 (ms)':<44}{t99:>12.2f}{f99:>12.2f}{t99 / f99:>9.2f}")
    print(f"{'overhead over the floor, p50 (ms)':<44}{t50 - f50:>12.2f}")
    print(
        f"{f'{args.batch_rows:,} rows in one request (rows/s)':<44}{rows_per_s:>12,.0f}{floor_rows_per_s:>12,.0f}{ratio:>9.2f}"
    )
    print(
        f"{'  ratio per round (the row above: median)':<44}"
        + " ".join(f"{r:.3f}" for r in ratios)
        + f"  (spread {ratios[0]:.3f}-{ratios[-1]:.3f})"
    )
    print(
        f"{f'{args.clients} clients x {args.seconds:.0f} s: requests / errors':<44}"
        f"{len(latencies):>12,}{errors:>12}"
    )
    print(
        f"{f'{args.clients} clients: p50 / p99 (ms)':<44}{percentile(latencies, 50):>12.1f}{percentile(latencies, 99):>12.1f}"
    )
    print(
        f"{'mean single-row (ms)':<44}{statistics.mean(through):>12.2f}{statistics.mean(floor):>12.2f}"
    )
    goals = [
        ("p50 < 10 ms", t50 < 10),
        ("overhead < 5 ms", t50 - f50 < 5),
        ("batch ratio >= 0.90", ratio >= 0.90),
        ("no errors under load", errors == 0),
    ]
    print("goals: " + ", ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
