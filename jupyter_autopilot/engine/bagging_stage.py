"""Model Tuning's k-fold bagging step: the chosen model (and, time allowing, the next
best trials) refitted on all rows by `bagging.bag`, as a leaderboard entry."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from ..models import CandidateStatus, utcnow
from . import bagging
from .candidates import CandidateDefinition
from .dataset import Dataset
from .features import FeatureSet
from .fitting import weight_kwargs
from .metrics import score_all
from .tuning import TrialResult, Tuner

if TYPE_CHECKING:
    from .job import _Run
from .job_outputs import save_training_insight


def refit(result: TrialResult, features: FeatureSet, tuner: Tuner) -> Any:
    """Rebuild a trial's model from its final hyperparameters (its model was not kept)."""
    from .algorithms import make_estimator

    model = make_estimator(
        result.definition.algorithm, result.params, tuner.task, tuner.seed, tuner.n_jobs
    )
    if result.fit_rows is None:
        model.fit(features.X_train, tuner.y_train, **weight_kwargs(tuner.w_train))
        return model
    # A trial of a sampled search (`sampling`): on the rows it was fitted on.
    rows = result.fit_rows
    model.fit(
        features.X_train[rows], tuner.y_train[rows], **weight_kwargs(tuner.train_weights(rows))
    )
    return model


def bag_member(result: TrialResult) -> bagging.Member:
    return (result.name, result.definition.algorithm, result.definition.recipe_name, result.params)


def bag_chosen(
    run: _Run,
    state: dict[str, Any],
    chosen: TrialResult,
    members: list[TrialResult],
    weights: list[float],
    deadline: float,
) -> tuple[TrialResult, bagging.Bagged] | None:
    """The chosen model refitted by k-fold bagging, as a leaderboard entry, when it is
    planned and its estimated cost fits before `deadline` (perf_counter); else None."""
    tuner: Tuner = state["tuner"]
    if not state.get("bag") or tuner.stopped:
        return None
    started = time.perf_counter()
    ranked = sorted(
        (
            r
            for r in tuner.results
            if r.status is CandidateStatus.Completed and r.objective is not None
        ),
        key=lambda r: -tuner._oriented(r.objective or 0.0),
    )

    def cost(results: list[TrialResult]) -> float:
        return bagging.COST_SHARE * bagging.FOLDS * sum(r.seconds for r in results)

    if started + cost(members) > deadline and len(members) > 1:
        # The chosen blend is too costly to bag whole: bag its heaviest members that fit,
        # then whatever else fits (the blend is then chosen on the out-of-fold predictions).
        members, weights = bagging.affordable(members, weights, cost, deadline - started)
        if started + cost(members) > deadline:
            members, weights = ranked[:1], [1.0]  # its heaviest alone is too costly
        if len(members) == 1:
            chosen = members[0]
    if started + cost(members) > deadline:
        run.reporter.message(
            f"Bagging skipped: about {cost(members):.0f} s needed, "
            f"{max(0.0, deadline - started):.0f} s left."
        )
        return None
    dataset: Dataset = state["dataset"]
    task, metric = dataset.problem_type.value, dataset.info.metric.value
    # Other trials may join the blend if time allows (one of each family first).
    chosen_names = {r.name for r in members}
    extras = bagging.extra_order(
        [r for r in ranked if r.name not in chosen_names],
        lambda r: r.definition.name,
        {r.definition.name for r in members},
        bagging.extra_trials(len(tuner.y_train) + len(tuner.y_valid)),
    )
    too_large: list[str] = []

    def on_skip(name: str, reason: str) -> None:
        if reason != bagging.TOO_SLOW:
            too_large.append(name)
        run.reporter.message(f"Not bagging {name}: {reason}.")

    found = bagging.bag(
        [bag_member(r) for r in members],
        weights,
        state["feature_sets"],
        tuner.y_train,
        tuner.y_valid,
        task,
        metric,
        seed=run.config.seed,
        n_jobs=tuner.n_jobs,
        deadline=deadline,
        should_stop=run.reporter.stop_requested,
        predict=tuner.predict,
        extras=[bag_member(r) for r in extras],
        row_weights=None
        if tuner.w_train is None or tuner.w_valid is None
        else np.concatenate([tuner.w_train, tuner.w_valid]),
        on_skip=on_skip,
        # A fold fit is expected to take what `cost` counts per fold (its trial's seconds
        # x COST_SHARE) until one has been timed.
        fit_seconds={r.name: bagging.COST_SHARE * r.seconds for r in [*members, *extras]},
    )
    if found is None:
        run.reporter.message(
            "Bagging skipped: every member of the model is too large to bag; "
            "the unbagged model is kept."
            if {r.name for r in members} <= set(too_large)
            else "Bagging did not finish before the deadline; the unbagged model is kept."
        )
        return None
    number = len(tuner.results) + 2
    by_name = {r.name: r for r in tuner.results}
    bagged = [by_name[name] for name in found.weights]
    recipes = sorted({r.definition.recipe_name for r in bagged})
    result = TrialResult(
        name=f"bagged-t{number:03d}",
        number=number,
        definition=CandidateDefinition(
            name="bagged",
            algorithm="ensemble",
            recipe={"name": "+".join(recipes)},
            space={},
            fixed={},
            starts=[{}],
            description=f"{bagging.FOLDS}-fold bagging on all rows of {chosen.name}"
            + _which(set(found.weights), {r.name for r in members})
            + ", blended on and scored by out-of-fold predictions.",
        ),
        params={
            "bagged": chosen.name,
            "folds": bagging.FOLDS,
            "members": {name: round(w, 4) for name, w in found.weights.items()},
        },
        status=CandidateStatus.Completed,
        threshold=found.threshold,
        valid_pred=found.oof,
    )
    result.metrics = found.metrics
    result.objective = found.metrics[metric]
    # No learning curve (fold models are averaged); the prediction rules apply to its
    # out-of-fold predictions, as to any model that may become the best.
    result.training_findings = tuner.prediction_findings(
        found.oof, found.threshold, np.concatenate([tuner.y_train, tuner.y_valid])
    )
    save_training_insight(run.out, result)
    # Training metrics: the bagged model on the training sample tuning scores trials on.
    total = sum(found.weights.values())
    train_pred = sum(
        tuner.predict(
            found.estimators[r.name],
            state["feature_sets"][r.definition.recipe_name].X_train[tuner.train_rows],
        )
        * (found.weights[r.name] / total)
        for r in bagged
    )
    result.train_metrics = score_all(
        task,
        tuner.y_train[tuner.train_rows],
        np.asarray(train_pred),
        found.threshold,
        tuner.train_weights(tuner.train_rows),
    )
    result.seconds = time.perf_counter() - started
    result.ended_at = utcnow()
    run.reporter.message(
        f"Bagged {chosen.name} ({bagging.FOLDS} folds, all rows): out-of-fold {metric} "
        f"{result.objective:.4f}"
    )
    return result, found


def _which(bagged: set[str], members: set[str]) -> str:
    """What the bagged blend holds besides the chosen model's members, in words."""
    if bagged == members:
        return ""
    if bagged < members:
        return " (the members it had the memory and the time to bag)"
    return " and other trials"
