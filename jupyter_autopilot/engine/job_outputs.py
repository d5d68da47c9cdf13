"""What Model Tuning leaves on disk: the leaderboard, the candidates' details, training
insight and saved models, and the trained model assembled from trials (`job.run_job`'s
finishing steps)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models import Candidate
from .artifact import Member, TrainedModel, save_model
from .contributions import background_sample
from .dataset import Dataset
from .features import FeatureSet
from .inputs import tolerated_texts
from .notebooks.candidates import TunedEntry
from .training_insight import write_training_insight
from .tuning import TrialResult, Tuner

if TYPE_CHECKING:
    from .job import _Run

#: Candidates whose fitted model is saved under candidates/<name>/ (for describe/deploy).
SAVED_CANDIDATES = 5


def trained_model(
    name: str,
    dataset: Dataset,
    feature_sets: dict[str, FeatureSet],
    members: list[TrialResult],
    weights: list[float],
    threshold: float | None,
    n_jobs: int,
) -> TrainedModel:
    recipes = {m.definition.recipe_name for m in members}
    return TrainedModel(
        candidate=name,
        column_types=dataset.feature_types,
        target=dataset.target,
        problem_type=dataset.problem_type,
        labels=dataset.info.labels,
        preprocessors={r: feature_sets[r].preprocessor for r in sorted(recipes)},
        members=[
            Member(
                name=m.name,
                algorithm=m.definition.algorithm,
                recipe=m.definition.recipe_name,
                estimator=m.model,
                weight=w,
            )
            for m, w in zip(members, weights, strict=True)
        ],
        threshold=threshold,
        n_jobs=n_jobs,
        tolerated_texts=tolerated_texts(dataset.frame, dataset.feature_types),
        background=background_sample(dataset.frame, dataset.used_features),
    )


def tuned_entries(
    state: dict[str, Any], completed: list[TrialResult], members: list[TrialResult]
) -> list[TunedEntry]:
    """The best trial of each definition plus the ensemble members (for the notebook)."""
    chosen: dict[str, TrialResult] = {}
    for r in completed:
        chosen.setdefault(r.definition.name, r)
    for r in members:
        chosen.setdefault(r.name, r)
    unique = {r.name: r for r in chosen.values()}
    return [
        TunedEntry(
            name=r.name,
            definition=r.definition.name,
            algorithm=r.definition.algorithm,
            recipe=r.definition.recipe_name,
            params=r.params,
            threshold=r.threshold,
            expected=float(r.objective or 0.0),
            training_curves=r.training_curves,
            training_findings=r.training_findings,
            sample=None if r.fit_rows is None else len(r.fit_rows),
        )
        for r in sorted(unique.values(), key=lambda r: r.number)
    ]


def write_leaderboard(
    run: _Run, state: dict[str, Any], ranked: list[TrialResult], best_name: str | None = None
) -> list[Candidate]:
    """Rank, mark the best, report every candidate again and write reports/leaderboard.json."""
    dataset: Dataset = state["dataset"]
    tuner: Tuner = state["tuner"]
    metric = dataset.info.metric
    candidates: list[Candidate] = []
    for rank, result in enumerate(ranked, start=1):
        candidate = result.to_candidate(metric).model_copy(
            update={
                "rank": rank,
                "is_best": result.name == best_name,
                "is_ensemble": result.definition.algorithm == "ensemble",
            }
        )
        candidates.append(candidate)
        run.reporter.candidate(candidate)
    ranked_names = {r.name for r in ranked}
    others = [r.to_candidate(metric) for r in tuner.results if r.name not in ranked_names]
    if best_name is not None:
        run.reporter.best(best_name)
    reports = run.out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "leaderboard.json").write_text(
        json.dumps(
            {
                "objective_metric": metric.value,
                "best_candidate": best_name,
                "candidates": [c.model_dump(mode="json") for c in candidates + others],
            },
            indent=2,
        )
    )
    state["leaderboard"] = candidates + others
    return candidates


def save_training_insight(out: Path, result: TrialResult) -> None:
    """Write a finished trial's curves and findings to candidates/<name>/training.json."""
    if result.training_curves or result.training_findings:
        write_training_insight(
            out / "candidates" / result.name, result.training_curves, result.training_findings
        )


def save_detail(
    out: Path, candidate: Candidate, importance: list, method: str, insights: Any
) -> None:
    from ..models import CandidateDetail

    detail = CandidateDetail(
        **candidate.model_dump(),
        feature_importance=importance,
        importance_method=method,
        insights=insights,
    )
    folder = out / "candidates" / candidate.name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "detail.json").write_text(detail.model_dump_json(indent=2))


def save_candidate_models(
    run: _Run, state: dict[str, Any], ranked: list[TrialResult], best_name: str
) -> None:
    """Save the fitted models of the top candidates, so they can be described or deployed."""
    dataset: Dataset = state["dataset"]
    feature_sets: dict[str, FeatureSet] = state["feature_sets"]
    saved, slowest = 0, 0.5
    for result in ranked:
        if saved >= SAVED_CANDIDATES or time.perf_counter() + 2 * slowest > run.deadline:
            break
        folder = run.out / "candidates" / result.name
        if result.name == best_name:
            continue  # saved as model/model.joblib, its detail precomputed
        if result.model is not None:
            model = trained_model(
                result.name,
                dataset,
                feature_sets,
                [result],
                [1.0],
                result.threshold,
                run.config.n_jobs,
            )
            valid_frame = dataset.frame.iloc[state["valid_rows"]]
            model.enable_fast_path(valid_frame.sample(min(len(valid_frame), 100), random_state=0))
        else:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        sha = save_model(model, folder / "model.joblib")
        (folder / "model.sha256").write_text(sha)
        slowest = max(slowest, time.perf_counter() - started)
        saved += 1
