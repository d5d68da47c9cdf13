"""Notebooks and reports: downloaded from S3 into the work dir so JupyterLab opens them."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from ...exceptions import AutopilotError
from ...models import Artifact, ArtifactKind
from ...paths import to_api_path
from . import s3
from .forecasting import is_forecasting_job
from .session import AwsSession

#: Files larger than this stay on S3 (the artifact keeps its `uri`).
MAX_ARTIFACT_BYTES = 100 * 1024**2
#: At most this many files are fetched from one report prefix.
MAX_FILES_PER_PREFIX = 50
#: Generated data-processing modules fetched next to a candidate notebook (dpp0.py...).
MAX_MODULES = 50
MAX_MODULE_BYTES = 1024**2
#: Which file of a report folder the panel opens, in order of preference.
REPORT_PREFERENCE = (".pdf", ".html", ".ipynb")

NOTEBOOKS = [
    (
        ArtifactKind.data_exploration_notebook,
        "DataExplorationNotebookLocation",
        "Data exploration notebook",
        "notebooks",
    ),
    (
        ArtifactKind.candidate_definitions_notebook,
        "CandidateDefinitionNotebookLocation",
        "Candidate definitions notebook",
        "notebooks",
    ),
]
REPORTS = [
    (
        ArtifactKind.explainability_report,
        "Explainability",
        "Explainability report",
        "explainability",
    ),
    (
        ArtifactKind.model_insights_report,
        "ModelInsights",
        "Model insights report",
        "model-insights",
    ),
]


#: A forecasting job's reports (CandidateArtifactLocations.BacktestResults: "Available
#: only for the time-series forecasting problem type").
FORECAST_REPORTS = [
    REPORTS[0],
    (
        ArtifactKind.backtest_results,
        "BacktestResults",
        "Backtest results",
        "backtest-results",
    ),
]
#: The backtest folder opens on its accuracy metrics: the first CSV by name
#: (accuracy-metrics-values/ before forecasted-values/).
BACKTEST_PREFERENCE = (".csv", *REPORT_PREFERENCE)


def _api_path(root: Path, path: Path) -> str | None:
    try:
        return to_api_path(root, path)
    except ValueError:
        return None  # work dir outside the server root: only the URI can be shown


def _fetch(aws: AwsSession, bucket: str, key: str, size: int, dest: Path) -> bool:
    """Download unless an up-to-date copy exists; False when the file is too large."""
    if size > MAX_ARTIFACT_BYTES:
        return False
    if dest.is_file() and dest.stat().st_size == size:
        return True
    s3.download_file(aws, bucket, key, dest)
    return True


def fetch_location(
    aws: AwsSession, uri: str, folder: Path, preferred: tuple[str, ...]
) -> tuple[Path | None, int | None]:
    """Download an artifact that is an object or a prefix; returns the file to open.

    For a prefix, every file (up to the limits) is fetched, keeping relative paths, and
    the first file by `preferred` suffix is returned.
    """
    bucket, key = s3.parse_s3_uri(uri, what="artifact location")
    objects = s3.list_objects(aws, bucket, key, limit=MAX_FILES_PER_PREFIX + 1)
    exact = [o for o in objects if o["Key"] == key]
    if exact:
        item = exact[0]
        dest = folder / PurePosixPath(key).name
        return (dest if _fetch(aws, bucket, key, item["Size"], dest) else None), item["Size"]
    prefix = key if key.endswith("/") else key + "/"
    files = [o for o in objects if o["Key"].startswith(prefix) and not o["Key"].endswith("/")][
        :MAX_FILES_PER_PREFIX
    ]
    fetched: list[tuple[Path, int]] = []
    for item in files:
        relative = PurePosixPath(item["Key"][len(prefix) :])
        if ".." in relative.parts:
            continue  # never write outside the folder
        dest = folder.joinpath(*relative.parts)
        if _fetch(aws, bucket, item["Key"], item["Size"], dest):
            fetched.append((dest, item["Size"]))
    for suffix in preferred:
        for path, size in sorted(
            fetched, key=lambda f: (len(f[0].parts), f[0].name != "report" + suffix)
        ):
            if path.suffix.lower() == suffix:
                return path, size
    return fetched[0] if fetched else (None, None)


def sync_artifacts(
    aws: AwsSession,
    desc: dict[str, Any] | None,
    best: dict[str, Any] | None,
    dest: Path,
    root: Path,
) -> list[Artifact]:
    """Every notebook and report of a job, downloaded when available."""
    artifacts: list[Artifact] = []
    locations = (desc or {}).get("AutoMLJobArtifacts") or {}
    report_locations = ((best or {}).get("CandidateProperties") or {}).get(
        "CandidateArtifactLocations"
    ) or {}
    forecasting = is_forecasting_job(desc)
    # A forecasting job has no candidate definitions; its reports include the backtest.
    notebooks = NOTEBOOKS[:1] if forecasting else NOTEBOOKS
    reports = FORECAST_REPORTS if forecasting else REPORTS
    items: list[tuple[ArtifactKind, str | None, str, str, tuple[str, ...]]] = [
        (kind, locations.get(field), title, sub, (".ipynb",))
        for kind, field, title, sub in notebooks
    ]
    items += [
        (
            kind,
            report_locations.get(field),
            title,
            sub,
            BACKTEST_PREFERENCE if kind is ArtifactKind.backtest_results else REPORT_PREFERENCE,
        )
        for kind, field, title, sub in reports
    ]
    for kind, uri, title, sub, preferred in items:
        if not uri:
            artifacts.append(Artifact(kind=kind, title=title, available=False))
            continue
        try:
            path, size = fetch_location(aws, uri, dest / sub, preferred)
        except AutopilotError as exc:
            aws.log.warning("Could not download %s from %s: %s", title, uri, exc.message)
            path, size = None, None
        if kind is ArtifactKind.candidate_definitions_notebook and path is not None:
            fetch_generated_modules(aws, path)
        artifacts.append(
            Artifact(
                kind=kind,
                title=title,
                available=path is not None,
                path=_api_path(root, path) if path is not None else None,
                uri=uri,
                size_bytes=size,
            )
        )
    return artifacts


def fetch_generated_modules(aws: AwsSession, notebook: Path) -> int:
    """Download the candidates' generated modules to where the notebook links them.

    Autopilot's notebook syncs `.../generated_module` from S3 into
    `<job>-artifacts/generated_module` in its first cell; doing the same here lets the
    notebook be re-run locally with the modules' exact column groups (see `importers`).
    Best effort: returns how many modules were fetched, 0 when there is nothing to fetch.
    """
    # Imported here: the importers package brings the local engine (scikit-learn, pandas),
    # seconds of imports the server would otherwise pay at every start.
    from ...importers.autopilot_notebook import parse_notebook

    try:
        parsed = parse_notebook(notebook.read_text("utf-8", errors="replace"))
    except (AutopilotError, OSError):
        return 0
    if parsed.module_sync is None:
        return 0
    source, local = parsed.module_sync
    relative = PurePosixPath(local)
    if relative.is_absolute() or ".." in relative.parts:
        return 0
    folder = notebook.parent.joinpath(*relative.parts) / "candidate_data_processors"
    try:
        bucket, key = s3.parse_s3_uri(source.rstrip("/") + "/candidate_data_processors/")
        objects = s3.list_objects(aws, bucket, key, limit=MAX_MODULES)
        fetched = 0
        for item in objects:
            name = PurePosixPath(item["Key"]).name
            if item["Key"].endswith(".py") and item["Size"] <= MAX_MODULE_BYTES:
                fetched += _fetch(aws, bucket, item["Key"], item["Size"], folder / name)
        return fetched
    except AutopilotError as exc:
        aws.log.warning("Could not download the generated modules from %s: %s", source, exc.message)
        return 0
