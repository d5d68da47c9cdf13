"""Estimators by name: the algorithm half of a candidate.

Like `recipes`, this module depends only on numpy, scikit-learn, LightGBM and XGBoost
and its source is embedded in the candidate definitions notebook, so the notebook and
the engine build identical models from the same hyperparameters.
"""

from __future__ import annotations

from typing import Any

ALGORITHMS = ("lightgbm", "xgboost", "extra_trees", "random_forest", "linear", "svm", "mlp")


def make_estimator(
    algorithm: str, params: dict[str, Any], task: str, seed: int = 0, n_jobs: int = 2
) -> Any:
    """An unfitted estimator.

    `task` is "binary", "multiclass" or "regression"; class targets must be encoded as
    0..K-1 integers. `params` are the tuned hyperparameters (for boosting, `n_estimators`
    is the number of rounds to train, found by early stopping during tuning).
    """
    params = dict(params)
    classify = task != "regression"
    if algorithm == "lightgbm":
        import lightgbm as lgb

        cls = lgb.LGBMClassifier if classify else lgb.LGBMRegressor
        # deterministic + row-wise histograms: the same model for the same data and seed,
        # which the candidate notebook relies on to reproduce leaderboard metrics.
        return cls(
            random_state=seed,
            n_jobs=n_jobs,
            verbose=-1,
            deterministic=True,
            force_row_wise=True,
            subsample_freq=1,
            **params,
        )
    if algorithm == "xgboost":
        import xgboost as xgb

        cls = xgb.XGBClassifier if classify else xgb.XGBRegressor
        return cls(tree_method="hist", random_state=seed, n_jobs=n_jobs, verbosity=0, **params)
    if algorithm in ("extra_trees", "random_forest"):
        from sklearn import ensemble

        name = ("ExtraTrees" if algorithm == "extra_trees" else "RandomForest") + (
            "Classifier" if classify else "Regressor"
        )
        return getattr(ensemble, name)(random_state=seed, n_jobs=n_jobs, **params)
    if algorithm == "linear":
        from sklearn.linear_model import LogisticRegression, Ridge

        if classify:
            return LogisticRegression(max_iter=params.pop("max_iter", 500), **params)
        return Ridge(random_state=seed, **params)
    if algorithm == "svm":
        from sklearn.svm import SVC, SVR

        if classify:
            # Platt-scaled probabilities (seeded internal cross-validation): monotone in
            # the decision function, so AUC is that of the margin.
            return SVC(probability=True, random_state=seed, cache_size=500, **params)
        return SVR(cache_size=500, **params)
    if algorithm == "mlp":
        from sklearn.neural_network import MLPClassifier, MLPRegressor

        # Layer widths travel as text ("128,64") so a search space can hold them.
        sizes = params.pop("hidden_layer_sizes", "128,64")
        if isinstance(sizes, str):
            sizes = tuple(int(s) for s in sizes.split(",") if s.strip())
        cls = MLPClassifier if classify else MLPRegressor
        # Early stopping holds out 10% of the training rows (seeded) to pick the epoch.
        return cls(
            hidden_layer_sizes=sizes,
            early_stopping=True,
            max_iter=params.pop("max_iter", 200),
            random_state=seed,
            **params,
        )
    raise ValueError(f"unknown algorithm {algorithm!r}; expected one of {', '.join(ALGORITHMS)}")
