"""Jupyter server configuration of the Galata UI tests (started by playwright.config.js).

The server root is a fresh temporary directory (Galata's default). The tutorial's
bank-marketing data, shipped in the package (jupyter_autopilot/samples), is unzipped
into it at start-up, so the tests find `bank-additional/bank-additional-full.csv` in the
file browser.

`forecast/monthly-sales.csv` is a small generated series file (three stores, monthly)
for the forecasting specs; `forecast/monthly-promo.csv` adds a related promo column.

`sales/` holds time-ordered data for the validation-file spec: `earlier.csv` to train on,
`later.csv` (the later rows) to validate on and `renamed.csv` (a renamed column).

For the notebook import, `sagemaker-job/` gets a SageMaker Autopilot candidate-definition
notebook of the bank job with its generated modules (tests/support/autopilot_notebook.py,
the same builder the Python tests use), and `plain.ipynb` is a notebook that is not one.

With `AUTOPILOT_UI_FRESH_ROOT=1` (the `tutorial` project's server) the root stays empty,
as a new user's would be: no data, no experiments.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # type: ignore[name-defined]  # noqa: F821

configure_jupyter_server(c)
# CI runs as root.
c.ServerApp.allow_root = True
# Keep the test log readable: Galata's own probes cause many harmless 404 warnings.
c.ServerApp.log_level = "ERROR"
c.AutopilotApp.log_level = "ERROR"
c.LabApp.log_level = "ERROR"
# No "build recommended" check on page load: the test servers serve prebuilt extensions only,
# and JupyterLab's check (GET /lab/api/build) cost each server about 11 s of CPU on its first
# page load (then 1 s a load). Six servers' first checks at once on 2 cores delayed the
# first tests' app start past Galata's 15 s wait for the launcher (CI, 7 December 2026).
c.ServerApp.tornado_settings = {"page_config_data": {"buildCheck": False, "buildAvailable": False}}
# The local backend keeps its state under <root>/autopilot so notebooks open in JupyterLab.
c.AutopilotApp.backend = "local"
c.AutopilotApp.work_dir = "autopilot"
c.AutopilotApp.max_concurrent_jobs = 1

TESTS_SUPPORT = Path(__file__).resolve().parent.parent / "tests" / "support"


def seed(folder: Path) -> None:
    """The files the specs use: the tutorial's data and a few made for the tests."""
    from jupyter_autopilot.samples import BANK_MARKETING

    with BANK_MARKETING.open_archive() as archive:
        for member in archive.namelist():
            # Only the data folder; skip macOS metadata and anything escaping the root.
            if member.startswith(("__MACOSX", "/")) or ".." in Path(member).parts:
                continue
            archive.extract(member, folder)

    # A file that is not a usable CSV, for the "bad file" test.
    (folder / "broken.csv").write_text("age,job,y\n56,housemaid\n57,services,no,extra\n", "utf-8")
    # The first 50 rows of the data (target included), for the batch prediction.
    with (folder / BANK_MARKETING.member).open("r", encoding="utf-8") as source:
        head = [next(source) for _ in range(51)]
    (folder / "bank-sample.csv").write_text("".join(head), "utf-8")
    # The data's rows eight times over (about 330,000 rows, 17 chunks of the batch), for
    # a batch prediction that runs long enough to be stopped from the panel.
    rows = (folder / BANK_MARKETING.member).read_text("utf-8").splitlines(keepends=True)
    with (folder / "bank-large.csv").open("w", encoding="utf-8") as large:
        large.write(rows[0])
        for _ in range(8):
            large.writelines(rows[1:])

    if str(TESTS_SUPPORT) not in sys.path:
        sys.path.insert(0, str(TESTS_SUPPORT))
    from sample_data import monthly_sales, time_ordered_frames, write_bank_sample

    # A stratified 4,000-row sample (as the Python tests' `bank_sample_csv`), for specs
    # that train on the bank data but test the panels, not the data's size: about a tenth
    # of the full file's CPU per experiment.
    write_bank_sample(folder / BANK_MARKETING.member, folder / "bank-additional" / "bank-4000.csv")

    # A SageMaker Autopilot candidate-definition notebook (bank job: dpp0-xgboost,
    # dpp1-xgboost, dpp2-linear-learner) and its generated dppN.py modules, for the import.
    from autopilot_notebook import write_bank_notebook

    write_bank_notebook(folder / "sagemaker-job")
    # Time-ordered sales (tests/support/sample_data.py): the earlier rows to train on, the
    # later rows as the user's validation file, and a file whose columns do not match.
    train, later = time_ordered_frames()
    (folder / "sales").mkdir(exist_ok=True)
    train.to_csv(folder / "sales" / "earlier.csv", index=False)
    later.to_csv(folder / "sales" / "later.csv", index=False)
    later.rename(columns={"store": "shop"}).to_csv(folder / "sales" / "renamed.csv", index=False)
    # Monthly sales of three stores (store, date, sales; 4 years, a trend and a 12-month
    # season), the data of the Python forecasting tests, for the forecasting wizard.
    (folder / "forecast").mkdir(exist_ok=True)
    monthly_sales().to_csv(folder / "forecast" / "monthly-sales.csv", index=False)
    # The same with a 0/1 promo column (+40 sales), a related series whose future values
    # the local forecasting spec edits (what-if).
    monthly_sales(promo=True).to_csv(folder / "forecast" / "monthly-promo.csv", index=False)
    # A valid notebook that is not an Autopilot one, for the import's error.
    (folder / "plain.ipynb").write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "markdown",
                        "id": "intro",
                        "metadata": {},
                        "source": "# Just a notebook\n\nNo `select_candidate` cells here.",
                    },
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "id": "hello",
                        "metadata": {},
                        "outputs": [],
                        "source": "print('hello')",
                    },
                ],
                "metadata": {
                    "kernelspec": {
                        "display_name": "Python 3",
                        "language": "python",
                        "name": "python3",
                    }
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            },
            indent=1,
        ),
        "utf-8",
    )


if os.environ.get("AUTOPILOT_UI_FRESH_ROOT") != "1":
    seed(Path(c.ServerApp.root_dir))
