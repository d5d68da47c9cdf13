"""Prediction inputs checked against what training saw: numbers where it had numbers.

Training reads a column as numeric when at least 95% of its values parse as numbers and
treats the rest (say `?` or `unknown`) as missing. A prediction request, though, that sends
`abc`, a JSON object or a list where the model expects a number is a mistake of the
caller; predicting it as a missing value would answer silently with a made-up input. So
the model remembers the non-numeric texts each numeric column held in training
(`tolerated_texts`) and refuses any other, naming the column and the row. Missing values
(an empty cell, null, `NA`...) stay allowed, as in training.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidRequest

#: What pandas reads as missing in a CSV (its default `na_values`), as training did.
MISSING_TEXTS = frozenset(
    [
        "",
        "#N/A",
        "#N/A N/A",
        "#NA",
        "-1.#IND",
        "-1.#QNAN",
        "-NaN",
        "-nan",
        "1.#IND",
        "1.#QNAN",
        "<NA>",
        "N/A",
        "NA",
        "NULL",
        "NaN",
        "None",
        "n/a",
        "nan",
        "null",
    ]
)
#: Distinct non-numeric texts remembered per numeric column; a column that had more
#: accepts any text at prediction time too (None in `tolerated_texts`).
MAX_TOLERATED_TEXTS = 100


def tolerated_texts(
    frame: pd.DataFrame, column_types: Mapping[str, str]
) -> dict[str, list[str] | None]:
    """Per numeric column of the training `frame`, the texts training read as missing
    because they are not numbers (only columns that had some)."""
    out: dict[str, list[str] | None] = {}
    for column, kind in column_types.items():
        if kind != "numeric" or column not in frame or frame[column].dtype.kind in "biufc":
            continue
        texts = frame[column].dropna().astype(str).str.strip()
        odd = texts[pd.to_numeric(texts, errors="coerce").isna() & ~texts.isin(MISSING_TEXTS)]
        distinct = sorted(odd.unique().tolist())
        if distinct:
            out[column] = distinct if len(distinct) <= MAX_TOLERATED_TEXTS else None
    return out


def describe_value(value: Any) -> str:
    """A value as the caller wrote it, shortened for a message."""
    if isinstance(value, dict):
        return f"a JSON object {json.dumps(value, default=str)[:60]}"
    if isinstance(value, list):
        return f"a list {json.dumps(value, default=str)[:60]}"
    return repr(value if len(str(value)) <= 60 else f"{str(value)[:57]}...")


def _is_missing_or_tolerated(value: Any, tolerated: frozenset[str]) -> bool:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return True
    if isinstance(value, str):
        text = value.strip()
        return text in MISSING_TEXTS or text in tolerated
    return False


def _parses(value: Any) -> bool:
    try:  # a one-value Series, so that integers are converted to float as well
        return not pd.to_numeric(pd.Series([value], dtype=object)).isna().iat[0]
    except (ValueError, TypeError, OverflowError):
        return False


def _not_numbers(values: pd.Series) -> np.ndarray:
    """Which values do not read as numbers (missing ones included)."""
    try:
        return np.asarray(pd.to_numeric(values, errors="coerce").isna())
    except (OverflowError, TypeError):  # an integer beyond float range, say: one by one
        return np.array([not _parses(v) for v in values], dtype=bool)


def check_numbers(
    frame: pd.DataFrame,
    column_types: Mapping[str, str],
    tolerated: Mapping[str, list[str] | None],
) -> None:
    """Raise `InvalidRequest` naming the first column and row of `frame` whose value is not
    a number where the model expects one (missing values and texts seen in training pass)."""
    for column, kind in column_types.items():
        if kind != "numeric" or column not in frame:
            continue
        values = frame[column]
        if values.dtype.kind in "biuf":
            continue
        allowed = tolerated.get(column, [])
        if allowed is None:
            continue
        failed = _not_numbers(values)
        if not failed.any():
            continue
        accepted = frozenset(allowed)
        rows = [
            int(i)
            for i in np.flatnonzero(failed)
            if not _is_missing_or_tolerated(values.iat[int(i)], accepted)
        ]
        if rows:
            more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
            raise InvalidRequest(
                f"Column {column!r} holds numbers, but row {rows[0] + 1} has "
                f"{describe_value(values.iat[rows[0]])}{more}. Send a number, or leave the "
                "value empty (or null) for a missing one."
            )
