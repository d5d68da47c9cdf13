"""Configuration the way Jupyter Server loads it: a config file and command-line options
read by `ServerApp.initialize`, and `jp_server_config` on a running server.

The backend is a configurable class (`AutopilotApp.backend_class`, or its `backend` alias
`local`/`sagemaker`) owning its settings (`c.LocalBackend.*`, `c.SageMakerBackend.*`);
the settings the first releases had on `AutopilotApp` still work, and lose to the
backend's own when both are set.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jupyter_autopilot.app import AutopilotApp
from jupyter_autopilot.backends.local import LocalBackend
from jupyter_autopilot.backends.sagemaker import SageMakerBackend
from jupyter_autopilot.configuration import aliases, settings_tables

REPO = Path(__file__).resolve().parents[1]

#: Initialises a ServerApp as `jupyter server` does (config files, then the command
#: line), without serving, and prints the backend it built and its settings.
INITIALIZE = """
import json, sys
from jupyter_autopilot.processes import skip_unused_slow_imports
skip_unused_slow_imports()  # as jupyter_autopilot.testing's servers: a second of CPU less
from jupyter_server.serverapp import ServerApp

app = ServerApp()
app.initialize(argv=sys.argv[1:], find_extensions=False, new_httpserver=False)
def described(backend):
    return {
        "class": type(backend).__name__,
        "settings": {name: getattr(backend, name) for name in backend.trait_names(config=True)},
        "work_dir": str(backend.context.work_dir),
    }

backend = app.web_app.settings["autopilot_backend"]
print("RESULT " + json.dumps({
    **described(backend),
    "backends": {b.name: described(b) for b in app.web_app.settings["autopilot_backends"]},
}))
"""


def initialize(tmp_path: Path, config: str = "", *argv: str) -> tuple[dict[str, Any], str]:
    """Start-up of a Jupyter server with `config` as its jupyter_server_config.py."""
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    config_file = tmp_path / "jupyter_server_config.py"
    config_file.write_text(
        'c.ServerApp.jpserver_extensions = {"jupyter_autopilot": True}\n' + config
    )
    home = tmp_path / "home"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    args = [f"--config={config_file}", f"--ServerApp.root_dir={root}"]
    args += ["--ServerApp.allow_root=True", *argv]
    done = subprocess.run(
        [sys.executable, "-c", INITIALIZE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    result = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    assert result, done.stderr[-3000:]
    return json.loads(result.group(1)), done.stderr


def test_backend_settings_from_a_config_file_and_the_command_line(tmp_path: Path) -> None:
    found, log = initialize(
        tmp_path,
        'c.AutopilotApp.backend = "sagemaker"\n'
        'c.SageMakerBackend.aws_region = "eu-west-1"\n'
        "c.SageMakerBackend.max_upload_bytes = 1000\n"
        # The names install scripts write (kept), one of them also set the new way.
        'c.AutopilotApp.role_arn = "arn:aws:iam::123456789012:role/Old"\n'
        'c.AutopilotApp.s3_prefix = "from-app"\n'
        'c.AutopilotApp.aws_region = "us-west-2"\n',
        "--SageMakerBackend.dry_run=True",
        "--AutopilotApp.default_bucket=my-bucket",
    )
    assert found["class"] == "SageMakerBackend"
    settings = found["settings"]
    assert settings["aws_region"] == "eu-west-1"  # the backend's own setting wins
    assert settings["role_arn"] == "arn:aws:iam::123456789012:role/Old"
    assert settings["s3_prefix"] == "from-app"
    assert settings["default_bucket"] == "my-bucket"
    assert settings["max_upload_bytes"] == 1000 and settings["dry_run"] is True
    assert "AutopilotApp.aws_region is ignored: SageMakerBackend.aws_region is set too" in log
    assert found["work_dir"] == str(tmp_path / "root" / "autopilot")


def test_extra_backends_each_with_its_own_settings(tmp_path: Path) -> None:
    found, log = initialize(
        tmp_path,
        'c.AutopilotApp.extra_backends = ["sagemaker"]\n'
        'c.SageMakerBackend.aws_region = "eu-west-1"\n'
        "c.SageMakerBackend.dry_run = True\n"
        "c.LocalBackend.max_concurrent_jobs = 2\n"
        'c.AutopilotApp.role_arn = "arn:aws:iam::123456789012:role/Old"\n',  # alias applies
    )
    assert found["class"] == "LocalBackend"  # the default is unchanged
    backends = found["backends"]
    assert list(backends) == ["local", "sagemaker"]
    assert backends["local"]["settings"]["max_concurrent_jobs"] == 2
    sagemaker = backends["sagemaker"]
    assert sagemaker["class"] == "SageMakerBackend"
    assert sagemaker["settings"]["aws_region"] == "eu-west-1"
    assert sagemaker["settings"]["dry_run"] is True
    assert sagemaker["settings"]["role_arn"] == "arn:aws:iam::123456789012:role/Old"
    root = tmp_path / "root"
    assert backends["local"]["work_dir"] == str(root / "autopilot")
    assert sagemaker["work_dir"] == str(root / "autopilot" / "backends" / "sagemaker")
    assert "is ignored" not in log
    # The command line too, and a default of sagemaker with the local backend beside it.
    found, _ = initialize(
        tmp_path,
        "",
        "--AutopilotApp.backend=sagemaker",
        "--AutopilotApp.extra_backends=local",
        "--SageMakerBackend.aws_region=eu-west-1",
    )
    assert found["class"] == "SageMakerBackend" and list(found["backends"]) == [
        "sagemaker",
        "local",
    ]


def test_a_backend_listed_twice_is_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="Two backends are named 'local'"):
        initialize(tmp_path, 'c.AutopilotApp.extra_backends = ["local"]\n')


def test_local_backend_settings_and_their_old_names(tmp_path: Path) -> None:
    found, log = initialize(
        tmp_path,
        "c.LocalBackend.max_concurrent_jobs = 3\n"
        "c.LocalBackend.memory_bytes = 8 * 2**30\n"
        "c.AutopilotApp.max_dataset_bytes = 12345\n"
        'c.AutopilotApp.worker_python = "/opt/env/bin/python"\n'  # as the install script
        'c.AutopilotApp.aws_region = "us-west-2"\n'  # not a local setting: no effect
        'c.AutopilotApp.work_dir = "elsewhere"\n',
    )
    assert found["class"] == "LocalBackend"
    assert found["settings"] == {
        "max_concurrent_jobs": 3,
        "max_dataset_bytes": 12345,
        "memory_bytes": 8 * 2**30,
        "preload_helper": True,  # the default: the CPU helper warms up at start
        "fork_server": True,  # the default: children are forked from a pre-imported process
        "worker_python": "/opt/env/bin/python",
    }
    assert found["work_dir"] == str(tmp_path / "root" / "elsewhere")
    assert "is ignored" not in log


def test_backend_class_is_a_trait_and_wins_over_the_backend_alias(tmp_path: Path) -> None:
    found, _ = initialize(
        tmp_path,
        'c.AutopilotApp.backend_class = "jupyter_autopilot.backends.sagemaker.SageMakerBackend"\n',
    )
    assert found["class"] == "SageMakerBackend"
    found, log = initialize(
        tmp_path,
        'c.AutopilotApp.backend = "sagemaker"\n'
        'c.AutopilotApp.backend_class = "jupyter_autopilot.backends.local.LocalBackend"\n',
    )
    assert found["class"] == "LocalBackend"
    assert "AutopilotApp.backend (sagemaker) is ignored" in log
    # A subclass is configured by its own section and its parents'.
    found, _ = initialize(
        tmp_path,
        f"import sys; sys.path[:0] = {[str(REPO / 'tests' / 'backends' / 'sagemaker'), str(REPO / 'tests')]!r}\n"
        'c.AutopilotApp.backend = "fake_backend.FakeSageMakerBackend"\n'
        'c.SageMakerBackend.s3_prefix = "parent"\n'
        'c.FakeSageMakerBackend.default_bucket = "own"\n',
    )
    assert found["class"] == "FakeSageMakerBackend"
    assert found["settings"]["s3_prefix"] == "parent"
    assert found["settings"]["default_bucket"] == "own"


def test_a_bad_setting_stops_the_extension_with_the_reason(tmp_path: Path) -> None:
    config = "c.ServerApp.reraise_server_extension_failures = True\n"
    with pytest.raises(AssertionError, match=r"max_concurrent_jobs.*should not be less than 1"):
        initialize(tmp_path, config + "c.LocalBackend.max_concurrent_jobs = 0\n")
    with pytest.raises(AssertionError, match="Unknown backend 'sagemkr'"):
        initialize(tmp_path, config + 'c.AutopilotApp.backend = "sagemkr"\n')


@pytest.fixture
def autopilot_config() -> dict[str, Any]:
    return {"max_concurrent_jobs": 1}  # an old name: the backend's own section wins


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {**jp_server_config, "LocalBackend": {"max_concurrent_jobs": 2}}


async def test_the_running_server_reports_the_backend_settings(api: Any) -> None:
    health = (await api.get("health")).body
    assert health["backend"] == "local" and health["max_concurrent_jobs"] == 2


def cells(markdown: str) -> list[list[str]]:
    """The rows of the Markdown tables in `markdown`, as stripped cells (the widths
    Prettier pads them to do not matter)."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_the_readme_documents_every_setting() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert cells(section) == cells(settings_tables()), (
        "README's configuration tables differ from the traits: paste the output of "
        "`python -m jupyter_autopilot.configuration` (then `jlpm prettier`)."
    )
    documented = {row[0].strip("`") for row in cells(section)}
    for cls in (AutopilotApp, LocalBackend, SageMakerBackend):
        for name in cls.class_own_traits(config=True):
            assert f"{cls.__name__}.{name}" in documented, name
    assert {f"AutopilotApp.{alias}" for alias in aliases(AutopilotApp)} <= documented
