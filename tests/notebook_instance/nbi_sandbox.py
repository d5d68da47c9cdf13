"""A sandbox shaped like a SageMaker notebook instance, to run its lifecycle script for real.

What `scripts/sagemaker-notebook-instance/on-start.sh` finds on an instance, in a temporary
folder: the `ec2-user` home (with `SageMaker/` and `anaconda3/`), a conda-like
`anaconda3/bin/activate` that activates `anaconda3/envs/<name>` (a real venv in the
end-to-end test) and, like conda's own scripts, reads unset variables, the instance's
`/opt/ml/metadata/resource-metadata.json`, and shims on PATH for what the script calls
as root on an instance (`sudo`, `systemctl`, `initctl`, `curl`, `aws`). The shims record
their calls in `calls.log`. The script's prefixes come from environment variables that
default to the instance's real paths; `env()` sets them.
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_autopilot.processes import kill_tree

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "sagemaker-notebook-instance" / "on-start.sh"
REGION = "eu-west-1"
ARN = f"arn:aws:sagemaker:{REGION}:123456789012:notebook-instance/autopilot-nbi-test"
#: The PATH AWS gives lifecycle scripts (API_NotebookInstanceLifecycleHook), our shims first.
INSTANCE_PATH = "/sbin:/bin:/usr/sbin:/usr/bin"

SUDO = r"""#!/bin/bash
# sudo on a notebook instance: `sudo -u ec2-user -i CMD` runs CMD in ec2-user's login
# environment (HOME, a login PATH, nothing else of the caller's). Here the user is the one
# running the tests; the environment is reset the same way.
printf 'sudo %s\n' "$*" >>"$NBI_SHIM_CALLS"
user=root login=0
while [ $# -gt 0 ]; do
  case "$1" in
    -u) user=$2; shift 2 ;;
    -i) login=1; shift ;;
    -*) echo "sudo shim: unsupported option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ "$user" = "$NBI_USER" ] || { echo "sudo shim: unexpected user $user" >&2; exit 2; }
# The test may hold the caller here (to see that the lifecycle script did not wait for us).
while [ -n "${NBI_SUDO_GATE:-}" ] && [ ! -e "$NBI_SUDO_GATE" ]; do sleep 0.1; done
if [ "${NBI_SUDO_MODE:-run}" = record ]; then cat >/dev/null; exit 0; fi
keep=()
for name in $(compgen -e); do
  case "$name" in PIP_*|UV_*|NBI_SHIM_CALLS) keep+=("$name=${!name}") ;; esac
done
[ "$login" = 1 ] && cd "$NBI_HOME"
[ $# -gt 0 ] || set -- bash
exec env -i HOME="$NBI_HOME" USER="$user" LOGNAME="$user" SHELL=/bin/bash \
  PATH="$NBI_SHIMS:/usr/local/bin:/usr/bin:/bin" "${keep[@]}" "$@"
"""

RECORDER = """#!/bin/bash
# {name} on a notebook instance: recorded, {what}.
printf '{name} %s\\n' "$*" >>"$NBI_SHIM_CALLS"
{body}
"""

SHIMS = {
    "sudo": SUDO,
    "systemctl": RECORDER.format(
        name="systemctl",
        what="and the jupyter-server unit listed (the test starts the server itself)",
        body='[ "$1" = list-units ] && echo "jupyter-server.service loaded active running Jupyter Server"\nexit 0',
    ),
    "initctl": RECORDER.format(name="initctl", what="nothing else", body="exit 0"),
    "curl": RECORDER.format(
        name="curl", what="and failing: no instance metadata service here", body="exit 7"
    ),
    "aws": RECORDER.format(name="aws", what="and failing: no AWS here", body="exit 255"),
}

# Like Anaconda's bin/activate plus an environment's activate.d hooks (glib's and proj's
# hooks read variables that may be unset): `source activate NAME` fails under `set -u`.
ACTIVATE = r"""# conda-like activate (test sandbox): `source .../anaconda3/bin/activate NAME`
_CONDA_ROOT="@ROOT@"
_conda_env="$_CONDA_ROOT/envs/${1:-base}"
if [ ! -d "$_conda_env" ]; then
  echo "EnvironmentNameNotFound: Could not find conda environment: ${1:-base}" >&2
  return 1
fi
CONDA_PS1_BACKUP="$PS1"
. "$_conda_env/bin/activate"
export CONDA_PREFIX="$_conda_env" CONDA_DEFAULT_ENV="${1:-base}" CONDA_SHLVL=1
for _conda_hook in "$_conda_env"/etc/conda/activate.d/*.sh; do
  if [ -f "$_conda_hook" ]; then . "$_conda_hook"; fi
done
"""
HOOK = "export GSETTINGS_SCHEMA_DIR_CONDA_BACKUP=$GSETTINGS_SCHEMA_DIR\n"


@dataclass
class Sandbox:
    """Paths of one sandboxed notebook instance."""

    root: Path
    user: str = field(default_factory=getpass.getuser)
    #: Background installers the script started (it prints their pid).
    installers: list[int] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.root / "home" / "ec2-user"

    @property
    def conda(self) -> Path:
        return self.home / "anaconda3"

    @property
    def jupyter_env(self) -> Path:
        return self.conda / "envs" / "JupyterSystemEnv"

    @property
    def worker_env(self) -> Path:
        return self.home / ".jupyter-autopilot" / "env"

    @property
    def metadata(self) -> Path:
        return self.root / "opt" / "ml" / "metadata" / "resource-metadata.json"

    @property
    def shims(self) -> Path:
        return self.root / "shims"

    @property
    def calls(self) -> Path:
        return self.root / "calls.log"

    @property
    def log(self) -> Path:
        return self.home / "SageMaker" / ".jupyter-autopilot-install.log"

    @property
    def jupyter_config(self) -> Path:
        return self.home / ".jupyter"

    def create(self) -> Sandbox:
        (self.home / "SageMaker").mkdir(parents=True)
        (self.conda / "bin").mkdir(parents=True)
        (self.conda / "bin" / "activate").write_text(ACTIVATE.replace("@ROOT@", str(self.conda)))
        self.metadata.parent.mkdir(parents=True)
        self.metadata.write_text(
            json.dumps({"ResourceArn": ARN, "ResourceName": ARN.rsplit("/")[-1]})
        )
        self.shims.mkdir()
        for name, text in SHIMS.items():
            path = self.shims / name
            path.write_text(text)
            path.chmod(0o755)
        self.calls.touch()
        return self

    def add_activate_hook(self, env: Path) -> None:
        hooks = env / "etc" / "conda" / "activate.d"
        hooks.mkdir(parents=True, exist_ok=True)
        (hooks / "glib_activate.sh").write_text(HOOK)

    def env(self, **settings: str) -> dict[str, str]:
        """The environment the script runs with: an instance's (root, AWS's PATH), the
        sandbox's prefixes, the shims' settings and the script's `settings`."""
        env = {
            "PATH": f"{self.shims}:{INSTANCE_PATH}",
            "HOME": "/root" if os.getuid() == 0 else str(Path.home()),
            "LANG": "C.UTF-8",
            "NBI_USER": self.user,
            "NBI_HOME": str(self.home),
            "NBI_METADATA": str(self.metadata),
            "NBI_SHIMS": str(self.shims),
            "NBI_SHIM_CALLS": str(self.calls),
        }
        for name, value in os.environ.items():
            if name.startswith(("PIP_", "UV_")):
                env[name] = value
        env.update(settings)
        return env

    def run_script(self, timeout: float = 120, **settings: str) -> subprocess.CompletedProcess[str]:
        """Run on-start.sh as SageMaker does (`bash on-start.sh`), as this user."""
        result = subprocess.run(
            ["bash", str(SCRIPT)],
            env=self.env(**settings),
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        self.installers += [int(pid) for pid in re.findall(r"\(pid (\d+)\)", result.stdout)]
        return result

    def kill_installers(self) -> None:
        """Stop what is left of the background installations (a failed test's)."""
        for pid in self.installers:
            kill_tree(pid)

    def shim_calls(self) -> list[str]:
        return self.calls.read_text().splitlines()


def lifecycle_content_length() -> int:
    """Length of the script as AWS counts it: the base64 `Content` of the lifecycle hook."""
    return len(base64.b64encode(SCRIPT.read_bytes()))


LOAD_CONFIG = textwrap.dedent(
    """
    import json, sys
    from jupyter_server.serverapp import ServerApp

    app = ServerApp()
    app.initialize(argv=sys.argv[1:], new_httpserver=False)
    points = app.extension_manager.extensions["jupyter_autopilot"].extension_points
    autopilot = points["jupyter_autopilot"].app
    names = ("backend", "aws_region", "sagemaker_dry_run", "default_bucket", "worker_python")
    backend = app.web_app.settings["autopilot_backend"]
    print(json.dumps({
        "enabled": bool(app.jpserver_extensions.get("jupyter_autopilot")),
        "settings": {name: getattr(autopilot, name, None) for name in names},
        "backend": {
            "class": type(backend).__name__,
            **{name: getattr(backend, name) for name in backend.trait_names(config=True)},
        },
    }))
    """
)


def load_server_config(
    sandbox: Sandbox, python: str = sys.executable, extra_env: dict[str, str] | None = None
) -> dict[str, object]:
    """The AutopilotApp settings a Jupyter server started as ec2-user ends up with.

    Loads configuration exactly as Jupyter Server does (`ServerApp().initialize(...)`: every
    config file on its path, `jpserver_extensions`, the extension's own traits), in a fresh
    process with ec2-user's HOME and config dir, without starting the HTTP server.
    """
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(sandbox.home),
        "JUPYTER_CONFIG_DIR": str(sandbox.jupyter_config),
        "JUPYTER_DATA_DIR": str(sandbox.home / ".local" / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(sandbox.root / "runtime"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(sandbox.root / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(sandbox.root / "no-aws-credentials"),
    }
    env.update(extra_env or {})
    root = sandbox.home / "SageMaker"
    result = subprocess.run(
        [python, "-c", LOAD_CONFIG, f"--ServerApp.root_dir={root}", "--allow-root"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
