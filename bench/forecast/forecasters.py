"""Each tool fits the training history of one dataset and forecasts its horizon.

    python bench/forecast/forecasters.py TOOL DATA_DIR OUT_DIR --budget SECONDS --seed N

Run with the tool's own interpreter (run.py picks it): `ours` with the project's .venv,
`statsforecast` with bench/.venv-statsforecast, `autogluon` with bench/.venv-autogluon-ts.
Writes OUT_DIR/forecast.csv (item_id,
timestamp, mean, p10, p50, p90) and OUT_DIR/info.json (seconds, version, what was chosen).
Only the standard library, numpy and pandas are imported at module level.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path

import pandas as pd

TRAIN, META = "train.csv", "meta.json"
COLUMNS = ["item_id", "timestamp", "mean", "p10", "p50", "p90"]


def fit_ours(meta: dict, data: Path, out: Path, budget: int, seed: int) -> dict:
    """`run_job` as a user of the extension runs it: the local backend's budget for a job
    of `budget` seconds, the default objective (Average wQL), the frequency given."""
    from jupyter_autopilot import models as m
    from jupyter_autopilot.backends.local.backend import local_budget
    from jupyter_autopilot.engine import JobConfig, run_job
    from jupyter_autopilot.engine.forecasting.model import ForecastModel

    spec = m.ExperimentSpec(
        name="bench",
        input_uri=TRAIN,
        target="target",
        problem_type=m.ProblemType.time_series_forecasting,
        forecast=m.ForecastSpec(
            timestamp="timestamp",
            item_ids=["item_id"],
            frequency=meta["freq"],
            horizon=meta["horizon"],
        ),
        seed=seed,
        max_job_runtime_seconds=budget,
    )
    config = JobConfig.from_spec(
        spec, local_budget(spec), data_path=data / TRAIN, output_dir=out / "job"
    )
    result = run_job(config)
    if result.model_path is None:
        raise RuntimeError("the job ended without a model")
    model = ForecastModel.load(result.model_path)
    model.forecast()[COLUMNS].to_csv(out / "forecast.csv", index=False)
    return {
        "version": metadata.version("jupyter-autopilot"),
        "best": result.best_candidate,
        "validation_score": result.best_objective_value,
        "candidates": len(result.candidates),
    }


def fit_statsforecast(meta: dict, data: Path, out: Path, budget: int, seed: int) -> dict:
    """statsforecast's automatic ETS, ARIMA and Theta, combined by averaging their means and
    80% intervals (the bounds are p10 and p90; the mean is p50): the classic strong
    statistical ensemble of the M competitions. No search budget: it takes what it takes."""
    import numpy as np
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    m = meta["season"]
    history = pd.read_csv(data / TRAIN, parse_dates=["timestamp"])
    history = history.rename(columns={"item_id": "unique_id", "timestamp": "ds", "target": "y"})
    models = [AutoETS(season_length=m), AutoARIMA(season_length=m), AutoTheta(season_length=m)]
    sf = StatsForecast(models=models, freq=meta["freq"], n_jobs=1)
    fc = sf.forecast(df=history, h=meta["horizon"], level=[80])
    names = [type(model).__name__ for model in models]
    mean = np.mean([fc[n].to_numpy(float) for n in names], axis=0)
    low = np.mean([fc[f"{n}-lo-80"].to_numpy(float) for n in names], axis=0)
    high = np.mean([fc[f"{n}-hi-80"].to_numpy(float) for n in names], axis=0)
    forecast = pd.DataFrame(
        {
            "item_id": fc["unique_id"].astype(str),
            "timestamp": fc["ds"],
            "mean": mean,
            "p10": low,
            "p50": mean,
            "p90": high,
        }
    )
    forecast[COLUMNS].to_csv(out / "forecast.csv", index=False)
    return {"version": metadata.version("statsforecast"), "best": "+".join(names)}


#: AutoGluon-TimeSeries 1.6.3's `high_quality` preset (its "default" hyperparameters: also
#: what `fit` trains when given no presets) without its two pretrained families, Chronos2
#: (zero-shot and a fine-tuned small one) and Toto2, which download their weights from
#: Hugging Face when fitted: these machines reach PyPI only. `medium_quality` ("light") has
#: nothing else (SeasonalNaive, ETS, Theta and the two tabular models, beside Chronos2-small
#: and a 4M-parameter Toto2). Raise the version, and read its presets again.
AUTOGLUON_MODELS: dict[str, dict] = {
    "SeasonalNaive": {},
    "AutoETS": {},
    "DynamicOptimizedTheta": {},
    "RecursiveTabular": {},
    "DirectTabular": {},
    "TemporalFusionTransformer": {},
    "DeepAR": {},
}


def fit_autogluon(meta: dict, data: Path, out: Path, budget: int, seed: int) -> dict:
    """AutoGluon-TimeSeries' predictor as its documentation shows it, with the benchmark's
    budget, objective (WQL: its name for Average wQL over the quantiles asked for) and
    quantiles, and its weighted ensemble (on by default) of the models above, which leave
    out every pretrained one (see AUTOGLUON_MODELS). One validation window, its default."""
    # A guard: nothing here may reach Hugging Face (no model above needs it).
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from autogluon.timeseries import TimeSeriesDataFrame, TimeSeriesPredictor

    history = pd.read_csv(data / TRAIN, parse_dates=["timestamp"])
    history["item_id"] = history["item_id"].astype(str)
    frame = TimeSeriesDataFrame.from_data_frame(
        history, id_column="item_id", timestamp_column="timestamp"
    )
    predictor = TimeSeriesPredictor(
        target="target",
        prediction_length=meta["horizon"],
        freq=meta["freq"],
        eval_metric="WQL",
        quantile_levels=[0.1, 0.5, 0.9],
        path=out / "autogluon",
    )
    predictor.fit(
        frame,
        hyperparameters=AUTOGLUON_MODELS,
        time_limit=budget,
        random_seed=seed,
        enable_ensemble=True,
    )
    fc = predictor.predict(frame).reset_index()
    forecast = pd.DataFrame(
        {
            "item_id": fc["item_id"].astype(str),
            "timestamp": fc["timestamp"],
            "mean": fc["mean"],
            "p10": fc["0.1"],
            "p50": fc["0.5"],
            "p90": fc["0.9"],
        }
    )
    forecast[COLUMNS].to_csv(out / "forecast.csv", index=False)
    board = predictor.leaderboard()
    return {
        "version": metadata.version("autogluon.timeseries"),
        "best": str(board.iloc[0]["model"]),
        "validation_score": float(board.iloc[0]["score_val"]),
        "models": [str(m) for m in board["model"]],
        "candidates": len(board),
    }


FITTERS = {"ours": fit_ours, "statsforecast": fit_statsforecast, "autogluon": fit_autogluon}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tool", choices=sorted(FITTERS))
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--budget", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    meta = json.loads((args.data / META).read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    info = FITTERS[args.tool](meta, args.data, args.out, args.budget, args.seed)
    info["fit_seconds"] = time.perf_counter() - started
    (args.out / "info.json").write_text(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
