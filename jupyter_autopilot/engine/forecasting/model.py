"""The saved forecaster: the best candidate (or ensemble) by name, with the history it needs.

Candidates are stored by name and rebuilt from `search.CANDIDATES` when loaded, not
pickled: some are closures (seasonal naive), and a name stays loadable across versions of
their code. The statistical models are refitted on each item's whole regular history when
forecasting, as Autopilot's are (a fit per item takes milliseconds to a second). The global
LightGBM is fitted once, on the whole history, when the model is built (`fitted`): a
forecaster of LightGBM alone keeps only the tail of each item's history its lags and
window read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ...exceptions import InvalidRequest
from .candidates import ForecastTask
from .ensemble import combine
from .frequency import future_timestamps
from .global_lightgbm import FittedLightGBM, GlobalLightGBM
from .series import ITEM, TIMESTAMP, SeriesSpec

#: Bumped when the saved layout changes, so an old file fails clearly.
FORMAT = 2


@dataclass
class ForecastModel:
    """What `forecast` needs: members and weights, the task, each item's regular history."""

    name: str
    members: dict[str, float]
    task: ForecastTask
    series: pd.DataFrame
    spec: SeriesSpec
    metrics: dict[str, float] = field(default_factory=dict)
    #: Members fitted when the model was built (the global LightGBM), by name.
    fitted: dict[str, FittedLightGBM] = field(default_factory=dict)
    format: int = FORMAT

    @classmethod
    def build(
        cls,
        name: str,
        members: dict[str, float],
        task: ForecastTask,
        series: pd.DataFrame,
        spec: SeriesSpec,
        metrics: dict[str, float] | None = None,
    ) -> ForecastModel:
        fitted: dict[str, FittedLightGBM] = {}
        if "LightGBM" in members:
            fitted["LightGBM"] = GlobalLightGBM().fit(series, task)
        if set(members) <= set(fitted):
            # Nothing refits on the whole history: keep what the recursive forecast reads.
            tail = max(f.tail for f in fitted.values())
            series = series.groupby(ITEM, sort=False, group_keys=False).tail(tail)
        return cls(
            name, dict(members), task, series.reset_index(drop=True), spec, metrics or {}, fitted
        )

    def save(self, path: Path) -> str:
        """Write the model atomically (as the tabular models are); returns its sha256."""
        from ..artifact import save_model

        return save_model(self, path)

    @staticmethod
    def load(path: Path, expected_sha256: str | None = None) -> ForecastModel:
        """Read a saved forecaster, its checksum checked before unpickling."""
        from ..artifact import load_checked

        model = load_checked(path, expected_sha256)
        if not isinstance(model, ForecastModel) or model.format != FORMAT:
            raise InvalidRequest(f"{Path(path).name!r} is not a forecasting model of this version.")
        return model

    @property
    def related(self) -> list[str]:
        return list(self.task.related)

    @property
    def items(self) -> list[str]:
        return sorted(self.series[ITEM].astype(str).unique())

    def future(self, items: list[str]) -> pd.DataFrame:
        """item_id and timestamp of the horizon after each item's history."""
        parts = []
        for item in items:
            last = self.series.loc[self.series[ITEM] == item, TIMESTAMP].iloc[-1]
            stamps = future_timestamps(last, self.task.freq, self.task.horizon)
            parts.append(pd.DataFrame({ITEM: item, TIMESTAMP: stamps}))
        return pd.concat(parts, ignore_index=True)

    def future_template(self, items: list[str] | None = None) -> pd.DataFrame:
        """The rows a forecast of `items` (default: every item) needs: item_id, timestamp
        of each step of the horizon, and each related column at the item's last known
        value, for a person to edit (what-if) and send back as `future`."""
        wanted = self._known(items)
        steps = self.future(wanted)
        if self.task.related:
            last = (
                self.series[self.series[ITEM].isin(wanted)]
                .groupby(ITEM, sort=False)[list(self.task.related)]
                .last()  # the last non-missing value of each column
            )
            steps = steps.join(last, on=ITEM)
        return steps

    def _known(self, items: list[str] | None) -> list[str]:
        """`items` without repeats (default: every item), or a 400 naming unknown ones."""
        known = set(self.items)
        wanted = list(dict.fromkeys(str(i) for i in items)) if items else self.items
        unknown = [i for i in wanted if i not in known]
        if unknown:
            raise InvalidRequest(
                f"No history for item(s) {', '.join(repr(i) for i in unknown[:5])}; the model "
                f"knows {len(known)} items, e.g. {', '.join(repr(i) for i in self.items[:5])}."
            )
        return wanted

    def forecast(
        self, items: list[str] | None = None, future: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """The tidy forecast: item_id, timestamp, mean and one column per quantile.

        `items` defaults to every item; `future` holds item_id, timestamp and the related
        columns for the horizon (required when the model has related columns).
        """
        from .search import CANDIDATES

        wanted = self._known(items)
        history = self.series[self.series[ITEM].isin(wanted)]
        if self.task.related:
            future = self._related_future(wanted, future)
        forecasts = {}
        for name in self.members:
            if name in self.fitted:
                forecasts[name] = GlobalLightGBM().predict(
                    self.fitted[name], history, self.task, future
                )
            else:
                forecasts[name] = CANDIDATES[name]().forecast(history, self.task, future)
        out = combine(forecasts, self.members, self.task.quantiles)
        return out.sort_values([ITEM, TIMESTAMP], kind="stable").reset_index(drop=True)

    def _related_future(self, items: list[str], future: pd.DataFrame | None) -> pd.DataFrame:
        """The related columns' values for every forecast step, or a 400 saying what lacks."""
        return related_future(
            self.future(items), future, list(self.task.related), self.task.horizon
        )


__all__ = ["ForecastModel"]


def related_future(
    steps: pd.DataFrame, future: pd.DataFrame | None, related: list[str], horizon: int
) -> pd.DataFrame:
    """`steps` (item_id and timestamp of every forecast step) with each related column's
    value from `future` (the last row of a repeated item and step), or a 400 saying what
    lacks. The rule of every forecaster's request, local or on SageMaker
    (`backends/sagemaker/forecast_serving.py`)."""
    if future is None:
        raise InvalidRequest(
            f"This model uses the related columns {', '.join(related)}: give their values "
            f"for the {horizon} steps after each item's history."
        )
    missing = [c for c in [ITEM, TIMESTAMP, *related] if c not in future.columns]
    if missing:
        raise InvalidRequest(f"The future values lack the column(s) {', '.join(missing)}.")
    given = future.copy()
    given[ITEM] = given[ITEM].astype(str)
    given[TIMESTAMP] = pd.to_datetime(given[TIMESTAMP], errors="coerce")
    given = given.drop_duplicates([ITEM, TIMESTAMP], keep="last")
    steps = steps.merge(given[[ITEM, TIMESTAMP, *related]], on=[ITEM, TIMESTAMP], how="left")
    values = steps[related].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    if not np.isfinite(values).all():
        lacking = steps[~np.isfinite(values).all(axis=1)].iloc[0]
        raise InvalidRequest(
            f"Related values are missing for item {lacking[ITEM]!r} at "
            f"{lacking[TIMESTAMP]} (and maybe more): every item needs all "
            f"{horizon} future steps of {', '.join(related)}."
        )
    steps[related] = values
    return steps
