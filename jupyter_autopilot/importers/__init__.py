"""Importers: bringing work done elsewhere into jupyter-autopilot.

`import_notebook` reads a SageMaker Autopilot candidate-definition notebook (and the
generated data-processing modules, if they were synced next to it) and returns its
candidates with a `CandidatePlan` that the local engine runs: the same candidates,
re-run on this machine, with differences noted per candidate.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .. import models as m
from ..exceptions import InvalidRequest, NotFound
from ..paths import resolve_under_root, to_api_path
from .autopilot_notebook import ParsedNotebook, module_path, parse_notebook
from .dpp_module import DppModule, parse_dpp_module
from .translate import PROBLEM_TYPES, objective_metric, translate

#: A candidate notebook is ~50 KB; anything this large is not one.
MAX_NOTEBOOK_BYTES = 20 * 1024**2
MAX_MODULE_BYTES = 1024**2

__all__ = ["import_notebook", "parse_dpp_module", "parse_notebook"]


def _modules(
    root: Path, notebook: Path, parsed: ParsedNotebook
) -> tuple[dict[str, DppModule], str | None]:
    """The generated dppN.py modules the headings link to, where they exist."""
    modules: dict[str, DppModule] = {}
    folder: str | None = None
    for candidate in parsed.candidates:
        relative = module_path(candidate)
        if relative is None:
            continue
        try:
            path = resolve_under_root(
                root, str(PurePosixPath(to_api_path(root, notebook.parent)) / relative)
            )
        except InvalidRequest:
            continue
        if not path.is_file() or path.stat().st_size > MAX_MODULE_BYTES:
            continue
        module = parse_dpp_module(path.read_text("utf-8", errors="replace"))
        if module is None:
            parsed.warnings.append(f"{relative} is not a generated data-processing module.")
            continue
        modules[candidate.data_transformer] = module
        # The module folder (.../generated_module), as the notebook's README link names it.
        parent = (
            path.parent.parent if path.parent.name == "candidate_data_processors" else path.parent
        )
        folder = folder or to_api_path(root, parent)
    return modules, folder


def import_notebook(root: Path, user_path: str) -> m.SageMakerNotebookImport:
    """Parse the notebook at `user_path` (relative to the server root)."""
    path = resolve_under_root(root, user_path, what="notebook path")
    if not path.is_file():
        raise NotFound(f"No notebook at {user_path!r}; give its path in the file browser.")
    if path.suffix.lower() != ".ipynb":
        raise InvalidRequest(
            f"{user_path!r} is not a notebook (.ipynb); choose the job's "
            "SageMakerAutopilotCandidateDefinitionNotebook.ipynb."
        )
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise InvalidRequest(f"{user_path!r} is too large to be a candidate-definition notebook.")
    shown = to_api_path(root, path)
    parsed = parse_notebook(path.read_text("utf-8", errors="replace"), f"{shown!r}")
    problem = PROBLEM_TYPES.get((parsed.problem_type or "").lower(), m.ProblemType.auto)
    warnings = list(parsed.warnings)
    if problem is m.ProblemType.auto:
        warnings.append(
            f"Unknown problem type {parsed.problem_type!r}; it is inferred from the target."
        )
    metric = objective_metric(parsed.metric)
    if parsed.metric and metric is None:
        warnings.append(f"Objective {parsed.metric} has no local equivalent; the default is used.")
    modules, folder = _modules(root, path, parsed)
    if modules:
        targets = {mod.target for mod in modules.values() if mod.target}
        if targets and parsed.target not in targets:
            warnings.append(
                "The generated modules name a different target ("
                + ", ".join(sorted(targets))
                + f") than the notebook ({parsed.target})."
            )
    else:
        warnings.append(
            "The generated data-processing modules (generated_module/candidate_data_processors) "
            "were not found next to the notebook, so column types are inferred locally. Sync "
            "them with the notebook's first cell for exact column groups."
        )
    job = parsed.job_name or path.stem
    candidates, plan, more = translate(parsed, modules, f"SageMaker Autopilot job {job} ({shown})")
    warnings += more
    if (
        metric is not None
        and problem is not m.ProblemType.auto
        and metric not in m.METRICS_BY_PROBLEM_TYPE[problem]
    ):
        warnings.append(f"{metric.value} does not apply to {problem.value}; default used.")
        metric = None
    return m.SageMakerNotebookImport(
        path=shown,
        job_name=job,
        target=parsed.target or "",
        problem_type=problem,
        objective_metric=metric,
        sagemaker_metric=parsed.metric,
        n_columns=parsed.n_columns,
        data_location=parsed.data_location,
        generated_module=folder,
        candidates=candidates,
        warnings=warnings,
        plan=plan,
    )
