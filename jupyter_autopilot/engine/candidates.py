"""Candidate definitions: a preprocessing recipe x an algorithm x a hyperparameter space.

Stage 2 of a job. The recipes are built from the training split's column statistics
(which numeric columns are skewed, which categoricals have many levels); the
definitions are ordered cheap-first and carry a few proven starting configurations
that tuning tries before sampling its search space.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Categorical columns with more distinct training values than this are encoded apart
#: (target encoding for linear models) instead of one-hot.
HIGH_CARDINALITY = 30
#: Upper bound of boosting rounds; early stopping on the validation split picks the number.
MAX_BOOSTING_ROUNDS = 3000
#: Rounds without improvement before boosting stops.
EARLY_STOPPING_ROUNDS = 60
#: Linear models have one or two hyperparameters; TPE has them pinned down by then.
LINEAR_TRIALS = 15
#: Kernel SVMs scale with the square of the rows: offered on small data only.
SVM_MAX_ROWS = 10_000
SVM_TRIALS = 20
#: A multi-layer perceptron (Autopilot's `mlp`) on small data: a smooth learner unlike the
#: trees, which blends well with them (digits, the lag features of a ridership series);
#: above this many rows its epochs cost what several boosting trials do.
MLP_MAX_ROWS = 20_000
MLP_TRIALS = 12
#: Training rows above which CatBoost joins no categories into combinations
#: (`CatBoostModel.max_ctr_complexity` 1): their target statistics cost memory per row
#: per combination, and on large data that was the job's peak (#21).
CATBOOST_SIMPLE_CTR_ROWS = 200_000
#: Training rows above which the boosting families start at learning rates of at least
#: `FAST_START_RATE` and search at least `FAST_LEARNING_RATE` (the row threshold of the
#: sampled search, `sampling.SAMPLE_ABOVE_ROWS`). There the search fits on a sample, and
#: the best sampled trials are refit on all rows within what is left of the budget: a
#: trial's rounds grow as its learning rate falls, and its refit's seconds with them. At
#: 1M rows / 180 s (bench/engine/README.md, "Tens of candidates at 1M rows"):
#: - main: the regularised LightGBM start at 0.02 took 29 s on a 21k-row sample (1,168
#:   rounds) and ranked first there; its refit on all 800k rows needed about 120 s, was
#:   cut by the deadline after 587 rounds and delivered ROC AUC 0.809;
#: - the same start at 0.05 (12 s on the sample), refit: cut after 426 rounds in 60 s,
#:   still improving, 0.815;
#: - a LightGBM refit at 0.08 (31 leaves) reached 0.817 in 55 s (runs C-E), the
#:   optimum being 0.8175: on this many rows a faster rate costs little.
FAST_START_ROWS = 200_000
FAST_START_RATE = 0.08
FAST_LEARNING_RATE = 0.05
#: Above `FAST_START_ROWS`, CatBoost's trials (on the search's sample): its start
#: configurations only. On large data it is not refit on all rows (`sampling.NOT_REFIT`),
#: so more of its trials would only take the search's time from the families that are.
CATBOOST_LARGE_TRIALS = 2


@dataclass
class Param:
    """One hyperparameter's range: `kind` is "float", "int" or "categorical"."""

    kind: str
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: list[Any] | None = None

    def describe(self) -> dict[str, Any]:
        if self.kind == "categorical":
            return {"type": "categorical", "choices": self.choices}
        return {"type": self.kind, "low": self.low, "high": self.high, "log": self.log}


@dataclass
class CandidateDefinition:
    """What tuning searches over for one pipeline family."""

    name: str
    algorithm: str
    recipe: dict[str, Any]
    space: dict[str, Param]
    fixed: dict[str, Any]  # hyperparameters that are not searched
    starts: list[dict[str, Any]]  # configurations tried first, best guess first
    description: str
    boosting: bool = False
    primary: bool = False  # tried first: usually strong and cheap
    max_trials: int | None = None  # small search spaces need few trials
    max_rounds: int | None = None  # boosting: cap on rounds (default MAX_BOOSTING_ROUNDS)
    tags: list[str] = field(default_factory=list)

    @property
    def recipe_name(self) -> str:
        return str(self.recipe["name"])

    def default_params(self) -> dict[str, Any]:
        """The first start configuration with the fixed hyperparameters (for the notebook)."""
        params = {**self.fixed, **self.starts[0]}
        if self.boosting:
            params["n_estimators"] = 300
        return params


def _is_skewed(values: pd.Series) -> bool:
    values = values.dropna()
    if values.nunique() <= 2 or len(values) < 20:
        return False
    skew = pd.Series(values.to_numpy(dtype=float)).skew()
    return bool(abs(float(skew)) > 1.0)  # type: ignore[arg-type]


def build_recipes(
    train: pd.DataFrame,
    column_types: dict[str, str],
    task: str,
    seed: int,
    holidays: dict[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The preprocessing recipes for this data, keyed by name, from the training split
    (`holidays`: datetime column -> the country whose public holidays become features)."""
    numeric = [c for c, t in column_types.items() if t == "numeric"]
    labels = [c for c, t in column_types.items() if t in ("categorical", "boolean")]
    text = [c for c, t in column_types.items() if t == "text"]
    dates = [c for c, t in column_types.items() if t == "datetime"]
    high = [c for c in labels if train[c].nunique() > HIGH_CARDINALITY]
    low = [c for c in labels if c not in high]
    skewed = [c for c in numeric if _is_skewed(train[c])]
    target_type = "continuous" if task == "regression" else task
    base = {
        "numeric": numeric,
        "skewed": skewed,
        "categorical": low,
        "high_cardinality": high,
        "text": text,
        "datetime": dates,
        "target_type": target_type,
        "seed": seed,
    }
    if holidays:
        base["holidays"] = {c: holidays[c] for c in dates if c in holidays}
    recipes = {
        # Trees need no scaling and handle missing values natively; categories become
        # integer codes, text a compact TF-IDF block, so the matrix stays dense.
        "trees": {
            **base,
            "name": "trees",
            "numeric_transform": "none",
            "categorical_encoding": "ordinal",
            "high_cardinality_encoding": "ordinal",
            "impute": False,
            "text_max_features": 200,
            "dense": True,
        },
        # Linear models: impute (with missing indicators), log the long tails, scale,
        # one-hot low-cardinality categories and target-encode the rest.
        "linear": {
            **base,
            "name": "linear",
            "numeric_transform": "standard",
            "categorical_encoding": "onehot",
            "high_cardinality_encoding": "target",
            "impute": True,
            "text_max_features": 2000,
            "dense": not text,
        },
    }
    if numeric:
        # Rank-Gauss scaling: robust to outliers and odd distributions.
        recipes["quantile"] = {
            **recipes["linear"],
            "name": "quantile",
            "numeric_transform": "quantile",
        }
    return recipes


def build_definitions(
    recipes: dict[str, dict[str, Any]],
    task: str,
    n_rows: int,
    objective: str,
    chosen: Sequence[str] = (),
) -> list[CandidateDefinition]:
    """The candidate definitions, cheap and strong first (`chosen`: the families the user
    chose, which run on any number of rows; none chosen: all, each where it suits).

    Boosting stops early on log loss (a smooth stand-in for thresholded metrics), on AUC
    when that is the objective, and on squared or absolute error for regression.
    """
    classify = task != "regression"
    big = n_rows > 5000
    auc = objective == "AUC"
    lgb_metric = {"binary": "binary_logloss", "multiclass": "multi_logloss"}.get(task, "l2")
    lgb_metric = "auc" if auc else ("l1" if objective == "MAE" else lgb_metric)
    lightgbm = CandidateDefinition(
        name="lightgbm-trees",
        algorithm="lightgbm",
        recipe=recipes["trees"],
        boosting=True,
        primary=True,
        description="Gradient-boosted trees (LightGBM, leaf-wise) on ordinal-encoded categories; "
        "rounds chosen by early stopping on the validation split.",
        fixed={"metric": lgb_metric},
        space={
            "learning_rate": Param("float", 0.01, 0.2, log=True),
            "num_leaves": Param("int", 4, 256, log=True),
            "min_child_samples": Param("int", 2, 200, log=True),
            "colsample_bytree": Param("float", 0.3, 1.0),
            "subsample": Param("float", 0.5, 1.0),
            "reg_lambda": Param("float", 1e-3, 30.0, log=True),
            "reg_alpha": Param("float", 1e-3, 10.0, log=True),
            "min_split_gain": Param("float", 1e-4, 1.0, log=True),
        },
        starts=[
            {
                "learning_rate": 0.08,
                "num_leaves": 31,
                "min_child_samples": 20,
                "colsample_bytree": 0.8,
                "subsample": 0.8,
                "reg_lambda": 1.0,
                "reg_alpha": 0.001,
                "min_split_gain": 0.0001,
            },
            # Strongly regularised: wins on noisy targets (the bank data without duration).
            {
                "learning_rate": 0.02,
                "num_leaves": 12,
                "min_child_samples": 60,
                "colsample_bytree": 0.5,
                "subsample": 0.7,
                "reg_lambda": 10.0,
                "reg_alpha": 0.1,
                "min_split_gain": 0.001,
            },
            {
                "learning_rate": 0.03,
                "num_leaves": 48,
                "min_child_samples": 40,
                "colsample_bytree": 0.6,
                "subsample": 0.8,
                "reg_lambda": 3.0,
                "reg_alpha": 0.01,
                "min_split_gain": 0.0001,
            },
            # Large trees: wins when there are many interactions and rows.
            {
                "learning_rate": 0.05,
                "num_leaves": 128,
                "min_child_samples": 5,
                "colsample_bytree": 0.7,
                "subsample": 0.9,
                "reg_lambda": 0.1,
                "reg_alpha": 0.001,
                "min_split_gain": 0.0001,
            },
        ],
    )
    xgb_metric = {"binary": "logloss", "multiclass": "mlogloss"}.get(task, "rmse")
    xgb_metric = "auc" if auc else ("mae" if objective == "MAE" else xgb_metric)
    xgboost = CandidateDefinition(
        name="xgboost-trees",
        algorithm="xgboost",
        recipe=recipes["trees"],
        boosting=True,
        primary=True,
        description="Gradient-boosted trees (XGBoost, depth-wise, histogram) on ordinal-encoded "
        "categories; rounds chosen by early stopping on the validation split.",
        fixed={"eval_metric": xgb_metric, "max_bin": 256},
        space={
            "learning_rate": Param("float", 0.01, 0.3, log=True),
            "max_depth": Param("int", 2, 12),
            "min_child_weight": Param("float", 0.5, 50.0, log=True),
            "subsample": Param("float", 0.5, 1.0),
            "colsample_bytree": Param("float", 0.3, 1.0),
            "reg_lambda": Param("float", 1e-3, 30.0, log=True),
            "reg_alpha": Param("float", 1e-3, 10.0, log=True),
            "gamma": Param("float", 1e-4, 2.0, log=True),
        },
        starts=[
            {
                "learning_rate": 0.05,
                "max_depth": 6,
                "min_child_weight": 1.0,
                "subsample": 0.8,
                "colsample_bytree": 0.8,
                "reg_lambda": 1.0,
                "reg_alpha": 0.001,
                "gamma": 0.0001,
            },
            {
                "learning_rate": 0.03,
                "max_depth": 4,
                "min_child_weight": 5.0,
                "subsample": 0.7,
                "colsample_bytree": 0.5,
                "reg_lambda": 5.0,
                "reg_alpha": 0.01,
                "gamma": 0.01,
            },
        ],
    )
    # The trees recipe puts the numbers first, then the category codes (low, then high
    # cardinality): those columns are CatBoost's categorical features.
    trees = recipes["trees"]
    first_category = len(trees["numeric"])
    categories = len(trees["categorical"]) + len(trees["high_cardinality"])
    cat_metric = "AUC" if auc else ("MAE" if objective == "MAE" else None)
    catboost = CandidateDefinition(
        name="catboost-trees",
        algorithm="catboost",
        recipe=trees,
        boosting=True,
        # A CatBoost round costs several LightGBM rounds: on larger data it starts after
        # the other boosting families' proven configurations.
        primary=not big,
        description="Gradient-boosted oblivious trees (CatBoost) with ordered target statistics "
        "for the categories; rounds chosen by early stopping on the validation split.",
        fixed={
            "cat_features": list(range(first_category, first_category + categories)),
            "iterations": MAX_BOOSTING_ROUNDS,
            "eval_metric": cat_metric,
            **({"max_ctr_complexity": 1} if n_rows > CATBOOST_SIMPLE_CTR_ROWS else {}),
        },
        space={
            "learning_rate": Param("float", 0.02, 0.3, log=True),
            "depth": Param("int", 3, 9),
            "l2_leaf_reg": Param("float", 0.5, 30.0, log=True),
            "random_strength": Param("float", 0.1, 10.0, log=True),
            "bagging_temperature": Param("float", 0.0, 1.0),
        },
        starts=[
            {
                "learning_rate": 0.08,
                "depth": 6,
                "l2_leaf_reg": 3.0,
                "random_strength": 1.0,
                "bagging_temperature": 1.0,
            },
            # Shallow and regularised: small or noisy data.
            {
                "learning_rate": 0.05,
                "depth": 4,
                "l2_leaf_reg": 10.0,
                "random_strength": 2.0,
                "bagging_temperature": 0.5,
            },
        ],
    )
    forest_space = {
        "max_features": Param("float", 0.1, 1.0),
        "min_samples_leaf": Param("int", 2 if big else 1, 40, log=True),
    }
    if classify:
        forest_space["criterion"] = Param("categorical", choices=["gini", "entropy"])
    # Fully grown forests on many rows take gigabytes; larger leaves and fewer trees keep
    # each model in the low hundreds of megabytes.
    forest_fixed = {"n_estimators": 100 if big else 300}
    forest_start: dict[str, Any] = {"max_features": 0.5, "min_samples_leaf": 3 if big else 1}
    if classify:
        forest_start["criterion"] = "gini"
    extra_trees = CandidateDefinition(
        name="extra_trees-trees",
        algorithm="extra_trees",
        recipe={**recipes["trees"], "name": "trees"},
        description="Extremely randomised trees: an averaging ensemble, diverse from boosting.",
        fixed=forest_fixed,
        space=forest_space,
        starts=[dict(forest_start)],
    )
    random_forest = CandidateDefinition(
        name="random_forest-trees",
        algorithm="random_forest",
        recipe=recipes["trees"],
        description="Random forest: bagged decision trees, robust with little tuning.",
        fixed=forest_fixed,
        space=dict(forest_space),
        starts=[dict(forest_start)],
    )
    if classify:
        linear_space = {
            "C": Param("float", 1e-4, 100.0, log=True),
            "class_weight": Param("categorical", choices=[None, "balanced"]),
        }
        linear_start: dict[str, Any] = {"C": 1.0, "class_weight": None}
        linear_name = "logistic regression"
    else:
        linear_space = {"alpha": Param("float", 1e-3, 1e3, log=True)}
        linear_start = {"alpha": 1.0}
        linear_name = "ridge regression"
    definitions = [lightgbm]
    definitions.append(
        CandidateDefinition(
            name="linear-linear",
            algorithm="linear",
            recipe=recipes["linear"],
            description=f"Regularised {linear_name} on one-hot/target-encoded categories and "
            "scaled (log-transformed when skewed) numbers.",
            fixed={},
            space=linear_space,
            starts=[linear_start],
            max_trials=LINEAR_TRIALS,
            primary=True,
        )
    )
    definitions += [xgboost, catboost, extra_trees, random_forest]
    if n_rows > FAST_START_ROWS:
        for boosted in (lightgbm, xgboost, catboost):
            _faster(boosted, FAST_START_RATE, FAST_LEARNING_RATE)
        catboost.max_trials = CATBOOST_LARGE_TRIALS
    if n_rows <= SVM_MAX_ROWS and recipes["linear"]["dense"]:
        # Small numeric tables are where a kernel method can beat trees (smooth boundaries
        # in few rows: breast cancer, digits).
        svm_space = {
            "C": Param("float", 0.01, 1000.0, log=True),
            "gamma": Param("float", 1e-4, 1.0, log=True),
        }
        svm_starts: list[dict[str, Any]] = [{"C": 1.0, "gamma": 0.01}, {"C": 10.0, "gamma": 0.001}]
        if classify:
            svm_space["class_weight"] = Param("categorical", choices=[None, "balanced"])
            for start in svm_starts:
                start["class_weight"] = None
        else:
            svm_space["epsilon"] = Param("float", 1e-3, 1.0, log=True)
            for start in svm_starts:
                start["epsilon"] = 0.1
        definitions.append(
            CandidateDefinition(
                name="svm-linear",
                algorithm="svm",
                recipe=recipes["linear"],
                description="Support vector machine with an RBF kernel on scaled numbers and "
                "one-hot categories (small data only: its cost grows with rows squared).",
                fixed={},
                space=svm_space,
                starts=svm_starts,
                max_trials=SVM_TRIALS,
            )
        )
    if n_rows <= MLP_MAX_ROWS or "mlp" in chosen:
        definitions.append(
            mlp_definition(
                "mlp-linear",
                recipes["linear"],
                MLP_DESCRIPTION
                + (" (chosen by name)." if "mlp" in chosen else " (data of up to 20,000 rows)."),
            )
        )
    if "quantile" in recipes:
        definitions.append(
            CandidateDefinition(
                name="linear-quantile",
                algorithm="linear",
                recipe=recipes["quantile"],
                description=f"Regularised {linear_name} on quantile-normalised numbers.",
                fixed={},
                space=dict(linear_space),
                starts=[dict(linear_start)],
                max_trials=LINEAR_TRIALS,
            )
        )
    if not big:
        # On a few thousand rows the smooth learners cost a second or two, while a wide
        # multiclass boosting trial can cost ten (digits: 4 trials in 60 s, all of them
        # boosting or linear): their first trials come right after the linear model's.
        smooth = [d for d in definitions if d.algorithm in ("svm", "mlp")]
        for definition in smooth:
            definition.primary = True
        rest = [d for d in definitions if d not in smooth]
        at = next(i for i, d in enumerate(rest) if d.name == "linear-linear") + 1
        definitions = rest[:at] + smooth + rest[at:]
    return definitions


MLP_DESCRIPTION = (
    "Multi-layer perceptron (ReLU, Adam, early stopping on a tenth of its rows) on scaled "
    "numbers and one-hot categories"
)


def mlp_definition(name: str, recipe: dict[str, Any], description: str) -> CandidateDefinition:
    """The perceptron family (`algorithms.EpochMLP`): its search space, start and trials,
    for the generated definitions (small data, or chosen) and a plan's `mlp` candidates
    on larger data (`plans`), so that a plan's perceptron is the same on any data."""
    return CandidateDefinition(
        name=name,
        algorithm="mlp",
        recipe=recipe,
        description=description,
        fixed={"max_iter": 200},
        space={
            "alpha": Param("float", 1e-6, 1e-1, log=True),
            "learning_rate_init": Param("float", 1e-4, 1e-2, log=True),
            "hidden_layer_sizes": Param("categorical", choices=["64", "128,64", "256,128"]),
        },
        starts=[{"alpha": 1e-4, "learning_rate_init": 1e-3, "hidden_layer_sizes": "128,64"}],
        max_trials=MLP_TRIALS,
    )


def _faster(definition: CandidateDefinition, start_rate: float, lowest: float) -> None:
    """Start `definition` at learning rates of at least `start_rate` and search at least
    `lowest` (large data: see `FAST_START_ROWS`); a start that becomes a copy of an
    earlier one is dropped."""
    space = definition.space["learning_rate"]
    definition.space["learning_rate"] = Param(
        "float", max(float(space.low or lowest), lowest), space.high, log=space.log
    )
    starts: list[dict[str, Any]] = []
    for start in definition.starts:
        faster = {**start, "learning_rate": max(float(start["learning_rate"]), start_rate)}
        if faster not in starts:
            starts.append(faster)
    definition.starts = starts


def definition_summary(definition: CandidateDefinition) -> dict[str, Any]:
    """A JSON-friendly description (for reports and the notebook)."""
    return {
        "name": definition.name,
        "algorithm": definition.algorithm,
        "preprocessing": definition.recipe_name,
        "description": definition.description,
        "fixed": definition.fixed,
        "search_space": {k: p.describe() for k, p in definition.space.items()},
        "starts": definition.starts,
    }


def json_safe(value: Any) -> Any:
    """Hyperparameter values as plain JSON types (numpy scalars -> Python)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
