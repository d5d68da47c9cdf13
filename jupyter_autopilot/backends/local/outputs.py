"""What a local experiment's output folder offers: its artifacts (the files the engine
writes, `ARTIFACT_FILES`) and which candidates kept a saved model (deployable)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ... import models as m
from ...paths import api_path_or_none
from .store import Store

#: Artifact kinds and the files the engine writes them to (relative to the output dir).
ARTIFACT_FILES: dict[m.ArtifactKind, tuple[str, str]] = {
    m.ArtifactKind.data_exploration_notebook: (
        "data_exploration.ipynb",
        "Data exploration notebook",
    ),
    m.ArtifactKind.candidate_definitions_notebook: (
        "candidate_definitions.ipynb",
        "Candidate definitions notebook",
    ),
    m.ArtifactKind.explainability_report: ("reports/explainability.json", "Explainability report"),
    m.ArtifactKind.model_insights_report: ("reports/model_insights.json", "Model insights report"),
    m.ArtifactKind.model: ("model/model.joblib", "Best model"),
    m.ArtifactKind.model_card: ("model/model_card.json", "Model card"),
    m.ArtifactKind.log: ("worker.log", "Worker log"),
}


def candidates_with_models(
    store: Store, experiments_dir: Path, experiment: m.Experiment
) -> list[m.Candidate]:
    """The stored candidates, `deployable` where a model file was kept (the best one's
    and the top candidates' models are saved)."""
    folder = experiments_dir / experiment.name
    saved = {p.parent.name for p in folder.glob("candidates/*/model.joblib")}
    if experiment.best_candidate is not None and (folder / "model" / "model.joblib").is_file():
        saved.add(experiment.best_candidate.name)
    return [
        c.model_copy(update={"deployable": True}) if c.name in saved else c
        for c in store.candidates(experiment.name)
    ]


def artifacts(
    store: Store,
    root_dir: Path,
    output_dir: Path,
    name: str,
    display: Callable[[Path], str],
) -> m.ArtifactList:
    """Every artifact kind of experiment `name`, available where its file exists (the
    path the worker recorded, or the engine's default place under `output_dir`)."""
    recorded = store.artifacts(name)
    found = []
    for kind, (relative, title) in ARTIFACT_FILES.items():
        path = recorded.get(kind, output_dir / relative)
        available = path.is_file()
        found.append(
            m.Artifact(
                kind=kind,
                title=title,
                available=available,
                # `path` opens in JupyterLab (None outside the root); `uri` never
                # gives the server's absolute path either.
                path=api_path_or_none(root_dir, path) if available else None,
                uri=display(path) if available else None,
                size_bytes=path.stat().st_size if available else None,
            )
        )
    return m.ArtifactList(artifacts=found)
