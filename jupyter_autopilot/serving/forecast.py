"""A loaded forecaster answering invocation bodies: which items (and their future related
values) in, a tidy forecast out (item_id, timestamp, mean, p10...).

Requests:
- JSON `{"item_ids": [...], "future": [{"item_id": ..., "timestamp": ..., <related>...}]}`;
  both optional: no item ids forecasts every item (or those of `future`).
- CSV with a header: an `item_id` column, and with related columns `timestamp` and the
  related columns for every step of the horizon (one line per item and step).
Answers: JSON `{"predictions": [], "forecasts": [{item_id, timestamp, mean, p10, ...}]}`
(the documented `InvocationResponse`) or the same rows as CSV.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from ..engine.forecasting.model import ForecastModel, related_future
from ..engine.forecasting.series import ITEM, TIMESTAMP
from ..exceptions import InvalidRequest
from ..models import ForecastInvocationBody, InferenceKey
from ..monitoring.capture import write_record
from .payloads import CSV, JSON
from .service import ModelService

log = logging.getLogger("jupyter_autopilot.serving")

#: The most rows a future template of every item may have (else the items are named).
MAX_TEMPLATE_ROWS = 100_000


def parse_request(body: bytes, content_type: str) -> tuple[list[str] | None, pd.DataFrame | None]:
    """(item ids or None for all, future related values or None) from a request body."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return None, None
    if content_type == JSON:
        try:
            request = ForecastInvocationBody.model_validate_json(text)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in error.errors(include_url=False)
            )
            raise InvalidRequest(
                'Send {"item_ids": [...], "future": [{"item_id": ..., "timestamp": ..., '
                f"<related columns>}}]}} (both optional): {problems}"
            ) from None
        items = request.item_ids
        future = pd.DataFrame.from_records(request.future) if request.future else None
    else:
        future = pd.read_csv(io.StringIO(text), dtype={ITEM: str})
        if ITEM not in future.columns:
            raise InvalidRequest(
                f"The CSV needs a header with an {ITEM!r} column (and, for a model with related "
                f"columns, {TIMESTAMP!r} and their values for every forecast step)."
            )
        items = None
        if TIMESTAMP not in future.columns:
            items, future = list(future[ITEM]), None
    if future is not None and ITEM in future.columns:
        future[ITEM] = future[ITEM].astype(str)
        if items is None:
            items = list(dict.fromkeys(future[ITEM]))
    return ([str(i) for i in items] if items is not None else None), future


def format_forecast(forecast: pd.DataFrame, accept: str) -> tuple[bytes, str]:
    out = forecast.copy()
    out[TIMESTAMP] = pd.DatetimeIndex(out[TIMESTAMP]).strftime("%Y-%m-%dT%H:%M:%S")
    if accept == CSV:
        return out.to_csv(index=False).encode(), CSV
    records = json.loads(out.to_json(orient="records"))
    # `predictions` stays (empty): the documented answer of every endpoint has it.
    return json.dumps({"predictions": [], "forecasts": records}).encode(), JSON


class ForecastService:
    """The forecasting counterpart of `service.ModelService` (same `invoke` signature)."""

    def __init__(
        self, model: ForecastModel, capture_dir: Path | None = None, variant: str | None = None
    ) -> None:
        self.model = model
        self.feature_columns = [ITEM, TIMESTAMP, *model.related]
        self.keys: list[InferenceKey] = []
        self.capture_dir = capture_dir
        self.variant = variant

    def invoke(
        self,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[InferenceKey] | None,
        capture: bool = False,
        explain: bool = False,
    ) -> tuple[bytes, str]:
        if explain:
            raise InvalidRequest("Explanations are for tabular models; a forecast has none.")
        items, future = parse_request(body, content_type)
        forecast = self.model.forecast(items, future)
        if capture and self.capture_dir is not None:
            self._capture(content_type, forecast, future)
        return format_forecast(forecast, accept)

    def _capture(
        self, content_type: str, forecast: pd.DataFrame, future: pd.DataFrame | None
    ) -> None:
        """Record the forecast for monitoring: one row per item and step, its inputs (the
        item, the step, the related values sent for it) and its mean and quantiles."""
        assert self.capture_dir is not None
        inputs = forecast[[ITEM, TIMESTAMP]].copy()
        if self.model.related and future is not None:
            # The values the forecast used (it has already checked them).
            task = self.model.task
            inputs = related_future(inputs, future, list(task.related), task.horizon)
        inputs[TIMESTAMP] = pd.DatetimeIndex(inputs[TIMESTAMP]).strftime("%Y-%m-%dT%H:%M:%S")
        outputs = {
            column: [None if pd.isna(v) else float(v) for v in forecast[column]]
            for column in forecast.columns
            if column not in (ITEM, TIMESTAMP)
        }
        try:
            write_record(
                self.capture_dir,
                content_type,
                inputs.reindex(columns=self.feature_columns),
                outputs,
                variant=self.variant,
            )
        except OSError as error:  # a full disk must not fail the forecast
            log.warning("data capture failed: %s", error)

    def future_template(self, items: list[str] | None) -> bytes:
        """JSON `ForecastFuture` fields (without the endpoint's name): the rows a forecast of
        `items` needs, each related column at the item's last known value."""
        if items is None and len(self.model.items) * self.model.task.horizon > MAX_TEMPLATE_ROWS:
            raise InvalidRequest(
                f"The {len(self.model.items)} items' future would be more than "
                f"{MAX_TEMPLATE_ROWS} rows: name the items (item_ids=...)."
            )
        rows = self.model.future_template(items)
        rows[TIMESTAMP] = pd.DatetimeIndex(rows[TIMESTAMP]).strftime("%Y-%m-%dT%H:%M:%S")
        return json.dumps(
            {
                "horizon": self.model.task.horizon,
                "related": self.model.related,
                "future": json.loads(rows.to_json(orient="records")),
            }
        ).encode()


def service_for(
    model: Any, keys: list[InferenceKey], capture_dir: Path | None, variant: str | None
) -> ModelService | ForecastService:
    """The service answering for a loaded model: a forecaster's, or the tabular one."""
    if isinstance(model, ForecastModel):
        return ForecastService(model, capture_dir, variant)
    from ..engine.artifact import TrainedModel

    if not isinstance(model, TrainedModel):
        raise InvalidRequest("The file is not a jupyter-autopilot model.")
    return ModelService(model, keys, capture_dir, variant=variant)
