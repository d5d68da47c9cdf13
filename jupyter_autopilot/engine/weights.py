"""Sample weights: the weight column checked at create time and the rows it keeps.

Autopilot V2's `SampleWeightAttributeName`: a column of non-negative numbers, one per row,
used in training and in every metric; rows whose weight is missing or not a number are
left out. A weight column that cannot be meant as weights (absent, the target, no numbers
at all, a negative value, all zero) is refused with a message naming what to fix, before
any work starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidDataset
from ..models import DataWarning
from . import analysis
from .recipes import read_weights

FIELD = "sample_weight"


def _refuse(message: str) -> InvalidDataset:
    return InvalidDataset(message, details=[{"field": FIELD, "message": message}])


def check_weights(
    frame: pd.DataFrame, column: str, target: str
) -> tuple[np.ndarray, np.ndarray, list[DataWarning]]:
    """Check the weight `column` of `frame`; return (weights of the kept rows, the kept
    rows as a boolean mask over `frame`, warnings).

    Raises `InvalidDataset` (field `sample_weight`) when the column is missing, is the
    target, holds no number, holds a negative number or only zeros.
    """
    columns = [str(c) for c in frame.columns]
    if column not in columns:
        raise _refuse(analysis.missing_column_message("sample weight column", [column], columns))
    if column == target:
        raise _refuse(
            f"The sample weight column {column!r} is the target; choose a column of row weights."
        )
    weights = read_weights(frame[column])
    kept = ~np.isnan(weights)
    if not kept.any():
        raise _refuse(
            f"The sample weight column {column!r} holds no numbers; weights must be "
            "non-negative numbers, one per row."
        )
    negative = np.flatnonzero(kept & (np.nan_to_num(weights) < 0))
    if len(negative):
        more = f" (and {len(negative) - 1} more rows)" if len(negative) > 1 else ""
        raise _refuse(
            f"The sample weight column {column!r} has a negative weight, "
            f"{weights[negative[0]]:g} in data row {negative[0] + 1}{more}; weights must be "
            "zero or more."
        )
    if not (weights[kept] > 0).any():
        raise _refuse(
            f"Every weight in the sample weight column {column!r} is zero; at least some rows "
            "need a positive weight."
        )
    warnings = []
    dropped = int((~kept).sum())
    if dropped:
        warnings.append(
            DataWarning(
                code="weight_missing",
                severity="warning",
                column=column,
                message=f"The sample weight is missing or not a number in {dropped} rows; "
                "they are left out of training and scoring.",
                suggestion="Give every row a non-negative weight, or accept that these rows "
                "are not used.",
            )
        )
    return weights[kept], kept, warnings


def split_weights(dataset: Any, train_rows: np.ndarray, valid_rows: np.ndarray) -> dict[str, Any]:
    """The `Tuner`'s `w_train` and `w_valid` for a dataset's split (empty: no weights)."""
    if dataset.weights is None:
        return {}
    return {"w_train": dataset.weights[train_rows], "w_valid": dataset.weights[valid_rows]}


def saved_validation_weights(output_dir: Path) -> np.ndarray | None:
    """The sample weights of the validation rows pre-processing saved (None: unweighted)."""
    import joblib

    saved = joblib.load(Path(output_dir) / "cache" / "validation.joblib")
    weights = saved.get("weights")
    return None if weights is None else np.asarray(weights, dtype=float)
