"""Fast prediction for saved models: the same numbers as the scikit-learn pipeline, cheaper.

A fitted `ColumnTransformer` spends milliseconds per call on bookkeeping (column
selection, validation, output wrapping), and a forest's `predict_proba` dispatches every
tree through joblib. That dominates single-row latency (tens of milliseconds for an
ensemble). This module compiles a fitted recipe into plain numpy operations, using the
fitted parameters of each step (ordinal codes as dictionaries, imputation, scaling), and
predicts with the libraries' low-level entry points (LightGBM/XGBoost boosters, the trees
of a forest).

Anything it does not recognise makes `compile_preprocessor` return None, and the caller
keeps the scikit-learn path. The engine checks both paths agree on validation rows before
it enables this one (`TrainedModel.enable_fast_path`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    OrdinalEncoder,
    QuantileTransformer,
    StandardScaler,
    TargetEncoder,
)

from .recipes import label_text, label_values, signed_log1p

Columns = dict[str, np.ndarray]
Step = Callable[[Columns, pd.DataFrame], np.ndarray]


def _numeric_block(columns: list[str]) -> Callable[[Columns], np.ndarray]:
    def block(data: Columns) -> np.ndarray:
        return np.column_stack([data[c] for c in columns]).astype(float, copy=False)

    return block


def _object_block(columns: list[str], data: Columns) -> np.ndarray:
    return np.column_stack([data[c] for c in columns]).astype(object, copy=False)


def _ordinal_lookup(encoder: OrdinalEncoder, columns: list[str]) -> Step | None:
    """Ordinal codes by dictionary; unknown and missing values -> NaN (as configured)."""
    if not (
        encoder.handle_unknown == "use_encoded_value"
        and np.isnan(encoder.unknown_value)
        and np.isnan(encoder.encoded_missing_value)
    ):
        return None
    tables = []
    for categories in encoder.categories_:
        table = {}
        for code, value in enumerate(categories):
            if isinstance(value, str):
                table[value] = float(code)
        tables.append(table)

    def step(data: Columns, frame: pd.DataFrame) -> np.ndarray:
        out = np.empty((len(frame), len(columns)), dtype=float)
        for j, (column, table) in enumerate(zip(columns, tables, strict=True)):
            values = data[column]
            if len(values) <= 64:
                out[:, j] = [table.get(v, np.nan) if isinstance(v, str) else np.nan for v in values]
            else:
                out[:, j] = (
                    pd.Series(values, dtype=object)
                    .map(table)
                    .to_numpy(dtype=float, na_value=np.nan)
                )
        return out

    return step


_UNKNOWN = "\x00unseen category\x00"


def _segment_widths(encoder: Any, n_columns: int) -> list[int] | None:
    """Output columns per input column of a column-wise categorical encoder."""
    if isinstance(encoder, OneHotEncoder):
        return list(encoder._n_features_outs)
    if isinstance(encoder, OrdinalEncoder):
        return [1] * n_columns
    if isinstance(encoder, TargetEncoder):
        width = len(encoder.classes_) if encoder.target_type_ == "multiclass" else 1
        return [width] * n_columns
    return None


def _lookup_encoder(transformer: Any, columns: list[str]) -> Step | None:
    """Compile a column-wise categorical encoder (one-hot, ordinal, target; optionally after
    an imputer) into per-column tables, by asking the fitted encoder itself what each known
    category, an unseen one and a missing value become. Exact by construction."""
    encoder = transformer.steps[-1][1] if isinstance(transformer, Pipeline) else transformer
    widths = _segment_widths(encoder, len(columns))
    if widths is None:
        return None
    base = []
    for categories in encoder.categories_:
        known = [c for c in categories if isinstance(c, str)]
        if not known:
            return None
        base.append(known[0])
    tables: list[tuple[dict[str, int], np.ndarray]] = []  # per column: value -> row, rows
    start = 0
    for i, categories in enumerate(encoder.categories_):
        known = [c for c in categories if isinstance(c, str)]
        probe = np.array([base] * (len(known) + 2), dtype=object)
        probe[:, i] = [*known, _UNKNOWN, np.nan]
        out = transformer.transform(probe)
        out = np.asarray(out.toarray() if hasattr(out, "toarray") else out, dtype=float)
        # Rows: the known categories, then "unseen", then "missing".
        tables.append(({v: k for k, v in enumerate(known)}, out[:, start : start + widths[i]]))
        start += widths[i]

    def step(data: Columns, frame: pd.DataFrame) -> np.ndarray:
        blocks = []
        for column, (index, rows) in zip(columns, tables, strict=True):
            unseen, missing = len(rows) - 2, len(rows) - 1
            values = data[column]
            if len(values) <= 64:
                picks = [index.get(v, unseen) if isinstance(v, str) else missing for v in values]
                blocks.append(rows[picks])
            else:
                series = pd.Series(values, dtype=object)
                picks_array = series.map(index).fillna(unseen).to_numpy(dtype=int, copy=True)
                picks_array[series.isna().to_numpy()] = missing
                blocks.append(rows[picks_array])
        return np.hstack(blocks)

    return step


def _quantile_normal(step: QuantileTransformer) -> Callable[[np.ndarray], np.ndarray]:
    """QuantileTransformer(output_distribution="normal").transform in plain numpy (the same
    interpolation, bounds and clipping; scipy's `norm.ppf` dominates its cost otherwise)."""
    from scipy.special import ndtri

    bound = 1e-7  # sklearn's BOUNDS_THRESHOLD
    references = step.references_
    clip_min, clip_max = ndtri(bound - np.spacing(1)), ndtri(1 - (bound - np.spacing(1)))

    def transform(X: np.ndarray) -> np.ndarray:
        X = np.array(X, dtype=float)
        for j in range(X.shape[1]):
            quantiles = step.quantiles_[:, j]
            column = X[:, j]
            with np.errstate(invalid="ignore"):
                lower = column - bound < quantiles[0]
                upper = column + bound > quantiles[-1]
            finite = ~np.isnan(column)
            values = column[finite]
            column[finite] = 0.5 * (
                np.interp(values, quantiles, references)
                - np.interp(-values, -quantiles[::-1], -references[::-1])
            )
            column[upper] = 1.0
            column[lower] = 0.0
            with np.errstate(invalid="ignore", divide="ignore"):
                X[:, j] = np.clip(ndtri(column), clip_min, clip_max)
        return X

    return transform


def _numeric_pipeline(transformer: Any, columns: list[str]) -> Step | None:
    # A fitted ColumnTransformer holds "passthrough" as an identity FunctionTransformer.
    identity = transformer == "passthrough" or (
        isinstance(transformer, FunctionTransformer) and transformer.func is None
    )
    steps = transformer.steps if isinstance(transformer, Pipeline) else []
    if not identity and not steps:
        return None
    funcs: list[Callable[[np.ndarray], np.ndarray]] = []
    for _, step in steps:
        if isinstance(step, FunctionTransformer):
            if step.func is not signed_log1p:
                return None
            funcs.append(signed_log1p)
        elif isinstance(step, QuantileTransformer) and step.output_distribution == "normal":
            funcs.append(_quantile_normal(step))
        elif isinstance(step, (SimpleImputer, StandardScaler, QuantileTransformer)):
            funcs.append(step.transform)
        else:
            return None
    block = _numeric_block(columns)

    def run(data: Columns, frame: pd.DataFrame) -> np.ndarray:
        X = block(data)
        for func in funcs:
            X = func(X)
        return np.asarray(X, dtype=float)

    return run


def _generic(transformer: Any, columns: list[str], frame_input: bool) -> Step:
    """Call the fitted step itself on a numpy (or small DataFrame) input."""

    def run(data: Columns, frame: pd.DataFrame) -> np.ndarray:
        if frame_input:
            X: Any = pd.DataFrame({c: data[c] for c in columns})
        else:
            X = _object_block(columns, data)
        out = transformer.transform(X)
        out = out.toarray() if hasattr(out, "toarray") else out
        return np.asarray(out, dtype=float)

    return run


def compile_preprocessor(
    preprocessor: ColumnTransformer,
) -> Callable[[Columns, pd.DataFrame], np.ndarray] | None:
    """A function computing `preprocessor.transform` from coerced column arrays, or None."""
    if preprocessor.sparse_threshold != 0.0:
        return None  # sparse outputs (TF-IDF for linear models) keep the scikit-learn path
    steps: list[Step] = []
    for name, transformer, columns in preprocessor.transformers_:
        if name == "remainder":
            if transformer != "drop":
                return None
            continue
        columns = list(columns)
        if name in ("num", "log"):
            step = _numeric_pipeline(transformer, columns)
        elif name in ("cat", "high") and isinstance(transformer, OrdinalEncoder):
            step = _ordinal_lookup(transformer, columns)
        elif name in ("cat", "high"):
            step = _lookup_encoder(transformer, columns) or _generic(
                transformer, columns, frame_input=False
            )
        elif name.startswith("text") or name == "date":
            step = _generic(transformer, columns, frame_input=True)
        else:
            return None
        if step is None:
            return None
        steps.append(step)

    def transform(data: Columns, frame: pd.DataFrame) -> np.ndarray:
        blocks = [step(data, frame) for step in steps]
        return np.hstack(blocks) if blocks else np.empty((len(frame), 0))

    return transform


def coerce_columns(frame: pd.DataFrame, column_types: dict[str, str]) -> Columns:
    """`recipes.coerce_frame` as a dict of numpy arrays (no DataFrame assembly)."""
    out: Columns = {}
    for column, kind in column_types.items():
        values = frame[column]
        if kind == "numeric":
            if values.dtype.kind in "fiu":
                out[column] = values.to_numpy(dtype=float)
            else:
                out[column] = pd.to_numeric(values, errors="coerce").to_numpy(
                    dtype=float, na_value=np.nan
                )
        elif kind == "datetime":
            converted = pd.to_datetime(values, errors="coerce", format="mixed")
            if getattr(converted.dt, "tz", None) is not None:
                converted = converted.dt.tz_convert("UTC").dt.tz_localize(None)
            out[column] = converted.to_numpy(dtype="datetime64[ns]")
        elif len(values) <= 64 and values.dtype == object:
            out[column] = np.array(
                [np.nan if _missing(v) else label_text(v) for v in values.tolist()], dtype=object
            )
        else:
            out[column] = label_values(values)
    return out


def _missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NaT
        or value is pd.NA
        or (isinstance(value, float) and np.isnan(value))
    )


def predict_member(
    algorithm: str, estimator: Any, X: np.ndarray, classify: bool, threads: int
) -> np.ndarray:
    """Probabilities (n, classes) or values (n,) through each library's direct entry point."""
    folds = getattr(estimator, "estimators", None)
    if isinstance(folds, list):  # a BaggedModel: the mean of its fold models
        return np.mean([predict_member(algorithm, e, X, classify, threads) for e in folds], axis=0)
    if algorithm == "lightgbm":
        raw = np.asarray(estimator.booster_.predict(X, num_threads=threads), dtype=float)
        return _as_proba(raw, classify)
    if algorithm == "xgboost":
        booster = estimator.get_booster()
        best = getattr(estimator, "best_iteration", None)
        rounds = (0, int(best) + 1) if best is not None else (0, 0)
        if getattr(estimator, "_serving_threads", None) != threads:
            booster.set_param({"nthread": threads})  # costs ~0.3 ms: only when it changes
            estimator._serving_threads = threads
        raw = np.asarray(booster.inplace_predict(X, iteration_range=rounds), dtype=float)
        return _as_proba(raw, classify)
    if algorithm in ("random_forest", "extra_trees") and len(X) <= 256:
        X32 = np.ascontiguousarray(X, dtype=np.float32)
        total: np.ndarray | None = None
        for tree in estimator.estimators_:
            value = tree.tree_.predict(X32)
            if classify:
                value = value[:, : estimator.n_classes_]
                norm = value.sum(axis=1, keepdims=True)
                norm[norm == 0.0] = 1.0
                value = value / norm
            else:
                value = value[:, 0]
            total = value if total is None else total + value
        assert total is not None
        return total / len(estimator.estimators_)
    if hasattr(estimator, "n_jobs") and estimator.n_jobs != threads:
        estimator.set_params(n_jobs=threads)
    if classify:
        return np.asarray(estimator.predict_proba(X), dtype=float)
    return np.asarray(estimator.predict(X), dtype=float)


def _as_proba(raw: np.ndarray, classify: bool) -> np.ndarray:
    if not classify:
        return raw.reshape(-1)
    if raw.ndim == 1:
        return np.column_stack([1.0 - raw, raw])
    return raw


__all__ = ["coerce_columns", "compile_preprocessor", "predict_member"]
