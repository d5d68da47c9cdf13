"""The saved model artifact: round trip, checksum, and robustness of TrainedModel inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_testdata import mixed_frame

from jupyter_autopilot.engine import ModelChecksumMismatch, TrainedModel, load_model, save_model
from jupyter_autopilot.exceptions import InvalidRequest


@pytest.fixture(scope="module")
def model(mixed_run) -> TrainedModel:
    _, _, result = mixed_run
    return load_model(result.model_path, result.model_sha256)


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return mixed_frame(50, seed=7).drop(columns="label")


def test_save_load_round_trip(model: TrainedModel, rows: pd.DataFrame, tmp_path) -> None:
    sha = save_model(model, tmp_path / "copy.joblib")
    assert len(sha) == 64
    again = load_model(tmp_path / "copy.joblib", expected_sha256=sha)
    np.testing.assert_allclose(again.predict_proba(rows), model.predict_proba(rows))
    assert list(again.predict(rows)) == list(model.predict(rows))
    assert again.labels == model.labels and again.target == "label"
    assert sorted(model.labels or []) == ["bad", "good"]


def test_model_files_of_both_picklers_load(model: TrainedModel, rows, tmp_path) -> None:
    import hashlib
    import io

    import joblib

    # Written by joblib's own pickler, as models were before: still loaded.
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=1)
    (tmp_path / "old.joblib").write_bytes(buffer.getvalue())
    old = load_model(tmp_path / "old.joblib", hashlib.sha256(buffer.getvalue()).hexdigest())
    np.testing.assert_allclose(old.predict_proba(rows), model.predict_proba(rows))
    # Written now (the C pickler): joblib.load reads it too, as a user of the file would.
    save_model(model, tmp_path / "new.joblib")
    again = joblib.load(tmp_path / "new.joblib")
    np.testing.assert_allclose(again.predict_proba(rows), model.predict_proba(rows))
    # Arrays in either memory order survive (protocol 5 hands them over as buffers).
    big = np.arange(40_000.0).reshape(200, 200)  # above pickle's 64 KB frame: written directly
    arrays = {"c": big, "f": np.asfortranarray(big)}
    save_model(arrays, tmp_path / "arrays.joblib")
    loaded = joblib.load(tmp_path / "arrays.joblib")
    for key, value in arrays.items():
        np.testing.assert_array_equal(loaded[key], value)


def test_checksum_mismatch_is_refused_before_unpickling(model: TrainedModel, tmp_path) -> None:
    path = tmp_path / "m.joblib"
    sha = save_model(model, path)
    with pytest.raises(ModelChecksumMismatch, match="checksum"):
        load_model(path, expected_sha256="0" * 64)
    # A tampered file (here: a pickle that would run code) is refused with its old checksum.
    import pickle

    path.write_bytes(pickle.dumps(TamperCheck()))
    with pytest.raises(ModelChecksumMismatch):
        load_model(path, expected_sha256=sha)
    assert not TamperCheck.loaded


class TamperCheck:
    loaded = False

    def __reduce__(self):
        return (_mark_loaded, ())


def _mark_loaded():
    TamperCheck.loaded = True
    return None


def test_predictions_are_labels_and_probabilities(model: TrainedModel, rows: pd.DataFrame) -> None:
    proba = model.predict_proba(rows)
    assert proba.shape == (len(rows), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    labels = model.predict(rows)
    assert set(labels) <= {"bad", "good"}
    negative, positive = model.labels or []
    expected = np.where(proba[:, 1] >= model.threshold, positive, negative)
    assert list(labels) == list(expected)


def test_missing_values_and_unknown_categories(model: TrainedModel, rows: pd.DataFrame) -> None:
    odd = rows.copy()
    odd.loc[:, "x1"] = np.nan
    odd.loc[odd.index[:10], "city"] = "Atlantis"  # never seen in training
    odd.loc[odd.index[10:20], "color"] = None
    odd.loc[odd.index[20:30], "review"] = np.nan
    odd.loc[odd.index[30:40], "signup"] = "not a date"
    odd["x2"] = odd["x2"].astype(object)
    odd.loc[odd.index[40:], "x2"] = "n/a"  # unparseable number -> missing
    proba = model.predict_proba(odd)
    assert np.isfinite(proba).all() and proba.shape == (len(rows), 2)


def test_column_order_and_extra_columns_do_not_matter(
    model: TrainedModel, rows: pd.DataFrame
) -> None:
    shuffled = rows[list(reversed(rows.columns))].assign(extra=1, label="good")
    np.testing.assert_allclose(model.predict_proba(shuffled), model.predict_proba(rows))


def test_missing_columns_are_named(model: TrainedModel, rows: pd.DataFrame) -> None:
    with pytest.raises(InvalidRequest) as info:
        model.predict(rows.drop(columns=["city", "x2"]))
    assert "x2" in info.value.message and "city" in info.value.message


def test_single_row_and_all_string_input(model: TrainedModel, rows: pd.DataFrame) -> None:
    # A serving request often arrives as text (CSV body); values are parsed per column type.
    as_text = rows.head(1).astype(str)
    np.testing.assert_allclose(
        model.predict_proba(as_text), model.predict_proba(rows.head(1)), atol=1e-9
    )


def test_compiled_fast_path_matches_the_pipeline(model: TrainedModel, rows: pd.DataFrame) -> None:
    # The engine enables the compiled serving path only after checking it on validation rows;
    # here it must also agree on inputs it never saw: gaps, unseen categories, odd text.
    assert model.fast_path
    odd = rows.copy()
    odd["x2"] = odd["x2"].astype(object)
    odd.loc[odd.index[:10], "city"] = "Atlantis"
    odd.loc[odd.index[10:20], ["color", "x1"]] = np.nan
    odd.loc[odd.index[20:30], "x2"] = "12,5"
    odd.loc[odd.index[30:40], "review"] = None
    for frame in (rows, odd, odd.head(1), odd.iloc[[15]]):
        np.testing.assert_allclose(model._raw_fast(frame), model._raw(frame), rtol=1e-6, atol=1e-9)
