"""Stage 3, feature engineering: fit each recipe once on the training split and keep the
transformed matrices, so that tuning (dozens of trials per recipe) never redoes it."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer

from .recipes import build_preprocessor, feature_source_columns


@dataclass
class FeatureSet:
    """One recipe, fitted: the preprocessor and the matrices it produced."""

    recipe: dict[str, Any]
    preprocessor: ColumnTransformer
    X_train: Any  # numpy array or scipy sparse matrix
    X_valid: Any
    sources: list[str]  # input column of each output feature
    seconds: float

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def nbytes(self) -> int:
        total = 0
        for matrix in (self.X_train, self.X_valid):
            total += int(
                getattr(matrix, "nbytes", 0) or getattr(getattr(matrix, "data", None), "nbytes", 0)
            )
        return total


#: Algorithms that keep only float32 of their input (XGBoost, CatBoost and scikit-learn's
#: trees convert it; LightGBM bins it, its bin bounds halfway between distinct values): a
#: recipe used by these alone keeps its matrices as float32, half the memory, the same models.
FLOAT32_ALGORITHMS = frozenset({"lightgbm", "xgboost", "catboost", "extra_trees", "random_forest"})


def float32_recipes(definitions: list[Any]) -> set[str]:
    """Names of the recipes only `FLOAT32_ALGORITHMS` train on (of `definitions`)."""
    users: dict[str, set[str]] = {}
    for d in definitions:
        users.setdefault(d.recipe_name, set()).add(d.algorithm)
    return {name for name, algorithms in users.items() if algorithms <= FLOAT32_ALGORITHMS}


def fit_recipe(
    recipe: dict[str, Any],
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    X_valid: pd.DataFrame,
    float32: bool = False,
) -> FeatureSet:
    """Fit one recipe on the training rows and transform both splits (dense matrices as
    float32 when `float32`: see `FLOAT32_ALGORITHMS`)."""
    started = time.perf_counter()
    preprocessor = build_preprocessor(recipe)
    with warnings.catch_warnings():
        # Quantile transforms on few rows and unseen categories warn; both are expected.
        warnings.simplefilter("ignore", UserWarning)
        train = preprocessor.fit_transform(X_train, y_train)
        valid = preprocessor.transform(X_valid)
    # Otherwise keep the matrices exactly as the pipeline passes them on (float64), so a
    # model refit in the candidate notebook with the same recipe sees the same numbers.
    if float32 and isinstance(train, np.ndarray):
        train, valid = train.astype(np.float32), np.asarray(valid).astype(np.float32)
    return FeatureSet(
        recipe=recipe,
        preprocessor=preprocessor,
        X_train=train,
        X_valid=valid,
        sources=feature_source_columns(preprocessor),
        seconds=time.perf_counter() - started,
    )


def build_feature_sets(
    recipes: dict[str, dict[str, Any]],
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    X_valid: pd.DataFrame,
    on_progress: Callable[[str, int, int], None] | None = None,
    float32: set[str] | frozenset[str] = frozenset(),
) -> dict[str, FeatureSet]:
    """Fit every recipe; `on_progress(name, done, total)` after each. The recipes named in
    `float32` keep float32 matrices (`fit_recipe`). Returned in the order of `recipes`.

    Recipes that scale or impute numbers are fitted first: their pipelines hold several
    copies of the numeric columns while fitting (at 800k rows x 11 numbers, +360 MiB),
    and fitted first they do so before the other recipes' matrices are held."""
    fitted: dict[str, FeatureSet] = {}
    order = sorted(recipes, key=lambda n: recipes[n].get("numeric_transform", "none") == "none")
    for i, name in enumerate(order):
        fitted[name] = fit_recipe(recipes[name], X_train, y_train, X_valid, name in float32)
        if on_progress is not None:
            on_progress(name, i + 1, len(recipes))
    return {name: fitted[name] for name in recipes}


def write_manifest(cache_dir: Path, feature_sets: dict[str, FeatureSet]) -> Path:
    """A small record of what was cached (the matrices themselves stay in memory)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / "features.json"
    path.write_text(
        json.dumps(
            {
                name: {
                    "rows_train": int(fs.X_train.shape[0]),
                    "rows_valid": int(fs.X_valid.shape[0]),
                    "features": fs.n_features,
                    "fit_seconds": round(fs.seconds, 3),
                    "bytes": fs.nbytes,
                }
                for name, fs in feature_sets.items()
            },
            indent=2,
        )
    )
    return path
