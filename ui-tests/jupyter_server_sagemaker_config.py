"""Jupyter server of the `sagemaker` Playwright project (started by playwright.config.js).

The same Galata set-up and data as jupyter_server_test_config.py (the local project's
server), on port 8889, with the sagemaker backend served by moto and the stateful AutoML
fake of the Python tests (tests/backends/sagemaker/fake_backend.py): real SageMaker requests,
answered in this process, no AWS account and nothing leaving the machine. Jobs move one
secondary status per DescribeAutoMLJobV2; the backend's describe caches are shortened to
one second here (five to fifteen against AWS), so a job takes seconds, not a minute, and
each status still lasts as long as one poll of the panel.

`AUTOPILOT_UI_SAGEMAKER_DRY_RUN=1` (set by playwright.config.js for the third server, on
port 8890) turns on `sagemaker_dry_run` and seeds the bank data in the fake S3, as an
earlier real upload would have left it, so the create request can be checked and shown.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821

HERE = Path(__file__).resolve().parent
load_subconfig(str(HERE / "jupyter_server_test_config.py"))  # type: ignore[name-defined]  # noqa: F821

# fake_backend, fake_automl and sm_support live with the Python tests; ui_sagemaker here.
for folder in (HERE.parent / "tests", HERE.parent / "tests" / "backends" / "sagemaker", HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

DRY_RUN = os.environ.get("AUTOPILOT_UI_SAGEMAKER_DRY_RUN") == "1"

c.ServerApp.port = 8890 if DRY_RUN else 8889
c.AutopilotApp.work_dir = "autopilot"
c.AutopilotApp.backend = (
    "ui_sagemaker.SeededDryRunBackend" if DRY_RUN else "fake_backend.FakeSageMakerBackend"
)
c.SageMakerBackend.dry_run = DRY_RUN

# The caches protect AWS's Describe* rate limits; the fake has none, and with them a fake
# job (one status per DescribeAutoMLJobV2) took a minute of every spec's time.
from jupyter_autopilot.backends.sagemaker import cache  # noqa: E402

for _ttl in ("DESCRIBE_TTL", "CANDIDATES_TTL", "LIST_TTL", "ENDPOINT_TTL", "ARTIFACTS_TTL"):
    setattr(cache, _ttl, 1.0)
