"""A model server process: SageMaker's model-container contract on 127.0.0.1.

    python -m jupyter_autopilot.serving.server --model model.joblib --sha256 HEX

`GET /ping` answers 200 once the model is loaded; `POST /invocations` predicts
text/csv or application/json rows; a forecaster's `GET /future?item_ids=a,b` answers the
rows its forecast needs (the horizon's timestamps, related columns at their last values).
Every request must carry the per-endpoint secret
(`X-Autopilot-Secret`), which the process reads as the first line of its stdin, so it
never sits in its environment or command line (both readable in /proc); only the Jupyter
server, which authenticates users, can reach the model. On start the process prints one
JSON line `{"port": N}` to stdout, and it exits when its parent (the Jupyter server) dies.
An error it cannot attribute to the request is answered 500 with its reason, and its
traceback goes to stderr (the endpoint's server.log).

Several `--model`/`--sha256`/`--variant` triples serve production variants from one
process: the Jupyter server splits the traffic by weight and names the target in
`X-Autopilot-Target-Variant`; the answer names the variant that served it in
`X-Autopilot-Variant`. `X-Autopilot-Capture: 1` records the request for monitoring;
`X-Autopilot-Explain: 1` adds each row's feature contributions to a JSON answer.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from ..exceptions import AutopilotError
from ..models import DEFAULT_INFERENCE_KEYS, InferenceKey
from .forecast import ForecastService, service_for
from .payloads import CSV, JSON
from .service import ModelService

log = logging.getLogger("jupyter_autopilot.serving")


class _Base(tornado.web.RequestHandler):
    def initialize(self, services: dict[str, ModelService | ForecastService], secret: str) -> None:
        # Production variants by name; the first is the default target.
        self.services = services
        self.service = next(iter(services.values()))
        self.secret = secret

    def prepare(self) -> None:
        given = self.request.headers.get("X-Autopilot-Secret", "")
        if not hmac.compare_digest(given, self.secret):
            self.send_json(403, {"error": "forbidden", "message": "Missing or wrong secret."})

    def send_json(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", JSON)
        self.finish(json.dumps(body))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # Bad requests are answered, not logged; anything else leaves its traceback.
        if not isinstance(value, tornado.web.HTTPError):
            log.error(
                "%s %s failed", self.request.method, self.request.path, exc_info=(typ, value, tb)
            )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None))[1]
        message = self._reason if error is None else f"{type(error).__name__}: {error}"
        self.set_header("Content-Type", JSON)
        self.finish(json.dumps({"error": "internal_error", "message": message}))


class PingHandler(_Base):
    def get(self) -> None:
        self.send_json(
            200,
            {
                "status": "ok",
                "input_columns": self.service.feature_columns,
                "variants": list(self.services),
            },
        )


class InvocationsHandler(_Base):
    def post(self) -> None:
        content_type = (self.request.headers.get("Content-Type") or CSV).split(";")[0].strip()
        accept = CSV if CSV in (self.request.headers.get("Accept") or "") else JSON
        raw_keys = self.request.headers.get("X-Autopilot-Keys")
        variant = self.request.headers.get("X-Autopilot-Target-Variant") or next(
            iter(self.services)
        )
        service = self.services.get(variant)
        if service is None:
            self.send_json(
                400,
                {
                    "error": "invalid_request",
                    "message": f"No production variant named {variant!r}; this endpoint has "
                    f"{', '.join(self.services)}.",
                },
            )
            return
        try:
            keys = [InferenceKey(k) for k in raw_keys.split(",")] if raw_keys else None
            started = time.perf_counter()
            capture = self.request.headers.get("X-Autopilot-Capture") == "1"
            explain = self.request.headers.get("X-Autopilot-Explain") == "1"
            body, out_type = service.invoke(
                self.request.body, content_type, accept, keys, capture, explain
            )
        except AutopilotError as error:
            self.send_json(error.status_code, {"error": error.code, "message": error.message})
            return
        except ValueError as error:
            self.send_json(400, {"error": "invalid_request", "message": str(error)})
            return
        except Exception as error:
            log.exception("prediction failed")
            self.send_json(
                500, {"error": "internal_error", "message": f"{type(error).__name__}: {error}"}
            )
            return
        self.set_header("Content-Type", out_type)
        self.set_header("X-Autopilot-Variant", variant)
        self.set_header("X-Model-Latency-Ms", f"{(time.perf_counter() - started) * 1000:.3f}")
        self.finish(body)


class FutureHandler(_Base):
    """A forecaster's future rows to fill in: `GET /future?item_ids=a,b` (default: all)."""

    def get(self) -> None:
        if not isinstance(self.service, ForecastService):
            self.send_json(
                400,
                {
                    "error": "invalid_request",
                    "message": "This endpoint's model is tabular: only a forecaster has "
                    "future values to fill in.",
                },
            )
            return
        raw = self.get_query_argument("item_ids", "")
        items = [i.strip() for i in raw.split(",") if i.strip()] or None
        try:
            body = self.service.future_template(items)
        except AutopilotError as error:
            self.send_json(error.status_code, {"error": error.code, "message": error.message})
            return
        self.set_header("Content-Type", JSON)
        self.finish(body)


def make_app(
    services: dict[str, ModelService | ForecastService], secret: str
) -> tornado.web.Application:
    args = {"services": services, "secret": secret}
    return tornado.web.Application(
        [
            (r"/ping", PingHandler, args),
            (r"/invocations", InvocationsHandler, args),
            (r"/future", FutureHandler, args),
        ],
        # One log line per request would cost more than a small prediction.
        log_function=lambda handler: None,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, action="append", required=True)
    parser.add_argument("--sha256", action="append", required=True)
    parser.add_argument(
        "--variant",
        action="append",
        default=None,
        help="production variant name of each --model (default: AllTraffic)",
    )
    parser.add_argument("--keys", default=",".join(k.value for k in DEFAULT_INFERENCE_KEYS))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--capture-dir", type=Path, default=None, help="where sampled requests are recorded"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    from ..engine.artifact import load_checked
    from ..processes import die_with_parent

    die_with_parent()
    secret = sys.stdin.readline().strip()
    sys.stdin.close()
    if not secret:
        print("refusing to serve without a secret (the first line of stdin)", file=sys.stderr)
        return 2
    names = args.variant or ["AllTraffic"]
    if not len(names) == len(args.model) == len(args.sha256):
        print("give one --sha256 and one --variant per --model", file=sys.stderr)
        return 2
    keys = [InferenceKey(k) for k in args.keys.split(",") if k]
    services: dict[str, ModelService | ForecastService] = {}
    for variant, model_path, sha in zip(names, args.model, args.sha256, strict=True):
        # Loads only a file whose checksum matches the one recorded when it was saved.
        model = load_checked(model_path, expected_sha256=sha)
        service = service_for(model, keys, args.capture_dir, variant if args.variant else None)
        if isinstance(service, ModelService):
            # Warm up once so the first user request does not pay for lazy initialisation
            # (not a forecaster: its warm-up would fit every item's model).
            warm = ",".join("" for _ in service.feature_columns)
            try:
                service.invoke(warm.encode() or b"\n", CSV, JSON, None)
            except Exception:
                pass
        services[variant] = service
    sockets = bind_sockets(args.port, address="127.0.0.1")
    server = HTTPServer(make_app(services, secret), max_body_size=64 * 1024 * 1024)
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    log.info("serving %s on 127.0.0.1:%d", ", ".join(p.name for p in args.model), port)
    tornado.ioloop.IOLoop.current().start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
