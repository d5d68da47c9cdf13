"""Category values as the models see them: the same text whatever the column's dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.engine.recipes import label_values


def as_list(values: np.ndarray) -> list[object]:
    return [None if isinstance(v, float) and np.isnan(v) else v for v in values]


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([" a", "b ", None, np.nan, "a", "", pd.NA, "b"], dtype=object),
        pd.Series([" a", "b ", None, None, "a", "", None, "b"], dtype="string"),
    ],
)
def test_text_is_stripped_and_missing_is_nan(values: pd.Series) -> None:
    out = label_values(values)
    assert out.dtype == object and len(out) == len(values)
    assert as_list(out) == ["a", "b", None, None, "a", "", None, "b"]


def test_numbers_and_their_text_are_one_category() -> None:
    mixed = pd.Series([1, "1", 1.0, " 2 ", True, None], dtype=object)
    assert as_list(label_values(mixed)) == ["1", "1", "1", "2", "True", None]
    assert as_list(label_values(pd.Series([1.0, 2.0, np.nan]))) == ["1", "2", None]
    assert as_list(label_values(pd.Series([1, 2]))) == ["1", "2"]


def test_all_missing_and_empty() -> None:
    assert as_list(label_values(pd.Series([None, None], dtype=object))) == [None, None]
    assert len(label_values(pd.Series([], dtype=object))) == 0
