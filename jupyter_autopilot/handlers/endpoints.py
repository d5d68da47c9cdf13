"""Endpoints: list, describe, delete, invoke, batch predictions."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .. import models as m
from ..exceptions import UnsupportedMediaType
from .base import AutopilotHandler, operation

_TAGS = ("endpoints",)
#: SageMaker's real-time invocation payload limit; we keep the same so code ports.
MAX_INVOCATION_BYTES = 6 * 1024 * 1024
_CONTENT_TYPES = ("text/csv", "application/json")


class EndpointsHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(summary="List endpoints", response=m.EndpointList, errors=(), tags=_TAGS)
    async def get(self) -> None:
        await self.respond(self.backend.list_endpoints())

    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Deploy an exported model.tar.gz as a new endpoint",
        description="For models exported from the local backend "
        "(`POST experiments/{name}/candidates/{candidate}/export`); sagemaker backend.",
        body=m.ArtifactDeployRequest,
        response=m.Endpoint,
        status=202,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def post(self) -> None:
        request = self.parse_body(m.ArtifactDeployRequest)
        await self.respond(self.backend.deploy_artifact(request), status=202)


class EndpointHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(summary="Describe an endpoint", response=m.Endpoint, tags=_TAGS)
    async def get(self, name: str) -> None:
        await self.respond(self.backend.describe_endpoint(name))

    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Delete an endpoint (stops its process or AWS resources)",
        response=m.Deleted,
        errors=(404, 409),
        tags=_TAGS,
    )
    async def delete(self, name: str) -> None:
        await self.backend.delete_endpoint(name)
        self.write_model(m.Deleted(name=name))


class InvocationsHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="execute")
    @operation(
        summary="Predict rows sent as text/csv or application/json",
        description=(
            "CSV rows with or without a header (columns in training order, no target), or "
            'JSON `{"instances": [...]}`. A forecaster\'s endpoint takes JSON `{"item_ids": '
            '[...], "future": [...]}` or CSV `item_id[,timestamp,<related>...]` and answers '
            "`forecasts`. `Accept: text/csv` returns CSV; JSON otherwise. "
            "`explain=true` adds each row's feature contributions (`explanation`; JSON, at "
            "most 10 rows, local endpoints: 501 on sagemaker)."
        ),
        query=m.InvocationQuery,
        response=m.InvocationResponse,
        errors=(400, 404, 409, 413, 415, 501),
        tags=_TAGS,
        raw_body={
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/InvocationJsonBody"},
                        {"$ref": "#/components/schemas/ForecastInvocationBody"},
                    ]
                }
            },
        },
        extra={"csv_response": True},
    )
    async def post(self, name: str) -> None:
        query = self.parse_query(m.InvocationQuery)
        content_type = (self.request.headers.get("Content-Type") or "text/csv").split(";")[0]
        content_type = content_type.strip().lower()
        if content_type not in _CONTENT_TYPES:
            raise UnsupportedMediaType(
                f"Content-Type {content_type!r} is not supported; send text/csv or application/json."
            )
        accept = (self.request.headers.get("Accept") or "application/json").lower()
        accept = "text/csv" if "text/csv" in accept else "application/json"
        body = self.body_bytes(MAX_INVOCATION_BYTES)
        result = await self.backend.invoke_endpoint(
            name, body, content_type, accept, query.keys, query.explain
        )
        if result.variant:
            # Like SageMaker's x-amzn-invoked-production-variant.
            self.set_header("X-Autopilot-Invoked-Variant", result.variant)
        # APIHandler.finish would otherwise label every answer application/json.
        self.finish(result.body, set_content_type=result.content_type)


class ForecastFutureHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="The future rows a forecaster's forecast needs, to fill in (what-if)",
        description="For each item, the horizon's timestamps and each related column at "
        "the item's last known value; edit the values and send the rows as `future` to "
        "`invocations`. 400 for a tabular endpoint or an unknown item.",
        query=m.ForecastFutureQuery,
        response=m.ForecastFuture,
        errors=(400, 404, 409, 501),
        tags=_TAGS,
    )
    async def get(self, name: str) -> None:
        query = self.parse_query(m.ForecastFutureQuery)
        await self.respond(self.backend.forecast_future(name, query.item_ids))


class TrafficHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Change the traffic split between an endpoint's production variants",
        description="Weights are relative; set one variant to 1 and the others to 0 to "
        "promote it. Effective for the next invocation.",
        body=m.TrafficUpdate,
        response=m.Endpoint,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def put(self, name: str) -> None:
        update = self.parse_body(m.TrafficUpdate)
        await self.respond(self.backend.update_traffic(name, update))


class BatchPredictionsHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="execute")
    @operation(
        summary="Predict every row of a CSV file into a new CSV next to it",
        body=m.BatchPredictionRequest,
        response=m.BatchPrediction,
        status=202,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def post(self, name: str) -> None:
        request = self.parse_body(m.BatchPredictionRequest)
        await self.respond(self.backend.start_batch_prediction(name, request), status=202)


class BatchPredictionHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(summary="Progress of a batch prediction", response=m.BatchPrediction, tags=_TAGS)
    async def get(self, batch_id: str) -> None:
        await self.respond(self.backend.describe_batch_prediction(batch_id))


_MONITORING_TAGS = ("monitoring",)


class MonitoringHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Monitoring of an endpoint: capture settings, captured data, baseline, reports",
        response=m.MonitoringStatus,
        tags=_MONITORING_TAGS,
    )
    async def get(self, name: str) -> None:
        await self.respond(self.backend.monitoring_status(name))

    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Turn data capture on or off and set the drift report schedule",
        description="With capture on, the baseline is profiled from the experiment's "
        "training data in the background.",
        body=m.MonitoringConfig,
        response=m.MonitoringStatus,
        errors=(400, 404),
        tags=_MONITORING_TAGS,
    )
    async def put(self, name: str) -> None:
        config = self.parse_body(m.MonitoringConfig)
        await self.respond(self.backend.configure_monitoring(name, config))


class MonitoringReportsHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="execute")
    @operation(
        summary="Run a drift report now on the data captured in a recent window",
        description="409 when nothing was captured in the window or no baseline can be "
        "built (the training data is gone).",
        body=m.MonitoringReportRequest,
        response=m.MonitoringReport,
        status=201,
        errors=(400, 404, 409),
        tags=_MONITORING_TAGS,
    )
    async def post(self, name: str) -> None:
        request = self.parse_body(m.MonitoringReportRequest)
        await self.respond(self.backend.run_monitoring_report(name, request), status=201)


class MonitoringReportHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="One drift report: per-feature drift, prediction drift, violations",
        response=m.MonitoringReport,
        tags=_MONITORING_TAGS,
    )
    async def get(self, name: str, report_id: str) -> None:
        await self.respond(self.backend.describe_monitoring_report(name, report_id))


class CapturesHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="The newest captured requests and responses of an endpoint",
        query=m.ListCapturesQuery,
        response=m.CapturedRecords,
        errors=(400, 404),
        tags=_MONITORING_TAGS,
    )
    async def get(self, name: str) -> None:
        query = self.parse_query(m.ListCapturesQuery)
        await self.respond(self.backend.list_captures(name, query))


class BatchPredictionStopHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="execute")
    @operation(
        summary="Stop a batch prediction (sagemaker: StopTransformJob; no partial output)",
        response=m.BatchPrediction,
        errors=(404, 501),
        tags=_TAGS,
    )
    async def post(self, batch_id: str) -> None:
        await self.respond(self.backend.stop_batch_prediction(batch_id))


class EndpointEstimateHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="What an endpoint of this shape would cost (sagemaker; shipped price table)",
        body=m.EndpointEstimateRequest,
        response=m.CostEstimate,
        errors=(400, 501),
        tags=_TAGS,
    )
    async def post(self) -> None:
        request = self.parse_body(m.EndpointEstimateRequest)
        await self.respond(self.backend.estimate_endpoint(request))
