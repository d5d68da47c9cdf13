"""`?explain=true`: each row's feature contributions added to a JSON invocation answer."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from ..engine.contributions import check_row_count, explain_rows
from ..exceptions import InvalidRequest
from ..models import Contribution, Explanation, RowExplanation
from .payloads import JSON


def check_explain_request(rows: int, accept: str) -> None:
    """Refuse, before predicting, what explanations cannot answer."""
    if accept != JSON:
        raise InvalidRequest(
            "Explanations come as JSON: send Accept: application/json with explain=true "
            "(or leave out explain=true to get CSV)."
        )
    check_row_count(rows)


def _json_value(value: Any) -> Any:
    """An input value as JSON (numpy scalars as numbers, missing as null)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if pd.isna(value) is True:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if isinstance(value, int | float | str | bool) else str(value)


def explanation(model: Any, frame: pd.DataFrame) -> Explanation:
    """The API form of `engine.contributions.explain_rows` for the parsed rows."""
    found = explain_rows(model, frame)
    inputs = model._inputs(frame)  # the values as the model reads them (numbers as numbers)
    rows = []
    for i, row in enumerate(found.rows):
        ranked = sorted(row.contributions.items(), key=lambda kv: -abs(kv[1]))
        rows.append(
            RowExplanation(
                label=row.label,
                output=row.output,
                base_value=row.base_value,
                contributions=[
                    Contribution(column=c, value=_json_value(inputs[c].iloc[i]), contribution=v)
                    for c, v in ranked
                ],
            )
        )
    return Explanation(method=found.method, space=found.space, rows=rows)


def add_explanation(body: bytes, model: Any, frame: pd.DataFrame) -> bytes:
    """The JSON answer `{"predictions": [...]}` with `"explanation"` added."""
    document = json.loads(body)
    document["explanation"] = explanation(model, frame).model_dump(mode="json")
    return json.dumps(document).encode()
