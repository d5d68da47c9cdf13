"""Public holidays as features of a date column: found from the data, used by the models,
reproduced by both notebooks."""

from __future__ import annotations

import json
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest
from engine_testdata import execute_candidate_notebook, execute_notebook

from jupyter_autopilot.engine import JobConfig, RecordingReporter, load_model, run_job
from jupyter_autopilot.engine.holiday_detection import detect_holidays
from jupyter_autopilot.engine.recipes import (
    HOLIDAY_HORIZON,
    build_preprocessor,
    holiday_countries,
    holiday_parts,
)
from jupyter_autopilot.export.sagemaker_sklearn import model_distributions, requirements

US_2019_2021 = {np.datetime64(d, "D") for d in holidays.US(years=range(2019, 2022))}


def daily(effect: float, seed: int = 0, days: int = 3 * 365) -> pd.DataFrame:
    """Daily rides: a weekday pattern, a trend, noise, and `effect` on US holidays."""
    rng = np.random.default_rng(seed)
    stamps = pd.date_range("2019-01-01", periods=days, freq="D")
    on_holiday = np.isin(stamps.to_numpy().astype("datetime64[D]"), list(US_2019_2021))
    weekday = stamps.day_of_week.to_numpy()
    temperature = rng.normal(15, 8, size=days)
    rides = (
        20.0
        - 8.0 * (weekday >= 5)
        + 0.003 * np.arange(days)
        + 0.2 * temperature
        + effect * on_holiday
        + rng.normal(scale=1.0, size=days)
    )
    return pd.DataFrame(
        {"date": stamps.strftime("%Y-%m-%d"), "temperature": temperature, "rides": rides}
    )


def _detect(frame: pd.DataFrame, y: np.ndarray, task: str = "regression", **kwargs):
    dates = frame[["date"]].assign(date=pd.to_datetime(frame["date"]))
    return detect_holidays(dates, y, {"date": "datetime"}, task, **kwargs)


def test_the_calendar_that_moves_the_target_is_found() -> None:
    frame = daily(effect=-8.0)
    [finding] = _detect(frame, frame["rides"].to_numpy())
    assert (finding.column, finding.country) == ("date", "US")
    days = pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[D]")
    assert finding.z < -5 and finding.holiday_rows == np.isin(days, list(US_2019_2021)).sum()
    assert finding.holiday_level < finding.weekday_level - 5
    assert "lower on US public holidays" in finding.describe()


def test_a_binary_target_that_is_rarer_on_holidays() -> None:
    frame = daily(effect=-8.0, seed=1)
    y = (frame["rides"] > frame["rides"].median()).to_numpy(dtype=int)
    [finding] = _detect(frame, y, "binary", positive_label="busy")
    assert finding.country == "US" and finding.statistic == "share of busy"
    assert finding.holiday_level < finding.weekday_level


@pytest.mark.parametrize("seed", range(3))
def test_no_calendar_without_an_effect(seed: int) -> None:
    """The same rides with the holidays' effect gone, or shuffled: no calendar clears the bar
    (hundreds are tried)."""
    frame = daily(effect=0.0, seed=seed)
    assert _detect(frame, frame["rides"].to_numpy()) == []
    shuffled = np.random.default_rng(seed).permutation(daily(effect=-8.0)["rides"].to_numpy())
    assert _detect(frame, shuffled) == []


def test_too_short_a_span_or_a_multiclass_target_is_not_judged() -> None:
    frame = daily(effect=-8.0, days=300)  # under a year
    assert _detect(frame, frame["rides"].to_numpy()) == []
    frame = daily(effect=-8.0)
    classes = pd.qcut(frame["rides"], 3, labels=False).to_numpy()
    assert _detect(frame, classes, "multiclass") == []


def test_holiday_parts_of_known_days() -> None:
    values = pd.Series(
        pd.to_datetime(["2015-07-03", "2015-11-26", "2015-11-27", "2015-12-24", "2015-06-01", None])
    )
    flag, to_next, since = holiday_parts(values, "US")
    # 4 July 2015 was a Saturday: the holiday was observed on Friday the 3rd.
    assert flag[:5].tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert to_next[:5].tolist() == [0.0, 0.0, 14.0, 1.0, 14.0]  # capped at the horizon
    assert since[:5].tolist() == [0.0, 0.0, 1.0, 14.0, 7.0]  # Memorial Day, 25 May
    assert HOLIDAY_HORIZON == 14
    assert all(np.isnan(part[5]) for part in (flag, to_next, since))


def test_a_recipe_with_a_calendar_adds_three_named_features() -> None:
    frame = pd.DataFrame({"day": pd.to_datetime(["2015-11-26", "2015-11-30"]), "x": [1.0, 2.0]})
    recipe = {"name": "trees", "numeric": ["x"], "datetime": ["day"]}
    plain = build_preprocessor(recipe).fit(frame)
    assert plain.transform(frame).shape == (2, 7)
    with_calendar = build_preprocessor({**recipe, "holidays": {"day": "US"}}).fit(frame)
    names = list(with_calendar.get_feature_names_out())
    assert names[-3:] == [
        "date__day__holiday",
        "date__day__days_to_holiday",
        "date__day__days_since_holiday",
    ]
    assert with_calendar.transform(frame)[:, -3].tolist() == [1.0, 0.0]
    # What an export reads to install the `holidays` package with the model.
    assert holiday_countries(with_calendar) == ["US"] and holiday_countries(plain) == []


@pytest.fixture(scope="module")
def holiday_run(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("holidays")
    path = tmp / "rides.csv"
    daily(effect=-8.0, seed=3).to_csv(path, index=False)
    reporter = RecordingReporter()
    config = JobConfig(
        data_path=path,
        output_dir=tmp / "out",
        target="rides",
        max_candidates=4,
        algorithms=["lightgbm", "linear"],
    )
    return config, reporter, run_job(config, reporter)


def test_the_job_tells_and_uses_the_calendar(holiday_run) -> None:
    config, reporter, result = holiday_run
    [note] = [w for w in reporter.data_warnings if w.code == "holiday_effect"]
    assert note.severity == "info" and note.column == "date" and "US" in note.message
    messages = [e[1] for e in reporter.events if e[0] == "message"]
    assert any(m.startswith("Public holidays: date:") for m in messages)
    model = load_model(result.model_path, result.model_sha256)
    names = {
        str(name)
        for preprocessor in model.preprocessors.values()
        for name in preprocessor.get_feature_names_out()
    }
    assert {"date__date__holiday", "date__date__days_since_holiday"} <= names
    assert {c for p in model.preprocessors.values() for c in holiday_countries(p)} == {"US"}
    # An export for SageMaker's scikit-learn image installs the calendar's package.
    extra = model_distributions(model)
    assert "holidays" in extra
    assert any(pin.startswith("holidays==") for pin in requirements(extra))
    importance = json.loads((config.output_dir / "reports" / "explainability.json").read_text())
    assert importance["feature_importance"][0]["feature"] == "date"


def test_the_notebooks_show_and_reproduce_the_holidays(holiday_run) -> None:
    config, _, result = holiday_run
    exploration = execute_notebook(config.output_dir / "data_exploration.ipynb", timeout=120)
    [section] = [c for c in exploration.cells if c.source.startswith("## Public holidays")]
    assert "| date | US |" in section.source
    [code] = [c for c in exploration.cells if "holidays.country_holidays('US'" in c.source]
    table = next(o for o in code.outputs if o["output_type"] == "execute_result")
    assert "median" in table["data"]["text/plain"]
    _, reproduced = execute_candidate_notebook(config.output_dir / "candidate_definitions.ipynb")
    leaderboard = {c.name: c.objective_value for c in result.candidates}
    assert reproduced
    for name, row in reproduced.items():
        assert row["reproduced"] == pytest.approx(leaderboard[name], abs=0.002), name


def test_the_holiday_features_beat_the_date_parts_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same data and budget, with and without the calendar: the holidays' -8 is learned
    only with it (year, month, day and weekday do not single out a holiday)."""
    frame = daily(effect=-8.0, seed=4)
    train, test = frame.iloc[::2], frame.iloc[1::2]
    path = tmp_path / "train.csv"
    train.to_csv(path, index=False)
    on_holiday = np.isin(
        pd.to_datetime(test["date"]).to_numpy().astype("datetime64[D]"), list(US_2019_2021)
    )

    def holiday_error(out: str) -> float:
        config = JobConfig(
            data_path=path,
            output_dir=tmp_path / out,
            target="rides",
            max_candidates=2,
            algorithms=["lightgbm"],
        )
        result = run_job(config)
        model = load_model(result.model_path, result.model_sha256)
        predicted = np.asarray(model.predict(test.drop(columns="rides")), dtype=float)
        return float(np.abs(predicted - test["rides"].to_numpy())[on_holiday].mean())

    with_calendar = holiday_error("with")
    monkeypatch.setattr("jupyter_autopilot.engine.holiday_detection.MIN_Z", np.inf)
    without = holiday_error("without")
    assert with_calendar < 3.0 < 5.0 < without
