"""End-to-end runs of the four stages with small trial budgets (capped in trials, not seconds)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from engine_testdata import execute_candidate_notebook, mixed_frame
from sklearn import datasets

from jupyter_autopilot.engine import (
    JobConfig,
    RecordingReporter,
    describe_candidate,
    load_model,
    run_job,
)
from jupyter_autopilot.models import (
    ArtifactKind,
    CandidateStatus,
    ObjectiveMetric,
    ProblemType,
    RunMode,
    StageName,
    StageStatus,
)
from jupyter_autopilot.models.common import CANDIDATE_NAME_PATTERN

STAGES = list(StageName)


def _stage_events(reporter: RecordingReporter) -> list[tuple[StageName, StageStatus]]:
    return [(e[1], e[2]) for e in reporter.events if e[0] == "stage"]


def _assert_stages_in_order(
    reporter: RecordingReporter, final: dict[StageName, StageStatus]
) -> None:
    events = _stage_events(reporter)
    seen = []
    for stage, _ in events:
        if not seen or seen[-1] != stage:
            seen.append(stage)
    assert seen == [s for s in STAGES if s in seen], seen  # never goes back to an earlier stage
    for stage, status in final.items():
        statuses = reporter.stage_statuses(stage)
        assert statuses[-1] is status, (stage, statuses)
        if status is StageStatus.done:
            assert statuses[0] is StageStatus.running


def test_mixed_run_reports_every_stage_and_candidate(mixed_run) -> None:
    config, reporter, result = mixed_run
    _assert_stages_in_order(reporter, dict.fromkeys(STAGES, StageStatus.done))
    assert reporter.problem_type is ProblemType.binary and reporter.metric is ObjectiveMetric.F1
    trials = [c for c in result.candidates if not c.is_ensemble]
    assert len(trials) == config.max_candidates
    algorithms = {c.algorithm for c in trials}
    assert {"lightgbm", "xgboost", "catboost", "linear"} <= algorithms and algorithms & {
        "extra_trees",
        "random_forest",
    }
    import re

    for c in result.candidates:
        assert re.match(CANDIDATE_NAME_PATTERN, c.name)
        if c.status is CandidateStatus.Completed:
            assert c.objective_value == c.metrics["F1"] and "AUC" in c.train_metrics
            assert c.duration_seconds is not None and c.started_at and c.ended_at
            assert c.definition and c.preprocessing
    # Each trial was reported as started, then with its outcome.
    assert all(reporter.candidates[c.name].status is not CandidateStatus.InProgress for c in trials)
    best = [c for c in result.candidates if c.is_best]
    assert len(best) == 1 and best[0].name == result.best_candidate == reporter.best_name
    assert best[0].rank == 1
    # Small data: the delivered model is the chosen one refitted by 5-fold bagging, scored
    # out of fold on every row; the trials after it rank by their validation score.
    assert best[0].name.startswith("bagged-") and best[0].is_ensemble
    assert best[0].hyperparameters["folds"] == 5
    values = [c.objective_value for c in result.candidates if c.rank is not None]
    assert values[1:] == sorted(values[1:], reverse=True)
    assert set(result.stage_seconds) == {s.value for s in STAGES}
    # Every artifact of a tabular job (the log is the server's; backtest results are
    # SageMaker forecasting's).
    for kind in set(ArtifactKind) - {ArtifactKind.log, ArtifactKind.backtest_results}:
        assert reporter.artifacts[kind].is_file(), kind


def test_mixed_run_outputs(mixed_run) -> None:
    config, _, result = mixed_run
    out = config.output_dir
    card = json.loads((out / "model" / "model_card.json").read_text())
    assert card["sha256"] == result.model_sha256 and card["target"] == "label"
    assert [i["name"] for i in card["inputs"]] == ["x1", "x2", "city", "color", "review", "signup"]
    assert sorted(card["labels"]) == ["bad", "good"] and "lightgbm" in card["versions"]
    model = load_model(result.model_path, result.model_sha256)
    assert model.feature_columns == ["x1", "x2", "city", "color", "review", "signup"]
    explain = json.loads((out / "reports" / "explainability.json").read_text())
    top = [f["feature"] for f in explain["feature_importance"][:3]]
    assert "x1" in top  # the strongest generated signal
    assert card["validation_rows"] == 600 and "out-of-fold" in card["validation"]
    insights = json.loads((out / "reports" / "model_insights.json").read_text())
    # From the bagged model's out-of-fold predictions: every row, none seen by its model.
    assert sum(map(sum, insights["confusion_matrix"]["matrix"])) == 600
    assert 0.5 < insights["roc_curve"]["area"] <= 1.0
    assert insights["decision_threshold"] is not None
    html = (out / "reports" / "model_insights.html").read_text()
    assert "<script" not in html


def test_describe_best_and_other_candidates(mixed_run) -> None:
    config, _, result = mixed_run
    best = describe_candidate(config.output_dir, result.best_candidate)
    assert best.is_best and best.feature_importance and best.insights is not None
    others = [c for c in result.candidates if c.rank and not c.is_best]
    saved = [
        c for c in others if (config.output_dir / "candidates" / c.name / "model.joblib").is_file()
    ]
    assert saved, "the top candidates' models are kept for describe/deploy"
    detail = describe_candidate(config.output_dir, saved[0].name)
    assert detail.insights is not None and detail.insights.metrics["F1"] == pytest.approx(
        saved[0].objective_value, abs=1e-9
    )
    assert detail.importance_method in {"shap", "permutation"}
    assert (config.output_dir / "candidates" / saved[0].name / "detail.json").is_file()
    from jupyter_autopilot.exceptions import NotFound

    with pytest.raises(NotFound):
        describe_candidate(config.output_dir, "no-such-candidate")


def test_candidate_notebook_reproduces_the_leaderboard(mixed_run) -> None:
    config, _, result = mixed_run
    notebook, reproduced = execute_candidate_notebook(
        config.output_dir / "candidate_definitions.ipynb"
    )
    leaderboard = {c.name: c.objective_value for c in result.candidates}
    assert len(reproduced) >= 5  # the best of each definition (and the ensemble, if any)
    assert any(name.startswith("catboost-") for name in reproduced)
    assert result.best_candidate in reproduced  # the bagged model's out-of-fold metric
    for name, row in reproduced.items():
        assert row["reproduced"] == pytest.approx(leaderboard[name], abs=0.002), name
    # Training insight: a Vega-Lite chart per recorded learning curve, and a summary table.
    [training] = [c for c in notebook.cells if "TRAINING_CURVES = " in c.source]
    charts = [
        o["data"]["application/vnd.vegalite.v5+json"]
        for o in training.outputs
        if o["output_type"] == "display_data"
    ]
    curved = {  # boosting (per round) and the perceptron (per epoch)
        c.name
        for c in result.candidates
        if c.algorithm in ("lightgbm", "xgboost", "catboost", "mlp")
    }
    titled = {chart["title"].split(":")[0] for chart in charts}
    assert titled and titled <= curved
    assert all(len(chart["layer"]) == 2 for chart in charts)  # curves + the iteration kept
    assert not [o for o in training.outputs if o["output_type"] == "error"]


def test_notebooks_are_valid_and_safe(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "<img src=x onerror=alert(1)>": [1.0, 2.0, 3.0, 4.0] * 10,
            "note": ["<script>alert('x')</script>", "$x^2$ *bold* [link](http://e.vil)", "a", "b"]
            * 10,
            "y": ["yes", "no"] * 20,
        }
    )
    path = tmp_path / "evil.csv"
    frame.to_csv(path, index=False)
    config = JobConfig(data_path=path, output_dir=tmp_path / "out", target="y", mode=RunMode.pilot)
    run_job(config)
    for name in ("data_exploration.ipynb", "candidate_definitions.ipynb"):
        notebook = nbformat.read(config.output_dir / name, as_version=4)
        nbformat.validate(notebook)
        text = (config.output_dir / name).read_text()
        assert str(tmp_path) not in text  # no absolute paths: the data path is relative
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                assert "<script" not in cell.source and "<img" not in cell.source
                assert "](http" not in cell.source
    exploration = nbformat.read(config.output_dir / "data_exploration.ipynb", as_version=4)
    sources = "\n".join(c.source for c in exploration.cells)
    for heading in (
        "Dataset summary",
        "Columns",
        "Missing values",
        "Target",
        "Correlations",
        "Warnings",
    ):
        assert heading in sources


def test_pilot_stops_after_candidate_definitions(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    mixed_frame(200).to_csv(path, index=False)
    reporter = RecordingReporter()
    config = JobConfig(
        data_path=path, output_dir=tmp_path / "out", target="label", mode=RunMode.pilot
    )
    result = run_job(config, reporter)
    _assert_stages_in_order(
        reporter,
        {
            StageName.pre_processing: StageStatus.done,
            StageName.candidate_definitions: StageStatus.done,
            StageName.feature_engineering: StageStatus.skipped,
            StageName.model_tuning: StageStatus.skipped,
        },
    )
    assert reporter.stage_statuses(StageName.model_tuning) == [StageStatus.skipped]
    assert not reporter.candidates and result.model_path is None and result.best_candidate is None
    assert set(reporter.artifacts) == {
        ArtifactKind.data_exploration_notebook,
        ArtifactKind.candidate_definitions_notebook,
    }
    notebook = nbformat.read(config.output_dir / "candidate_definitions.ipynb", as_version=4)
    assert "RUN_DEFAULTS = True" in "\n".join(c.source for c in notebook.cells)


def _sklearn_csv(name: str, folder: Path) -> Path:
    bunch = getattr(datasets, f"load_{name}")(as_frame=True)
    path = folder / f"{name}.csv"
    bunch.frame.to_csv(path, index=False)
    return path


def test_multiclass_wine(tmp_path: Path) -> None:
    reporter = RecordingReporter()
    config = JobConfig(
        data_path=_sklearn_csv("wine", tmp_path),
        output_dir=tmp_path / "out",
        target="target",
        # LightGBM, the linear learner and the SVM (small data: the smooth learners come
        # next), bagged and blended. Every candidate is perfect on these 178 separable
        # rows, so CatBoost ran its 3,000 rounds in each of the five folds it was bagged
        # in: 40 of the test's 50 s of CPU.
        max_candidates=3,
    )
    result = run_job(config, reporter)
    assert (
        result.problem_type is ProblemType.multiclass
        and result.objective_metric is ObjectiveMetric.Accuracy
    )
    assert result.labels == ["0", "1", "2"]
    assert result.best_objective_value is not None and result.best_objective_value > 0.85
    algorithms = {c.algorithm for c in result.candidates if c.objective_value is not None}
    assert {"lightgbm", "linear", "svm"} <= algorithms
    assert any(c.definition == "bagged" for c in result.candidates)
    model = load_model(result.model_path, result.model_sha256)
    frame = pd.read_csv(config.data_path).drop(columns="target")
    proba = model.predict_proba(frame.head(5))
    assert proba.shape == (5, 3) and abs(proba.sum(axis=1) - 1).max() < 1e-6
    assert set(model.predict(frame)) <= {"0", "1", "2"}
    insights = json.loads((config.output_dir / "reports" / "model_insights.json").read_text())
    assert len(insights["confusion_matrix"]["matrix"]) == 3


def test_regression_diabetes(tmp_path: Path) -> None:
    config = JobConfig(
        data_path=_sklearn_csv("diabetes", tmp_path),
        output_dir=tmp_path / "out",
        target="target",
        max_candidates=7,
    )
    result = run_job(config)
    assert (
        result.problem_type is ProblemType.regression
        and result.objective_metric is ObjectiveMetric.MSE
    )
    best = next(c for c in result.candidates if c.is_best)
    assert best.metrics["R2"] > 0.3 and best.objective_value == best.metrics["MSE"]
    model = load_model(result.model_path, result.model_sha256)
    rows = pd.read_csv(config.data_path).head(3)
    predictions = model.predict(rows)
    assert predictions.dtype.kind == "f" and predictions.shape == (3,)
    # The compiled serving path is on for a regressor too (a one-column check of single
    # rows against the batch's flat predictions once failed it for every regressor), and
    # agrees row by row.
    assert model.fast_path
    assert model.predict(rows.iloc[[1]])[0] == pytest.approx(predictions[1], rel=1e-9)
    insights = json.loads((config.output_dir / "reports" / "model_insights.json").read_text())
    assert len(insights["residuals"]["actual"]) == len(insights["residuals"]["predicted"]) > 50


def test_bank_end_to_end_small_budget(bank_csv: Path, tmp_path: Path) -> None:
    reporter = RecordingReporter()
    config = JobConfig(
        data_path=bank_csv,
        output_dir=tmp_path / "out",
        target="y",
        max_candidates=5,
        experiment_name="tutorial-autopilot",
    )
    result = run_job(config, reporter)
    _assert_stages_in_order(reporter, dict.fromkeys(STAGES, StageStatus.done))
    best = next(c for c in result.candidates if c.is_best)
    assert best.metrics["AUC"] >= 0.94  # with `duration`
    assert any(w.column == "duration" for w in reporter.data_warnings)
    model = load_model(result.model_path, result.model_sha256)
    rows = pd.read_csv(bank_csv, sep=";").head(200)
    assert set(model.predict(rows)) <= {"yes", "no"}
    assert model.labels == ["no", "yes"]


class StopAfter(RecordingReporter):
    """Presses Stop once `n` trials have completed, and records when and which trials
    started after it."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n
        self.stopped_at: float | None = None
        self.started_after_stop: list[str] = []

    def candidate(self, candidate) -> None:
        if (
            self.stopped_at is not None
            and candidate.status is CandidateStatus.InProgress
            and candidate.name not in self.candidates
        ):
            self.started_after_stop.append(candidate.name)
        super().candidate(candidate)
        done = sum(c.status is CandidateStatus.Completed for c in self.candidates.values())
        if done >= self.n and self.stopped_at is None:
            self.stopped_at = time.perf_counter()
            self.request_stop()


def test_stop_mid_tuning_keeps_finished_trials_and_saves_the_best(
    bank_sample_csv: Path, tmp_path: Path
) -> None:
    reporter = StopAfter(3)
    config = JobConfig(
        data_path=bank_sample_csv, output_dir=tmp_path / "out", target="y", max_candidates=50
    )
    result = run_job(config, reporter)
    ended = time.perf_counter()
    assert result.stopped
    # Stop is honoured at once: no trial starts after it (what remains is finishing the
    # model; the bound only catches a hang, timings on a shared machine vary).
    assert reporter.stopped_at is not None and reporter.started_after_stop == []
    assert ended - reporter.stopped_at < 60.0
    completed = [
        c for c in result.candidates if c.status is CandidateStatus.Completed and not c.is_ensemble
    ]
    assert len(completed) >= 3 and len(result.candidates) < 50
    assert result.model_path is not None and result.model_path.is_file()
    assert result.best_candidate in {c.name for c in result.candidates}
    assert reporter.stage_statuses(StageName.model_tuning)[-1] is StageStatus.done
    assert load_model(result.model_path, result.model_sha256).predict(
        pd.read_csv(bank_sample_csv, sep=";").head(3)
    ).shape == (3,)


def test_stop_before_tuning_skips_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    mixed_frame(200).to_csv(path, index=False)
    reporter = RecordingReporter()
    reporter.request_stop()
    result = run_job(
        JobConfig(data_path=path, output_dir=tmp_path / "out", target="label"), reporter
    )
    assert result.stopped and result.model_path is None
    assert reporter.stage_statuses(StageName.model_tuning)[-1] is StageStatus.skipped


def test_config_from_experiment_spec(tmp_path: Path) -> None:
    from jupyter_autopilot.models import Budget, ExperimentSpec

    spec = ExperimentSpec(
        name="tutorial-autopilot",
        input_uri="bank-additional/bank-additional-full.csv",
        target="y",
        exclude_columns=["duration"],
        mode=RunMode.pilot,
        objective_metric=ObjectiveMetric.AUC,
        validation_fraction=0.25,
        seed=7,
    )
    budget = Budget(max_candidates=20, max_trial_runtime_seconds=60, max_job_runtime_seconds=600)
    config = JobConfig.from_spec(spec, budget, tmp_path / "data.csv", tmp_path / "out", n_jobs=1)
    assert config.target == "y" and config.exclude_columns == ["duration"]
    assert config.mode is RunMode.pilot and config.objective_metric is ObjectiveMetric.AUC
    assert (
        config.max_candidates,
        config.max_trial_runtime_seconds,
        config.max_job_runtime_seconds,
    ) == (20, 60, 600)
    assert config.validation_fraction == 0.25 and config.seed == 7 and config.n_jobs == 1
    assert config.experiment_name == "tutorial-autopilot"


def test_bank_without_duration_is_realistic(bank_sample_csv: Path, tmp_path: Path) -> None:
    """Excluding the post-outcome column: no leakage warning, and a useful (not perfect) model.

    On the 4,000-row sample three candidates reach about 0.80 ROC AUC without `duration`
    and 0.94 with it, so the range below tells the leak from its absence. The tutorial's
    own figure (0.80 on all rows in 120 s) is the engine benchmark's `bank_no_duration`."""
    reporter = RecordingReporter()
    config = JobConfig(
        data_path=bank_sample_csv,
        output_dir=tmp_path / "out",
        target="y",
        exclude_columns=["duration"],
        objective_metric=ObjectiveMetric.AUC,
        max_candidates=3,
    )
    result = run_job(config, reporter)
    assert not [
        w for w in reporter.data_warnings if w.code in {"target_leakage", "post_outcome_feature"}
    ]
    best = next(c for c in result.candidates if c.is_best)
    assert 0.72 <= best.metrics["AUC"] < 0.88
    model = load_model(result.model_path, result.model_sha256)
    assert "duration" not in model.feature_columns


def test_repeated_and_missing_header_names_train_and_reproduce(tmp_path: Path) -> None:
    """A header with a repeated name and an unnamed index column (pandas' `to_csv()`):
    the engine names them, trains, and the candidate notebook reads the file the same way."""
    frame = mixed_frame(300)[["x1", "x2", "color", "label"]]
    frame.columns = ["x", "x", "color", "label"]
    path = tmp_path / "renamed.csv"
    frame.to_csv(path)  # the index comes first, with an empty name
    config = JobConfig(
        data_path=path, output_dir=tmp_path / "out", target="label", max_candidates=2
    )
    result = run_job(config)
    model = load_model(result.model_path, result.model_sha256)
    assert set(model.feature_columns) <= {"column_1", "x", "x_2", "color"}
    assert {"x", "x_2"} <= set(model.feature_columns)
    _, reproduced = execute_candidate_notebook(config.output_dir / "candidate_definitions.ipynb")
    leaderboard = {c.name: c.objective_value for c in result.candidates}
    for name, row in reproduced.items():
        assert row["reproduced"] == pytest.approx(leaderboard[name], abs=0.002), name
