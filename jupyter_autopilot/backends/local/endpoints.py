"""Local endpoints: one model-server process per endpoint, reached only through the API.

Each endpoint is a `jupyter_autopilot.serving.server` process on 127.0.0.1 with a free
port and a per-endpoint secret that lives only in memory (the server writes it to the
process's stdin, so it is in no environment or command line). Deploy copies the model
into the endpoint's folder, so cleaning an experiment's outputs never breaks a running
endpoint, and starts the process in the background: Creating -> InService, or Failed
with the reason. After a server restart the endpoints recorded as InService are started
again. Batch predictions through these endpoints live in `batches`.
"""

from __future__ import annotations

import asyncio
import collections
import json
import random
import shutil
import sys
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

from tornado.iostream import StreamClosedError

from ... import models as m
from ...exceptions import (
    AutopilotError,
    Conflict,
    InvalidRequest,
    NotFound,
    UpstreamError,
)
from ...paths import (
    scrub_paths,
    to_api_path,
)
from ...serving.connection import Response
from .batches import BatchPredictions
from .jobs import kill_tree
from .model_servers import (
    LATENCY_SAMPLES,
    Running,
    capture_percentage,
    is_our_endpoint,
    latency_summary,
    start_model_server,
    stop_model_server,
)
from .store import Store

#: Seconds DELETE waits for invocations in flight to be answered before it stops the process.
DRAIN_SECONDS = 5.0


def default_endpoint_name(experiment: str) -> str:
    return f"{experiment}-ep-{uuid.uuid4().hex[:6]}"[:63]


class EndpointManager:
    """Deploy, describe, invoke and delete local endpoints."""

    def __init__(
        self,
        store: Store,
        root_dir: Path,
        work_dir: Path,
        endpoints_dir: Path,
        log: Any,
        python: str = sys.executable,
        fork_server: bool = True,
    ):
        self.store = store
        #: The model servers' interpreter (`AutopilotApp.worker_python`).
        self.python = python
        self.fork_server = fork_server
        self.root_dir = root_dir
        self.work_dir = work_dir
        self.endpoints_dir = endpoints_dir
        self.log = log
        self._running: dict[str, Running] = {}
        #: Why an endpoint's process died, from the moment the watcher sees it until its
        #: row says Failed (invocations in between answer with the reason).
        self._dying: dict[str, str] = {}
        self._starting: dict[str, asyncio.Task[None]] = {}
        self.batches = BatchPredictions(self, store, root_dir, work_dir)
        self._closing = False

    # -- lifecycle -------------------------------------------------------------------
    async def recover(self) -> None:
        """Start again the endpoints that were serving when the server stopped."""
        for row in await asyncio.to_thread(self.store.endpoint_rows):
            if row["pid"] and is_our_endpoint(row["pid"], row["model_path"]):
                kill_tree(row["pid"])  # an orphan from a server that died too hard
            status = m.EndpointStatus(row["status"])
            if status in (m.EndpointStatus.InService, m.EndpointStatus.Creating):
                await asyncio.to_thread(
                    self.store.update_endpoint,
                    row["name"],
                    status=m.EndpointStatus.Creating,
                    pid=None,
                    port=None,
                    failure_reason=None,
                )
                self._start_in_background(row["name"])
            elif status is m.EndpointStatus.Deleting:
                await self._remove(row["name"])
        # No batch runs yet in this server: any recorded as running died with the last one.
        await self.batches.interrupt_unfinished()

    async def shutdown(self) -> None:
        """Server stopping: stop the model servers (SIGTERM, then SIGKILL after a short
        grace) and record running batches as Failed. Endpoints stay InService in the
        database, so the next start serves them again."""
        self._closing = True
        tasks: list[asyncio.Future[None]] = [*self._starting.values(), *self.batches.running()]
        tasks += [r.watcher for r in self._running.values() if r.watcher is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        running = dict(self._running)
        self._running.clear()
        await asyncio.gather(*(stop_model_server(r) for r in running.values()))
        for name, endpoint in running.items():
            await self._flush_counts(name, endpoint)
        await self.batches.interrupt_unfinished()

    # -- deploy ----------------------------------------------------------------------
    def _model_for(self, experiment_dir: Path, row: Any, candidate: str) -> tuple[Path, str]:
        """The saved model file and its recorded checksum for a candidate."""
        if candidate == row["best_candidate"]:
            path = experiment_dir / "model" / "model.joblib"
            sha = row["model_sha256"]
        else:
            path = experiment_dir / "candidates" / candidate / "model.joblib"
            sha_file = path.with_name("model.sha256")
            sha = sha_file.read_text().strip() if sha_file.is_file() else None
        if not path.is_file() or not sha:
            raise Conflict(
                f"Candidate {candidate!r} has no saved model to deploy (only the best "
                "candidates' models are kept). Deploy the best candidate, or one marked "
                "as deployable in the leaderboard."
            )
        return path, sha

    async def deploy(
        self, experiment: m.Experiment, experiment_dir: Path, request: m.DeployRequest
    ) -> m.Endpoint:
        if experiment.best_candidate is None:
            raise Conflict(
                f"Experiment {experiment.name!r} has no trained candidate yet "
                f"(status {experiment.status.value}); wait for Model Tuning to finish."
            )
        if request.instance_type not in (None, "local") or request.serverless is not None:
            raise InvalidRequest(
                "Instance types and serverless configs apply to the sagemaker backend; the "
                "local backend serves every endpoint as a process on this machine."
            )
        row = await asyncio.to_thread(self.store.experiment_row, experiment.name)
        known = {c.name: c for c in await asyncio.to_thread(self.store.candidates, experiment.name)}
        name = request.endpoint_name or default_endpoint_name(experiment.name)
        folder = self.endpoints_dir / name
        if request.variants:
            picks = [
                (variant_name, spec.candidate, spec.weight)
                for variant_name, spec in zip(
                    request.variant_names(), request.variants, strict=True
                )
            ]
        else:
            picks = [("AllTraffic", request.candidate or experiment.best_candidate.name, 1.0)]
        copies: list[tuple[Path, Path]] = []
        variants: list[dict[str, Any]] = []
        for variant_name, candidate, weight in picks:
            if request.variants and candidate not in known:
                raise NotFound(
                    f"Experiment {experiment.name!r} has no candidate named {candidate!r}."
                )
            source, sha = await asyncio.to_thread(self._model_for, experiment_dir, row, candidate)
            target = folder / (
                "model.joblib" if not request.variants else f"model-{variant_name}.joblib"
            )
            copies.append((source, target))
            found = known.get(candidate)
            variants.append(
                {
                    "name": variant_name,
                    "candidate": candidate,
                    "model_path": str(target),
                    "sha256": sha,
                    "weight": weight,
                    "algorithm": found.algorithm if found else None,
                    "objective_value": found.objective_value if found else None,
                    "metrics": found.metrics if found else {},
                }
            )
        # Regression models answer predicted_label only, whatever is asked (payloads).
        wanted = request.inference_response_keys or list(m.DEFAULT_INFERENCE_KEYS)
        keys = [k.value for k in wanted]
        first = variants[0]
        info: dict[str, Any] = {
            "keys": keys,
            "monitoring": {
                "data_capture": (request.data_capture or m.DataCaptureConfig()).model_dump(),
                "schedule_minutes": None,
            },
            "algorithm": first["algorithm"],
            "objective_metric": experiment.objective.metric.value if experiment.objective else None,
            "objective_value": first["objective_value"],
        }
        if request.variants:
            info["variants"] = variants
        await asyncio.to_thread(
            self.store.insert_endpoint,
            name,
            experiment.name,
            first["candidate"],
            Path(first["model_path"]),
            first["sha256"],
            info,
        )
        try:
            await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
            for source, target in copies:
                await asyncio.to_thread(shutil.copyfile, source, target)
        except OSError as error:
            await asyncio.to_thread(
                self.store.update_endpoint,
                name,
                status=m.EndpointStatus.Failed,
                failure_reason=f"Could not copy the model: {error}",
            )
        else:
            self._start_in_background(name)
        return await self.describe(name)

    def _start_in_background(self, name: str) -> None:
        task = asyncio.ensure_future(self._start(name))
        self._starting[name] = task
        task.add_done_callback(lambda _: self._starting.pop(name, None))

    async def _start(self, name: str) -> None:
        row = await asyncio.to_thread(self.store.endpoint_row, name)
        data = json.loads(row["data"])
        try:
            running, columns = await start_model_server(self.python, row, data, self.fork_server)
        except Exception as error:
            reason = (
                str(error)
                if isinstance(error, RuntimeError)
                else f"{type(error).__name__}: {error}"
            )
            await self._record_failure(name, reason)
            self.log.error("Endpoint %s failed to start: %s", name, reason)
            return
        if self._closing:  # the server began to stop while this one started
            await stop_model_server(running)
            return
        self._running[name] = running
        data["input_columns"] = columns
        await asyncio.to_thread(
            self.store.update_endpoint,
            name,
            data=json.dumps(data),
            status=m.EndpointStatus.InService,
            pid=running.process.pid,
            port=running.port,
            failure_reason=None,
        )
        running.watcher = asyncio.ensure_future(self._watch(name, running))
        self.log.info("Endpoint %s is InService (process %d).", name, running.process.pid)

    async def _watch(self, name: str, running: Running) -> None:
        """Mark the endpoint Failed if its process dies while it should be serving."""
        code = await running.process.wait()
        running.pool.close()
        if self._closing or self._running.get(name) is not running:
            return  # deleted or shut down on purpose
        reason = f"The model server process exited (code {code}); delete and redeploy the endpoint."
        self._running.pop(name, None)
        self._dying[name] = reason
        try:
            await self._flush_counts(name, running)
            await self._record_failure(name, reason)
        finally:
            self._dying.pop(name, None)

    async def _record_failure(self, name: str, reason: str) -> None:
        """The endpoint's row says Failed with `reason`, and no process."""
        await asyncio.to_thread(
            self.store.update_endpoint,
            name,
            status=m.EndpointStatus.Failed,
            failure_reason=reason,
            pid=None,
            port=None,
        )

    # -- read ------------------------------------------------------------------------
    def _to_model(self, row: Any) -> m.Endpoint:
        data = json.loads(row["data"])
        running = self._running.get(row["name"])
        latency = m.LatencySummary()
        invocations = row["invocation_count"]
        if running is not None:
            invocations += running.invocations
            latency = latency_summary(list(running.latencies))
        details = {}
        if row["pid"]:
            details["pid"] = str(row["pid"])
        variants = data.get("variants") or []
        total_weight = sum(v["weight"] for v in variants) or 1.0
        variant_models = []
        for variant in variants:
            samples = list(running.variant_latencies.get(variant["name"], [])) if running else []
            live = running.variant_invocations.get(variant["name"], 0) if running else 0
            variant_models.append(
                m.ProductionVariant(
                    name=variant["name"],
                    candidate=variant["candidate"],
                    algorithm=variant.get("algorithm"),
                    objective_value=variant.get("objective_value"),
                    metrics=variant.get("metrics") or {},
                    weight=variant["weight"],
                    traffic_share=round(variant["weight"] / total_weight, 4),
                    invocation_count=variant.get("invocation_count", 0) + live,
                    latency=latency_summary(samples),
                )
            )
        return m.Endpoint(
            name=row["name"],
            backend="local",
            status=m.EndpointStatus(row["status"]),
            experiment=row["experiment"],
            candidate=row["candidate"],
            algorithm=data.get("algorithm"),
            model_name=f"{row['experiment']}/{row['candidate']}",
            objective_metric=data.get("objective_metric"),
            objective_value=data.get("objective_value"),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            failure_reason=scrub_paths(row["failure_reason"], self.root_dir, self.work_dir)
            if row["failure_reason"]
            else None,
            instance_type="local",
            instance_count=1,
            inference_response_keys=[m.InferenceKey(k) for k in data["keys"]],
            data_capture=m.DataCaptureConfig.model_validate(
                data.get("monitoring", {}).get("data_capture", {})
            ),
            input_columns=data.get("input_columns", []),
            variants=variant_models,
            explanations=True,  # every local model explains (`serving.explanations`)
            invocation_count=invocations,
            latency=latency,
            backend_details=details,
        )

    async def describe(self, name: str) -> m.Endpoint:
        return self._to_model(await asyncio.to_thread(self.store.endpoint_row, name))

    async def list_all(self) -> m.EndpointList:
        rows = await asyncio.to_thread(self.store.endpoint_rows)
        return m.EndpointList(endpoints=[self._to_model(r) for r in rows])

    async def for_experiment(self, experiment: str) -> list[m.Endpoint]:
        return [
            self._to_model(r) for r in await asyncio.to_thread(self.store.endpoint_rows, experiment)
        ]

    # -- monitoring --------------------------------------------------------------------
    def folder(self, name: str) -> Path:
        return self.endpoints_dir / name

    async def monitoring_config(self, name: str) -> tuple[m.DataCaptureConfig, int | None, Any]:
        """(capture config, report schedule in minutes, endpoint row)."""
        row = await asyncio.to_thread(self.store.endpoint_row, name)
        monitoring = json.loads(row["data"]).get("monitoring", {})
        capture = m.DataCaptureConfig.model_validate(monitoring.get("data_capture", {}))
        return capture, monitoring.get("schedule_minutes"), row

    async def configure_monitoring(self, name: str, config: m.MonitoringConfig) -> None:
        """Store the capture config and schedule; a live process samples at once."""
        row = await asyncio.to_thread(self.store.endpoint_row, name)
        data = json.loads(row["data"])
        data["monitoring"] = {
            **data.get("monitoring", {}),
            "data_capture": config.data_capture.model_dump(),
            "schedule_minutes": config.schedule_minutes,
        }
        await asyncio.to_thread(self.store.update_endpoint, name, data=json.dumps(data))
        running = self._running.get(name)
        if running is not None:
            running.capture_percentage = capture_percentage(data)

    async def record_monitoring(self, name: str, **values: Any) -> None:
        """Remember scheduler facts (last report time, baseline error) in the row."""
        row = await asyncio.to_thread(self.store.endpoint_row, name)
        data = json.loads(row["data"])
        data["monitoring"] = {**data.get("monitoring", {}), **values}
        await asyncio.to_thread(self.store.update_endpoint, name, data=json.dumps(data))

    # -- delete ----------------------------------------------------------------------
    async def delete(self, name: str) -> None:
        await asyncio.to_thread(self.store.endpoint_row, name)
        await asyncio.to_thread(self.store.update_endpoint, name, status=m.EndpointStatus.Deleting)
        task = self._starting.pop(name, None)
        if task is not None:
            task.cancel()
        await self._remove(name)

    async def _remove(self, name: str) -> None:
        running = self._running.pop(name, None)
        if running is not None:
            # New invocations now answer 409 (Deleting); those in flight get their answer.
            running.closing = True
            deadline = time.monotonic() + DRAIN_SECONDS
            while running.in_flight and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        row = await asyncio.to_thread(self.store.endpoint_row, name)
        if running is not None:
            await stop_model_server(running)
        elif row["pid"] and is_our_endpoint(row["pid"], row["model_path"]):
            kill_tree(row["pid"])
        await asyncio.to_thread(shutil.rmtree, self.endpoints_dir / name, True)
        await asyncio.to_thread(self.store.delete_endpoint, name)

    # -- invoke ----------------------------------------------------------------------
    async def require_live(self, name: str) -> None:
        """404 for an unknown endpoint, 409 (saying why) for one that is not serving."""
        self._live(name, await asyncio.to_thread(self.store.endpoint_row, name))

    def _live(self, name: str, row: Any) -> Running:
        running = self._running.get(name)
        if running is None and name in self._dying:
            # The row still says InService while the watcher records the exit.
            raise Conflict(f"Endpoint {name!r} is Failed: it failed: {self._dying[name]}.")
        if running is None:
            status = row["status"]
            hint = {
                "Creating": "it is still starting; wait until it is InService",
                "Deleting": "it is being deleted",
                "Failed": "it failed: "
                + scrub_paths(row["failure_reason"] or "", self.root_dir, self.work_dir),
            }.get(status, "it is not serving")
            raise Conflict(f"Endpoint {name!r} is {status}: {hint}.")
        return running

    async def invoke(
        self,
        name: str,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[m.InferenceKey] | None,
        explain: bool = False,
    ) -> tuple[bytes, str, str | None]:
        """(body, content type, production variant that answered or None)."""
        running = await self._serving(name)
        headers = {
            "X-Autopilot-Secret": running.secret,
            "Content-Type": content_type,
            "Accept": accept,
        }
        if keys:
            headers["X-Autopilot-Keys"] = ",".join(k.value for k in keys)
        if explain:
            headers["X-Autopilot-Explain"] = "1"
        if running.capture_percentage and random.random() * 100 < running.capture_percentage:
            headers["X-Autopilot-Capture"] = "1"
        variant = None
        if running.weights:
            variant = random.choices(list(running.weights), list(running.weights.values()))[0]
            headers["X-Autopilot-Target-Variant"] = variant
        started = time.perf_counter()
        running.in_flight += 1
        try:
            response = await running.pool.request("POST", "/invocations", headers, body)
        except (StreamClosedError, ConnectionError, OSError, asyncio.TimeoutError) as error:
            raise await self._unreachable(name, running, error) from None
        finally:
            running.in_flight -= 1
        self._raise_for_error(name, response, "predict", "Invalid input.")
        elapsed = (time.perf_counter() - started) * 1000
        running.latencies.append(elapsed)
        running.invocations += 1
        if variant is not None:
            samples = running.variant_latencies.setdefault(
                variant, collections.deque(maxlen=LATENCY_SAMPLES)
            )
            samples.append(elapsed)
            running.variant_invocations[variant] += 1
        return response.body, response.headers.get("Content-Type", "application/json"), variant

    async def future(self, name: str, item_ids: list[str] | None) -> dict[str, Any]:
        """A forecaster's future rows to fill in (`serving.server.FutureHandler`), from the
        endpoint's default variant: what its forecast needs does not depend on traffic."""
        running = await self._serving(name)
        path = "/future"
        if item_ids:
            path += "?" + urllib.parse.urlencode({"item_ids": ",".join(item_ids)})
        try:
            response = await running.pool.request(
                "GET", path, {"X-Autopilot-Secret": running.secret}
            )
        except (StreamClosedError, ConnectionError, OSError, asyncio.TimeoutError) as error:
            raise await self._unreachable(name, running, error) from None
        self._raise_for_error(name, response, "list its future rows", "Invalid request.")
        return dict(json.loads(response.body))

    async def _serving(self, name: str) -> Running:
        """The endpoint's running process (404 or 409 saying why when there is none)."""
        running = self._running.get(name)
        if running is None:
            running = self._live(name, await asyncio.to_thread(self.store.endpoint_row, name))
        return running

    def _raise_for_error(self, name: str, response: Response, doing: str, invalid: str) -> None:
        """A model server's 4xx as ours (its message, or `invalid`), a 5xx as an upstream
        error naming what failed (`doing`) and where its traceback is."""
        if response.code < 400:
            return
        message = _message(response.body)
        if response.code < 500:
            raise _client_error(response.code, message or invalid)
        raise UpstreamError(
            f"Endpoint {name!r} failed to {doing} (HTTP {response.code}): "
            f"{message or 'no reason given'}. The traceback is in {self._log_name(name)}."
        )

    def _log_name(self, name: str) -> str:
        path = self.endpoints_dir / name / "server.log"
        try:
            return to_api_path(self.root_dir, path)
        except ValueError:
            return str(path)

    async def _unreachable(
        self, name: str, running: Running, error: BaseException
    ) -> AutopilotError:
        """Why a request got no answer, in words (never a pointer to a log that lacks it)."""
        if running.closing or self._closing:
            return Conflict(
                f"Endpoint {name!r} was stopped while this request was in flight (it is "
                "being deleted, or the Jupyter server is stopping)."
            )
        try:  # a connection that breaks is most often a process that died
            code = await asyncio.wait_for(asyncio.shield(running.process.wait()), 1.0)
        except asyncio.TimeoutError:
            code = None
        if code is not None:
            return UpstreamError(
                f"Endpoint {name!r} stopped while answering: its model server process exited "
                f"(code {code}{', killed, perhaps for lack of memory' if code == -9 else ''}). "
                "Delete and redeploy the endpoint."
            )
        if isinstance(error, asyncio.TimeoutError):
            return UpstreamError(
                f"Endpoint {name!r} did not answer within {running.pool.timeout:.0f} s; send "
                "fewer rows per request."
            )
        return UpstreamError(
            f"Endpoint {name!r} closed the connection without answering "
            f"({type(error).__name__}: {error or 'no detail'}); retry the request."
        )

    async def _flush_counts(self, name: str, running: Running) -> None:
        if not running.invocations:
            return
        try:
            row = await asyncio.to_thread(self.store.endpoint_row, name)
        except NotFound:
            return
        total = row["invocation_count"] + running.invocations
        running.invocations = 0
        fields: dict[str, Any] = {"invocation_count": total}
        if running.variant_invocations:
            data = json.loads(row["data"])
            for variant in data.get("variants", []):
                variant["invocation_count"] = variant.get(
                    "invocation_count", 0
                ) + running.variant_invocations.pop(variant["name"], 0)
            fields["data"] = json.dumps(data)
        await asyncio.to_thread(self.store.update_endpoint, name, **fields)

    async def update_traffic(self, name: str, update: m.TrafficUpdate) -> m.Endpoint:
        """New weights for an endpoint's production variants, effective at once."""
        row = await asyncio.to_thread(self.store.endpoint_row, name)
        data = json.loads(row["data"])
        variants = data.get("variants") or []
        if not variants:
            raise Conflict(
                f"Endpoint {name!r} serves a single model; deploy with `variants` to split "
                "traffic between candidates."
            )
        known = [v["name"] for v in variants]
        unknown = sorted(set(update.weights) - set(known))
        if unknown:
            raise InvalidRequest(
                f"Endpoint {name!r} has no variant named {', '.join(map(repr, unknown))}; "
                f"its variants are {', '.join(known)}."
            )
        for variant in variants:
            variant["weight"] = update.weights.get(variant["name"], variant["weight"])
        if not any(v["weight"] > 0 for v in variants):
            raise InvalidRequest("At least one variant needs a weight above 0 to get traffic.")
        await asyncio.to_thread(self.store.update_endpoint, name, data=json.dumps(data))
        running = self._running.get(name)
        if running is not None:
            running.weights = {v["name"]: v["weight"] for v in variants}
        return await self.describe(name)


def _message(body: bytes) -> str:
    """The `message` of a model server's JSON error answer ('' if there is none)."""
    try:
        detail = json.loads(body or b"{}")
    except ValueError:
        return body[:300].decode(errors="replace").strip()
    return str(detail.get("message", "")) if isinstance(detail, dict) else ""


def _client_error(status: int, message: str) -> AutopilotError:
    from ...exceptions import PayloadTooLarge, UnsupportedMediaType

    cls = {413: PayloadTooLarge, 415: UnsupportedMediaType}.get(status, InvalidRequest)
    return cls(message)
