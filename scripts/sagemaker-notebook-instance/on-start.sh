#!/bin/bash
# SageMaker notebook instance lifecycle configuration ("Start notebook" script):
# installs jupyter-autopilot into the instance's JupyterLab environment, selects the
# sagemaker backend for this instance's region, and restarts the Jupyter server.
#
# Use: SageMaker console > Notebook > Lifecycle configurations > Create configuration >
# "Start notebook", paste this file (edit the settings below first), then attach the
# configuration to a notebook instance (Amazon Linux 2, JupyterLab 4: platform
# notebook-al2-v3) and start or restart it. Or with the AWS CLI:
#   aws sagemaker create-notebook-instance-lifecycle-config \
#     --notebook-instance-lifecycle-config-name jupyter-autopilot \
#     --on-start Content="$(base64 -w0 on-start.sh)"
#
# Lifecycle scripts run as root and must finish within 5 minutes, so the installation
# runs in the background (nohup) and restarts the Jupyter server when it is done; its
# log is /home/ec2-user/SageMaker/.jupyter-autopilot-install.log. The instance's execution
# role needs the permissions listed in docs/sagemaker.md ("IAM permissions").
set -euo pipefail

# -- settings ------------------------------------------------------------------------
# What pip installs: a version from PyPI, or a wheel on S3 copied first (see below).
PIP_SPEC="${PIP_SPEC:-jupyter_autopilot}"
# Optional: an s3:// URI of a wheel to install instead of PyPI (needs s3:GetObject).
WHEEL_S3_URI="${WHEEL_S3_URI:-}"
# Set to True to show the AWS requests instead of sending the ones that cost money.
DRY_RUN="${DRY_RUN:-False}"
# Optional: S3 bucket for inputs and outputs (default: sagemaker-<region>-<account>).
DEFAULT_BUCKET="${DEFAULT_BUCKET:-}"

# -- paths of a SageMaker notebook instance --------------------------------------------
# (Environment variables override them, so tests can run this script in a sandbox.)
USER_NAME="${NBI_USER:-ec2-user}"
NBI_HOME="${NBI_HOME:-/home/$USER_NAME}"
CONDA_ROOT="${CONDA_ROOT:-$NBI_HOME/anaconda3}"
JUPYTER_ENV="${JUPYTER_ENV:-JupyterSystemEnv}"
METADATA="${NBI_METADATA:-/opt/ml/metadata/resource-metadata.json}"
CONFIG_DIR=$NBI_HOME/.jupyter/jupyter_server_config.d
LOG=$NBI_HOME/SageMaker/.jupyter-autopilot-install.log

# The region is the one in this instance's ARN (arn:aws:sagemaker:<region>:<account>:...).
REGION=$(python3 -c "import json; print(json.load(open('$METADATA'))['ResourceArn'].split(':')[3])" 2>/dev/null || true)
if [ -z "$REGION" ]; then
  REGION=$(curl -fs -m 2 http://169.254.169.254/latest/meta-data/placement/region || echo "")
fi

mkdir -p "$CONFIG_DIR"
python3 - "$CONFIG_DIR/jupyter_autopilot_sagemaker.json" "$REGION" "$DRY_RUN" "$DEFAULT_BUCKET" <<'PY'
import json, sys
path, region, dry_run, bucket = sys.argv[1:5]
app = {"backend": "sagemaker", "sagemaker_dry_run": dry_run.lower() == "true"}
if region:
    app["aws_region"] = region
if bucket:
    app["default_bucket"] = bucket
# The execution role is detected from this instance (DescribeNotebookInstance).
with open(path, "w") as fh:
    json.dump({"AutopilotApp": app}, fh, indent=2)
PY
chown -R "$USER_NAME:" "$NBI_HOME/.jupyter"

INSTALLER=/tmp/jupyter-autopilot-install.sh
cat >"$INSTALLER" <<EOF
#!/bin/bash
set -euo pipefail
echo "[\$(date -u +%FT%TZ)] installing $PIP_SPEC ${WHEEL_S3_URI:+from $WHEEL_S3_URI}"
sudo -u $USER_NAME -i bash <<'INNER'
set -euo pipefail
source $CONDA_ROOT/bin/activate $JUPYTER_ENV
spec="$PIP_SPEC"
if [ -n "$WHEEL_S3_URI" ]; then
  mkdir -p /tmp/jupyter-autopilot-wheel
  aws s3 cp "$WHEEL_S3_URI" /tmp/jupyter-autopilot-wheel/
  spec=\$(ls /tmp/jupyter-autopilot-wheel/*.whl | head -n 1)
fi
pip install --quiet --upgrade "\$spec"
jupyter server extension enable jupyter_autopilot --sys-prefix
jupyter server extension list 2>&1 | grep -i autopilot
jupyter labextension list 2>&1 | grep -i autopilot
INNER
echo "[\$(date -u +%FT%TZ)] restarting the Jupyter server"
if command -v systemctl >/dev/null 2>&1 && systemctl list-units --type=service | grep -q jupyter-server; then
  systemctl --no-block restart jupyter-server
else
  initctl restart jupyter-server --no-wait
fi
echo "[\$(date -u +%FT%TZ)] done: reload JupyterLab in the browser"
EOF
chmod +x "$INSTALLER"
nohup "$INSTALLER" >>"$LOG" 2>&1 &
echo "jupyter-autopilot installation started in the background; log: $LOG"
