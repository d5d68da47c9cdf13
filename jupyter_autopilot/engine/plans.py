"""Candidate definitions from a `CandidatePlan` instead of generated ones (stage 2).

A plan says, per candidate, which algorithm family, how to preprocess and which
hyperparameter ranges to search. The column lists come from this data (the recipes
`build_recipes` made from the training split), so a plan written for another copy of
the data still applies; the family's usual fixed settings (early-stopping metric...) and
proven start configurations are kept, clamped into the plan's ranges.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..models import CandidatePlan, PlannedCandidate, PlannedParam
from .candidates import (
    MLP_DESCRIPTION,
    CandidateDefinition,
    Param,
    build_definitions,
    mlp_definition,
)

#: A plan's MLP family on data where the generated definitions have none (above
#: `candidates.MLP_MAX_ROWS`): Autopilot's `mlp` candidates run wherever a plan asks.
MLP_DEFAULT = mlp_definition("mlp", {}, MLP_DESCRIPTION + ".")


def _param(planned: PlannedParam) -> Param:
    if planned.kind == "categorical":
        return Param("categorical", choices=list(planned.choices or []))
    if planned.kind == "int":
        return Param("int", int(planned.low or 0), int(planned.high or 0), log=planned.log)
    return Param("float", float(planned.low or 0.0), float(planned.high or 0.0), log=planned.log)


def _clamp(value: Any, param: Param) -> Any:
    if param.kind == "categorical":
        return value if value in (param.choices or []) else (param.choices or [None])[0]
    low, high = float(param.low or 0), float(param.high or 0)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        value = math.sqrt(low * high) if param.log else (low + high) / 2
    value = min(max(float(value), low), high)
    return round(value) if param.kind == "int" else value


def _recipe(planned: PlannedCandidate, base: dict[str, Any], name: str) -> dict[str, Any]:
    r = planned.recipe
    recipe = {**base, "name": name}
    categorical, high = list(base.get("categorical", [])), list(base.get("high_cardinality", []))
    if r.high_cardinality_encoding == "onehot":
        categorical, high = categorical + high, []
    # sklearn reads an integral min_frequency as a count and a fraction below 1 as a share.
    min_frequency: int | float | None = r.min_frequency
    if min_frequency is not None and min_frequency >= 1:
        min_frequency = int(min_frequency)
    recipe.update(
        categorical=categorical,
        high_cardinality=high,
        skewed=list(base.get("skewed", [])) if r.log_skewed else [],
        numeric_transform=(
            "standard" if r.log_skewed and r.numeric_transform == "none" else r.numeric_transform
        ),
        impute=r.impute,
        categorical_encoding=r.categorical_encoding,
        high_cardinality_encoding="ordinal"
        if r.high_cardinality_encoding == "onehot"
        else (r.high_cardinality_encoding),
        text_max_features=r.text_max_features,
        dense=r.dense and not base.get("text"),
        min_frequency=min_frequency if min_frequency is not None else 5,
        max_categories=r.max_categories,
    )
    return recipe


def plan_definitions(
    plan: CandidatePlan,
    recipes: dict[str, dict[str, Any]],
    task: str,
    n_rows: int,
    objective: str,
) -> tuple[dict[str, dict[str, Any]], list[CandidateDefinition]]:
    """The plan's recipes (identical ones shared) and candidate definitions."""
    generated = {d.algorithm: d for d in build_definitions(recipes, task, n_rows, objective)}
    generated.setdefault("mlp", MLP_DEFAULT)
    base = {k: v for k, v in recipes["linear"].items() if k != "name"}
    by_content: dict[str, str] = {}
    out_recipes: dict[str, dict[str, Any]] = {}
    definitions: list[CandidateDefinition] = []
    for planned in plan.candidates:
        family = generated[planned.algorithm]
        if planned.algorithm == "linear" and task == "regression":
            # Ridge has `alpha`, logistic regression `C` and `class_weight`.
            space = {k: _param(p) for k, p in planned.search_space.items() if k == "alpha"}
        elif planned.algorithm == "linear":
            space = {k: _param(p) for k, p in planned.search_space.items() if k != "alpha"}
        else:
            space = {k: _param(p) for k, p in planned.search_space.items()}
        # Keep the family's searched parameters the plan leaves open, at their defaults.
        for name, param in family.space.items():
            if name not in space and not (
                planned.algorithm in ("xgboost", "lightgbm") and planned.search_space
            ):
                space[name] = param
        starts = [
            {name: _clamp(start.get(name), param) for name, param in space.items()}
            for start in family.starts[:2]
        ]
        recipe = _recipe(planned, base, planned.name.split("-")[0])
        key = json.dumps({k: v for k, v in recipe.items() if k != "name"}, sort_keys=True)
        if key in by_content:
            recipe = out_recipes[by_content[key]]
        else:
            if recipe["name"] in out_recipes:
                recipe["name"] = planned.name
            by_content[key] = recipe["name"]
            out_recipes[recipe["name"]] = recipe
        definitions.append(
            CandidateDefinition(
                name=planned.name,
                algorithm=planned.algorithm,
                recipe=recipe,
                space=space,
                fixed={
                    **{k: v for k, v in family.fixed.items() if k not in space},
                    **planned.fixed,
                },
                starts=starts,
                description=planned.description or family.description,
                boosting=family.boosting,
                primary=len(definitions) < 2,
                max_trials=family.max_trials,
                max_rounds=planned.max_boosting_rounds,
                tags=["plan"],
            )
        )
    return out_recipes, definitions
