"""One trial's fit, per library: boosting with early stopping on the validation split (or
the fixed sample of it the search follows on large data, `Tuner.stopping_set`; the tuner's
pruning and clock checked every round), forests grown in chunks, the
MLP epoch by epoch, anything else in one `fit`. Each records its learning curve on the
trial's monitor (`tuning._Monitor`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .algorithms import make_estimator
from .candidates import EARLY_STOPPING_ROUNDS, MAX_BOOSTING_ROUNDS, CandidateDefinition
from .features import FeatureSet
from .training_insight import CurveRecorder

if TYPE_CHECKING:
    from .tuning import Tuner, _Monitor

FOREST_CHUNK = 25


def weight_kwargs(sample_weight: Any, **extra: Any) -> dict[str, Any]:
    """Keyword arguments for `fit`: `sample_weight` (and `extra`) only when there are weights,
    so an unweighted run calls every library exactly as before."""
    if sample_weight is None:
        return {}
    return {"sample_weight": sample_weight, **extra}


def fit_trial(
    definition: CandidateDefinition,
    params: dict[str, Any],
    features: FeatureSet,
    tuner: Tuner,
    monitor: _Monitor,
) -> tuple[Any, dict[str, Any]]:
    """Fit one configuration; returns the model and its final (reproducible) hyperparameters."""
    algorithm = definition.algorithm
    X, y = features.X_train, tuner.y_train
    weights = weight_kwargs(tuner.w_train)
    rounds = definition.max_rounds or MAX_BOOSTING_ROUNDS
    if algorithm == "lightgbm":
        return _fit_lightgbm(params, features, tuner, monitor, rounds)
    if algorithm == "xgboost":
        return _fit_xgboost(params, features, tuner, monitor, rounds)
    if algorithm == "catboost":
        return _fit_catboost(params, features, tuner, monitor)
    if algorithm == "mlp":
        # Trained epoch by epoch (EpochMLP): its per-epoch losses are the learning curve,
        # and the clock or the Stop button can end it between epochs.
        model = make_estimator(algorithm, params, tuner.task, tuner.seed, tuner.n_jobs)
        model.on_epoch = lambda epoch, train, valid: monitor.should_end()
        model.fit(X, y, **weights)
        monitor.recorder = CurveRecorder(
            metric="mse" if tuner.task == "regression" else "logloss",
            goal="minimize",
            train_rows=len(y) - math.ceil(0.1 * len(y)),
        )
        for train, valid in zip(model.train_loss_, model.validation_loss_, strict=True):
            monitor.recorder.add(train, valid)
        monitor.best_round = getattr(model, "best_epoch_", None)
        # The epochs it trained, as boosting keeps its rounds: a fit the clock ended
        # after k epochs is rebuilt (notebook, bagging) with k, not `max_iter`, epochs.
        return model, {**params, "max_iter": int(model.n_epochs_)}
    if algorithm in ("extra_trees", "random_forest"):
        total = int(params["n_estimators"])
        model = make_estimator(
            algorithm, {**params, "warm_start": True}, tuner.task, tuner.seed, tuner.n_jobs
        )
        built = 0
        while built < total:
            built = min(total, built + FOREST_CHUNK)
            model.set_params(n_estimators=built)
            model.fit(X, y, **weights)
            if monitor.should_end():
                break
        model.set_params(warm_start=False)
        return model, {**params, "n_estimators": built}
    model = make_estimator(algorithm, params, tuner.task, tuner.seed, tuner.n_jobs)
    model.fit(X, y, **weights)
    return model, dict(params)


@dataclass
class _BestRound:
    """Best validation score seen while boosting (higher is better) and its round."""

    score: float = -math.inf
    iteration: int = 0
    results: list = field(default_factory=list)


def _fit_lightgbm(
    params: dict[str, Any],
    features: FeatureSet,
    tuner: Tuner,
    monitor: _Monitor,
    rounds: int = MAX_BOOSTING_ROUNDS,
) -> tuple[Any, dict[str, Any]]:
    import lightgbm as lgb

    best = _BestRound()
    X_fit, y_fit = tuner.curve_train_set(features)
    X_stop, y_stop, w_stop = tuner.stopping_set(features)

    def callback(env: Any) -> None:
        # (data name, metric, value, higher is better) per eval set; early stopping and
        # pruning follow the validation split, the training entry only feeds the curve.
        by_data = {item[0]: item for item in env.evaluation_result_list}
        _, metric_name, value, higher_better = by_data["valid"][:4]
        if monitor.recorder is None:
            monitor.recorder = CurveRecorder(
                metric=metric_name,
                goal="maximize" if higher_better else "minimize",
                train_rows=len(y_fit),
            )
        if "train" in by_data:
            monitor.recorder.add(by_data["train"][2], value)
        score = value if higher_better else -value
        if score > best.score:
            best.score, best.iteration, best.results = (
                score,
                env.iteration,
                env.evaluation_result_list,
            )
            monitor.best_round = env.iteration + 1
        done = env.iteration - best.iteration >= EARLY_STOPPING_ROUNDS
        if done or monitor.should_end() or monitor.report(env.iteration, best.score):
            raise lgb.callback.EarlyStopException(best.iteration, best.results)

    model = make_estimator(
        "lightgbm",
        {**params, "n_estimators": rounds},
        tuner.task,
        tuner.seed,
        tuner.n_jobs,
    )
    model.fit(
        features.X_train,
        tuner.y_train,
        # The training split itself (same objects) costs LightGBM no predictions; the
        # sample of a large one costs one tree's predictions on its rows per round.
        eval_set=[(X_fit, y_fit), (X_stop, y_stop)],
        eval_names=["train", "valid"],
        callbacks=[callback],
        # Weighted runs: the weighted loss, and early stopping on the weighted validation metric.
        **weight_kwargs(tuner.w_train, eval_sample_weight=[tuner.curve_weights(), w_stop]),
    )
    return model, {**params, "n_estimators": best.iteration + 1}


def _fit_xgboost(
    params: dict[str, Any],
    features: FeatureSet,
    tuner: Tuner,
    monitor: _Monitor,
    rounds: int = MAX_BOOSTING_ROUNDS,
) -> tuple[Any, dict[str, Any]]:
    import xgboost as xgb

    class Watch(xgb.callback.TrainingCallback):
        def __init__(self) -> None:
            super().__init__()
            self.best = -math.inf

        def after_iteration(self, model: Any, epoch: int, evals_log: dict) -> bool:
            # The last eval set is the validation split (XGBoost's early stopping uses it too).
            history = list(evals_log.values())[-1]
            metric_name, values = next(iter(history.items()))
            value = float(values[-1])
            score = value if metric_name in ("auc", "aucpr") else -value
            self.best = max(self.best, score)
            return monitor.should_end() or monitor.report(epoch, self.best)

    model = make_estimator(
        "xgboost",
        {
            **params,
            "n_estimators": rounds,
            "early_stopping_rounds": EARLY_STOPPING_ROUNDS,
            "callbacks": [Watch()],
        },
        tuner.task,
        tuner.seed,
        tuner.n_jobs,
    )
    X_fit, y_fit = tuner.curve_train_set(features)
    X_stop, y_stop, w_stop = tuner.stopping_set(features)
    model.fit(
        features.X_train,
        tuner.y_train,
        eval_set=[(X_fit, y_fit), (X_stop, y_stop)],
        verbose=False,
        **weight_kwargs(tuner.w_train, sample_weight_eval_set=[tuner.curve_weights(), w_stop]),
    )
    rounds = int(model.best_iteration) + 1
    _record_xgboost_curve(model, monitor, rounds, len(y_fit))
    # Drop the training-only settings so the saved model pickles cleanly and the reported
    # hyperparameters rebuild the same model without early stopping.
    model.set_params(callbacks=None, early_stopping_rounds=None)
    return model, {**params, "n_estimators": rounds}


def _fit_catboost(
    params: dict[str, Any], features: FeatureSet, tuner: Tuner, monitor: _Monitor
) -> tuple[Any, dict[str, Any]]:
    """CatBoost with early stopping on the validation split (its `eval_metric`); the kept
    round becomes `n_estimators`, which rebuilds the same trees (see `CatBoostModel`).
    The learning curve is the loss on the training and validation data, which CatBoost
    computes every round anyway."""
    model = make_estimator("catboost", params, tuner.task, tuner.seed, tuner.n_jobs)
    loss = model.loss_function
    metric = model.eval_metric or loss
    higher_better = metric == "AUC"
    monitor.recorder = CurveRecorder(metric=loss, goal="minimize", train_rows=len(tuner.y_train))
    best = _BestRound()
    X_stop, y_stop, w_stop = tuner.stopping_set(features)

    class Watch:
        def after_iteration(self, info: Any) -> bool:
            learn, valid = info.metrics.get("learn", {}), info.metrics.get("validation", {})
            if loss in learn and loss in valid:
                monitor.recorder.add(learn[loss][-1], valid[loss][-1])  # type: ignore[union-attr]
            value = float(valid[metric][-1])
            score = value if higher_better else -value
            if score > best.score:
                best.score, best.iteration = score, info.iteration
                monitor.best_round = info.iteration
            return not (monitor.should_end() or monitor.report(info.iteration, best.score))

    model.fit(
        features.X_train,
        tuner.y_train,
        eval_set=(X_stop, y_stop) + ((w_stop,) if w_stop is not None else ()),
        callbacks=[Watch()],
        early_stopping_rounds=EARLY_STOPPING_ROUNDS,
        **weight_kwargs(tuner.w_train),
    )
    kept = int(model.model_.get_best_iteration()) + 1
    monitor.best_round = kept
    return model, {**params, "n_estimators": kept}


def _record_xgboost_curve(model: Any, monitor: _Monitor, best_round: int, train_rows: int) -> None:
    """Hand XGBoost's evaluation log (training sample, then validation) to the monitor."""
    log = list(model.evals_result().values())
    if len(log) < 2:
        return
    metric_name, train_values = next(iter(log[0].items()))
    valid_values = log[1][metric_name]
    recorder = CurveRecorder(
        metric=metric_name,
        goal="maximize" if metric_name in ("auc", "aucpr") else "minimize",
        train_rows=train_rows,
    )
    for train_value, valid_value in zip(train_values, valid_values, strict=False):
        recorder.add(train_value, valid_value)
    monitor.recorder, monitor.best_round = recorder, best_round
