"""Loading the benchmarks' scripts (bench/...) in tests, which are not a package."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

#: The repository's bench/ folder.
BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_script(name: str, path: Path) -> ModuleType:
    """The module at `path` under `name`: benchmarks have scripts called run.py in several
    folders, so each is loaded under a name that cannot clash in sys.modules."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
