"""`jupyter-autopilot`: run the engine from a terminal.

    jupyter-autopilot sample bank-marketing .     # the tutorial's data, shipped with us
    jupyter-autopilot preview bank-additional-full.csv
    jupyter-autopilot run bank-additional-full.csv --target y --exclude duration --max-runtime 120
    jupyter-autopilot run bank-additional-full.csv \
        --sagemaker-notebook SageMakerAutopilotCandidateDefinitionNotebook.ipynb

Ctrl-C during a run asks the engine to stop: it ends cleanly, keeping finished trials.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..exceptions import AutopilotError, InvalidRequest
from ..models import (
    STAGE_TITLES,
    AutoMLAlgorithm,
    CandidateStatus,
    ObjectiveMetric,
    ProblemType,
    RunMode,
    StageStatus,
)
from ..processes import skip_unused_slow_imports
from .config import JobConfig
from .families import check_local, local_families
from .preview import preview_dataset


class PrintingReporter:
    """Prints stage changes, finished trials and messages; Ctrl-C requests a stop."""

    def __init__(self, out: Any = None) -> None:
        self.out = out
        self.started = time.perf_counter()
        self._stop = threading.Event()

    def _print(self, text: str) -> None:
        print(
            f"[{time.perf_counter() - self.started:7.1f}s] {text}",
            file=self.out or sys.stdout,
            flush=True,
        )

    def stage(self, stage, status, message=None, progress=None) -> None:
        if status is StageStatus.running and progress not in (None, 0.0):
            return  # progress ticks: the trial lines say enough
        self._print(f"{STAGE_TITLES[stage]}: {status.value}" + (f" - {message}" if message else ""))

    def problem(self, problem_type, metric) -> None:
        self._print(f"Problem type {problem_type.value}, objective {metric.value}")

    def warnings(self, warnings) -> None:
        for w in warnings:
            self._print(
                f"{w.severity}: {w.message}" + (f" ({w.suggestion})" if w.suggestion else "")
            )

    def candidate(self, candidate) -> None:
        if candidate.status is CandidateStatus.InProgress or candidate.rank is not None:
            return
        value = "-" if candidate.objective_value is None else f"{candidate.objective_value:.4f}"
        self._print(
            f"  {candidate.name:<32} {candidate.status.value:<9} {value:>8} {candidate.duration_seconds or 0:6.1f}s"
        )

    def best(self, candidate_name) -> None:
        pass

    def artifact(self, kind, path) -> None:
        self._print(f"Wrote {kind.value}: {path}")

    def message(self, text) -> None:
        self._print(text)

    def request_stop(self) -> None:
        self._stop.set()

    def stop_requested(self) -> bool:
        return self._stop.is_set()


def _preview(args: argparse.Namespace) -> int:
    preview = preview_dataset(Path(args.data), rows=args.rows, delimiter=args.delimiter)
    print(
        f"{preview.uri}: delimiter {preview.delimiter!r}, header {preview.has_header}, "
        f"encoding {preview.encoding}, compression {preview.compression.value}, "
        f"{preview.total_rows if preview.total_rows is not None else f'>{preview.rows_scanned}'} rows"
    )
    print(f"{'column':<24} {'type':<12} {'dtype':<10} {'missing':>8} {'unique':>8}  examples")
    for c in preview.columns:
        print(
            f"{c.name:<24} {c.inferred_type.value:<12} {c.dtype:<10} {c.missing_count:>8} {c.unique_count:>8}  {', '.join(c.examples[:3])}"
        )
    print()
    names = [c.name for c in preview.columns]
    print(" | ".join(names))
    for row in preview.rows:
        print(" | ".join("" if v is None else v for v in row))
    for w in preview.warnings:
        print(f"warning: {w}")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from ..samples import SAMPLES, get_sample
    from ..samples.copies import copy_into

    if not args.name:
        for sample in SAMPLES.values():
            print(f"{sample.name}: {sample.title}, {sample.license} ({sample.source_url})")
            print(f"    {sample.description}")
        return 0
    sample = get_sample(args.name)
    folder = Path(args.dir if args.dir is not None else sample.default_folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidRequest(f"{folder} is a file, not a folder; give a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidRequest(f"Cannot create the folder {folder}: {error.strerror}.") from None
    copied = copy_into(folder, sample)
    state = "written" if copied.created else "an identical copy was already there"
    print(f"{copied.path} ({state})")
    print(
        f"{sample.title}: {sample.rows:,} rows, target {sample.target!r}, {sample.delimiter!r}-separated."
    )
    print(f"Data: {sample.source}, {sample.license}; please cite {sample.citation}")
    for exclusion in sample.suggested_exclusions:
        print(f"Leave out {exclusion.column!r}: {exclusion.reason}")
    excludes = "".join(f" --exclude {e.column}" for e in sample.suggested_exclusions)
    print(
        f"Next: jupyter-autopilot run {shlex.quote(str(copied.path))} --target {sample.target}{excludes}"
    )
    return 0


def _imported_plan(
    args: argparse.Namespace,
) -> tuple[str, ProblemType, ObjectiveMetric | None, Any]:
    """Target, problem type, metric and plan from a SageMaker candidate notebook."""
    from ..importers import import_notebook

    notebook = Path(args.sagemaker_notebook).resolve()
    imported = import_notebook(notebook.parent, notebook.name)
    print(f"SageMaker Autopilot job {imported.job_name}: target {imported.target}")
    for candidate in imported.candidates:
        local = candidate.local_algorithm or "not run"
        print(f"  {candidate.name:<28} {candidate.algorithm} -> {local}")
        for note in candidate.notes:
            print(f"      {note}")
    for warning in imported.warnings:
        print(f"warning: {warning}")
    if imported.plan is None:
        raise InvalidRequest("None of the notebook's candidates can run locally.")
    problem = ProblemType(args.problem_type)
    metric = ObjectiveMetric(args.metric) if args.metric else None
    return (
        args.target or imported.target,
        imported.problem_type if problem is ProblemType.auto else problem,
        metric or imported.objective_metric,
        imported.plan,
    )


def _run(args: argparse.Namespace) -> int:
    data = Path(args.data).resolve()
    output = Path(args.output or f"autopilot-{data.stem}").resolve()
    plan = None
    target, problem_type = args.target, ProblemType(args.problem_type)
    metric = ObjectiveMetric(args.metric) if args.metric else None
    if args.sagemaker_notebook:
        target, problem_type, metric, plan = _imported_plan(args)
    if not target:
        raise InvalidRequest("Give the target column with --target.")
    check_local(args.algorithm or [])
    config = JobConfig(
        data_path=data,
        output_dir=output,
        target=target,
        exclude_columns=args.exclude or [],
        sample_weight=args.sample_weight,
        validation_path=Path(args.validation_file).resolve() if args.validation_file else None,
        algorithms=local_families(args.algorithm or []),
        delimiter=args.delimiter,
        problem_type=problem_type,
        objective_metric=metric,
        candidate_plan=plan,
        mode=RunMode.pilot if args.pilot else RunMode.complete,
        max_candidates=args.max_candidates,
        max_trial_runtime_seconds=min(args.max_trial_runtime, args.max_runtime),
        max_job_runtime_seconds=args.max_runtime,
        seed=args.seed,
        reproducible=args.reproducible,
        n_jobs=args.n_jobs,
        experiment_name=output.name,
    )
    reporter = PrintingReporter()
    previous = signal.signal(signal.SIGINT, lambda *_: reporter.request_stop())
    try:
        # Imported here, after `main` kept the slow IRI grammar out (the engine writes
        # notebooks through nbformat, which imports jsonschema).
        from .job import run_job

        result = run_job(config, reporter)
    finally:
        signal.signal(signal.SIGINT, previous)
    print()
    if result.candidates:
        print(f"Leaderboard ({result.objective_metric.value}):")
        print(f"{'rank':>4}  {'candidate':<32} {'algorithm':<14} {'objective':>9} {'seconds':>8}")
        for c in result.candidates:
            if c.rank is None:
                continue
            mark = " *" if c.is_best else ""
            print(
                f"{c.rank:>4}  {c.name:<32} {c.algorithm:<14} {c.objective_value or 0:>9.4f} {c.duration_seconds or 0:>8.1f}{mark}"
            )
    print("Stage seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.stage_seconds.items()))
    if result.model_path:
        print(f"Model: {result.model_path} (sha256 {result.model_sha256})")
    print(f"Outputs in {output}" + (" (stopped on request)" if result.stopped else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `jupyter-autopilot` command."""
    skip_unused_slow_imports()  # a process of its own, like the server's workers
    parser = argparse.ArgumentParser(
        prog="jupyter-autopilot", description="Run the AutoML engine locally."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sample = sub.add_parser(
        "sample",
        help="Copy a dataset shipped with jupyter-autopilot (the tutorial's) into a folder.",
        description="Without NAME, list the samples. Never overwrites a file: an identical "
        "copy is reused, a different file keeps its name and the copy gets a numbered one.",
    )
    sample.add_argument("name", nargs="?", help="The sample, e.g. bank-marketing.")
    sample.add_argument(
        "dir", nargs="?", default=None, help="Folder to copy into (default: the sample's own)."
    )
    preview = sub.add_parser("preview", help="Show a data file's format, columns and first rows.")
    preview.add_argument("data")
    preview.add_argument("--rows", type=int, default=10)
    preview.add_argument("--delimiter", default=None)
    run = sub.add_parser("run", help="Run an experiment (all four stages, or a pilot).")
    run.add_argument("data")
    run.add_argument("--target", help="Column to predict (required without a notebook).")
    run.add_argument("--exclude", action="append", help="A column to leave out (repeatable).")
    run.add_argument("--delimiter", default=None)
    run.add_argument("--sample-weight", default=None, help="Column of row weights (not a feature).")
    run.add_argument(
        "--validation-file",
        default=None,
        help="Your own validation CSV (the training file's columns; never trained on) "
        "instead of a random split of DATA, e.g. the latest rows of time-ordered data.",
    )
    run.add_argument(
        "--algorithm",
        action="append",
        choices=[a.value for a in AutoMLAlgorithm],
        help="An algorithm family to train, Autopilot's name (repeatable; default: all).",
    )
    run.add_argument("--problem-type", default="auto", choices=[p.value for p in ProblemType])
    run.add_argument("--metric", default=None, choices=[m.value for m in ObjectiveMetric])
    run.add_argument("--max-runtime", type=int, default=120, help="Job budget in seconds.")
    run.add_argument("--max-trial-runtime", type=int, default=300)
    run.add_argument("--max-candidates", type=int, default=250)
    run.add_argument("--pilot", action="store_true", help="Stop after the candidate definitions.")
    run.add_argument(
        "--output", default=None, help="Output folder (default: autopilot-<data name>)."
    )
    run.add_argument(
        "--sagemaker-notebook",
        default=None,
        help="Re-run the candidates of this SageMaker Autopilot candidate-definition notebook "
        "(target, problem type and objective default to the notebook's).",
    )
    run.add_argument("--seed", type=int, default=0)
    run.add_argument(
        "--reproducible",
        action="store_true",
        help="Bounded by --max-candidates only (no time limit decides, one training thread): "
        "the same data and settings give the same leaderboard.",
    )
    run.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        commands = {"sample": _sample, "preview": _preview, "run": _run}
        return commands[args.command](args)
    except AutopilotError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
