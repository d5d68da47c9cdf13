"""`--dist loadgroup`: the tests that share an expensive fixture run on one worker.

A module- or session-scoped fixture (a trained model, a started server) is built once per
pytest-xdist worker that runs a test using it: spread over three workers, the engine's
`mixed_run` trained three times (about 30 s of CPU each). Here every test is scheduled on
its own, except those whose fixtures include one of `SHARED_FIXTURES` (directly or through
another fixture): tests linked by such a fixture form one group, run by one worker.

pytest-xdist 3.8's own `xdist_group` marks have no effect under pytest 9 (it renames
`item._nodeid`, which pytest 9 no longer reads), and its scheduler, in the controller,
sees only node ids. So each worker, having collected, writes which group each test
belongs to into a file the controller names (`configure_node`), and the scheduler
reads it when it splits the tests into units (all workers collect the same tests).
"""

from __future__ import annotations

import inspect
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

#: Fixtures worth building once per test run: tests using them run on one worker.
SHARED_FIXTURES = frozenset(
    {
        "mixed_run",  # tests/engine/conftest.py: a trained model on every column type
        "sampled_run",  # tests/engine/test_sampling.py: a job that searched on a sample
        "file_run",  # tests/engine/test_validation_file.py: a job with a validation file
        "weighted_run",  # tests/engine/test_sample_weights.py: a job with sample weights
        "holiday_run",  # tests/engine/test_holidays.py: a job on daily data with holidays
        "seasonal_search",  # tests/engine/forecasting/conftest.py: a backtested search
        "service",  # tests/serving/test_forecast_service.py: a fitted forecaster
        "live",  # test_write_fuzz.py, test_api_fuzz.py: a started Jupyter server
        "wheel",  # tests/notebook_instance/test_nbi_install_e2e.py: this checkout built
    }
)
#: Module- or session-scoped fixtures cheap enough to build on every worker (`model` loads
#: what `mixed_run` trained, and goes with it).
CHEAP_FIXTURES = frozenset({"bank_csv", "bank_sample_csv", "model", "rows", "series", "moto_url"})

_INPUT_KEY = "autopilot_groups_file"
#: This repository's tests.
TESTS = Path(__file__).resolve().parents[1]


def fixture_groups(items: list[pytest.Item], tests: Path = TESTS) -> dict[str, str]:
    """Each test's group: tests sharing a fixture of `SHARED_FIXTURES` (by where it is
    defined) end up in one group, named after one of them; other tests are absent.

    Raises `pytest.UsageError` for a module- or session-scoped fixture of ours that is in
    neither list (defined under `tests`), so that a new expensive one is not silently
    built on every worker."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    keys_of: dict[str, list[str]] = {}
    unlisted: set[str] = set()
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        keys = []
        for name in item.fixturenames:  # type: ignore[attr-defined]
            definitions = info.name2fixturedefs.get(name)
            if not definitions:
                continue
            definition = definitions[-1]
            if definition.scope not in ("module", "session"):
                continue
            if name in SHARED_FIXTURES:
                keys.append(f"{definition.baseid}::{name}")
            elif name not in CHEAP_FIXTURES and _defined_in(definition, tests):
                unlisted.add(name)
        if keys:
            keys_of[item.nodeid] = keys
            for other in keys[1:]:
                parent[root(other)] = root(keys[0])
    if unlisted:
        raise pytest.UsageError(
            "module- or session-scoped fixtures must be listed in tests/support/"
            "xdist_groups.py (SHARED_FIXTURES if expensive, else CHEAP_FIXTURES): "
            + ", ".join(sorted(unlisted))
        )
    return {nodeid: root(keys[0]) for nodeid, keys in keys_of.items()}


def _defined_in(definition: Any, folder: Path) -> bool:
    """Whether a fixture is defined under `folder` (ours, not a plugin's)."""
    try:
        source = inspect.getsourcefile(definition.func)
    except TypeError:
        return False
    return source is not None and folder.resolve() in Path(source).resolve().parents


def configure_node(node: Any) -> None:
    """Controller: tell each worker where to write the groups (one file per run)."""
    config = node.config
    path = getattr(config, "_autopilot_groups_file", None)
    if path is None:
        handle, path = tempfile.mkstemp(prefix="pytest-groups-", suffix=".json")
        os.close(handle)
        os.unlink(path)
        config._autopilot_groups_file = path
    node.workerinput[_INPUT_KEY] = path


def remove_groups_file(config: pytest.Config) -> None:
    """Controller: the run is over."""
    path = getattr(config, "_autopilot_groups_file", None)
    if path:
        Path(path).unlink(missing_ok=True)


def write_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Worker: write the collected tests' groups where the controller reads them."""
    groups = fixture_groups(items)
    path = getattr(config, "workerinput", {}).get(_INPUT_KEY)
    if not path:
        return
    partial = f"{path}.{config.workerinput['workerid']}"  # type: ignore[attr-defined]
    Path(partial).write_text(json.dumps(groups), "utf-8")
    os.replace(partial, path)  # whole or absent for the controller, whoever writes last


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    """The `loadgroup` scheduler: a unit per test, or per group of `fixture_groups`."""
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        _groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                path = getattr(config, "_autopilot_groups_file", None)
                # Written by every worker before it reports its collection, which comes
                # before the scheduler splits anything; without it (a worker that failed
                # to collect) every test is a unit of its own.
                written = Path(path) if path else None
                if written is not None and written.exists():
                    self._groups = json.loads(written.read_text("utf-8"))
                else:
                    self._groups = {}
            return self._groups.get(nodeid, nodeid)

    config.option.loadscopereorder = False
    return SharedFixtureScheduling(config, log)
