"""Where a job's memory goes: `run_job` on a scaling table, its resident memory sampled.

    python bench/engine/memory_profile.py results/scaling/data/rows1000000_seed0.csv \
        --budget 180 --out /tmp/profile
    python bench/engine/memory_profile.py results/splits/stackoverflow/seed1 --budget 60

A scaling table (target `y`, binary, ROC AUC) or a benchmark split's folder (its
`train.csv`, with the target, task and metric of its `meta.json`, as `run.py` runs ours).

One process (the job runs in the worker process itself: trials are not subprocesses). A
thread samples the process's resident memory every 0.1 s and, whenever it reaches a new
maximum, keeps the main thread's stack (our frames only), so the peak is attributed to a
line of the engine. Every reporter event (stage, trial, message) is logged with the
memory at that moment. Writes `<out>/profile.json` and prints a summary: the peak, its
stack, and the largest memory at each stage and each trial.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv", type=Path, help="a scaling CSV or a split's folder")
    parser.add_argument("--budget", type=int, default=180)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/memory_profile"))
    parser.add_argument(
        "--algorithms", nargs="*", default=[], help="only these (e.g. catboost xgboost)"
    )
    args = parser.parse_args(argv)

    from jupyter_autopilot import models as m
    from jupyter_autopilot.backends.local.backend import local_budget
    from jupyter_autopilot.engine import JobConfig, run_job
    from jupyter_autopilot.engine.reporting import NullReporter

    process = psutil.Process()
    main_thread = threading.main_thread().ident
    started = time.perf_counter()
    label = ["start"]
    events: list[dict[str, Any]] = []
    samples: list[tuple[float, float, str]] = []
    peak: dict[str, Any] = {"mib": 0.0}
    done = threading.Event()

    def mib() -> float:
        return process.memory_info().rss / 2**20

    def sample() -> None:
        while not done.is_set():
            now = mib()
            samples.append((round(time.perf_counter() - started, 2), round(now, 1), label[0]))
            if now > peak["mib"]:
                frame = sys._current_frames().get(main_thread)
                stack = traceback.format_stack(frame) if frame else []
                ours = [s.strip() for s in stack if "jupyter_autopilot" in s]
                peak.update(mib=now, at=samples[-1][0], label=label[0], stack=ours[-8:])
            time.sleep(0.1)

    class Logging(NullReporter):
        def _log(self, kind: str, text: str) -> None:
            label[0] = f"{kind}: {text}"[:120]
            events.append(
                {
                    "t": round(time.perf_counter() - started, 2),
                    "mib": round(mib(), 1),
                    "event": label[0],
                }
            )

        def stage(self, name, status, message="", progress=0.0):  # type: ignore[no-untyped-def]
            self._log("stage", f"{name.value} {status.value} {message}")

        def candidate(self, candidate):  # type: ignore[no-untyped-def]
            self._log("trial", f"{candidate.name} {candidate.status.value}")

        def message(self, text):  # type: ignore[no-untyped-def]
            self._log("message", text)

    from adapters import OURS_METRIC

    csv, target, task, metric = args.csv, "y", "binary", "roc_auc"
    if args.csv.is_dir():  # a benchmark split
        meta = json.loads((args.csv / "meta.json").read_text())
        csv, target, task, metric = (
            args.csv / "train.csv",
            meta["target"],
            meta["task"],
            meta["metric"],
        )
    spec = m.ExperimentSpec(
        name="profile",
        input_uri=csv.name,
        target=target,
        problem_type=m.ProblemType(task),
        objective_metric=m.ObjectiveMetric(OURS_METRIC[metric]),
        seed=args.seed,
        max_job_runtime_seconds=args.budget,
        algorithms=[m.AutoMLAlgorithm(a) for a in args.algorithms],
    )
    args.out.mkdir(parents=True, exist_ok=True)
    config = JobConfig.from_spec(
        spec, local_budget(spec), data_path=csv.resolve(), output_dir=args.out / "job"
    )
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    result = run_job(config, Logging())
    done.set()
    thread.join()
    # The largest memory under each label (stage, trial or message that came last).
    by_label: dict[str, float] = {}
    for _, value, name in samples:
        by_label[name] = max(by_label.get(name, 0.0), value)
    report = {
        "peak": peak,
        "seconds": round(time.perf_counter() - started, 1),
        "best": result.best_candidate,
        "by_label": by_label,
        "events": events,
        "samples": samples,
    }
    (args.out / "profile.json").write_text(json.dumps(report, indent=1))
    print(f"peak {peak['mib']:.0f} MiB at {peak.get('at')} s during {peak.get('label')}")
    print("\n".join(peak.get("stack", [])))
    print("largest memory by the event that came last:")
    for name, value in by_label.items():
        print(f"  {value:7.0f} MiB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
