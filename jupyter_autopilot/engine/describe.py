"""`describe_candidate`: feature importance, model insights and training insight of a candidate."""

from __future__ import annotations

import json
from pathlib import Path

from ..exceptions import NotFound
from ..models import Candidate, CandidateDetail
from .artifact import load_model
from .explain import feature_importance, model_insights
from .job import validation_data
from .training_insight import read_training_insight
from .weights import saved_validation_weights


def describe_candidate(output_dir: Path, candidate_name: str) -> CandidateDetail:
    """A candidate with its feature importance, validation insights and training insight.

    Importance and insights are precomputed for the best candidate; computed on first
    request (then cached in `candidates/<name>/detail.json`) for other candidates whose
    fitted model was saved; absent for candidates without a saved model. The learning
    curves and rule findings recorded during tuning (`candidates/<name>/training.json`)
    are added to every candidate that has them, saved model or not.
    Raises `NotFound` for unknown names or when the job has not tuned anything yet.
    """
    detail = _describe(Path(output_dir), candidate_name)
    curves, findings = read_training_insight(Path(output_dir) / "candidates" / candidate_name)
    return detail.model_copy(update={"training_curves": curves, "training_findings": findings})


def _describe(output_dir: Path, candidate_name: str) -> CandidateDetail:
    leaderboard = output_dir / "reports" / "leaderboard.json"
    if not leaderboard.is_file():
        raise NotFound("This experiment has no candidates yet; model tuning has not run.")
    entries = json.loads(leaderboard.read_text())["candidates"]
    found = next((e for e in entries if e["name"] == candidate_name), None)
    if found is None:
        raise NotFound(f"No candidate named {candidate_name!r} in this experiment.")
    candidate = Candidate.model_validate(found)
    folder = output_dir / "candidates" / candidate_name
    cached = folder / "detail.json"
    if cached.is_file():
        return CandidateDetail.model_validate_json(cached.read_text())
    model_file = folder / "model.joblib"
    if not model_file.is_file():
        return CandidateDetail(**candidate.model_dump())
    sha_file = folder / "model.sha256"
    model = load_model(model_file, sha_file.read_text().strip() if sha_file.is_file() else None)
    frame, y = validation_data(output_dir)
    importance, method = feature_importance(model, frame, y)
    insights = model_insights(model, frame, y, sample_weight=saved_validation_weights(output_dir))
    detail = CandidateDetail(
        **candidate.model_dump(),
        feature_importance=importance,
        importance_method=method,
        insights=insights,
    )
    cached.write_text(detail.model_dump_json(indent=2))
    return detail
