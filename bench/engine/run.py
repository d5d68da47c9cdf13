"""Our engine side by side with FLAML and AutoGluon on the benchmark suite (bench/engine).

    bench/engine/setup_peers.sh                                  # once: the peers' venvs
    python bench/engine/run.py                                   # everything (many hours)
    python bench/engine/run.py --datasets wine oj --budgets 20 --seeds 0
    python bench/engine/run.py --tools ours --budgets 60         # after an engine change
    python bench/engine/run.py --report                          # tables from what is done
    python bench/engine/run.py --list                            # the datasets

For each budget, seed, dataset and tool (in that order): the tool's own interpreter runs
adapters.py in a subprocess pinned to two CPUs, with the split's 80% training file and the
budget; it predicts the 20% holdout, which is scored here with scoring.py. Every run is
appended to results/runs.jsonl as soon as it ends, and a run already recorded there (same
split files, same tool version: for ours, the same engine source) is not run again, so an
interrupted run resumes where it stopped and `--tools ours` after an engine change reruns
ours only. Splits are written once (results/splits) by bench/.venv-data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
sys.path.insert(0, str(HERE))
from adapters import FIT, PREDICTIONS  # noqa: E402
from measure import run_measured, two_cpus  # noqa: E402
from scoring import (  # noqa: E402
    TIE,
    InvalidPredictions,
    Row,
    score,
    summarize,
    totals,
    within_budget,
)
from suite import DATASETS, TEST_TARGET, read_meta, split_dir  # noqa: E402

TOOLS = ("ours", "flaml", "autogluon")
#: Each tool's interpreter: ours runs with the one running this script (the project's
#: .venv, with jupyter_autopilot installed), the peers in their own environments.
PYTHONS = {
    "ours": Path(sys.executable),
    "flaml": BENCH / ".venv-flaml" / "bin" / "python",
    "autogluon": BENCH / ".venv-autogluon" / "bin" / "python",
    "data": BENCH / ".venv-data" / "bin" / "python",
}
DEFAULT_RESULTS = HERE / "results"
#: A run still going after this is killed and recorded as a timeout.
TIMEOUT_FACTOR, TIMEOUT_EXTRA_SECONDS = 2, 300
#: OpenMP threads wait passively in every tool, as our engine sets for itself: with the
#: default spinning, a machine busy with other work slows 2-thread LightGBM/XGBoost
#: training several-fold, which would measure the machine rather than the peers.
TOOL_ENV = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}


# -- what is being compared -----------------------------------------------------------------
#: What decides what ours does in a run: the engine, the models it uses and the local
#: backend's default budgets. A change elsewhere (UI, handlers) keeps ours' results.
ENGINE_SOURCES = ("engine", "models", "exceptions.py", "backends/local/backend.py")
#: Within those, what a tabular job never runs: forecasting (a job with a forecast block)
#: changes without invalidating the tabular results.
NOT_TABULAR = ("engine/forecasting", "models/forecast.py")


def engine_fingerprint(package: Path | None = None) -> str:
    """A hash of the engine's source: results of ours are reused only for the same code.

    `package`: the `jupyter_autopilot` folder to hash (default: this checkout's)."""
    digest = hashlib.sha256()
    package = package or ROOT / "jupyter_autopilot"
    files: list[Path] = []
    for source in ENGINE_SOURCES:
        path = package / source
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    skipped = [package / source for source in NOT_TABULAR]
    files = [f for f in files if not any(f == x or x in f.parents for x in skipped)]
    for path in files:
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def tool_id(tool: str) -> str:
    """What identifies a tool's results: our engine's source hash or the peer's pins."""
    if tool == "ours":
        return f"engine-{engine_fingerprint()}"
    stamp = PYTHONS[tool].parents[1] / ".bench-requirements"
    return stamp.read_text().strip() if stamp.is_file() else "unknown"


def check_environments(tools: list[str], need_data: bool) -> None:
    """Exit with what to run when an interpreter is missing."""
    if "ours" in tools and importlib.util.find_spec("jupyter_autopilot") is None:
        raise SystemExit(
            "jupyter_autopilot is not importable here: run this script with the project's "
            "environment (scripts/setup, then . .venv/bin/activate)"
        )
    wanted = [*tools, *(["data"] if need_data else [])]
    missing = [name for name in wanted if not PYTHONS[name].is_file()]
    if missing:
        hint = "bench/engine/setup_peers.sh " + " ".join(missing)
        raise SystemExit(
            "missing environment(s): "
            + ", ".join(f"{n} ({PYTHONS[n]})" for n in missing)
            + f"; run {hint}"
        )


# -- the results file ------------------------------------------------------------------------
def load_records(path: Path) -> list[dict]:
    """Every run recorded so far (a line cut short by a kill is skipped)."""
    if not path.is_file():
        return []
    records = []
    for line in path.read_text().splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def run_key(dataset: str, seed: int, budget: int, tool: str, ident: str, split: str) -> tuple:
    return (dataset, seed, budget, tool, ident, split)


def key_of(record: dict) -> tuple:
    return run_key(
        record["dataset"],
        record["seed"],
        record["budget"],
        record["tool"],
        record["tool_id"],
        record["split_id"],
    )


def current(records: list[dict], ids: dict[str, str], splits: dict[tuple[str, int], str]) -> list:
    """The latest record of each run that matches today's tools and split files."""
    latest: dict[tuple, dict] = {}
    for record in records:
        if ids.get(record["tool"]) != record["tool_id"]:
            continue
        if splits.get((record["dataset"], record["seed"])) != record["split_id"]:
            continue
        latest[key_of(record)] = record
    return list(latest.values())


# -- one run ---------------------------------------------------------------------------------
def run_tool(tool: str, split: Path, out: Path, budget: int, seed: int, log: Path) -> dict:
    """Run adapters.py for one tool; returns status, timings and peak memory."""
    command = [
        str(PYTHONS[tool]),
        str(HERE / "adapters.py"),
        tool,
        str(split),
        str(out),
        "--budget",
        str(budget),
        "--seed",
        str(seed),
    ]
    timeout = TIMEOUT_FACTOR * budget + TIMEOUT_EXTRA_SECONDS
    return run_measured(
        command, cwd=out, log=log, timeout=timeout, env=TOOL_ENV, preexec_fn=two_cpus
    )


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run_one(results: Path, meta: dict, tool: str, ident: str, budget: int, keep: bool) -> dict:
    """One tool on one split at one budget, scored; the record to append to runs.jsonl."""
    name, seed = meta["dataset"], meta["seed"]
    split = split_dir(results / "splits", name, seed)
    out = results / "work" / f"{budget}s" / name / f"seed{seed}" / tool
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log = results / "logs" / f"{budget}s-{name}-seed{seed}-{tool}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    measured = run_tool(tool, split, out, budget, seed, log)
    record: dict = {
        "dataset": name,
        "seed": seed,
        "budget": budget,
        "tool": tool,
        "tool_id": ident,
        "split_id": meta["split_id"],
        "task": meta["task"],
        "metric": meta["metric"],
        "status": "ok",
        "score": None,
        "fit_seconds": None,
        "within_budget": None,
        **measured,
        "load_average_before": load,
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    fit_file = out / FIT
    if measured["timed_out"]:
        record["status"] = "timeout"
    elif measured["returncode"] != 0 or not fit_file.is_file():
        record["status"] = "failed"
    else:
        info = json.loads(fit_file.read_text())
        record["fit_seconds"] = info.pop("fit_seconds")
        record["within_budget"] = within_budget(record["fit_seconds"], budget)
        record["details"] = info
        try:
            truth = pd.read_csv(split / TEST_TARGET)[meta["target"]]
            record["score"] = score(meta, pd.read_csv(out / PREDICTIONS), truth)
        except (InvalidPredictions, OSError, KeyError, ValueError) as error:
            record["status"] = "invalid"
            record["error"] = f"{type(error).__name__}: {error}"
    if record["status"] != "ok":
        record.setdefault("error", _tail(log))
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return record


# -- the report ------------------------------------------------------------------------------
def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "fail"
    return f"{value:.{digits}f}"


def format_table(rows: list[Row], tools: list[str], budget: int, tie: float) -> str:
    """The side-by-side table for one budget, then the totals."""
    peers = [t for t in tools if t != "ours"]
    lines = [f"== budget {budget} s =="]
    head = f"{'dataset':<17} {'task':<10} {'metric':<8} {'seeds':>5} "
    head += " ".join(f"{t:>9}" for t in tools)
    if "ours" in tools and peers:
        head += f" {'best peer':>9} {'ratio':>6}  W/T/L"
    lines.append(head)
    for row in rows:
        line = f"{row.dataset:<17} {row.task:<10} {row.metric:<8} {len(row.seeds):>5} "
        line += " ".join(f"{_fmt(row.scores[t]):>9}" for t in tools)
        if "ours" in tools and peers:
            shown = "-" if row.ratio is None else f"{row.ratio:.3f}"
            line += f" {row.best_peer or '-':>9} {shown:>6}  {row.verdict}"
        lines.append(line)
    if "ours" in tools and peers:
        total = totals(rows)
        lines.append(
            f"ours vs the best of {', '.join(peers)} on {total['datasets']} datasets: "
            f"{total['wins']} wins, {total['ties']} ties, {total['losses']} losses "
            f"(at or above: {total['at_or_above']:.0%}); mean ratio {total['mean_ratio']:.3f} "
            f"(ratio > 1: ours better; R2 as a ratio of residual errors; tie within {tie:.1%})"
        )
    lines.append("")
    lines.append(
        f"{'dataset':<17} "
        + " ".join(f"{t + ' fit s':>15}" for t in tools)
        + " "
        + " ".join(f"{t + ' MiB':>14}" for t in tools)
        + "  over budget"
    )
    for row in rows:
        over = ", ".join(f"{t} {n}" for t, n in row.over_budget.items() if n)
        lines.append(
            f"{row.dataset:<17} "
            + " ".join(f"{row.fit_seconds.get(t, math.nan):>15.1f}" for t in tools)
            + " "
            + " ".join(f"{row.peak_rss_mib.get(t, math.nan):>14.0f}" for t in tools)
            + f"  {over or '-'}"
        )
    return "\n".join(lines)


def report(
    records: list[dict], tools: list[str], budgets: list[int], datasets: list[str], tie: float
) -> dict:
    """Print the tables per budget; returns the summary that goes to latest-summary.json."""
    chosen = [r for r in records if r["dataset"] in datasets]
    summary: dict = {"tools": tools, "tie": tie, "budgets": {}}
    for budget in budgets:
        rows = summarize(chosen, tools, budget, tie)
        if not rows:
            print(f"== budget {budget} s: no dataset has a result from every tool yet ==\n")
            continue
        print(format_table(rows, tools, budget, tie), end="\n\n", flush=True)
        summary["budgets"][str(budget)] = {
            "totals": totals(rows) if "ours" in tools else None,
            "rows": [row.__dict__ for row in rows],
        }
    return summary


def dataset_table() -> str:
    """The registry as a Markdown table (for bench/engine/README.md)."""
    lines = [
        "| dataset | source | rows | features | task | metric | target | removed | note |",
        "| --- | --- | ---: | ---: | --- | --- | --- | --- | --- |",
    ]
    for d in DATASETS.values():
        removed = ", ".join(f"`{c}`" for c in d.drop) or "-"
        lines.append(
            f"| {d.name} | {d.source} | {d.rows} | {d.features} | {d.task} | {d.metric} | "
            f"`{d.target}` | {removed} | {d.note or '-'} |"
        )
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------
def prepare_splits(results: Path, datasets: list[str], seeds: list[int]) -> dict:
    """Write the splits that are missing (with bench/.venv-data); returns their meta.json."""
    root = results / "splits"
    missing = [n for n in datasets for s in seeds if read_meta(root, n, s) is None]
    if missing:
        check_environments([], need_data=True)
        subprocess.run(
            [
                str(PYTHONS["data"]),
                str(HERE / "suite.py"),
                "--out",
                str(root),
                "--datasets",
                *dict.fromkeys(missing),
                "--seeds",
                *map(str, seeds),
            ],
            check=True,
        )
    metas = {}
    for name in datasets:
        for seed in seeds:
            meta = read_meta(root, name, seed)
            if meta is None:
                raise SystemExit(f"the split of {name} seed {seed} was not written")
            metas[(name, seed)] = meta
    return metas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--budgets", nargs="+", type=int, default=[60, 300], help="seconds")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=TOOLS)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--tie", type=float, default=TIE, help="tie tolerance on the ratio")
    parser.add_argument("--report", action="store_true", help="only print the tables")
    parser.add_argument("--rerun", action="store_true", help="run again what is recorded")
    parser.add_argument("--retry-failed", action="store_true", help="run failed runs again")
    parser.add_argument("--keep-work", action="store_true", help="keep each run's outputs")
    parser.add_argument("--list", action="store_true", help="print the datasets and exit")
    args = parser.parse_args(argv)
    if args.list:
        print(dataset_table())
        return 0
    results: Path = args.results.resolve()
    runs_file = results / "runs.jsonl"
    # The report compares ours with every peer asked for; --tools ours alone still reports
    # against the peers' recorded runs.
    shown = list(TOOLS) if args.tools == ["ours"] else args.tools
    ids = {tool: tool_id(tool) for tool in TOOLS}
    metas = prepare_splits(results, args.datasets, args.seeds)
    splits = {key: meta["split_id"] for key, meta in metas.items()}

    if not args.report:
        check_environments(args.tools, need_data=False)
        done = {key_of(r): r for r in current(load_records(runs_file), ids, splits)}
        plan = [
            (budget, seed, name, tool)
            for budget in args.budgets
            for seed in args.seeds
            for name in args.datasets
            for tool in args.tools
        ]
        print(
            f"{len(plan)} runs; {os.cpu_count()} CPUs (each run pinned to 2), load average "
            f"{os.getloadavg()[0]:.1f}; results in {runs_file}",
            flush=True,
        )
        for number, (budget, seed, name, tool) in enumerate(plan, 1):
            meta = metas[(name, seed)]
            previous = done.get(run_key(name, seed, budget, tool, ids[tool], meta["split_id"]))
            repeat = args.rerun or (args.retry_failed and previous and previous["status"] != "ok")
            if previous and not repeat:
                continue
            record = run_one(results, meta, tool, ids[tool], budget, args.keep_work)
            with runs_file.open("a") as sink:
                sink.write(json.dumps(record, default=str) + "\n")
            shown_score = "-" if record["score"] is None else f"{record['score']:.4f}"
            fit = record["fit_seconds"]
            print(
                f"[{number}/{len(plan)}] {budget:>4}s {name:<17} seed {seed} {tool:<9} "
                f"{record['status']:<7} {meta['metric']} {shown_score:>7}  fit "
                f"{'-' if fit is None else f'{fit:.1f}'} s  process "
                f"{record['process_seconds']:.0f} s  peak {record['peak_rss_mib']:.0f} MiB  "
                f"load {record['load_average_before']:.1f}",
                flush=True,
            )
            if record["status"] != "ok":
                print("    " + str(record.get("error", "")).replace("\n", "\n    "), flush=True)

    records = current(load_records(runs_file), ids, splits)
    print()
    summary = report(records, shown, args.budgets, args.datasets, args.tie)
    summary.update(
        {
            "seeds": args.seeds,
            "datasets": args.datasets,
            "tool_ids": {t: ids[t] for t in shown},
            "written_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
    )
    results.mkdir(parents=True, exist_ok=True)
    text = json.dumps(summary, indent=1, default=str)
    (results / "summary.json").write_text(text)
    if set(args.datasets) == set(DATASETS) and len(args.seeds) >= 3 and shown == list(TOOLS):
        update_latest_full(results / "latest-full.json", summary, len(DATASETS))
    return 0


def update_latest_full(path: Path, summary: dict, datasets: int) -> None:
    """The committed figures: a budget's table replaces its entry only when it covers every
    dataset (a report while the 300 s runs are under way leaves the 60 s figures alone)."""
    complete = {
        budget: table
        for budget, table in summary["budgets"].items()
        if table["totals"] and table["totals"]["datasets"] == datasets
    }
    if not complete:
        return
    previous = json.loads(path.read_text()) if path.exists() else {}
    merged = {**summary, "budgets": {**previous.get("budgets", {}), **complete}}
    path.write_text(json.dumps(merged, indent=1, default=str))


if __name__ == "__main__":
    raise SystemExit(main())
