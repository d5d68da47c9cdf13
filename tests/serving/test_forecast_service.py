"""A forecaster behind the model server's service interface: JSON and CSV requests with
future related values, answers as the documented tidy rows, 400s for what is missing."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.engine.forecasting.candidates import ForecastTask
from jupyter_autopilot.engine.forecasting.model import ForecastModel
from jupyter_autopilot.engine.forecasting.series import SeriesSpec, regularize, to_long
from jupyter_autopilot.exceptions import InvalidRequest
from jupyter_autopilot.models import InvocationResponse
from jupyter_autopilot.serving.forecast import ForecastService
from jupyter_autopilot.serving.payloads import CSV, JSON


@pytest.fixture(scope="module")
def service() -> ForecastService:
    """A LightGBM forecaster of daily sales driven by a 0/1 promo (+30 on promo days)."""
    rng = np.random.default_rng(1)
    parts = []
    for i in range(2):
        promo = (rng.random(120) < 0.3).astype(float)
        sales = 50 + 10 * i + 30 * promo + rng.normal(0, 1, 120)
        dates = pd.date_range("2024-01-01", periods=120, freq="D")
        parts.append(
            pd.DataFrame({"store": f"s{i}", "date": dates, "promo": promo, "sales": sales})
        )
    spec = SeriesSpec(
        timestamp="date", target="sales", item_ids=("store",), related=("promo",), horizon=7
    )
    series, _ = regularize(to_long(pd.concat(parts), spec), "D")
    task = ForecastTask(horizon=7, freq="D", season=7, related=("promo",))
    return ForecastService(ForecastModel.build("LightGBM", {"LightGBM": 1.0}, task, series, spec))


def future(promo: float, items=("s0", "s1")) -> pd.DataFrame:
    dates = pd.date_range("2024-04-30", periods=7, freq="D").strftime("%Y-%m-%d")
    return pd.DataFrame(
        [{"item_id": i, "timestamp": d, "promo": promo} for i in items for d in dates]
    )


def test_json_and_csv_requests_with_related_values(service):
    assert service.feature_columns == ["item_id", "timestamp", "promo"]
    body = json.dumps({"future": future(1.0).to_dict(orient="records")}).encode()
    answer, kind = service.invoke(body, JSON, JSON, None)
    assert kind == JSON
    parsed = InvocationResponse.model_validate_json(answer)  # the documented answer
    rows = pd.DataFrame.from_records(parsed.forecasts)
    assert list(rows["item_id"]) == ["s0"] * 7 + ["s1"] * 7
    assert rows["timestamp"].iloc[0] == "2024-04-30T00:00:00"
    csv_answer, kind = service.invoke(future(0.0).to_csv(index=False).encode(), CSV, CSV, None)
    assert kind == CSV
    quiet = pd.read_csv(io.StringIO(csv_answer.decode()))
    assert list(quiet.columns) == ["item_id", "timestamp", "mean", "p10", "p50", "p90"]
    # The model learnt the promo's effect, and the future values reach it.
    assert (rows["mean"] - quiet["mean"]).mean() > 15
    # One item only: its rows of the future.
    one, _ = service.invoke(future(1.0, ("s1",)).to_csv(index=False).encode(), CSV, CSV, None)
    assert set(pd.read_csv(io.StringIO(one.decode()))["item_id"]) == {"s1"}


def test_what_is_missing_is_a_400(service):
    with pytest.raises(InvalidRequest, match="related columns promo"):
        service.invoke(b'{"item_ids": ["s0"]}', JSON, JSON, None)
    partial = future(1.0).iloc[:-1].to_dict(orient="records")
    with pytest.raises(InvalidRequest, match="Related values are missing for item 's1'"):
        service.invoke(json.dumps({"future": partial}).encode(), JSON, JSON, None)
    with pytest.raises(InvalidRequest, match="item_ids: Input should be a valid array"):
        service.invoke(b'{"item_ids": "s0"}', JSON, JSON, None)
    with pytest.raises(InvalidRequest, match="needs a header with an 'item_id' column"):
        service.invoke(b"store\ns0\n", CSV, JSON, None)
    with pytest.raises(InvalidRequest, match="Explanations are for tabular models"):
        service.invoke(b"", JSON, JSON, None, explain=True)


def test_the_future_template_is_the_rows_a_forecast_needs(service):
    template = json.loads(service.future_template(["s1"]))
    assert template["horizon"] == 7 and template["related"] == ["promo"]
    rows = pd.DataFrame.from_records(template["future"])
    assert list(rows.columns) == ["item_id", "timestamp", "promo"]
    assert list(rows["item_id"]) == ["s1"] * 7
    assert list(rows["timestamp"]) == [f"2024-04-{d}T00:00:00" for d in (30,)] + [
        f"2024-05-0{d}T00:00:00" for d in range(1, 7)
    ]
    # Each related column starts at the item's last known value.
    last = service.model.series.query("item_id == 's1'")["promo"].iloc[-1]
    assert (rows["promo"] == last).all()
    # Sent back as it is, it forecasts; changed (what-if), the forecast moves with it.
    as_is, _ = service.invoke(json.dumps({"future": template["future"]}).encode(), JSON, JSON, None)
    promoted = [{**row, "promo": 1.0} for row in template["future"]]
    quiet = [{**row, "promo": 0.0} for row in template["future"]]
    high, _ = service.invoke(json.dumps({"future": promoted}).encode(), JSON, JSON, None)
    low, _ = service.invoke(json.dumps({"future": quiet}).encode(), JSON, JSON, None)

    def means(answer: bytes) -> np.ndarray:
        return np.array([r["mean"] for r in json.loads(answer)["forecasts"]])

    assert len(means(as_is)) == 7
    assert (means(high) - means(low)).mean() > 15
    # Every item by default; an unknown item is a 400 naming it.
    assert len(json.loads(service.future_template(None))["future"]) == 2 * 7
    with pytest.raises(InvalidRequest, match="No history for item\\(s\\) 's9'"):
        service.future_template(["s9"])


def test_a_future_of_too_many_rows_asks_for_the_items(service, monkeypatch):
    import jupyter_autopilot.serving.forecast as forecast

    monkeypatch.setattr(forecast, "MAX_TEMPLATE_ROWS", 13)
    with pytest.raises(InvalidRequest, match="more than 13 rows: name the items"):
        service.future_template(None)
    assert len(json.loads(service.future_template(["s0"]))["future"]) == 7


def test_a_captured_forecast_records_its_steps_related_values_and_quantiles(service, tmp_path):
    from jupyter_autopilot.monitoring.capture import iter_records

    capturing = ForecastService(service.model, capture_dir=tmp_path, variant="AllTraffic")
    body = json.dumps({"item_ids": ["s1"], "future": future(1.0, ["s1"]).to_dict("records")})
    answer, _ = capturing.invoke(body.encode(), JSON, JSON, None, capture=True)
    capturing.invoke(body.encode(), JSON, JSON, None, capture=False)  # not sampled
    (record,) = list(iter_records(tmp_path))
    assert record["columns"] == ["item_id", "timestamp", "promo"]
    assert record["rows"][0] == ["s1", "2024-04-30T00:00:00", 1.0] and len(record["rows"]) == 7
    forecasts = json.loads(answer)["forecasts"]
    assert record["outputs"]["mean"] == pytest.approx([f["mean"] for f in forecasts])
    assert set(record["outputs"]) == {"mean", "p10", "p50", "p90"}
    assert record["variant"] == "AllTraffic"
