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
  no prediction in it comes from a model that saw the row (the blend's weights, like the
  validation-split ensemble's, are chosen on the rows they are scored on);
- when time allows, other trials are bagged too (the best of each family the blend
  lacks, then the next best: 16, or 64 on data of at most 5,000 rows) and the blend is
  chosen again by greedy ensemble selection on the OOF predictions of all of them:
  selection on every row is steadier than on the validation split's fifth;
- the model that is saved averages the fold models of each member;
- a member whose fold models would together exceed `MAX_MEMBER_BYTES` is not bagged (its
  first fold model's size tells): five fully grown forests of 300 trees took 442 MiB on
  4,475 rows (stackoverflow) for a 4% share of the blend, and the job ran past its budget
  saving them; the extras' fold models may take `MAX_EXTRAS_BYTES` together.

The preprocessing recipes stay those fitted on the training split (feature engineering
ran once), so the validation rows are transformed as they were during tuning. The
candidate definitions notebook repeats these fits and reproduces the OOF metric.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from .algorithms import BaggedModel, make_estimator
from .ensemble import score_seconds, select_ensemble, selection_seconds
from .features import FeatureSet
from .fitting import weight_kwargs
from .metrics import MINIMIZED, objective_score, score_all, tune_threshold
from .recipes import fold_ids

T = TypeVar("T")

#: Folds of the bagged model: each fold model trains on 80% of the rows.
FOLDS = 5
#: Auto training mode bags data of at most this many rows (the bigger the data, the less
#: a fifth more rows and a more stable validation score are worth five fits).
AUTO_MAX_ROWS = 20_000
#: Trials after the chosen model's members that may be bagged too, time allowing: the
#: best trial of each family the blend lacks first, then the next best (`extra_order`).
EXTRA_TRIALS = 16
#: ...and on data of at most `SMALL_ROWS` rows, up to `SMALL_EXTRA_TRIALS`: there the
#: validation split that ranked the trials has a few hundred rows, too few to tell the
#: top trials apart (on diabetes, 70 rows), and a fold fit takes a fraction of a second,
#: so the out-of-fold selection ranks most of the search's trials on every row instead,
#: as a k-fold search would (FLAML cross-validates every trial on such data).
SMALL_ROWS = 5_000
SMALL_EXTRA_TRIALS = 64
#: Share of the tuning window kept for bagging when it is planned.
BAG_SHARE = 0.25
#: Bagging starts only if FOLDS x the members' trial seconds x this share fits in the time
#: left: a fold fit trains the kept rounds only, while its trial also trained the rounds
#: early stopping waited through and scored both splits (it gives up as soon as its pace
#: shows it would not finish in time, see `bag`).
COST_SHARE = 0.5
#: The most a member's fold models may take together, pickled (as saved in the model).
MAX_MEMBER_BYTES = 128 * 2**20
#: The most the extras' fold models may take together: they are all held until the blend
#: is chosen again (64 extras at the member cap would be 8 GiB).
MAX_EXTRAS_BYTES = 512 * 2**20
#: `on_skip`'s reason for a member passed over for time (else it was too large).
TOO_SLOW = "its folds would not finish before the deadline"


def extra_trials(n_rows: int) -> int:
    """How many trials may be bagged after the chosen blend's members on `n_rows` rows."""
    return SMALL_EXTRA_TRIALS if n_rows <= SMALL_ROWS else EXTRA_TRIALS


def model_bytes(model: Any) -> int:
    """The size of `model` as the model file stores it (pickled; 0.05 s for 90 MB)."""
    return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


@dataclass
class Bagged:
    """The bagged model's parts and its out-of-fold scores."""

    estimators: dict[str, BaggedModel]  # member trial name -> its fold models
    weights: dict[str, float]  # member trial name -> blend weight
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


Member = tuple[str, str, str, dict[str, Any]]  # trial name, algorithm, recipe, params


def affordable(
    members: list[T], weights: list[float], cost: Callable[[list[T]], float], budget: float
) -> tuple[list[T], list[float]]:
    """The members of a blend to bag when bagging all of them would cost more than
    `budget` seconds: the heaviest first, then each next heaviest that still fits (the
    heaviest at least, whatever it costs).

    By weight rather than by validation score: on small data the best trial by the
    validation split can be a lucky draw (on lending_club, 83 positive rows in the split,
    a perceptron ranked first, was bagged alone, and scored 0.727 out of fold where the
    blend's boosting members did better), while the blend's weights favour what several
    members agree on."""
    kept: list[tuple[T, float]] = []
    for member, weight in sorted(zip(members, weights, strict=True), key=lambda mw: -mw[1]):
        if kept and cost([m for m, _ in kept] + [member]) > budget:
            continue
        kept.append((member, weight))
    return [m for m, _ in kept], [w for _, w in kept]


def extra_order(
    ranked: list[T], family: Callable[[T], str], chosen: set[str], limit: int = EXTRA_TRIALS
) -> list[T]:
    """The trials to bag after the chosen blend's members (`chosen`: the families it
    has), `ranked` best first: the best trial of each family not in the blend, then every
    other trial by rank, at most `limit` (`extra_trials`).

    The validation split ranks a family's variants close together, so the next best
    trials are often near copies of the chosen one; on small data the validation split is
    also too short to tell families apart. Bagging one of each lets the out-of-fold
    selection, on every row, judge what the split could not (a linear model on a few
    hundred rows of diabetes, a random forest on noisy labels), and a blend of different
    families gains more than one of near copies.
    """
    # By position: `item in list` would compare trials with ==, field by field.
    firsts: list[int] = []
    seen = set(chosen)
    for i, item in enumerate(ranked):
        if family(item) not in seen:
            seen.add(family(item))
            firsts.append(i)
    taken = set(firsts)
    rest = [i for i in range(len(ranked)) if i not in taken]
    return [ranked[i] for i in firsts + rest][:limit]


def bag(
    members: list[Member],
    weights: list[float],
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
    extras: list[Member] | None = None,
    row_weights: np.ndarray | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    fit_seconds: dict[str, float] | None = None,
) -> Bagged | None:
    """Cross-fit `members` (blended with `weights`) over all rows; then, while time is
    left, the `extras` too (other trials, `extra_order`), and when any of them was bagged the
    blend is chosen again by greedy ensemble selection on the out-of-fold predictions of
    all of them (on every row rather than the validation split's fifth).

    `row_weights`: the sample weights of the training then the validation rows (fits and
    scores use them), or None. A member or extra whose fold models would be larger than
    `MAX_MEMBER_BYTES` (or an extra past `MAX_EXTRAS_BYTES` with the extras before it) is
    left out (`on_skip(name, reason)` says so); the blend is then the
    other members' (weights renormalised) or chosen again when extras were bagged.

    The members are bagged heaviest first. One whose folds would not end before `deadline`
    (by the pace of the fits so far and of its own) is passed over like an extra, and
    `on_skip` says so: the blend is then that of the members bagged in time. Giving up on
    the whole blend instead threw away the members already bagged (concrete at 60 s: the
    unbagged ensemble was delivered).

    Returns None when a stop is requested while the members are bagged (a stop during the
    extras keeps what was bagged), or when no member could be bagged (each too large or
    too slow for the time left).

    `fit_seconds` (by trial name): what one fold fit of a member is expected to take, scaled
    up by how much the folds timed so far exceeded their expectation. With it, a member's
    folds are paced by its own timed fits (its expectation before the first) and the
    members after it by their expectations. Without it (or for a name it lacks) every fit
    is expected to take the average fit so far, which misjudged both ways: a CatBoost extra
    (24 s a fit) started on an SVM's 0.2 s pace and ran 24 s past the deadline, and a blend
    led by CatBoost (2 s a fold) was given up with 35 s left because its three fast members
    (0.04-0.3 s a fold) were each expected to take 2 s.
    """
    y = np.concatenate([y_train, y_valid])
    fold = fold_ids(y, task, FOLDS, seed)
    started, done = time.perf_counter(), 0
    fitted: dict[str, tuple[BaggedModel, np.ndarray]] = {}
    too_large: set[str] = set()
    extras_bytes = 0  # the extras' fold models so far (estimated from each first fold)

    expectations = fit_seconds or {}
    # Seconds of the timed folds of members with an expectation, and what was expected.
    timed = [0.0, 0.0]

    def pace() -> float:
        return (time.perf_counter() - started) / done if done else 0.0

    def expected_fit(name: str) -> float:
        """One fold fit of `name`, before any of its own has been timed."""
        if name not in expectations:
            return pace()
        return expectations[name] * max(1.0, timed[0] / timed[1] if timed[1] > 0 else 1.0)

    def cross_fit(
        member: Member, extra: bool = False, after: float = 0.0
    ) -> tuple[BaggedModel, np.ndarray] | None:
        """The member's fold models and OOF predictions; None when it would not finish
        `after` seconds before the deadline, a stop was asked for, or the member is too
        large (then also in `too_large`; an `extra` also when the extras' fold models so
        far leave no room for it under `MAX_EXTRAS_BYTES`)."""
        nonlocal done, extras_bytes
        name, algorithm, recipe, params = member
        features = feature_sets[recipe]
        X = stack_rows(features.X_train, features.X_valid)
        oof: np.ndarray | None = None
        models = []
        own = 0.0  # this member's seconds so far: a forest fits slower than the average
        for k in range(FOLDS):
            if name in expectations:
                per_fit = own / k if k else expected_fit(name)
            else:
                per_fit = max(pace(), own / k) if k else pace()
            if time.perf_counter() + per_fit * (FOLDS - k) + after > deadline:
                return None
            if should_stop():
                return None
            fit_started = time.perf_counter()
            model = make_estimator(algorithm, params, task, seed, n_jobs)
            model.fit(X[fold != k], y[fold != k], **weight_kwargs(_rows(row_weights, fold != k)))
            if k == 0:
                size = model_bytes(model) * FOLDS
                why = ""
                if size > MAX_MEMBER_BYTES:
                    why = f"at most {MAX_MEMBER_BYTES / 2**20:.0f} MiB per member"
                elif extra and extras_bytes + size > MAX_EXTRAS_BYTES:
                    why = (
                        f"the other trials bagged take {extras_bytes / 2**20:.0f} MiB "
                        f"of the {MAX_EXTRAS_BYTES / 2**20:.0f} MiB they may share"
                    )
                if why:
                    too_large.add(name)
                    if on_skip is not None:
                        on_skip(
                            name,
                            f"its {FOLDS} fold models would take about "
                            f"{size / 2**20:.0f} MiB ({why})",
                        )
                    return None
                if extra:
                    extras_bytes += size
            pred = predict(model, X[fold == k])
            if oof is None:
                oof = np.zeros((len(y), *pred.shape[1:]))
            oof[fold == k] = pred
            models.append(model)
            done += 1
            seconds = time.perf_counter() - fit_started
            own += seconds
            if name in expectations and expectations[name] > 0:
                timed[0] += seconds
                timed[1] += expectations[name]
        assert oof is not None
        return BaggedModel(models), oof

    # Heaviest first: when time runs short, what is left out weighs least in the blend.
    for member, _ in sorted(zip(members, weights, strict=True), key=lambda mw: -mw[1]):
        found = cross_fit(member)
        if should_stop():
            return None
        if found is not None:
            fitted[member[0]] = found
        elif member[0] not in too_large and on_skip is not None:
            on_skip(member[0], TOO_SLOW)
    if not fitted:
        return None
    chosen = {m[0]: w for m, w in zip(members, weights, strict=True) if m[0] in fitted}
    # Choosing the blend again after the extras scores a blend per bagged model and round:
    # each extra must also leave the time that takes with one more model.
    one_score = (
        score_seconds(y, task, metric, next(iter(fitted.values()))[1], row_weights)
        if extras
        else 0.0
    )
    for member in extras or []:
        # An extra that would not finish in time is passed over (each is checked before
        # its first fit): a cheaper one after it may still fit.
        found = cross_fit(member, True, selection_seconds(len(fitted) + 1, one_score))
        if found is not None:
            fitted[member[0]] = found
    if len(fitted) > len(chosen):
        chosen = _select(fitted, y, task, metric, row_weights)
    total = sum(chosen.values())
    blended = sum(fitted[name][1] * (w / total) for name, w in chosen.items())
    assert isinstance(blended, np.ndarray)
    threshold = tune_threshold(task, metric, y, blended, row_weights)
    return Bagged(
        estimators={name: fitted[name][0] for name in chosen},
        weights=chosen,
        oof=blended,
        y=y,
        threshold=threshold,
        metrics=score_all(task, y, blended, threshold, row_weights),
    )


def _rows(weights: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    return None if weights is None else weights[rows]


def _select(
    fitted: dict[str, tuple[BaggedModel, np.ndarray]],
    y: np.ndarray,
    task: str,
    metric: str,
    w: np.ndarray | None = None,
) -> dict[str, float]:
    """Blend weights chosen on the out-of-fold predictions: greedy ensemble selection, or
    the best single bagged model when no blend beats it."""
    names = list(fitted)
    preds = [fitted[name][1] for name in names]
    selection = select_ensemble(preds, y, task, metric, sample_weight=w)
    if selection is not None:
        return {names[i]: weight for i, weight in selection.weights.items()}
    scores = [
        objective_score(task, metric, y, p, tune_threshold(task, metric, y, p, w), w) for p in preds
    ]
    best = min(range(len(names)), key=lambda i: scores[i] if metric in MINIMIZED else -scores[i])
    return {names[best]: 1.0}
