"""Translating Autopilot candidates into a local `CandidatePlan`.

Each Autopilot candidate is a data transformer (sagemaker-scikit-learn-extension
classes) feeding one of its algorithms. Locally the transformers become an equivalent
recipe of scikit-learn steps and the algorithm the matching local family, searched over
the notebook's own hyperparameter ranges where they mean the same thing. Every
difference is written down as a note on the candidate, so the user sees what the local
re-run does and why.
"""

from __future__ import annotations

import math
from typing import Any

from .. import models as m
from .autopilot_notebook import NotebookCandidate, ParsedNotebook
from .dpp_module import DppModule

#: Autopilot (HPO mode) algorithm -> local family.
ALGORITHM_MAP = {"xgboost": "xgboost", "linear-learner": "linear", "mlp": "mlp"}
#: Autopilot's problem types and objective names -> ours.
PROBLEM_TYPES = {
    "binaryclassification": m.ProblemType.binary,
    "multiclassclassification": m.ProblemType.multiclass,
    "regression": m.ProblemType.regression,
}
METRICS = {metric.value.lower(): metric for metric in m.ObjectiveMetric}
#: XGBoost's SageMaker hyperparameter names -> the scikit-learn API's.
XGBOOST_PARAMS = {
    "eta": "learning_rate",
    "max_depth": "max_depth",
    "min_child_weight": "min_child_weight",
    "subsample": "subsample",
    "colsample_bytree": "colsample_bytree",
    "lambda": "reg_lambda",
    "alpha": "reg_alpha",
    "gamma": "gamma",
}
MLP_PARAMS = {
    "learning_rate": "learning_rate_init",
    "weight_decay": "alpha",
    "wd": "alpha",
    "mini_batch_size": "batch_size",
}
#: What sagemaker-scikit-learn-extension's ThresholdOneHotEncoder uses when not told.
DEFAULT_ONEHOT_THRESHOLD = 0.05
DEFAULT_MAX_CATEGORIES = 100
TREES = ("xgboost", "lightgbm")


def objective_metric(name: str | None) -> m.ObjectiveMetric | None:
    """`ACCURACY`, `F1`, `MSE`, `BALANCED_ACCURACY`... -> our metric enum."""
    if not name:
        return None
    return METRICS.get(name.replace("_", "").replace("validation:", "").lower())


def _param(range_: dict[str, Any], *, integer: bool | None = None) -> m.PlannedParam | None:
    kind = range_["kind"]
    if kind == "Categorical":
        return m.PlannedParam(kind="categorical", choices=list(range_["values"]))
    low, high = float(range_["low"]), float(range_["high"])
    log = str(range_.get("scaling") or "").lower().startswith("log") and low > 0
    is_int = (kind == "Integer") if integer is None else integer
    if is_int:
        return m.PlannedParam(kind="int", low=math.ceil(low), high=math.floor(high), log=log)
    return m.PlannedParam(kind="float", low=low, high=high, log=log)


def _recipe(
    algorithm: str, transformers: list[str], module: DppModule | None, notes: list[str]
) -> m.PlannedRecipe:
    names = set(transformers)
    trees = algorithm in TREES
    args = module.arguments if module else {}
    recipe = m.PlannedRecipe()
    onehot = args.get("ThresholdOneHotEncoder", {})
    threshold = onehot.get("threshold", DEFAULT_ONEHOT_THRESHOLD)
    if isinstance(threshold, (int, float)) and threshold > 0:
        recipe.min_frequency = float(threshold)
    max_categories = onehot.get("max_categories", DEFAULT_MAX_CATEGORIES)
    if isinstance(max_categories, int) and max_categories >= 2:
        recipe.max_categories = max_categories
    recipe.categorical_encoding = "onehot"
    recipe.high_cardinality_encoding = "onehot"
    if "ThresholdOneHotEncoder" not in names:
        notes.append(
            "No categorical encoder is named; categorical columns found locally are one-hot "
            "encoded like ThresholdOneHotEncoder does."
        )
    tfidf = args.get("MultiColumnTfidfVectorizer", {})
    if isinstance(tfidf.get("max_features"), int):
        recipe.text_max_features = int(tfidf["max_features"])
    if trees:
        # Trees split on thresholds: scaling and monotone transforms do not change them,
        # and XGBoost routes missing values itself (RobustImputer's "converts to nan").
        recipe.impute = False
        skipped = sorted(
            names
            & {
                "RobustStandardScaler",
                "QuantileExtremeValuesTransformer",
                "LogExtremeValuesTransformer",
            }
        )
        if skipped:
            notes.append(
                ", ".join(skipped) + ": skipped for trees (monotone per-column transforms "
                "do not change tree splits)."
            )
    else:
        recipe.impute = True
        recipe.numeric_transform = "standard" if "RobustStandardScaler" in names else "none"
        recipe.log_skewed = bool(
            names & {"QuantileExtremeValuesTransformer", "LogExtremeValuesTransformer"}
        )
        if recipe.log_skewed:
            notes.append(
                "QuantileExtremeValuesTransformer: long-tailed numeric columns are "
                "log-transformed (signed log1p) before scaling."
            )
        if "RobustMissingIndicator" in names or "RobustImputer" in names:
            notes.append(
                "RobustImputer/RobustMissingIndicator: median imputation with missing-value "
                "indicator columns."
            )
    if "RobustPCA" in names:
        notes.append(
            "RobustPCA is not reproduced: the local pipeline keeps every feature (the "
            "algorithm regularises instead of a fixed dimensionality reduction)."
        )
    known = {
        "RobustImputer",
        "RobustMissingIndicator",
        "ThresholdOneHotEncoder",
        "RobustStandardScaler",
        "QuantileExtremeValuesTransformer",
        "LogExtremeValuesTransformer",
        "MultiColumnTfidfVectorizer",
        "RobustPCA",
        "RobustLabelEncoder",
    }
    for name in transformers:
        if name not in known:
            notes.append(f"{name}: no local equivalent; left out.")
    return recipe


def _space(
    sm_algorithm: str,
    local: str,
    ranges: dict[str, dict[str, Any]],
    notes: list[str],
) -> tuple[dict[str, m.PlannedParam], int | None]:
    space: dict[str, m.PlannedParam] = {}
    rounds: int | None = None
    if local == "xgboost":
        for name, range_ in ranges.items():
            if name == "num_round" and range_.get("high"):
                rounds = int(range_["high"])
                notes.append(
                    f"num_round: chosen by early stopping on the validation split, up to "
                    f"{rounds} rounds."
                )
                continue
            ours = XGBOOST_PARAMS.get(name)
            param = _param(range_) if ours else None
            if ours and param is not None:
                space[ours] = param
            else:
                notes.append(f"{name}: not searched locally (no scikit-learn API equivalent).")
    elif local == "linear":
        dropped = sorted(set(ranges) - {"positive_example_weight_mult"})
        if dropped:
            notes.append(
                ", ".join(dropped) + ": linear-learner's SGD settings do not carry over to "
                "scikit-learn's exact solver; the regularisation strength is searched instead."
            )
        weights = ranges.get("positive_example_weight_mult", {}).get("values") or []
        if "balanced" in weights:
            space["class_weight"] = m.PlannedParam(kind="categorical", choices=[None, "balanced"])
            others = [w for w in weights if w not in ("balanced", "1")]
            if others:
                notes.append(
                    "positive_example_weight_mult " + ", ".join(others) + ": searched as "
                    "'balanced' or unweighted only."
                )
    elif local == "mlp":
        for name, range_ in ranges.items():
            ours = MLP_PARAMS.get(name)
            param = _param(range_, integer=True if ours == "batch_size" else None)
            if ours and param is not None:
                space[ours] = param
            else:
                notes.append(f"{name}: not searched locally (no scikit-learn MLP equivalent).")
    if not ranges:
        notes.append(f"The notebook gives no ranges for {sm_algorithm}; the local defaults apply.")
    return space, rounds


def translate(
    parsed: ParsedNotebook,
    modules: dict[str, DppModule],
    source: str,
) -> tuple[list[m.ImportedCandidate], m.CandidatePlan | None, list[str]]:
    """Imported candidates (with notes), the plan (with the modules' column types) and warnings."""
    warnings: list[str] = []
    imported: list[m.ImportedCandidate] = []
    planned: list[m.PlannedCandidate] = []
    for candidate in parsed.candidates:
        notes: list[str] = []
        module = modules.get(candidate.data_transformer)
        transformers = candidate.transformers
        if module is not None and module.transformers:
            transformers = [t for t in module.transformers if "Label" not in t]
        local = ALGORITHM_MAP.get(candidate.algorithm)
        ranges = parsed.ranges.get(candidate.algorithm, {})
        if local is None:
            notes.append(
                f"{candidate.algorithm} has no local equivalent; this candidate is not re-run."
            )
            imported.append(_imported(candidate, transformers, local, ranges, notes))
            continue
        recipe = _recipe(local, transformers, module, notes)
        space, rounds = _space(candidate.algorithm, local, ranges, notes)
        if not candidate.transformers and module is None:
            notes.append("The notebook does not describe this candidate's transformers.")
        planned.append(
            m.PlannedCandidate(
                name=_local_name(candidate.name),
                algorithm=local,
                recipe=recipe,
                search_space=space,
                description=f"Autopilot candidate {candidate.name}: "
                + (candidate.description or f"{candidate.algorithm} pipeline"),
                max_boosting_rounds=rounds,
            )
        )
        imported.append(_imported(candidate, transformers, local, ranges, notes))
    column_types: dict[str, str] = {}
    for module in modules.values():
        for kind, columns in module.groups.items():
            for column in columns:
                column_types.setdefault(column, kind)
    plan = (
        m.CandidatePlan(source=source, candidates=planned, column_types=column_types)
        if planned
        else None
    )
    if plan is None:
        warnings.append("None of the notebook's candidates can run locally.")
    return imported, plan, warnings


def _imported(
    candidate: NotebookCandidate,
    transformers: list[str],
    local: str | None,
    ranges: dict[str, dict[str, Any]],
    notes: list[str],
) -> m.ImportedCandidate:
    return m.ImportedCandidate(
        name=candidate.name,
        data_transformer=candidate.data_transformer,
        algorithm=candidate.algorithm,
        transformers=transformers,
        description=candidate.description,
        local_algorithm=local,
        hyperparameter_ranges={k: m.ImportedRange(**v) for k, v in ranges.items()},
        notes=notes,
    )


def _local_name(name: str) -> str:
    """Candidate names as the engine allows them (letters, digits, `_.-`)."""
    cleaned = "".join(c if c.isalnum() or c in "_.-" else "-" for c in name).strip("-_.")
    return cleaned[:64] or "candidate"
