"""Importing SageMaker Autopilot candidate-definition notebooks and running their plans."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from engine_testdata import execute_candidate_notebook
from sklearn.datasets import load_breast_cancer
from support.autopilot_notebook import (
    BANK_CANDIDATES,
    candidate_notebook,
    dpp_module,
    write_bank_notebook,
)

from jupyter_autopilot import models as m
from jupyter_autopilot.engine import JobConfig, run_job
from jupyter_autopilot.engine.candidates import build_recipes
from jupyter_autopilot.engine.plans import plan_definitions
from jupyter_autopilot.engine.training_insight import read_training_insight
from jupyter_autopilot.exceptions import InvalidRequest, NotFound, PathNotAllowed
from jupyter_autopilot.importers import import_notebook, parse_dpp_module

NOTEBOOK = "job/SageMakerAutopilotCandidateDefinitionNotebook.ipynb"


# -- reading the notebook ---------------------------------------------------------------
def test_bank_notebook_with_generated_modules(tmp_path: Path):
    write_bank_notebook(tmp_path / "job")
    result = import_notebook(tmp_path, NOTEBOOK)
    assert (result.job_name, result.target, result.n_columns) == ("bank-autopilot", "y", 21)
    assert result.problem_type is m.ProblemType.binary
    assert result.objective_metric is m.ObjectiveMetric.F1
    assert result.data_location == "s3://autopilot-test-bucket/autopilot/bank-autopilot"
    assert result.generated_module and result.generated_module.endswith("generated_module")
    assert result.warnings == []
    by_name = {c.name: c for c in result.candidates}
    assert list(by_name) == ["dpp0-xgboost", "dpp1-xgboost", "dpp2-linear-learner"]
    # The modules list every transformer actually called, label encoder excluded.
    assert by_name["dpp2-linear-learner"].transformers == [
        "RobustImputer",
        "RobustMissingIndicator",
        "QuantileExtremeValuesTransformer",
        "ThresholdOneHotEncoder",
        "RobustPCA",
        "RobustStandardScaler",
    ]
    assert by_name["dpp0-xgboost"].local_algorithm == "xgboost"
    assert by_name["dpp2-linear-learner"].local_algorithm == "linear"
    assert by_name["dpp0-xgboost"].hyperparameter_ranges["eta"].scaling == "Logarithmic"
    assert any("RobustPCA" in n for n in by_name["dpp1-xgboost"].notes)
    assert not any("RobustPCA" in n for n in by_name["dpp0-xgboost"].notes)
    assert "Here is the definition" not in by_name["dpp0-xgboost"].description

    plan = result.plan
    assert plan is not None and [c.name for c in plan.candidates] == list(by_name)
    xgb = plan.candidates[0]
    assert xgb.max_boosting_rounds == 512  # num_round's upper bound
    assert set(xgb.search_space) == {
        "learning_rate",
        "max_depth",
        "min_child_weight",
        "subsample",
        "colsample_bytree",
        "reg_lambda",
        "reg_alpha",
        "gamma",
    }
    assert xgb.search_space["max_depth"].high == 8 and xgb.search_space["max_depth"].log
    assert xgb.recipe.min_frequency == 301 and not xgb.recipe.impute
    linear = plan.candidates[2]
    assert linear.recipe.impute and linear.recipe.log_skewed
    assert linear.recipe.numeric_transform == "standard"
    assert linear.search_space["class_weight"].choices == [None, "balanced"]
    assert plan.column_types["job"] == "categorical" and plan.column_types["age"] == "numeric"
    assert "y" not in plan.column_types


def test_notebook_alone_is_read_from_its_descriptions(tmp_path: Path):
    write_bank_notebook(tmp_path / "job", modules=False)
    result = import_notebook(tmp_path, NOTEBOOK)
    assert result.generated_module is None
    assert any("generated data-processing modules" in w for w in result.warnings)
    dpp2 = result.candidates[2]
    assert "QuantileExtremeValuesTransformer" in dpp2.transformers
    assert result.plan is not None and result.plan.column_types == {}


def test_unsupported_algorithms_are_listed_but_not_planned(tmp_path: Path):
    folder = tmp_path / "job"
    folder.mkdir()
    candidates = [
        ("dpp0", "xgboost", ["RobustImputer", "ThresholdOneHotEncoder"]),
        ("dpp1", "catboost", ["RobustImputer"]),
    ]
    (folder / "SageMakerAutopilotCandidateDefinitionNotebook.ipynb").write_text(
        candidate_notebook(candidates=candidates, problem="Regression", metric="MSE")
    )
    result = import_notebook(tmp_path, NOTEBOOK)
    assert result.problem_type is m.ProblemType.regression
    assert result.objective_metric is m.ObjectiveMetric.MSE
    catboost = result.candidates[1]
    assert catboost.local_algorithm is None and "no local equivalent" in catboost.notes[0]
    assert result.plan is not None and [c.name for c in result.plan.candidates] == ["dpp0-xgboost"]


@pytest.mark.parametrize(
    ("write", "error", "message"),
    [
        (lambda p: p.write_text("not json"), InvalidRequest, "is not a Jupyter notebook"),
        (
            lambda p: p.write_text(json.dumps(nbformat.v4.new_notebook())),
            InvalidRequest,
            "no automl_interactive_runner.select_candidate",
        ),
        (
            lambda p: p.write_text(
                candidate_notebook().replace("is used as\\nthe target column", "is the label")
            ),
            InvalidRequest,
            "does not say which column is the target",
        ),
    ],
)
def test_bad_notebooks_say_what_is_wrong(tmp_path: Path, write, error, message):
    path = tmp_path / "x.ipynb"
    write(path)
    with pytest.raises(error, match=message):
        import_notebook(tmp_path, "x.ipynb")


def test_bad_paths(tmp_path: Path):
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    with pytest.raises(NotFound):
        import_notebook(tmp_path, "missing.ipynb")
    with pytest.raises(InvalidRequest, match=r"not a notebook \(\.ipynb\)"):
        import_notebook(tmp_path, "data.csv")
    with pytest.raises(PathNotAllowed):
        import_notebook(tmp_path / "data.csv", "../elsewhere.ipynb")


def test_dpp_module_parsing():
    source = dpp_module(
        ["y", "a", "b"], "y", ["a"], ["b"], ["RobustImputer", "ThresholdOneHotEncoder"], 12
    )
    module = parse_dpp_module(source)
    assert module is not None
    assert module.columns == ["y", "a", "b"] and module.target == "y"
    assert module.groups == {"numeric": ["a"], "categorical": ["b"]}
    assert module.arguments["ThresholdOneHotEncoder"] == {"threshold": 12}
    assert parse_dpp_module("def f(:\n") is None
    assert parse_dpp_module("x = 1\n") is None


# -- plans become candidate definitions --------------------------------------------------
def test_plan_definitions_share_identical_recipes_and_clamp_starts(tmp_path: Path):
    write_bank_notebook(tmp_path / "job")
    plan = import_notebook(tmp_path, NOTEBOOK).plan
    assert plan is not None
    import pandas as pd

    frame = pd.DataFrame(
        {
            "age": [30.0, 40.0, 50.0] * 10,
            "job": ["a", "b", "c"] * 10,
            "pdays": [1.0, 2.0, 999.0] * 10,
        }
    )
    types = {"age": "numeric", "job": "categorical", "pdays": "numeric"}
    recipes, definitions = plan_definitions(
        plan, build_recipes(frame, types, "binary", 0), "binary", 30, "F1"
    )
    assert [d.name for d in definitions] == [f"{dpp}-{algo}" for dpp, algo, _ in BANK_CANDIDATES]
    # dpp0 and dpp1 differ only by RobustPCA (not reproduced): one recipe, fitted once.
    assert definitions[0].recipe is definitions[1].recipe
    assert set(recipes) == {"dpp0", "dpp2"}
    xgb = definitions[0]
    assert xgb.max_rounds == 512 and xgb.boosting
    for start in xgb.starts:
        assert 2 <= start["max_depth"] <= 8 and 1e-6 <= start["reg_lambda"] <= 2.0
    assert xgb.fixed["eval_metric"] == "logloss"  # the family's early-stopping metric
    linear = definitions[2]
    assert set(linear.space) == {"C", "class_weight"}
    assert recipes["dpp2"]["numeric_transform"] == "standard" and recipes["dpp2"]["impute"]
    assert recipes["dpp0"]["skewed"] == [] and not recipes["dpp0"]["impute"]


def test_plan_with_unknown_hyperparameter_is_rejected():
    with pytest.raises(ValueError, match="xgboost has no hyperparameter eta"):
        m.PlannedCandidate(
            name="x",
            algorithm="xgboost",
            recipe=m.PlannedRecipe(),
            search_space={"eta": m.PlannedParam(kind="float", low=0.01, high=0.3)},
        )
    with pytest.raises(ValueError, match="low > 0"):
        m.PlannedParam(kind="float", low=0, high=1, log=True)


# -- running a plan ----------------------------------------------------------------------
@pytest.mark.timeout(600)
def test_plan_runs_and_the_notebook_reproduces_it(tmp_path: Path):
    """xgboost, linear and MLP candidates from a plan: trained, and rebuilt by the notebook."""
    frame = load_breast_cancer(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "malignant", 1: "benign"})
    frame.to_csv(tmp_path / "cancer.csv", index=False)
    plan = m.CandidatePlan(
        source="test",
        candidates=[
            m.PlannedCandidate(
                name="dpp0-xgboost",
                algorithm="xgboost",
                recipe=m.PlannedRecipe(),
                search_space={"max_depth": m.PlannedParam(kind="int", low=2, high=4)},
                max_boosting_rounds=200,
            ),
            m.PlannedCandidate(
                name="dpp1-linear-learner",
                algorithm="linear",
                recipe=m.PlannedRecipe(impute=True, numeric_transform="standard"),
            ),
            m.PlannedCandidate(
                name="dpp2-mlp",
                algorithm="mlp",
                recipe=m.PlannedRecipe(impute=True, numeric_transform="standard"),
                search_space={
                    "learning_rate_init": m.PlannedParam(
                        kind="float", low=1e-3, high=1e-2, log=True
                    )
                },
            ),
        ],
    )
    config = JobConfig(
        data_path=tmp_path / "cancer.csv",
        output_dir=tmp_path / "out",
        target="target",
        objective_metric=m.ObjectiveMetric.AUC,
        max_candidates=6,
        max_job_runtime_seconds=40,
        candidate_plan=plan,
    )
    result = run_job(config)
    finished = [c for c in result.candidates if c.objective_value is not None]
    families = {c.algorithm for c in finished}
    assert {"xgboost", "linear", "mlp"} <= families <= {"xgboost", "linear", "mlp", "ensemble"}
    planned = ("dpp0-xgboost", "dpp1-linear-learner", "dpp2-mlp")
    assert all(c.name.startswith((*planned, "ensemble", "bagged")) for c in finished)
    # Auto mode bags the chosen model on these 569 rows: a blend of the plan's own trials.
    bagged = [c for c in finished if c.name.startswith("bagged")]
    assert all(
        name.startswith((*planned, "ensemble"))
        for c in bagged
        for name in c.hyperparameters["members"]
    )
    xgb = [c for c in finished if c.algorithm == "xgboost"]
    assert all(2 <= c.hyperparameters["max_depth"] <= 4 for c in xgb)
    assert all(c.hyperparameters["n_estimators"] <= 200 for c in xgb)
    assert max(c.objective_value or 0 for c in finished) > 0.97

    # MLP trials train epoch by epoch: their per-epoch losses are a learning curve.
    for mlp in (c for c in finished if c.algorithm == "mlp"):
        [curve], _ = read_training_insight(config.output_dir / "candidates" / mlp.name)
        assert curve.metric == "logloss" and curve.goal == "minimize"
        assert len(curve.iterations) >= 2 and curve.best_iteration in curve.iterations
        assert curve.train[-1] < curve.train[0]
        assert curve.train_rows == 455 - 46  # the training split less the 10% held out

    _, reproduced = execute_candidate_notebook(config.output_dir / "candidate_definitions.ipynb")
    for family in ("xgboost", "linear", "mlp"):
        best = max(
            (c for c in finished if c.algorithm == family), key=lambda c: c.objective_value or 0
        )
        assert reproduced[best.name]["reproduced"] == pytest.approx(best.objective_value, abs=0.002)
    for c in bagged:
        assert reproduced[c.name]["reproduced"] == pytest.approx(c.objective_value, abs=0.002)


@pytest.mark.timeout(600)
def test_imported_bank_notebook_reruns_locally(tmp_path: Path, bank_sample_csv: Path):
    """The importer's plan, end to end on the tutorial data: the notebook's candidates only,
    with the generated modules' column types."""
    write_bank_notebook(tmp_path / "job")
    imported = import_notebook(tmp_path, NOTEBOOK)
    config = JobConfig(
        data_path=bank_sample_csv,
        output_dir=tmp_path / "out",
        target=imported.target,
        problem_type=imported.problem_type,
        objective_metric=imported.objective_metric,
        max_candidates=6,
        max_job_runtime_seconds=30,
        candidate_plan=imported.plan,
    )
    result = run_job(config)
    finished = [c for c in result.candidates if c.objective_value is not None]
    assert {c.algorithm for c in finished} <= {"xgboost", "linear", "ensemble"}
    assert any(c.name.startswith("dpp0-xgboost") for c in finished)
    assert any(c.name.startswith("dpp2-linear-learner") for c in finished)
    assert result.objective_metric is m.ObjectiveMetric.F1
    assert result.best_objective_value is not None and result.best_objective_value > 0.4
    notebook = nbformat.read(config.output_dir / "candidate_definitions.ipynb", as_version=4)
    text = "\n".join(c.source for c in notebook.cells)
    assert "dpp2-linear-learner" in text and "Autopilot candidate dpp0-xgboost" in text
