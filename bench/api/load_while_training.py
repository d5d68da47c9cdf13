"""Is the Jupyter server's event loop ever blocked by training or file parsing?

    python bench/api/load_while_training.py [--clients 8] [--seconds 20]

Starts a real `jupyter server`, starts a local experiment on the tutorial's bank data
(training runs in a worker process), and while it trains hammers the API from several
clients on loopback: `GET experiments`, `GET experiments/{name}`, `POST datasets/preview`
of the 41k-row file (parsed in a helper process, never on the loop) and single-row
invocations of an endpoint deployed first. Prints p50/p95/p99 per route
and compares them with the same load on an idle server, then exits non-zero if the p99 of
`GET experiments` under training exceeds the goal (50 ms, issue #8), is more than
`--max-ratio` times its idle median *and* more than `--max-tail-ratio` times its idle p99.
A blocked event loop (training or parsing on it) puts hundreds of milliseconds into the
tail under training only; on a machine busy with other work the idle tail is heavy too
(a CI run beside other jobs: idle median 8.6 ms but idle p99 123 ms, p99 while training
286 ms: 33x the median, yet 2.3x the idle p99), so the median alone called that a failure.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import numpy as np
import requests

from jupyter_autopilot.testing import JupyterServerProcess, temporary_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import bank_csv_bytes

GOAL_P99_MS = 50.0


def one_row_csv() -> bytes:
    """The first bank row without its target, as an endpoint expects it."""
    header, first = bank_csv_bytes().decode().splitlines()[:2]
    names = [n.strip('"') for n in header.split(";")]
    values = first.split(";")
    return (",".join(v for n, v in zip(names, values, strict=True) if n != "y") + "\n").encode()


def hammer(server: JupyterServerProcess, clients: int, seconds: float) -> dict[str, list[float]]:
    routes: dict[str, tuple[str, str, object]] = {
        "GET experiments": ("GET", "experiments", None),
        "GET experiments/{name}": ("GET", "experiments/load", None),
        "POST datasets/preview": ("POST", "datasets/preview", {"uri": "bank.csv", "rows": 10}),
        "POST invocations (1 row)": ("POST", "endpoints/load-ep/invocations", one_row_csv()),
    }
    results: dict[str, list[float]] = {name: [] for name in routes}
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(index: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"token {server.token}"
        names = list(routes)
        local: dict[str, list[float]] = {name: [] for name in routes}
        i = index
        while time.perf_counter() < stop_at:
            # Three in four requests list experiments (what the panels poll); the fourth
            # goes round the other routes.
            name = names[1 + (i // 4) % (len(names) - 1)] if i % 4 == 0 else names[0]
            method, path, body = routes[name]
            started = time.perf_counter()
            url = f"{server.url}/autopilot/api/{path}"
            if isinstance(body, bytes):
                reply = session.request(
                    method, url, data=body, headers={"Content-Type": "text/csv"}, timeout=30
                )
            else:
                reply = session.request(method, url, json=body, timeout=30)
            local[name].append((time.perf_counter() - started) * 1000)
            if reply.status_code >= 500:
                failures.append(f"{name}: {reply.status_code}")
            i += 1
        with lock:
            for name, values in local.items():
                results[name].extend(values)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"server errors under load: {failures[:5]}")
    return results


def summary(values: list[float]) -> tuple[float, float, float, int]:
    if not values:
        raise SystemExit("a route got no requests: run longer or with more clients")
    array = np.asarray(values)
    return (
        float(np.percentile(array, 50)),
        float(np.percentile(array, 95)),
        float(np.percentile(array, 99)),
        len(values),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-ratio", type=float, default=20.0)
    parser.add_argument("--max-tail-ratio", type=float, default=4.0)
    args = parser.parse_args()
    with temporary_server({"bank.csv": bank_csv_bytes()}, prefix="autopilot-load-") as server:
        # An endpoint to invoke: a quick experiment, its best candidate deployed.
        quick = {
            "name": "serve",
            "input_uri": "bank.csv",
            "target": "y",
            "max_candidates": 3,
            "max_job_runtime_seconds": 60,
        }
        assert server.post("experiments", quick).status_code == 201
        done = server.wait_for(
            "experiments/serve", lambda b: b["status"] not in ("Queued", "InProgress"), 300
        )
        assert done["status"] == "Completed", done
        server.post("experiments/serve/deploy", {"endpoint_name": "load-ep"})
        endpoint = server.wait_for("endpoints/load-ep", lambda b: b["status"] != "Creating", 120)
        assert endpoint["status"] == "InService", endpoint
        idle = hammer(server, args.clients, args.seconds / 2)
        spec = {
            "name": "load",
            "input_uri": "bank.csv",
            "target": "y",
            "max_candidates": 200,
            "max_job_runtime_seconds": int(args.seconds) + 60,
        }
        assert server.post("experiments", spec).status_code == 201
        server.wait_for("experiments/load", lambda b: b["status"] == "InProgress", 60)
        busy = hammer(server, args.clients, args.seconds)
        status = server.get("experiments/load").json()
        server.post("experiments/load/stop")

    print()
    print(
        f"API latency on loopback, {args.clients} clients (ms); training = a bank experiment "
        f"in its worker ({status['status']}, stage {status.get('current_stage')})"
    )
    print(
        f"{'route':<26}{'idle p50':>10}{'idle p99':>10}{'train p50':>11}{'train p95':>11}"
        f"{'train p99':>11}{'ratio p99':>11}{'requests':>10}"
    )
    for name in busy:
        i50, _, i99, _ = summary(idle[name])
        b50, b95, b99, count = summary(busy[name])
        print(
            f"{name:<26}{i50:>10.1f}{i99:>10.1f}{b50:>11.1f}{b95:>11.1f}{b99:>11.1f}"
            f"{b99 / i99:>11.2f}{count:>10}"
        )
    p99 = summary(busy["GET experiments"])[2]
    idle_p50, _, idle_p99, _ = summary(idle["GET experiments"])
    ratio, tail_ratio = p99 / idle_p50, p99 / idle_p99
    if p99 < GOAL_P99_MS:
        verdict, ok = "met", True
    elif ratio <= args.max_ratio:
        verdict, ok = f"missed, but only {ratio:.1f}x the idle median: the machine is busy", True
    elif tail_ratio <= args.max_tail_ratio:
        verdict, ok = f"missed, but only {tail_ratio:.1f}x the idle p99: the machine is busy", True
    else:
        verdict, ok = "MISSED", False
    print(
        f"goal: p99 of GET experiments while training < {GOAL_P99_MS:.0f} ms: {verdict} "
        f"({p99:.1f} ms, {ratio:.1f}x the idle median, {tail_ratio:.1f}x the idle p99; fails "
        f"above {args.max_ratio:g}x and {args.max_tail_ratio:g}x)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
