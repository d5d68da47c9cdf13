"""Estimators by name: the algorithm half of a candidate.

Like `recipes`, this module depends only on numpy, pandas, scikit-learn, LightGBM, XGBoost
and CatBoost and its source is embedded in the candidate definitions notebook, so the
notebook and the engine build identical models from the same hyperparameters.
"""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV

ALGORITHMS = (
    "lightgbm",
    "xgboost",
    "catboost",
    "extra_trees",
    "random_forest",
    "linear",
    "svm",
    "mlp",
)


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
    if algorithm == "catboost":
        return CatBoostModel(task=task, random_state=seed, n_jobs=n_jobs, **params)
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
            return PlattSVC(SVC(cache_size=500, **params), method="sigmoid", cv=5, ensemble=False)
        return SVR(cache_size=500, **params)
    if algorithm == "mlp":
        # Layer widths travel as text ("128,64") so a search space can hold them.
        sizes = params.pop("hidden_layer_sizes", "128,64")
        if isinstance(sizes, str):
            sizes = tuple(int(s) for s in sizes.split(",") if s.strip())
        return EpochMLP(
            task=task,
            hidden_layer_sizes=sizes,
            max_epochs=params.pop("max_iter", 200),
            random_state=seed,
            **params,
        )
    raise ValueError(f"unknown algorithm {algorithm!r}; expected one of {', '.join(ALGORITHMS)}")


class PlattSVC(CalibratedClassifierCV):
    """An SVC with Platt-scaled probabilities: what `SVC(probability=True)` gave
    (out-of-fold margins, a sigmoid fitted on them, then one SVC on all rows), in the form
    scikit-learn 1.9 asks for (it deprecates `probability`; 1.11 removes it). Monotone in
    the margin for two classes, so AUC is that of the margin.

    `PlattSVC(SVC(...), method="sigmoid", ensemble=False)` whose folds follow the data:
    five, or as many as the smallest class has rows (stratified and unshuffled, so the same
    data gives the same model). A class with a single training row (the engine accepts two
    rows per class, and one may be in validation) is calibrated on the training rows
    themselves, as no fold could hold it out.
    """

    def fit(self, X, y, sample_weight=None, **fit_params):
        import warnings

        import numpy as np
        from sklearn.base import clone

        smallest = int(np.unique(np.asarray(y), return_counts=True)[1].min())
        if smallest >= 2:
            folds = min(int(self.cv or 5), smallest)
            fitted = CalibratedClassifierCV(
                self.estimator, method=self.method, cv=folds, ensemble=False
            )
            fitted.fit(X, y, sample_weight=sample_weight, **fit_params)
        else:
            model = clone(self.estimator).fit(X, y, sample_weight=sample_weight, **fit_params)
            fitted = _calibrate_fitted(model, self.method)
            with warnings.catch_warnings():
                # The model is fitted (with the weights); these say a frozen model ignores
                # weights and that a class is smaller than the folds, both as intended.
                warnings.simplefilter("ignore", UserWarning)
                fitted.fit(X, y, sample_weight=sample_weight)
        # The fitted state (calibrated_classifiers_, classes_, n_features_in_, ...).
        self.__dict__.update({k: v for k, v in vars(fitted).items() if k.endswith("_")})
        return self


def _calibrate_fitted(model: Any, method: str) -> CalibratedClassifierCV:
    """A calibrator of an already fitted `model` (scikit-learn 1.6 freezes it; earlier
    versions take `cv="prefit"`)."""
    try:
        from sklearn.frozen import FrozenEstimator
    except ImportError:  # scikit-learn < 1.6
        return CalibratedClassifierCV(model, method=method, cv="prefit")
    return CalibratedClassifierCV(FrozenEstimator(model), method=method)


class EpochMLP(BaseEstimator):
    """A scikit-learn multi-layer perceptron trained one epoch at a time.

    Like `MLPClassifier(early_stopping=True)`, it holds out 10% of the training rows
    (seeded, stratified for classes) and stops after `patience` epochs without a better
    held-out loss, keeping the best epoch's weights. Unlike it, it records the training
    and held-out loss (log loss / squared error) of every epoch (`train_loss_`,
    `validation_loss_`, `best_epoch_`), which are the learning curve of the trial, and
    calls `on_epoch(epoch, train, validation)` (if set) so a caller can end it early.
    A regression target is standardised for training (as `TransformedTargetRegressor`
    would) and predictions and losses are in its own units.
    """

    def __init__(
        self,
        task="binary",
        hidden_layer_sizes=(128, 64),
        alpha=1e-4,
        learning_rate_init=1e-3,
        batch_size="auto",
        max_epochs=200,
        patience=10,
        random_state=0,
    ):
        self.task = task
        self.hidden_layer_sizes = hidden_layer_sizes
        self.alpha = alpha
        self.learning_rate_init = learning_rate_init
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.random_state = random_state

    def _loss(self, X, y, w=None):
        # The formulas of sklearn's log_loss and mean_squared_error (probabilities clipped
        # to [eps, 1 - eps]), without their input checks: twice an epoch, those checks cost
        # more than the epoch's training on small data.
        import numpy as np

        if self.task == "regression":
            errors = (np.asarray(y, dtype=float) - self.predict(X)) ** 2
            return float(np.average(errors, weights=w))
        proba = self.network_.predict_proba(X)
        eps = np.finfo(proba.dtype).eps
        classes = np.asarray(self.classes_)
        picked = proba[np.arange(len(y)), np.searchsorted(classes, y)]
        return float(np.average(-np.log(np.clip(picked, eps, 1 - eps)), weights=w))

    def fit(self, X, y, sample_weight=None):
        from threadpoolctl import threadpool_limits

        # One BLAS thread: an epoch is many small matrix products, which OpenBLAS's
        # threads slowed 6-9x whenever the machine had other work (parallel trials, test
        # workers), from 300 up to 20,000 rows; on an idle machine they gained nothing.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(X, y, sample_weight)

    def _fit(self, X, y, sample_weight=None):
        import copy
        import warnings

        import numpy as np
        from sklearn.model_selection import train_test_split
        from sklearn.neural_network import MLPClassifier, MLPRegressor

        y = np.asarray(y)
        classify = self.task != "regression"
        self.classes_ = np.unique(y) if classify else None
        strata = y if classify and np.bincount(y.astype(int)).min() >= 2 else None
        fit_rows, hold_rows = train_test_split(
            np.arange(len(y)), test_size=0.1, random_state=self.random_state, stratify=strata
        )
        X_fit, y_fit, X_hold, y_hold = X[fit_rows], y[fit_rows], X[hold_rows], y[hold_rows]
        w_fit = w_hold = None
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=float)
            w_fit, w_hold = sample_weight[fit_rows], sample_weight[hold_rows]
        # An unscaled target (prices, counts) makes the squared error's gradients huge or
        # slow: the network then crawls through every epoch to a worse fit.
        self.y_mean_, self.y_scale_ = 0.0, 1.0
        if not classify:
            y_fit = y_fit.astype(float)
            self.y_mean_ = float(np.mean(y_fit))
            self.y_scale_ = float(np.std(y_fit)) or 1.0
        train_target = y_fit if classify else (y_fit - self.y_mean_) / self.y_scale_
        cls = MLPClassifier if classify else MLPRegressor
        self.network_ = cls(
            hidden_layer_sizes=self.hidden_layer_sizes,
            alpha=self.alpha,
            learning_rate_init=self.learning_rate_init,
            batch_size=self.batch_size,
            random_state=self.random_state,
        )
        self.train_loss_, self.validation_loss_ = [], []
        best, best_state, waited = float("inf"), None, 0
        for epoch in range(1, int(self.max_epochs) + 1):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                weights = {} if w_fit is None else {"sample_weight": w_fit}
                if classify:
                    self.network_.partial_fit(X_fit, y_fit, classes=self.classes_, **weights)
                else:
                    self.network_.partial_fit(X_fit, train_target, **weights)
            train = self._loss(X_fit, y_fit, w_fit)
            valid = self._loss(X_hold, y_hold, w_hold)
            self.train_loss_.append(train)
            self.validation_loss_.append(valid)
            if valid < best - 1e-6:
                best, waited, self.best_epoch_ = valid, 0, epoch
                best_state = copy.deepcopy((self.network_.coefs_, self.network_.intercepts_))
            else:
                waited += 1
            on_epoch = getattr(self, "on_epoch", None)
            stop = on_epoch is not None and on_epoch(epoch, train, valid)
            if waited >= self.patience or stop or not np.isfinite(valid):
                break
        if best_state is not None:
            self.network_.coefs_, self.network_.intercepts_ = best_state
        self.n_epochs_ = len(self.train_loss_)
        self.on_epoch = None  # a caller's hook is not part of the model (nor picklable)
        return self

    @property
    def predict_proba(self):
        # Only classifiers have it (hasattr() is how callers tell them apart).
        if self.task == "regression":
            raise AttributeError("a regression MLP has no predict_proba")
        return self.network_.predict_proba

    def predict(self, X):
        if self.task == "regression":
            # getattr: models saved before the target was scaled were trained unscaled.
            scale, mean = getattr(self, "y_scale_", 1.0), getattr(self, "y_mean_", 0.0)
            return self.network_.predict(X) * scale + mean
        return self.network_.predict(X)


class _StopAfter:
    """A CatBoost callback that ends training after `rounds` trees."""

    def __init__(self, rounds):
        self.rounds = rounds

    def after_iteration(self, info):
        return info.iteration < self.rounds


class CatBoostModel(BaseEstimator):
    """CatBoost on a numeric matrix whose `cat_features` columns hold category codes (the
    trees recipe's ordinal encoding; NaN for missing or unseen categories): CatBoost gets
    those columns as categories and encodes them with its ordered target statistics.

    `iterations` is the length of the schedule CatBoost plans for (its trees depend on
    it) and `n_estimators`, when set, the number of trees kept: training stops after that
    many, which gives the very trees of a longer run cut at its best round. So tuning
    trains with early stopping on the validation split, and the same hyperparameters plus
    the round it kept rebuild the same model (what the candidate notebook does).

    `max_ctr_complexity` (None: CatBoost's default, 4) caps how many features a category
    combination joins; on large data the definitions set 1, since combinations' target
    statistics cost CatBoost memory per row per combination (at 800k training rows a fit
    peaked at +850 MiB with the default, +310 MiB with 1; bench/engine/README.md).
    """

    def __init__(
        self,
        task="binary",
        cat_features=(),
        iterations=3000,
        n_estimators=None,
        learning_rate=0.05,
        depth=6,
        l2_leaf_reg=3.0,
        random_strength=1.0,
        bagging_temperature=1.0,
        eval_metric=None,
        random_state=0,
        n_jobs=2,
        max_ctr_complexity=None,
    ):
        self.task = task
        self.cat_features = cat_features
        self.iterations = iterations
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.depth = depth
        self.l2_leaf_reg = l2_leaf_reg
        self.random_strength = random_strength
        self.bagging_temperature = bagging_temperature
        self.eval_metric = eval_metric
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.max_ctr_complexity = max_ctr_complexity

    @property
    def loss_function(self):
        if self.task == "regression":
            return "RMSE"
        return "MultiClass" if self.task == "multiclass" else "Logloss"

    def pool(self, X, y=None, weight=None):
        """The rows as a CatBoost Pool: category codes as integers (missing: -1), with
        their sample weights when given. Numbers as float32, which is what CatBoost keeps
        of them anyway: a float64 frame would be a transient copy twice that size."""
        import numpy as np
        import pandas as pd
        from catboost import Pool

        X = np.asarray(X)
        frame = pd.DataFrame(
            X.astype(np.float32, copy=False), columns=[f"f{i}" for i in range(X.shape[1])]
        )
        cats = [int(i) for i in self.cat_features]
        for i in cats:
            frame[f"f{i}"] = np.nan_to_num(X[:, i], nan=-1.0).astype(np.int32)
        return Pool(frame, label=y, cat_features=cats, weight=weight)

    def fit(
        self, X, y, eval_set=None, callbacks=None, early_stopping_rounds=None, sample_weight=None
    ):
        """Fit on (X, y) and optional `sample_weight`; `eval_set` is (X, y) or (X, y, weights)."""
        import numpy as np
        from catboost import CatBoostClassifier, CatBoostRegressor

        classify = self.task != "regression"
        cls = CatBoostClassifier if classify else CatBoostRegressor
        self.model_ = cls(
            iterations=int(self.iterations),
            learning_rate=self.learning_rate,
            depth=int(self.depth),
            l2_leaf_reg=self.l2_leaf_reg,
            random_strength=self.random_strength,
            bagging_temperature=self.bagging_temperature,
            loss_function=self.loss_function,
            eval_metric=self.eval_metric or self.loss_function,
            random_seed=self.random_state,
            thread_count=self.n_jobs,
            verbose=False,
            allow_writing_files=False,
            **(
                {"max_ctr_complexity": int(self.max_ctr_complexity)}
                if self.max_ctr_complexity is not None
                else {}
            ),
        )
        callbacks = list(callbacks or [])
        if self.n_estimators:
            callbacks.append(_StopAfter(int(self.n_estimators)))
        options = {}
        if eval_set is not None:
            options = {
                "eval_set": self.pool(*eval_set),
                "use_best_model": True,
                "early_stopping_rounds": early_stopping_rounds,
            }
        self.model_.fit(self.pool(X, y, sample_weight), callbacks=callbacks or None, **options)
        if classify:
            self.classes_ = np.unique(y)
        return self

    @property
    def feature_importances_(self):
        return self.model_.get_feature_importance()

    @property
    def predict_proba(self):
        # Only classifiers have it (hasattr() is how callers tell them apart).
        if self.task == "regression":
            raise AttributeError("a regression model has no predict_proba")
        return self._predict_proba

    def _predict_proba(self, X):
        return self.model_.predict_proba(self.pool(X), thread_count=self.n_jobs)

    def predict(self, X):
        if self.task == "regression":
            return self.model_.predict(self.pool(X), thread_count=self.n_jobs)
        return self._predict_proba(X).argmax(axis=1)


class BaggedModel(BaseEstimator):
    """The average of fitted models of one configuration (k-fold bagging: each was fitted
    on all rows but one fold)."""

    def __init__(self, estimators=()):
        self.estimators = list(estimators)

    @property
    def predict_proba(self):
        if not all(hasattr(e, "predict_proba") for e in self.estimators):
            raise AttributeError("regression models have no predict_proba")
        return self._predict_proba

    def _predict_proba(self, X):
        import numpy as np

        return np.mean([e.predict_proba(X) for e in self.estimators], axis=0)

    def predict(self, X):
        import numpy as np

        if hasattr(self, "predict_proba"):
            return self._predict_proba(X).argmax(axis=1)
        return np.mean([e.predict(X) for e in self.estimators], axis=0)
