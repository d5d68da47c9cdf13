"""The Python that runs the local backend's child processes (`LocalBackend.worker_python`).

Workers, model servers and the CPU helper need the engine's dependencies (scikit-learn,
LightGBM, XGBoost, Optuna); the Jupyter server does not. Where Jupyter's own environment
must stay light (a SageMaker notebook instance's JupyterSystemEnv), those processes run
another environment's Python, which has the same jupyter_autopilot version installed.

Every child is started as `python -m <module>` with `child_env()`; `check` makes sure the
configured Python can run it before anything is started.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ...exceptions import BackendUnavailable

_VERSION_PROBE = "from importlib.metadata import version; print(version('jupyter_autopilot'))"
#: Bytes of the length that precedes each message to and from the CPU helper.
HEADER = 8
#: Variables the children must not inherit (kernel and server tokens they do not need).
SECRETS = ("JUPYTER_TOKEN", "JPY_API_TOKEN", "JUPYTERHUB_API_TOKEN")


def resolve(worker_python: str | None) -> str:
    """The interpreter for child processes: the configured one, else the server's own."""
    return str(Path(worker_python).expanduser()) if worker_python else sys.executable


def is_own(python: str) -> bool:
    """True when `python` is the server's interpreter (nothing to check)."""
    return python == sys.executable


def child_env() -> dict[str, str]:
    """The environment of a process the server starts (worker, model server, CPU helper):
    the server's own, minus tokens the child does not need, plus the server's pid so the
    child can tell whether it missed the server's death before `die_with_parent`."""
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env["JUPYTER_AUTOPILOT_PARENT_PID"] = str(os.getpid())
    return env


def check(python: str) -> None:
    """Fail with a clear 503 unless `python` runs our package at the server's version.

    Blocking (a short subprocess the first time); call it in a thread. Successes are
    cached, failures are not: an environment still being installed will do next time.
    """
    if is_own(python):
        return
    _check_cached(python, _own_version())


@lru_cache(maxsize=8)
def _check_cached(python: str, expected: str) -> None:
    setting = f"LocalBackend.worker_python is {python}"
    hint = (
        "On a SageMaker notebook instance the lifecycle script builds it in the background: "
        "see ~/SageMaker/.jupyter-autopilot-install.log. Elsewhere, install jupyter_autopilot "
        "into that environment or unset the setting."
    )
    if not os.access(python, os.X_OK) or Path(python).is_dir():
        raise BackendUnavailable(f"{setting}, which is not an executable file. {hint}")
    try:
        probe = subprocess.run(
            [python, "-c", _VERSION_PROBE],
            capture_output=True,
            text=True,
            timeout=60,
            env=child_env(),
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackendUnavailable(f"{setting}, which could not be run: {exc}. {hint}") from exc
    found = probe.stdout.strip()
    if probe.returncode != 0:
        tail = probe.stderr.strip().splitlines()[-1:] or ["no output"]
        raise BackendUnavailable(f"{setting}, which has no jupyter_autopilot ({tail[0]}). {hint}")
    if found != expected:
        raise BackendUnavailable(
            f"{setting}, which has jupyter_autopilot {found} while the server has {expected}: "
            "install the same version in both environments (on a notebook instance, restart "
            "it so the lifecycle script upgrades both)."
        )


def _own_version() -> str:
    return metadata.version("jupyter_autopilot")


def frame(data: bytes) -> bytes:
    """One message to or from the CPU helper: its length, then its bytes."""
    return len(data).to_bytes(HEADER, "big") + data
