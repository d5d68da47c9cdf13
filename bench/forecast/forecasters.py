"""Each tool fits the training history of one dataset and forecasts its horizon.

    python bench/forecast/forecasters.py TOOL DATA_DIR OUT_DIR --budget SECONDS --seed N

Run with the tool's own interpreter (run.py picks it): `ours` with the project's .venv,
`statsforecast` with bench/.venv-statsforecast. Writes OUT_DIR/forecast.csv (item_id,
timestamp, mean, p10, p50, p90) and OUT_DIR/info.json (seconds, version, what was chosen).
Only the standard library, numpy and pandas are imported at module level.
"""

from __future__ import annotations

import argparse
import json
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


FITTERS = {"ours": fit_ours, "statsforecast": fit_statsforecast}


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
