"""Prediction inputs against training: numbers where training had numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.engine.inputs import MAX_TOLERATED_TEXTS, check_numbers, tolerated_texts
from jupyter_autopilot.exceptions import InvalidRequest

TYPES = {"age": "numeric", "job": "category", "income": "numeric"}


def test_training_remembers_the_texts_it_read_as_missing_in_numeric_columns():
    training = pd.DataFrame(
        {
            "age": ["30", " ? ", "41", "unknown", None, "N/A", "52"],
            "job": ["a", "b", "c", "d", "e", "f", "g"],
            "income": np.arange(7, dtype=float),
        }
    )
    assert tolerated_texts(training, TYPES) == {"age": ["?", "unknown"]}
    junk = pd.DataFrame({"age": [f"junk{i}" for i in range(MAX_TOLERATED_TEXTS + 1)]})
    assert tolerated_texts(junk, {"age": "numeric"}) == {"age": None}


def test_numbers_missing_values_and_known_texts_pass():
    frame = pd.DataFrame(
        {
            "age": ["30", " 4.5 ", "", None, "NA", "null", "?", np.nan, "1e3", "-2"],
            "job": ["anything goes here"] * 10,
            "income": [1.0] * 10,
        },
        dtype=object,
    )
    check_numbers(frame, TYPES, {"age": ["?"]})
    check_numbers(frame.assign(age="free text"), TYPES, {"age": None})  # training took any


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("abc", "'abc'"),
        ({"a": 1}, 'a JSON object {"a": 1}'),
        ([1, 2], "a list [1, 2]"),
        ("?", "'?'"),  # training never saw it: no longer tolerated
    ],
)
def test_anything_else_is_refused_naming_the_column_and_row(value, shown):
    frame = pd.DataFrame({"age": [30, 31, value, value], "job": "x", "income": 1.0})
    with pytest.raises(InvalidRequest) as error:
        check_numbers(frame, TYPES, {})
    message = error.value.message
    assert f"Column 'age' holds numbers, but row 3 has {shown} (and 1 more rows)" in message
    assert "leave the value empty" in message


def test_an_integer_beyond_float_range_is_refused_not_a_crash():
    frame = pd.DataFrame({"age": [30, 10**400], "job": "x", "income": 1.0}, dtype=object)
    with pytest.raises(InvalidRequest, match="Column 'age' holds numbers, but row 2 has"):
        check_numbers(frame, TYPES, {})
