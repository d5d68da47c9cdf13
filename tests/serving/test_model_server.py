"""The model server's own answers: an error it cannot blame on the request is a 500 that
says what failed, and its traceback lands in the log (the endpoint's server.log)."""

from __future__ import annotations

import json
import logging

import pandas as pd
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from jupyter_autopilot.models import DEFAULT_INFERENCE_KEYS
from jupyter_autopilot.serving.connection import ConnectionPool
from jupyter_autopilot.serving.server import make_app
from jupyter_autopilot.serving.service import ModelService


class BrokenModel:
    """A model whose prediction fails inside the library (as a bug or a bad pickle would)."""

    feature_columns = ["a", "b"]
    is_classifier = True
    labels = ["no", "yes"]

    def predict_proba(self, frame: pd.DataFrame) -> None:
        raise RuntimeError("the booster is corrupt")


async def test_an_unexpected_error_is_answered_with_its_reason_and_logged(caplog):
    service = ModelService(BrokenModel(), list(DEFAULT_INFERENCE_KEYS))
    sockets = bind_sockets(0, address="127.0.0.1")
    server = HTTPServer(make_app({"AllTraffic": service}, "s3cret"))
    server.add_sockets(sockets)
    pool = ConnectionPool(sockets[0].getsockname()[1])
    try:
        with caplog.at_level(logging.ERROR, logger="jupyter_autopilot.serving"):
            reply = await pool.request(
                "POST", "/invocations", {"X-Autopilot-Secret": "s3cret"}, b"1,2\n"
            )
        assert reply.code == 500
        assert json.loads(reply.body) == {
            "error": "internal_error",
            "message": "RuntimeError: the booster is corrupt",
        }
        [record] = [r for r in caplog.records if r.exc_info]
        assert "the booster is corrupt" in str(record.exc_info[1])
        refused = await pool.request("POST", "/invocations", {}, b"1,2\n")
        assert refused.code == 403
        # Future rows to fill in are a forecaster's: a tabular model says so (400).
        future = await pool.request("GET", "/future", {"X-Autopilot-Secret": "s3cret"})
        assert future.code == 400
        assert "only a forecaster has future values" in json.loads(future.body)["message"]
        assert (await pool.request("GET", "/future", {})).code == 403
    finally:
        pool.close()
        server.stop()
