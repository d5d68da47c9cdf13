"""k-fold bagging of the chosen model: every row trains it, every row validates it.

Tuning fits each trial on the training split and scores it on the validation split. On
small data both halves are short of rows: the model learns from 80% of them and is chosen
on a few hundred validation rows. Once tuning has chosen its model (the best trial or the
ensemble of trials), this step refits that choice by k-fold cross-fitting over all rows,
training and validation together, as AutoGluon's bagging and Autopilot's ensembling mode
do:

- the rows are split into `FOLDS` folds (stratified by class, or by target decile);
- each member's configuration (the tuned hyperparameters, the boosting rounds early
  stopping chose) is fitted once per fold on the other folds' rows: each fit sees 80% of
  all rows, as many as the training split had, so the tuned rounds still apply and no
  fold's rows are used to stop its own model;
- the fold models' predictions for the rows they did not see are the out-of-fold (OOF)
  predictions; the members' OOF predictions blended with the ensemble's weights are
  scored against every row's target. That score is the bagged model's validation metric:
  no prediction in it comes from a model that saw the row;
- the model that is saved averages the fold models of each member.

The preprocessing recipes stay those fitted on the training split (feature engineering
ran once), so the validation rows are transformed as they were during tuning. The
candidate definitions notebook repeats these fits and reproduces the OOF metric.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .algorithms import BaggedModel, make_estimator
from .features import FeatureSet
from .metrics import score_all, tune_threshold
from .recipes import fold_ids

#: Folds of the bagged model: each fold model trains on 80% of the rows.
FOLDS = 5
#: Auto training mode bags data of at most this many rows (the bigger the data, the less
#: a fifth more rows and a more stable validation score are worth five fits).
AUTO_MAX_ROWS = 20_000
#: Share of the tuning window kept for bagging when it is planned.
BAG_SHARE = 0.25
#: Bagging starts only if FOLDS x the members' trial seconds x this share fits in the time
#: left: a fold fit trains the kept rounds only, while its trial also trained the rounds
#: early stopping waited through and scored both splits (it gives up as soon as its pace
#: shows it would not finish in time, see `bag`).
COST_SHARE = 0.5


@dataclass
class Bagged:
    """The bagged model's parts and its out-of-fold scores."""

    estimators: dict[str, BaggedModel]  # member trial name -> its fold models
    oof: np.ndarray  # blended out-of-fold predictions, rows in `y` order
    y: np.ndarray  # the targets of the training rows, then the validation rows
    threshold: float | None
    metrics: dict[str, float]
    folds: int = FOLDS


def stack_rows(train: Any, valid: Any) -> Any:
    """The training split's rows, then the validation split's (dense or sparse)."""
    from scipy import sparse

    if sparse.issparse(train):
        return sparse.vstack([train, valid]).tocsr()
    return np.vstack([train, valid])


def bag(
    members: list[tuple[str, str, str, dict[str, Any], float]],
    feature_sets: dict[str, FeatureSet],
    y_train: np.ndarray,
    y_valid: np.ndarray,
    task: str,
    metric: str,
    *,
    seed: int,
    n_jobs: int,
    deadline: float,
    should_stop: Callable[[], bool],
    predict: Callable[[Any, Any], np.ndarray],
) -> Bagged | None:
    """Cross-fit `members` (name, algorithm, recipe, params, weight) over all rows.

    Returns None when a stop is requested, or as soon as the pace of the fits so far shows
    that the last one would not end before `deadline`.
    """
    started = time.perf_counter()
    fits, done = FOLDS * len(members), 0
    y = np.concatenate([y_train, y_valid])
    fold = fold_ids(y, task, FOLDS, seed)
    total_weight = sum(m[4] for m in members)
    blended: np.ndarray | None = None
    estimators: dict[str, BaggedModel] = {}
    for name, algorithm, recipe, params, weight in members:
        features = feature_sets[recipe]
        X = stack_rows(features.X_train, features.X_valid)
        oof: np.ndarray | None = None
        fitted = []
        for k in range(FOLDS):
            now = time.perf_counter()
            projected = now + (now - started) / done * (fits - done) if done else now
            if projected > deadline or should_stop():
                return None
            model = make_estimator(algorithm, params, task, seed, n_jobs)
            model.fit(X[fold != k], y[fold != k])
            pred = predict(model, X[fold == k])
            if oof is None:
                oof = np.zeros((len(y), *pred.shape[1:]))
            oof[fold == k] = pred
            fitted.append(model)
            done += 1
        assert oof is not None
        estimators[name] = BaggedModel(fitted)
        part = oof * (weight / total_weight)
        blended = part if blended is None else blended + part
    assert blended is not None
    threshold = tune_threshold(task, metric, y, blended)
    return Bagged(
        estimators=estimators,
        oof=blended,
        y=y,
        threshold=threshold,
        metrics=score_all(task, y, blended, threshold),
    )
