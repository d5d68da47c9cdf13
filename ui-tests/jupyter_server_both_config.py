"""Jupyter server offering two backends, for run-on-sagemaker.spec.ts (port 8893).

The local backend by default and the sagemaker backend beside it
(`AutopilotApp.extra_backends`), served by moto and the AutoML fake as on the `sagemaker`
project's server (jupyter_server_sagemaker_config.py); the same Galata set-up and data as
jupyter_server_test_config.py. The local backend accepts files of at most 2 MB here
(`LocalBackend.max_dataset_bytes`), so the tutorial's 5.8 MB file is "too big for this
machine" and the wizard offers the way out to SageMaker, as it would for a file larger
than this machine's memory.
"""

from __future__ import annotations

import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821

HERE = Path(__file__).resolve().parent
load_subconfig(str(HERE / "jupyter_server_test_config.py"))  # type: ignore[name-defined]  # noqa: F821

# fake_backend, fake_automl and sm_support live with the Python tests.
for folder in (HERE.parent / "tests", HERE.parent / "tests" / "backends" / "sagemaker"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

c.ServerApp.port = 8893
c.AutopilotApp.backend = "local"
c.AutopilotApp.extra_backends = ["fake_backend.FakeSageMakerBackend"]
c.AutopilotApp.work_dir = "autopilot"
c.LocalBackend.max_dataset_bytes = 2_000_000

# As on the sagemaker server: the fake has no Describe* rate limits to protect.
from jupyter_autopilot.backends.sagemaker import cache  # noqa: E402

for _ttl in ("DESCRIBE_TTL", "CANDIDATES_TTL", "LIST_TTL", "ENDPOINT_TTL", "ARTIFACTS_TTL"):
    setattr(cache, _ttl, 1.0)
