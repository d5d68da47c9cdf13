"""`AutopilotClient`: the REST API from a notebook, returning the API's pydantic models."""

from __future__ import annotations

import copy
import io
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel

from .. import models as m
from .discovery import ServerInfo, discover
from .errors import AutopilotClientError

if TYPE_CHECKING:
    import pandas as pd

M = TypeVar("M", bound=BaseModel)


def _q(value: str) -> str:
    return quote(value, safe="")


class AutopilotClient:
    """Talk to the jupyter-autopilot REST API of a running Jupyter server.

    Inside a notebook, `AutopilotClient()` finds the server that runs the kernel and its
    token by itself; elsewhere pass `url` and `token` (or set `JUPYTER_AUTOPILOT_URL` and
    `JUPYTER_AUTOPILOT_TOKEN`). Every method returns the same pydantic models the API
    documents at `/autopilot/api/openapi.json`; errors raise `AutopilotClientError` with
    the server's message.

    >>> ap = AutopilotClient()
    >>> ap.preview("bank-additional/bank-additional-full.csv").columns[0].name
    >>> exp = ap.create_experiment(name="tutorial", input_uri="bank.csv", target="y")
    >>> ap.wait(exp.name)                    # progress bar until the four stages end
    >>> ap.leaderboard(exp.name).head()
    >>> ep = ap.deploy(exp.name)             # best candidate, waits until InService
    >>> ap.predict(ep.name, df.drop(columns="y").head())
    >>> ap.cleanup(exp.name)

    On a server that offers more than one backend (`AutopilotApp.extra_backends`),
    `backend="sagemaker"` addresses that one in every call, and `ap.using("sagemaker")`
    is a client for it sharing this one's connection; `None` is the server's default.
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 60.0,
        session: requests.Session | None = None,
        backend: str | None = None,
    ):
        self.server: ServerInfo = discover(url, token)
        self.timeout = timeout
        self.session = session or requests.Session()
        self.backend = backend
        if self.server.token:
            self.session.headers["Authorization"] = f"token {self.server.token}"

    def __repr__(self) -> str:
        backend = f", backend={self.backend!r}" if self.backend else ""
        return f"AutopilotClient(url={self.server.url!r}{backend})"

    def using(self, backend: str | None) -> AutopilotClient:
        """A client for another of the server's backends (`health().backends` lists them),
        sharing this one's server, token and connection; `None` is the default backend.

        >>> ap.using("sagemaker").experiments()
        """
        other = copy.copy(self)
        other.backend = backend
        return other

    # -- plumbing ---------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | str | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        try:
            reply = self.session.request(
                method,
                self.server.api(path),
                json=json_body,
                data=data,
                params={
                    k: v
                    for k, v in {**(params or {}), "backend": self.backend}.items()
                    if v is not None
                },
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise AutopilotClientError(
                0, "connection_error", f"Could not reach {self.server.url}: {error}"
            ) from error
        if reply.status_code >= 400:
            try:
                body = reply.json()
            except ValueError:
                body = {}
            raise AutopilotClientError(
                reply.status_code,
                body.get("error", "http_error"),
                body.get("message") or f"HTTP {reply.status_code} from {method} {path}",
                body.get("details"),
            )
        return reply

    def _get(self, path: str, model: type[M], params: dict[str, Any] | None = None) -> M:
        return model.model_validate(self._request("GET", path, params=params).json())

    def _post(self, path: str, model: type[M], body: BaseModel | dict[str, Any] | None = None) -> M:
        payload = (
            body.model_dump(mode="json", exclude_unset=True)
            if isinstance(body, BaseModel)
            else body
        )
        return model.model_validate(self._request("POST", path, json_body=payload or {}).json())

    # -- server ----------------------------------------------------------------------
    def health(self) -> m.Health:
        """Backend, version, work dir or AWS region, and what the backend supports."""
        return self._get("health", m.Health)

    def openapi(self) -> dict[str, Any]:
        """The API's OpenAPI document."""
        return dict(self._request("GET", "openapi.json").json())

    # -- datasets --------------------------------------------------------------------
    def preview(
        self,
        uri: str,
        rows: int = 10,
        delimiter: str | None = None,
        target: str | None = None,
        forecast: m.ForecastSpec | dict[str, Any] | None = None,
    ) -> m.DatasetPreview:
        """Detected delimiter, column types and missing values, and the first rows; with
        `target` and a `forecast` block, `series`: the forecasting checks' findings, the
        frequency and a few items' series."""
        request = m.DatasetPreviewRequest.model_validate(
            {
                "uri": uri,
                "rows": rows,
                "delimiter": delimiter,
                "target": target,
                "forecast": forecast,
            }
        )
        return self._post("datasets/preview", m.DatasetPreview, request)

    def upload(self, path: str, key_prefix: str = "sagemaker/autopilot/input") -> str:
        """Copy a file under the server root to where the backend reads data; its URI."""
        request = m.DatasetUploadRequest(path=path, key_prefix=key_prefix)
        return self._post("datasets/upload", m.DatasetUploadResponse, request).uri

    def samples(self) -> list[m.SampleDataset]:
        """The sample datasets shipped with jupyter-autopilot (target, licence, citation)."""
        return self._get("samples", m.SampleList).samples

    def sample_dataset(self, name: str = "bank-marketing", folder: str | None = None) -> str:
        """Copy a shipped sample's CSV under the server root; its root-relative path.

        `folder` defaults to the sample's own (`bank-additional` for the tutorial's
        data); `""` is the root. An identical copy already there is reused, and a file
        with other content is never overwritten (the copy gets a free name instead).

        >>> path = ap.sample_dataset("bank-marketing")
        >>> path
        'bank-additional/bank-additional-full.csv'
        """
        request = m.SampleCopyRequest(folder=folder)
        return self._post(f"samples/{_q(name)}", m.SampleCopy, request).path

    # -- experiments -----------------------------------------------------------------
    def create_experiment(
        self, spec: m.ExperimentSpec | None = None, **fields: Any
    ) -> m.Experiment:
        """Create and start an experiment from a spec or its fields
        (`name`, `input_uri`, `target`, `problem_type`, `max_candidates`, `sample_weight`,
        `validation_file`...). `validation_file` (a path under the server root, or an s3://
        URI on sagemaker) replaces the random split: leave `validation_fraction` out with it."""
        spec = spec or m.ExperimentSpec(**fields)
        return self._post("experiments", m.Experiment, spec)

    def import_sagemaker_notebook(self, path: str) -> m.SageMakerNotebookImport:
        """Parse a SageMaker Autopilot candidate-definition notebook (path under the server
        root): its job, target, objective, candidates with notes, and the local `plan`."""
        return self._post(
            "imports/sagemaker-notebook",
            m.SageMakerNotebookImport,
            m.SageMakerNotebookImportRequest(path=path),
        )

    def rerun_sagemaker_notebook(
        self,
        path: str,
        input_uri: str,
        name: str,
        candidates: list[str] | None = None,
        **fields: Any,
    ) -> m.Experiment:
        """Re-run a SageMaker Autopilot notebook's candidates on the local backend.

        `input_uri` is the training CSV under the server root (the notebook's data lived on
        S3); `candidates` keeps only those candidate names; `fields` set other spec
        fields (`max_job_runtime_seconds`, `exclude_columns`...).
        """
        imported = self.import_sagemaker_notebook(path)
        if imported.plan is None:
            raise ValueError(f"None of the candidates of {path} can run locally.")
        plan = imported.plan
        if candidates is not None:
            unknown = sorted(set(candidates) - {c.name for c in plan.candidates})
            if unknown:
                raise ValueError("Not runnable candidates of this notebook: " + ", ".join(unknown))
            plan = plan.model_copy(
                update={"candidates": [c for c in plan.candidates if c.name in candidates]}
            )
        spec = m.ExperimentSpec(
            name=name,
            input_uri=input_uri,
            target=imported.target,
            problem_type=imported.problem_type,
            objective_metric=imported.objective_metric,
            candidate_plan=plan,
            **fields,
        )
        return self.create_experiment(spec)

    def experiments(self, **query: Any) -> list[m.ExperimentSummary]:
        """Experiments, newest first (filters: status, search, sort_by, order, limit)."""
        params = m.ListExperimentsQuery(**query).model_dump(mode="json", exclude_defaults=True)
        return self._get("experiments", m.ExperimentList, params).experiments

    def experiment(self, name: str) -> m.Experiment:
        return self._get(f"experiments/{_q(name)}", m.Experiment)

    def stop(self, name: str) -> m.Experiment:
        return self._post(f"experiments/{_q(name)}/stop", m.Experiment)

    def rerun(self, name: str) -> m.Experiment:
        return self._post(f"experiments/{_q(name)}/rerun", m.Experiment)

    def extend(
        self,
        name: str,
        *,
        additional_seconds: int | None = None,
        additional_candidates: int | None = None,
    ) -> m.Experiment:
        """Continue an ended local experiment's search with more time and/or candidates,
        keeping every finished trial (`POST experiments/{name}/extend`)."""
        request = m.ExperimentExtendRequest(
            additional_seconds=additional_seconds, additional_candidates=additional_candidates
        )
        return self._post(f"experiments/{_q(name)}/extend", m.Experiment, request)

    def delete_experiment(self, name: str) -> None:
        self._request("DELETE", f"experiments/{_q(name)}")

    def wait(
        self,
        name: str,
        *,
        timeout: float | None = None,
        poll_seconds: float = 1.0,
        progress: bool = True,
    ) -> m.Experiment:
        """Block until the experiment ends, showing the current stage in a progress bar.

        Returns the final experiment; raises `TimeoutError` after `timeout` seconds.
        """
        deadline = time.monotonic() + timeout if timeout else None
        bar = _progress_bar(len(m.StageName), name) if progress else None
        try:
            while True:
                experiment = self.experiment(name)
                if bar is not None:
                    finished = sum(
                        s.status in (m.StageStatus.done, m.StageStatus.skipped)
                        for s in experiment.stages
                    )
                    bar.n = finished
                    current = experiment.current_stage
                    title = m.STAGE_TITLES[current] if current else experiment.status.value
                    best = experiment.best_candidate
                    if best and best.objective_value is not None and experiment.objective:
                        title += f" · best {experiment.objective.metric.value} {best.objective_value:.4f}"
                    bar.set_postfix_str(title, refresh=False)
                    bar.refresh()
                if experiment.status in m.TERMINAL_STATUSES:
                    return experiment
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError(f"Experiment {name!r} is still {experiment.status.value}.")
                time.sleep(poll_seconds)
        finally:
            if bar is not None:
                bar.close()

    # -- candidates and artifacts ----------------------------------------------------
    def candidates(self, name: str, **query: Any) -> list[m.Candidate]:
        """The leaderboard, best first (sort_by, order, status, limit, offset)."""
        params = m.ListCandidatesQuery(**query).model_dump(mode="json", exclude_defaults=True)
        return self._get(f"experiments/{_q(name)}/candidates", m.CandidateList, params).candidates

    def candidate(self, name: str, candidate: str) -> m.CandidateDetail:
        return self._get(f"experiments/{_q(name)}/candidates/{_q(candidate)}", m.CandidateDetail)

    def leaderboard(self, name: str) -> pd.DataFrame:
        """The leaderboard as a DataFrame: one row per trial, metrics as columns."""
        import pandas as pd

        return pd.DataFrame([_candidate_row(c) for c in self.candidates(name)])

    def trials(self, **query: Any) -> list[m.Trial]:
        """Every trial of every experiment (experiments, status, algorithm, search,
        sort_by, order, limit, offset)."""
        params = m.ListTrialsQuery(**query).model_dump(mode="json", exclude_defaults=True)
        if "experiments" in params:
            params["experiments"] = ",".join(params["experiments"])
        return self._get("trials", m.TrialList, params).trials

    def trials_frame(self, **query: Any) -> pd.DataFrame:
        """`trials()` as a DataFrame to compare experiments (`.to_csv()` exports it):
        one row per trial, `validation:`, `train:` and `hp:` prefixed columns."""
        import pandas as pd

        rows = []
        for t in self.trials(**query):
            row: dict[str, Any] = {"experiment": t.experiment}
            row.update(_candidate_row(t))
            row.update(
                {
                    "objective_metric": t.objective_metric.value if t.objective_metric else None,
                    "started_at": t.started_at,
                    "ended_at": t.ended_at,
                }
            )
            rows.append(row)
        return pd.DataFrame(rows)

    def export_model(
        self, name: str, candidate: str, output_path: str | None = None, *, overwrite: bool = False
    ) -> m.ModelExport:
        """Write a candidate as a model.tar.gz for SageMaker's scikit-learn image (local
        backend); deploy it with `deploy_artifact` on a sagemaker-backend server. An
        existing `output_path` is replaced only with `overwrite=True`."""
        return self._post(
            f"experiments/{_q(name)}/candidates/{_q(candidate)}/export",
            m.ModelExport,
            m.ModelExportRequest(output_path=output_path, overwrite=overwrite),
        )

    def deploy_artifact(self, artifact: str, endpoint_name: str, **options: Any) -> m.Endpoint:
        """Deploy an exported model.tar.gz (path under the root, or s3://) as an endpoint."""
        request = m.ArtifactDeployRequest(artifact=artifact, endpoint_name=endpoint_name, **options)
        return self._post("endpoints", m.Endpoint, request)

    def artifacts(self, name: str) -> list[m.Artifact]:
        return self._get(f"experiments/{_q(name)}/artifacts", m.ArtifactList).artifacts

    # -- endpoints -------------------------------------------------------------------
    def deploy(
        self,
        experiment: str,
        candidate: str | None = None,
        endpoint_name: str | None = None,
        *,
        wait: bool = True,
        timeout: float = 900,
        poll_seconds: float = 1.0,
        **options: Any,
    ) -> m.Endpoint:
        """Deploy a candidate (the best by default); waits until InService unless wait=False."""
        request = m.DeployRequest(candidate=candidate, endpoint_name=endpoint_name, **options)
        endpoint = self._post(f"experiments/{_q(experiment)}/deploy", m.Endpoint, request)
        if not wait:
            return endpoint
        return self.wait_endpoint(endpoint.name, timeout=timeout, poll_seconds=poll_seconds)

    def endpoints(self) -> list[m.Endpoint]:
        return self._get("endpoints", m.EndpointList).endpoints

    def set_traffic(self, endpoint: str, weights: dict[str, float]) -> m.Endpoint:
        """New relative weights for an endpoint's production variants (from
        `deploy(..., variants=[{"candidate": ..., "weight": ...}, ...])`)."""
        body = m.TrafficUpdate(weights=weights).model_dump(mode="json")
        reply = self._request("PUT", f"endpoints/{_q(endpoint)}/traffic", json_body=body)
        return m.Endpoint.model_validate(reply.json())

    def promote(self, endpoint: str, variant: str) -> m.Endpoint:
        """Send all traffic to one variant (the others stay deployed, at weight 0)."""
        current = self.endpoint(endpoint)
        weights = {v.name: (1.0 if v.name == variant else 0.0) for v in current.variants}
        if variant not in weights:
            raise AutopilotClientError(
                400,
                "invalid_request",
                f"Endpoint {endpoint!r} has no variant {variant!r}; it has {', '.join(weights)}.",
            )
        return self.set_traffic(endpoint, weights)

    def endpoint(self, name: str) -> m.Endpoint:
        return self._get(f"endpoints/{_q(name)}", m.Endpoint)

    def wait_endpoint(
        self, name: str, *, timeout: float = 900, poll_seconds: float = 1.0
    ) -> m.Endpoint:
        """Block until the endpoint is InService; raise if it fails or times out."""
        deadline = time.monotonic() + timeout
        while True:
            endpoint = self.endpoint(name)
            if endpoint.status is m.EndpointStatus.InService:
                return endpoint
            if endpoint.status is m.EndpointStatus.Failed:
                raise AutopilotClientError(
                    0, "endpoint_failed", f"Endpoint {name!r} failed: {endpoint.failure_reason}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"Endpoint {name!r} is still {endpoint.status.value}.")
            time.sleep(poll_seconds)

    def delete_endpoint(self, name: str) -> None:
        self._request("DELETE", f"endpoints/{_q(name)}")

    # -- monitoring ------------------------------------------------------------------
    def monitoring(self, endpoint: str) -> m.MonitoringStatus:
        """Capture settings, captured volume, baseline and reports of an endpoint."""
        return self._get(f"endpoints/{_q(endpoint)}/monitoring", m.MonitoringStatus)

    def set_monitoring(
        self,
        endpoint: str,
        capture: bool = True,
        sampling_percentage: int = 100,
        schedule_minutes: int | None = None,
    ) -> m.MonitoringStatus:
        """Turn data capture on (or off) and optionally schedule drift reports."""
        config = m.MonitoringConfig(
            data_capture=m.DataCaptureConfig(
                enabled=capture, sampling_percentage=sampling_percentage
            ),
            schedule_minutes=schedule_minutes,
        )
        reply = self._request(
            "PUT", f"endpoints/{_q(endpoint)}/monitoring", json_body=config.model_dump(mode="json")
        )
        return m.MonitoringStatus.model_validate(reply.json())

    def drift_report(self, endpoint: str, window_hours: float = 24.0) -> m.MonitoringReport:
        """Compare what the endpoint received in the last hours with its training data."""
        return self._post(
            f"endpoints/{_q(endpoint)}/monitoring/reports",
            m.MonitoringReport,
            {"window_hours": window_hours},
        )

    def monitoring_report(self, endpoint: str, report_id: str) -> m.MonitoringReport:
        return self._get(
            f"endpoints/{_q(endpoint)}/monitoring/reports/{_q(report_id)}", m.MonitoringReport
        )

    def captured(self, endpoint: str, limit: int = 100) -> pd.DataFrame:
        """Captured rows, newest request first: the inputs, then `prediction:` columns."""
        import pandas as pd

        records = self._get(
            f"endpoints/{_q(endpoint)}/monitoring/captures",
            m.CapturedRecords,
            {"limit": limit},
        ).records
        rows = [
            {
                "captured_at": record.captured_at,
                **inputs,
                **{f"prediction:{key}": value for key, value in outputs.items()},
            }
            for record in records
            for inputs, outputs in zip(record.inputs, record.outputs, strict=False)
        ]
        return pd.DataFrame(rows)

    def invoke(
        self,
        endpoint: str,
        body: str | bytes,
        content_type: str = "text/csv",
        keys: Iterable[m.InferenceKey | str] | None = None,
        explain: bool = False,
    ) -> m.InvocationResponse:
        """Send raw rows (CSV text, or a JSON `{"instances": [...]}` string); with
        `explain`, the answer's `explanation` holds each row's feature contributions."""
        params = {"keys": ",".join(str(getattr(k, "value", k)) for k in keys)} if keys else {}
        if explain:
            params["explain"] = "true"
        reply = self._request(
            "POST",
            f"endpoints/{_q(endpoint)}/invocations",
            data=body,
            params=params or None,
            headers={"Content-Type": content_type, "Accept": "application/json"},
        )
        return m.InvocationResponse.model_validate(reply.json())

    def predict(
        self,
        endpoint: str,
        frame: pd.DataFrame,
        keys: Iterable[m.InferenceKey | str] | None = None,
    ) -> pd.DataFrame:
        """Predict a DataFrame's rows (columns by name; a target column is ignored by the
        model); returns one row per input with predicted_label (and probability...)."""
        import pandas as pd

        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        response = self.invoke(endpoint, buffer.getvalue(), "text/csv", keys)
        records = [p.model_dump(exclude_none=True) for p in response.predictions]
        return pd.DataFrame.from_records(records, index=frame.index)

    def forecast(
        self,
        endpoint: str,
        item_ids: Iterable[str] | None = None,
        future: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Forecast items from a forecasting endpoint: `item_ids` (default: every item, or
        those of `future`), and `future`'s item_id, timestamp and related columns for every
        step of the horizon when the model has related columns. Returns the tidy forecast:
        item_id, timestamp (datetime), mean and one column per quantile (p10, p50, p90...)."""
        import pandas as pd

        body: dict[str, Any] = {}
        if item_ids is not None:
            body["item_ids"] = [str(i) for i in item_ids]
        if future is not None:
            rows = future.copy()
            if "timestamp" in rows.columns:
                rows["timestamp"] = pd.to_datetime(rows["timestamp"]).dt.strftime(
                    "%Y-%m-%dT%H:%M:%S"
                )
            body["future"] = json.loads(rows.to_json(orient="records"))
        reply = self._request(
            "POST",
            f"endpoints/{_q(endpoint)}/invocations",
            data=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": "text/csv"},
        )
        frame = pd.read_csv(io.StringIO(reply.text), dtype={"item_id": str})
        frame["timestamp"] = pd.to_datetime(frame["timestamp"])
        return frame

    def forecast_future(self, endpoint: str, item_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """The rows a forecast of `item_ids` (default: every item) needs from a forecasting
        endpoint: item_id, timestamp (datetime) of each step of the horizon, and each
        related column at the item's last known value. Change the values (what-if) and
        pass the frame to `forecast(endpoint, future=...)`."""
        import pandas as pd

        params = {"item_ids": ",".join(str(i) for i in item_ids)} if item_ids else None
        reply = self._get(f"endpoints/{_q(endpoint)}/future", m.ForecastFuture, params)
        frame = pd.DataFrame.from_records(
            reply.future, columns=["item_id", "timestamp", *reply.related]
        )
        frame["item_id"] = frame["item_id"].astype(str)
        frame["timestamp"] = pd.to_datetime(frame["timestamp"])
        return frame

    def explain(self, endpoint: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Each row's feature contributions (local endpoints, at most 10 rows), tidy: one
        line per input row and column, largest contribution first, with `row` (the
        frame's index), `column`, `value`, `contribution`, and per row `label` (the class
        explained), `base_value`, `output` (`base_value` plus the row's contributions),
        `space` (log_odds, probability or value), `method` and `predicted_label`."""
        import pandas as pd

        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        response = self.invoke(endpoint, buffer.getvalue(), "text/csv", explain=True)
        assert response.explanation is not None
        explanation = response.explanation
        records = []
        for index, row, prediction in zip(
            frame.index, explanation.rows, response.predictions, strict=True
        ):
            for item in row.contributions:
                records.append(
                    {
                        "row": index,
                        "column": item.column,
                        "value": item.value,
                        "contribution": item.contribution,
                        "label": row.label,
                        "base_value": row.base_value,
                        "output": row.output,
                        "space": explanation.space.value,
                        "method": explanation.method.value,
                        "predicted_label": prediction.predicted_label,
                    }
                )
        return pd.DataFrame.from_records(records)

    def batch_predict(
        self,
        endpoint: str,
        input_path: str,
        output_path: str | None = None,
        *,
        overwrite: bool = False,
        wait: bool = True,
    ) -> m.BatchPrediction:
        """Predict every row of a CSV under the server root into a CSV next to it (or
        `output_path`); an existing output file is replaced only with `overwrite=True`."""
        request = m.BatchPredictionRequest(
            input_path=input_path, output_path=output_path, overwrite=overwrite
        )
        batch = self._post(
            f"endpoints/{_q(endpoint)}/batch-predictions", m.BatchPrediction, request
        )
        while wait and batch.status is m.BatchStatus.InProgress:
            time.sleep(0.5)
            batch = self.batch_prediction(batch.id)
        return batch

    def batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        """A batch prediction's status and progress."""
        return self._get(f"batch-predictions/{_q(batch_id)}", m.BatchPrediction)

    def stop_batch_prediction(self, batch_id: str) -> m.BatchPrediction:
        """Stop a running batch prediction: it ends Failed and writes no output file."""
        return self._post(f"batch-predictions/{_q(batch_id)}/stop", m.BatchPrediction)

    def estimate_endpoint(
        self,
        instance_type: str | None = None,
        instance_count: int = 1,
        *,
        serverless: bool = False,
        hours: float = 24.0,
    ) -> m.CostEstimate:
        """What an endpoint of this shape would cost for `hours` (sagemaker backend;
        from the shipped price table, with its date and assumptions)."""
        request = m.EndpointEstimateRequest(
            instance_type=instance_type,
            instance_count=instance_count,
            serverless=serverless,
            hours=hours,
        )
        return self._post("estimates/endpoint", m.CostEstimate, request)

    # -- clean-up --------------------------------------------------------------------
    def cleanup_plan(self, name: str) -> m.CleanupPlan:
        """Everything `cleanup(name)` would delete."""
        return self._get(f"experiments/{_q(name)}/cleanup", m.CleanupPlan)

    def cleanup(
        self, name: str, *, include_outputs: bool = True, delete_experiment: bool = False
    ) -> m.CleanupResult:
        """Delete what the experiment created (endpoints, models, files...)."""
        request = m.CleanupRequest(
            include_outputs=include_outputs, delete_experiment=delete_experiment
        )
        return self._post(f"experiments/{_q(name)}/cleanup", m.CleanupResult, request)


def _candidate_row(c: m.Candidate) -> dict[str, Any]:
    """One trial as a flat row: fields, then prefixed metrics and hyperparameters."""
    row: dict[str, Any] = {
        "rank": c.rank,
        "name": c.name,
        "status": c.status.value,
        "algorithm": c.algorithm,
        "objective": c.objective_value,
        "best": c.is_best,
        "duration_s": c.duration_seconds,
    }
    row.update({f"validation:{k}": v for k, v in c.metrics.items()})
    row.update({f"train:{k}": v for k, v in c.train_metrics.items()})
    row.update({f"hp:{k}": v for k, v in c.hyperparameters.items()})
    return row


def _progress_bar(total: int, name: str) -> Any:
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=name,
        unit="stage",
        bar_format="{desc}: {n}/{total} stages |{bar}| {postfix}",
    )


def read_csv_for_endpoint(path: str | Path, **kwargs: Any) -> pd.DataFrame:
    """`pandas.read_csv` with the delimiter sniffed (the tutorial file uses `;`)."""
    import csv

    import pandas as pd

    with open(path, newline="", encoding=kwargs.pop("encoding", "utf-8")) as handle:
        sample = handle.read(64 * 1024)
    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    return pd.read_csv(path, sep=dialect.delimiter, **kwargs)
