"""Fixtures for the forecasting tests: a few small datasets, and one shared search on them."""

from __future__ import annotations

import pytest
from forecast_testdata import seasonal_frame

from jupyter_autopilot.engine.forecasting.series import SeriesSpec


@pytest.fixture(scope="session")
def seasonal_search():
    """Every candidate backtested on 3 generated items (2 windows of 12 months); read-only."""
    from jupyter_autopilot.engine.forecasting.search import search

    spec = SeriesSpec(
        timestamp="date", target="sales", item_ids=("store",), horizon=12, backtest_windows=2
    )
    return search(seasonal_frame(), spec)
