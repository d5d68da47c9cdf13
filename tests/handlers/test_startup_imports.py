"""The extension loads without the data-science stack: pandas, scipy and scikit-learn cost
about 5 CPU seconds to import on a 2-core machine, which every JupyterLab start paid when
the server side imported them at load (monitoring's drift statistics, the payload parser).
Training, endpoints and reports import them in their own processes, or on first use
(a preview's size check imports pandas in a thread of the server: once, when used)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_autopilot.testing import JupyterServerProcess

pytestmark = [pytest.mark.e2e]

HEAVY = ("pandas/_libs", "scipy/", "sklearn/", "lightgbm/", "xgboost/", "catboost/", "boto")


def loaded_heavy_modules(pid: int) -> set[str]:
    """Which heavy packages have files mapped into the process (their compiled modules)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {name for name in HEAVY if f"site-packages/{name}" in maps}


def test_the_server_starts_and_lists_without_the_data_science_stack(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "home").mkdir()
    server = JupyterServerProcess(tmp_path / "root", tmp_path / "home")
    try:
        server.start()
        for route in ("health", "experiments", "endpoints", "trials", "samples"):
            answer = server.get(route)
            assert answer.status_code == 200, (route, answer.text)
        assert loaded_heavy_modules(server.pid) == set()
    finally:
        server.stop()


def test_the_sagemaker_backend_imports_without_the_local_engine() -> None:
    """A notebook instance's server runs the sagemaker backend: it needs boto3, not the
    engine (the notebook importer and the model export load it when they are used)."""
    code = (
        "import sys, jupyter_autopilot.app, jupyter_autopilot.backends.sagemaker\n"
        "print(sorted(m for m in ('pandas', 'scipy', 'sklearn', 'numpy', 'lightgbm')"
        " if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert found.stdout.strip() == "[]", found.stdout + found.stderr
