#!/bin/bash
# SageMaker notebook instance lifecycle configuration ("Start notebook" script) for
# jupyter-autopilot: selects the sagemaker backend for this instance's region, installs the
# extension into the instance's JupyterLab and restarts the Jupyter server.
#
# Use: SageMaker console > Notebook > Lifecycle configurations > Create configuration >
# "Start notebook", paste this file (edit the settings below first), then attach it to a
# notebook instance (Amazon Linux 2, JupyterLab 4: platform notebook-al2-v3) and start or
# restart it. Or with the AWS CLI:
#   aws sagemaker create-notebook-instance-lifecycle-config \
#     --notebook-instance-lifecycle-config-name jupyter-autopilot \
#     --on-start Content="$(base64 -w0 on-start.sh)"
#
# What it does at every start:
# 1. Settings: a marked block of c.AutopilotApp.* lines in ~/.jupyter/jupyter_server_config.py
#    (Jupyter Server ignores AutopilotApp settings in jupyter_server_config.d/), replaced at
#    each start; the rest of that file is kept.
# 2. In the background (AWS stops lifecycle scripts after 5 minutes), as ec2-user:
#    - JupyterSystemEnv, the environment Jupyter itself runs in, gets the extension without
#      the engine's dependencies, plus the light ones the server needs (SERVER_DEPS). pip
#      may not change Jupyter's own packages (KEEP_JUPYTER), and the libraries they use stay
#      within the versions they declare: if that is impossible, nothing is changed, the log
#      says why and Jupyter is not restarted. `pip check` in the log lists any conflict.
#    - A separate environment (WORKER_ENV) gets the package with all its dependencies
#      (scikit-learn, LightGBM, XGBoost, Optuna): the local backend's workers, model servers
#      and helper run there (AutopilotApp.worker_python). Built beside its final path and
#      renamed when complete; rebuilt at each start (the instance keeps only ~/SageMaker).
#    - Then the jupyter-server service restarts: open kernels stop.
# Log: ~/SageMaker/.jupyter-autopilot-install.log; its last line is "done" or "FAILED".
# The execution role needs the permissions in docs/sagemaker.md ("IAM permissions").
#
# `set -e` only, like AWS's samples: conda's activate scripts read unset variables (no
# `set -u`), and no pipe below may stop early (no pipefail).
set -e

# -- paths of a notebook instance (environment variables override them, for tests) --------
NBI_USER="${NBI_USER:-ec2-user}"
NBI_HOME="${NBI_HOME:-/home/$NBI_USER}"
NBI_METADATA="${NBI_METADATA:-/opt/ml/metadata/resource-metadata.json}"
CONDA_ROOT="${CONDA_ROOT:-$NBI_HOME/anaconda3}"
JUPYTER_ENV="${JUPYTER_ENV:-JupyterSystemEnv}"

# -- settings ------------------------------------------------------------------------------
# What pip installs: a version from PyPI, or a wheel on S3 (below).
PIP_SPEC="${PIP_SPEC:-jupyter_autopilot}"
# Optional: an s3:// URI of a wheel to install instead of PyPI (needs s3:GetObject).
WHEEL_S3_URI="${WHEEL_S3_URI:-}"
# The backend the server starts with (local works too, with WORKER_ENV).
BACKEND="${BACKEND:-sagemaker}"
# True: show the AWS requests that create or delete resources instead of sending them.
DRY_RUN="${DRY_RUN:-False}"
# Optional: S3 bucket for inputs and outputs (default: sagemaker-<region>-<account>).
DEFAULT_BUCKET="${DEFAULT_BUCKET:-}"
# The engine's environment (about 1 GB). Empty: none (the local backend cannot train).
WORKER_ENV="${WORKER_ENV-$NBI_HOME/.jupyter-autopilot/env}"
# False: let pip change Jupyter's own packages when our dependencies need it.
KEEP_JUPYTER="${KEEP_JUPYTER:-True}"
# What the server process needs in JupyterSystemEnv: pyproject.toml's dependencies minus
# the engine's lightgbm, xgboost, catboost, optuna, statsmodels, holidays and threadpoolctl (a test
# keeps the two lists in step).
SERVER_DEPS="jupyter_server>=2.4.0,<3 pydantic>=2.7,<3 numpy>=1.24 pandas>=2.0 scikit-learn>=1.4 nbformat>=5.9 psutil>=5.9 boto3>=1.34 requests>=2.28 tqdm>=4.60"

LOG="$NBI_HOME/SageMaker/.jupyter-autopilot-install.log"
CONFIG="$NBI_HOME/.jupyter/jupyter_server_config.py"

# The region is the one in this instance's ARN (arn:aws:sagemaker:<region>:<account>:...),
# else the instance metadata service's (IMDSv2).
REGION=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["ResourceArn"].split(":")[3])' "$NBI_METADATA" 2>/dev/null || true)
if [ -z "$REGION" ]; then
  token=$(curl -fs -m 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token || true)
  REGION=$(curl -fs -m 2 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/placement/region || true)
fi

# -- 1. settings, where Jupyter Server reads them ---------------------------------------------
mkdir -p "$(dirname "$CONFIG")"
python3 - "$CONFIG" "$BACKEND" "$DRY_RUN" "$REGION" "$DEFAULT_BUCKET" "${WORKER_ENV:+$WORKER_ENV/bin/python}" <<'PY'
import os, re, sys
path, backend, dry_run = sys.argv[1:4]
settings = {"backend": backend, "sagemaker_dry_run": dry_run.lower() in ("true", "1", "yes")}
for name, value in zip(("aws_region", "default_bucket", "worker_python"), sys.argv[4:7]):
    if value:
        settings[name] = value
begin, end = "# >>> jupyter-autopilot >>>", "# <<< jupyter-autopilot <<<"
block = "\n".join(
    [begin, "# Written by the jupyter-autopilot lifecycle script at each start: change the script."]
    + ["c.AutopilotApp.%s = %r" % item for item in settings.items()]
    + [end, ""]
)
try:
    with open(path) as fh:
        text = fh.read()
except FileNotFoundError:
    text = ""
blocks = re.compile(re.escape(begin) + ".*?" + re.escape(end) + "\n?", re.S)
found = blocks.search(text)
if found:  # in place, so lines the user put after it still win
    text = blocks.sub("", text)
    text = text[: found.start()] + block + text[found.start() :]
else:
    text += ("\n" if text and not text.endswith("\n") else "") + block
with open(path + ".new", "w") as fh:
    fh.write(text)
os.replace(path + ".new", path)
PY
# Written by versions before 0.2, and ignored by Jupyter Server.
rm -f "$NBI_HOME/.jupyter/jupyter_server_config.d/jupyter_autopilot_sagemaker.json"
chown "$NBI_USER:" "$(dirname "$CONFIG")" "$CONFIG"
touch "$LOG"
chown "$NBI_USER:" "$LOG"

# -- 2. the installation, in the background ---------------------------------------------------
WORK=$(mktemp -d /tmp/jupyter-autopilot.XXXXXX)
chmod 755 "$WORK"
chown "$NBI_USER:" "$WORK"
declare -p NBI_USER NBI_HOME CONDA_ROOT JUPYTER_ENV PIP_SPEC WHEEL_S3_URI WORKER_ENV \
  KEEP_JUPYTER SERVER_DEPS >"$WORK/settings.sh"

# As ec2-user: `as-user.sh jupyter` (JupyterSystemEnv) or `as-user.sh worker` (WORKER_ENV).
cat >"$WORK/as-user.sh" <<'EOF'
set -e
here=$(dirname "$0")
. "$here/settings.sh"
say() { echo "[$(date -u +%FT%TZ)] $*"; }
pip_install() { "$1" -m pip install --no-input --disable-pip-version-check --progress-bar off "${@:2}"; }
source "$CONDA_ROOT/bin/activate" "$JUPYTER_ENV"
spec=$PIP_SPEC
if [ -n "$WHEEL_S3_URI" ]; then
  aws s3 cp --only-show-errors "$WHEEL_S3_URI" "$here/"
  spec="$here/${WHEEL_S3_URI##*/}"
fi
if [ "$1" = jupyter ]; then
  keep=()
  if [ "$KEEP_JUPYTER" = True ]; then
    # Jupyter's packages pinned (constraints), JupyterLab and Jupyter Server requested at
    # their versions: pip then keeps what they depend on within the ranges they declare.
    python - "$here" <<'PY'
import re, sys
from importlib import metadata
jupyter = re.compile(r"(jupyter|notebook|nb|ipy|sagemaker|sparkmagic)|(tornado|traitlets|pyzmq|terminado|comm)$")
pins = {}
for dist in metadata.distributions():
    name = (dist.metadata["Name"] or "").lower().replace("_", "-")
    if jupyter.match(name) and name != "jupyter-autopilot":
        pins.setdefault(name, dist.version)
with open(sys.argv[1] + "/keep.txt", "w") as fh:
    fh.writelines(f"{n}=={v}\n" for n, v in sorted(pins.items()))
with open(sys.argv[1] + "/jupyter.txt", "w") as fh:
    fh.writelines(f"{n}=={pins[n]}\n" for n in ("jupyterlab", "jupyter-server", "notebook") if n in pins)
PY
    keep=(--constraint "$here/keep.txt" --requirement "$here/jupyter.txt")
  fi
  say "$JUPYTER_ENV: the server's dependencies"
  # shellcheck disable=SC2086 # one requirement per word
  if ! pip_install python "${keep[@]}" $SERVER_DEPS; then
    say "$JUPYTER_ENV cannot take them without changing Jupyter's packages (see pip above): nothing was changed. KEEP_JUPYTER=False allows it."
    exit 1
  fi
  say "$JUPYTER_ENV: $spec, without the engine's dependencies"
  pip_install python --no-deps --upgrade "$spec"
  jupyter server extension enable --sys-prefix jupyter_autopilot
  # The engine's dependencies are missing here on purpose; anything else is worth a look.
  conflicts=$(python -m pip check 2>&1 | grep -ivE "^jupyter.autopilot .* requires (lightgbm|xgboost|catboost|optuna|statsmodels|holidays|threadpoolctl)," || true)
  case "$conflicts" in "" | *"No broken"*) ;; *) echo "$conflicts"; say "WARNING: pip check lists conflicts (above)" ;; esac
  # Captured first: `cmd | grep -q` fails under pipefail when grep stops reading early.
  servers=$(jupyter server extension list 2>&1)
  labs=$(jupyter labextension list 2>&1)
  echo "$servers" | grep "jupyter_autopilot.*OK" || { echo "$servers"; say "the server extension does not load"; exit 1; }
  echo "$labs" | grep "jupyter-autopilot.*enabled.*OK" || { echo "$labs"; say "the labextension is missing"; exit 1; }
else
  say "worker environment $WORKER_ENV: $spec with all its dependencies"
  if [ -x "$WORKER_ENV/bin/python" ]; then
    pip_install "$WORKER_ENV/bin/python" --upgrade "$spec"
  else
    rm -rf "$WORKER_ENV.new"
    mkdir -p "$(dirname "$WORKER_ENV")"
    python -m venv "$WORKER_ENV.new"
    pip_install "$WORKER_ENV.new/bin/python" "$spec"
    mv "$WORKER_ENV.new" "$WORKER_ENV"
  fi
  "$WORKER_ENV/bin/python" -c "import jupyter_autopilot.engine.job, sklearn, lightgbm, xgboost, catboost, optuna, statsmodels, holidays"
fi
EOF

# As root: both steps, then the restart.
cat >"$WORK/install.sh" <<'EOF'
set -e
here=$(dirname "$0")
. "$here/settings.sh"
say() { echo "[$(date -u +%FT%TZ)] $*"; }
trap 'rc=$?; rm -rf "$here"; [ $rc = 0 ] || say "FAILED: the Jupyter server was not restarted (see above)"' EXIT
cd /
say "installing $PIP_SPEC${WHEEL_S3_URI:+ from $WHEEL_S3_URI}"
sudo -u "$NBI_USER" -i bash "$here/as-user.sh" jupyter
worker=""
if [ -n "$WORKER_ENV" ] && ! sudo -u "$NBI_USER" -i bash "$here/as-user.sh" worker; then
  worker=" (WARNING: no worker environment, the local backend cannot train: see above)"
fi
say "restarting the Jupyter server"
units=$(systemctl list-units --type=service --all 2>/dev/null || true)
case "$units" in
  *jupyter-server*) systemctl --no-block restart jupyter-server ;;
  *) initctl restart jupyter-server --no-wait ;;
esac
say "done$worker: reload JupyterLab in the browser"
EOF
nohup bash "$WORK/install.sh" >>"$LOG" 2>&1 </dev/null &
echo "jupyter-autopilot: installing in the background (pid $!); log: $LOG"
