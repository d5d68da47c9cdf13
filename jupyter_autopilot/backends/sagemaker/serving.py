"""Endpoints on SageMaker: describe, list, invoke, change traffic weights, delete.

Creating them is `deployments.py`; the pure translations (descriptions -> `Endpoint`,
production variants, response keys) are `endpoints.py`.
"""

from __future__ import annotations

import asyncio
import collections
import csv
import io
import json
from typing import Any

from ... import models as m
from ...exceptions import AutopilotError, Conflict, InvalidRequest, NotFound, UnsupportedMediaType
from ...models import InferenceKey
from ..base import InvocationResult
from . import cache as ttl
from . import endpoints, explanations
from . import tags as t
from .shared import Part
from .store import EndpointRecord, ForecasterRecord

#: Waits (seconds) before asking again for an endpoint config SageMaker just created but
#: does not show yet: CreateEndpoint reads it eventually consistently, and its API
#: reference recommends retrying (about 30 s in all).
CONFIG_VISIBILITY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)


class Endpoints(Part):
    """The endpoints in the region: what they are, what they answer, deleting them."""

    def __init__(self, shared: Any):
        super().__init__(shared)
        #: Invocations per production variant seen through this server (SageMaker itself
        #: reports them only through CloudWatch).
        self.variant_counts: collections.defaultdict[str, collections.Counter[str]] = (
            collections.defaultdict(collections.Counter)
        )

    async def when_config_visible(
        self, operation: str, action: str, **params: Any
    ) -> dict[str, Any]:
        """Call a SageMaker operation that reads a just-created endpoint config, asking
        again (bounded backoff) while SageMaker answers it does not exist yet."""
        for delay in (*CONFIG_VISIBILITY_DELAYS, None):
            try:
                return await self.aws.call("sagemaker", operation, action, **params)
            except NotFound as error:
                if delay is None or "find endpoint configuration" not in error.message:
                    raise
                self.log.info("Endpoint config not visible yet; %s again in %gs", operation, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def describe_raw(self, name: str) -> dict[str, Any]:
        return await self.described("DescribeEndpoint", name, ttl.ENDPOINT_TTL)

    async def endpoint_config(self, config_name: str | None) -> dict[str, Any] | None:
        if not config_name:
            return None
        try:
            return await self.described("DescribeEndpointConfig", config_name, ttl.STATIC_TTL)
        except NotFound:
            return None

    async def describe_endpoint(self, name: str) -> m.Endpoint:
        desc = await self.describe_raw(name)
        config = await self.endpoint_config(desc.get("EndpointConfigName"))
        record = self.store.endpoints().get(name)
        if record is not None and record.retired_configs:
            await self.retire_configs(record, desc)
        tag_dict = {} if record else await self.shared.resource_tags(desc.get("EndpointArn", ""))
        return endpoints.endpoint_from(
            desc,
            config,
            record,
            tag_dict,
            name=name,
            region=self.aws.region_or_none,
            now=self._now(),
            variant_counts=dict(self.variant_counts.get(name, {})),
        )

    async def retire_configs(self, record: EndpointRecord, desc: dict[str, Any]) -> None:
        """Delete the configs an endpoint was switched away from, once it is InService on
        another one (never during the update: DeleteEndpointConfig's API reference)."""
        if not record.retired_configs or desc.get("EndpointStatus") != "InService":
            return
        live = desc.get("EndpointConfigName")
        kept: list[str] = []
        for config_name in record.retired_configs:
            if config_name == live:
                kept.append(config_name)
                continue
            try:
                await self.aws.call(
                    "sagemaker",
                    "DeleteEndpointConfig",
                    f"delete the old endpoint config {config_name}",
                    EndpointConfigName=config_name,
                )
            except NotFound:
                pass
            except AutopilotError as error:
                self.log.warning("Old endpoint config %s kept: %s", config_name, error.message)
                kept.append(config_name)
        if not self.aws.dry_run:
            latest = self.store.endpoints().get(record.name) or record
            self.store.save_endpoint(latest.model_copy(update={"retired_configs": kept}))

    async def summaries(self) -> list[dict[str, Any]]:
        """ListEndpoints (the newest 100), cached for ttl.LIST_TTL."""
        return await self.cache.get(
            ("endpoints",),
            ttl.LIST_TTL,
            lambda: self.aws.run(
                self.aws.paginate_sync,
                "sagemaker",
                "ListEndpoints",
                "list the endpoints",
                "Endpoints",
                limit=100,
                SortBy="CreationTime",
                SortOrder="Descending",
                MaxResults=100,
            ),
        )

    async def list_endpoints(self) -> m.EndpointList:
        summaries = await self.summaries()
        gate = asyncio.Semaphore(4)

        async def one(name: str) -> m.Endpoint | None:
            async with gate:
                try:
                    return await self.describe_endpoint(name)
                except NotFound:
                    return None  # deleted between the list and the describe

        found = await asyncio.gather(*(one(s["EndpointName"]) for s in summaries))
        return m.EndpointList(endpoints=[e for e in found if e is not None])

    async def ensure_exists(self, name: str) -> dict[str, Any]:
        try:
            return await self.describe_raw(name)
        except NotFound:
            raise NotFound(
                f"There is no endpoint named {name!r} in {self.aws.region_or_none}."
            ) from None

    async def delete_endpoint(self, name: str) -> None:
        _deleted, failed = await self.delete_resources(name)
        if failed:
            raise failed[0][1]

    async def delete_resources(
        self, name: str
    ) -> tuple[list[m.CleanupItem], list[tuple[m.CleanupItem, AutopilotError]]]:
        """Delete an endpoint, then its config and model when we created them."""
        desc = await self.ensure_exists(name)
        record = self.store.endpoints().get(name)
        tag_dict = {} if record else await self.shared.resource_tags(desc.get("EndpointArn", ""))
        ours = record is not None or tag_dict.get(t.CREATED_BY) == "jupyter-autopilot"
        config_name = desc.get("EndpointConfigName") or (record.config_name if record else None)
        config = await self.endpoint_config(config_name)
        model_names = [
            v["ModelName"]
            for v in (config or {}).get("ProductionVariants") or []
            if v.get("ModelName")
        ] or ([record.model_name] if record else [])
        steps: list[tuple[m.CleanupItem, str, dict[str, Any]]] = [
            (
                m.CleanupItem(kind=m.ResourceKind.endpoint, name=name, description="Endpoint"),
                "DeleteEndpoint",
                {"EndpointName": name},
            )
        ]
        retired = [c for c in (record.retired_configs if record else []) if c != config_name]
        for each in [config_name, *retired] if ours and config_name else []:
            steps.append(
                (
                    m.CleanupItem(
                        kind=m.ResourceKind.endpoint_config,
                        name=each,
                        description="Endpoint configuration",
                    ),
                    "DeleteEndpointConfig",
                    {"EndpointConfigName": each},
                )
            )
        for model_name in model_names if ours else []:
            steps.append(
                (
                    m.CleanupItem(kind=m.ResourceKind.model, name=model_name, description="Model"),
                    "DeleteModel",
                    {"ModelName": model_name},
                )
            )
        deleted: list[m.CleanupItem] = []
        failed: list[tuple[m.CleanupItem, AutopilotError]] = []
        for item, operation, params in steps:
            try:
                await self.aws.call(
                    "sagemaker",
                    operation,
                    f"delete {item.description.lower()} {item.name}",
                    **params,
                )
                deleted.append(item)
            except NotFound:
                deleted.append(item)  # already gone: that is what we wanted
            except AutopilotError as exc:
                failed.append((item, exc))
        if not self.aws.dry_run and not failed:
            self.store.forget_endpoint(name)
        self.cache.invalidate(("endpoints",), ("endpoint", name))
        return deleted, failed

    async def invoke(
        self,
        name: str,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[InferenceKey],
        explain: bool = False,
    ) -> InvocationResult:
        """InvokeEndpoint with text/csv (JSON instances are converted with the endpoint's
        columns); the answer as CSV or JSON predictions, only the `keys` asked for. With
        `explain`, SageMaker Clarify's explanations too (`explanations.py`)."""
        record = self.store.endpoints().get(name)
        if record is not None and record.forecaster is not None:
            if explain:
                raise InvalidRequest(
                    "A forecast has no explanations (SageMaker Clarify explains tabular "
                    "predictions); invoke without explain=true."
                )
            return await self._forecast(record, record.forecaster, body, content_type, accept)
        deployed_keys = list(record.inference_response_keys) if record else []
        if keys and deployed_keys and any(k not in deployed_keys for k in keys):
            raise InvalidRequest(
                f"The endpoint {name} was deployed to return {', '.join(k.value for k in deployed_keys)}; "
                "deploy it again with the response keys you need.",
                details=[{"field": "keys"}],
            )
        kind = content_type.split(";")[0].strip().lower()
        if kind == "application/json":
            body = self._json_to_csv(body, record.input_columns if record else [])
        elif kind != "text/csv":
            raise UnsupportedMediaType(
                f"Autopilot endpoints read text/csv (or JSON instances here), not {content_type}."
            )
        if explain:
            return await self._invoke_explained(name, record, body, accept, keys, deployed_keys)

        def invoke() -> tuple[bytes, str | None]:
            response = self.aws.call_sync(
                "sagemaker-runtime",
                "InvokeEndpoint",
                f"invoke the endpoint {name}",
                EndpointName=name,
                Body=body,
                ContentType="text/csv",
                Accept="text/csv",
            )
            return bytes(response["Body"].read()), response.get("InvokedProductionVariant")

        answer, variant = await self.aws.run(invoke)
        if record is not None and record.data_capture.enabled:
            # This request may have been captured: look for new capture files next time.
            self.cache.invalidate(("captures", name))
        if variant and record is not None and record.variants:
            self.variant_counts[name][variant] += 1
        shown_keys = keys or deployed_keys
        if keys and deployed_keys and keys != deployed_keys:
            answer = _select_columns(answer, deployed_keys, keys)
        if accept.split(";")[0].strip().lower() == "application/json":
            predictions = _csv_to_predictions(
                answer, shown_keys or [m.InferenceKey.predicted_label]
            )
            return InvocationResult(
                body=m.InvocationResponse(predictions=predictions).model_dump_json().encode(),
                content_type="application/json",
                variant=variant if record and record.variants else None,
            )
        return InvocationResult(
            body=answer,
            content_type="text/csv",
            variant=variant if record and record.variants else None,
        )

    async def history(self, forecaster: ForecasterRecord) -> Any:
        """The items' history in the forecaster's training data (`forecast_serving.History`),
        read from S3 once an hour at most: every forecast sends it."""
        from . import forecast_serving

        return await self.cache.get(
            ("forecast-history", forecaster.input_uri, tuple(forecaster.columns)),
            ttl.STATIC_TTL,
            lambda: self.aws.run(forecast_serving.load_history, self.aws, forecaster),
        )

    async def _forecast(
        self,
        record: EndpointRecord,
        forecaster: ForecasterRecord,
        body: bytes,
        content_type: str,
        accept: str,
    ) -> InvocationResult:
        """A forecast through a forecaster's endpoint: our `{"item_ids", "future"}` request
        (or CSV naming the items) as Autopilot's CSV of the items' history, one
        InvokeEndpoint per body of a few items, the answers as our tidy forecast."""
        import pandas as pd

        from ...serving.forecast import format_forecast, parse_request
        from . import forecast_serving

        kind = content_type.split(";")[0].strip().lower()
        if kind not in ("application/json", "text/csv"):
            raise UnsupportedMediaType(
                f"A forecaster's endpoint reads JSON or text/csv here, not {content_type}."
            )
        # pandas work goes to the thread pool, off the server's event loop.
        items, future = await self.aws.run(parse_request, body, kind)
        history = await self.history(forecaster)
        bodies = await self.aws.run(
            forecast_serving.request_bodies, history, forecaster, items, future
        )

        def invoke(payload: bytes) -> tuple[bytes, str | None]:
            response = self.aws.call_sync(
                "sagemaker-runtime",
                "InvokeEndpoint",
                f"forecast with the endpoint {record.name}",
                EndpointName=record.name,
                Body=payload,
                ContentType="text/csv",
                Accept="text/csv",
            )
            return bytes(response["Body"].read()), response.get("InvokedProductionVariant")

        answers, variant = [], None
        for payload in bodies:
            answer, variant = await self.aws.run(invoke, payload)
            answers.append(answer)
            if variant and record.variants:
                self.variant_counts[record.name][variant] += 1
        if record.data_capture.enabled:
            self.cache.invalidate(("captures", record.name))
        wanted = (
            "text/csv" if accept.split(";")[0].strip().lower() == "text/csv" else "application/json"
        )

        def tidy() -> tuple[bytes, str]:
            frames = [forecast_serving.parse_answer(a, forecaster) for a in answers]
            return format_forecast(pd.concat(frames, ignore_index=True), wanted)

        answer, out_type = await self.aws.run(tidy)
        return InvocationResult(
            body=answer, content_type=out_type, variant=variant if record.variants else None
        )

    async def forecast_future(self, name: str, item_ids: list[str] | None) -> m.ForecastFuture:
        """A forecaster endpoint's future rows for `item_ids` (default: every item, when
        few), each related column from the training file's future rows or the item's
        last known value, for a person to edit (what-if) and send back as `future`."""
        from . import forecast_serving

        record = self.store.endpoints().get(name)
        if record is None or record.forecaster is None:
            await self.ensure_exists(name)
            raise InvalidRequest(
                f"The endpoint {name} does not serve a forecaster deployed from this panel; "
                "future rows are for forecasters' endpoints.",
            )
        forecaster = record.forecaster
        history = await self.history(forecaster)

        def template() -> list[dict[str, Any]]:
            items = forecast_serving.choose_items(history, item_ids)
            rows = forecast_serving.future_template(history, forecaster, items)
            stamps = rows[forecast_serving.TIMESTAMP].dt.strftime("%Y-%m-%dT%H:%M:%S")
            rows[forecast_serving.TIMESTAMP] = stamps
            return list(json.loads(rows.to_json(orient="records")))

        return m.ForecastFuture(
            endpoint=name,
            horizon=forecaster.forecast.horizon,
            related=list(forecaster.related),
            future=await self.aws.run(template),
        )

    async def _invoke_explained(
        self,
        name: str,
        record: EndpointRecord | None,
        body: bytes,
        accept: str,
        keys: list[InferenceKey],
        deployed_keys: list[InferenceKey],
    ) -> InvocationResult:
        """InvokeEndpoint with EnableExplanations on an endpoint whose config has Clarify's
        explainer; its answer as JSON predictions with the API's `explanation`."""
        from ...serving.explanations import check_explain_request

        rows = len([r for r in csv.reader(io.StringIO(body.decode("utf-8"))) if r])
        check_explain_request(rows, accept.split(";")[0].strip().lower())
        if record is not None:
            explained = record.explanations
        else:
            desc = await self.ensure_exists(name)
            explained = explanations.has_explainer(
                await self.endpoint_config(desc.get("EndpointConfigName"))
            )
        if not explained:
            raise Conflict(
                f"The endpoint {name} was deployed without explanations, so SageMaker Clarify "
                "cannot explain its predictions: deploy the candidate again with explanations "
                "on (`explanations: true`; Explain predictions in the Deploy dialog), or "
                "invoke without explain=true."
            )

        def invoke() -> bytes:
            response = self.aws.call_sync(
                "sagemaker-runtime",
                "InvokeEndpoint",
                f"invoke the endpoint {name} with explanations",
                EndpointName=name,
                Body=body,
                ContentType="text/csv",
                Accept="text/csv",
                EnableExplanations=explanations.EXPLAIN,
            )
            return bytes(response["Body"].read())

        document = explanations.parse_document(await self.aws.run(invoke))
        answer = str((document.get("predictions") or {}).get("data") or "").encode()
        deployed = deployed_keys or [m.InferenceKey.predicted_label]
        everything = _csv_to_predictions(answer, deployed)
        explanation = explanations.explanation(
            document, everything, body, record.input_columns if record else []
        )
        predictions = (
            _csv_to_predictions(_select_columns(answer, deployed, keys), keys)
            if keys and keys != deployed
            else everything
        )
        reply = m.InvocationResponse(predictions=predictions, explanation=explanation)
        return InvocationResult(
            body=reply.model_dump_json().encode(), content_type="application/json"
        )

    async def update_traffic(self, endpoint: str, update: m.TrafficUpdate) -> m.Endpoint:
        """UpdateEndpointWeightsAndCapacities: new weights, applied by SageMaker in place."""
        desc = await self.ensure_exists(endpoint)
        known = [v.get("VariantName") for v in desc.get("ProductionVariants") or []]
        if len(known) < 2:
            raise Conflict(
                f"Endpoint {endpoint!r} serves a single model; deploy with `variants` to split "
                "traffic between candidates."
            )
        unknown = sorted(set(update.weights) - set(known))
        if unknown:
            raise InvalidRequest(
                f"Endpoint {endpoint!r} has no variant named {', '.join(map(repr, unknown))}; "
                f"its variants are {', '.join(str(k) for k in known)}."
            )
        current = {
            v["VariantName"]: float(v.get("CurrentWeight", 1.0))
            for v in desc.get("ProductionVariants") or []
        }
        merged = {**current, **update.weights}
        if not any(w > 0 for w in merged.values()):
            raise InvalidRequest("At least one variant needs a weight above 0 to get traffic.")
        await self.aws.call(
            "sagemaker",
            "UpdateEndpointWeightsAndCapacities",
            f"update the traffic weights of {endpoint}",
            EndpointName=endpoint,
            DesiredWeightsAndCapacities=[
                {"VariantName": name, "DesiredWeight": weight}
                for name, weight in update.weights.items()
            ],
        )
        self.cache.invalidate(("endpoints",), ("endpoint", endpoint))
        return await self.describe_endpoint(endpoint)

    @staticmethod
    def _json_to_csv(body: bytes, columns: list[str]) -> bytes:
        try:
            parsed = m.InvocationJsonBody.model_validate_json(body)
        except ValueError as exc:
            raise InvalidRequest(
                f'JSON input must look like {{"instances": [...]}}: {exc}'
            ) from exc
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in parsed.instances:
            if isinstance(row, dict):
                if not columns:
                    raise InvalidRequest(
                        "This endpoint's column order is unknown: send lists or text/csv rows."
                    )
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
            else:
                writer.writerow(["" if v is None else v for v in row])
        return out.getvalue().encode()


def _select_columns(
    answer: bytes, deployed: list[m.InferenceKey], wanted: list[m.InferenceKey]
) -> bytes:
    """Keep only the `wanted` response columns of a CSV answer (in the wanted order)."""
    indexes = [deployed.index(k) for k in wanted]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(answer.decode("utf-8"))):
        # `probabilities`/`labels` are JSON-ish lists that csv keeps quoted as one field.
        writer.writerow([row[i] if i < len(row) else "" for i in indexes])
    return out.getvalue().encode()


def _csv_to_predictions(answer: bytes, keys: list[m.InferenceKey]) -> list[m.Prediction]:
    predictions = []
    for row in csv.reader(io.StringIO(answer.decode("utf-8"))):
        if not row:
            continue
        values: dict[str, Any] = {}
        for key, raw in zip(keys, row, strict=False):
            if key is m.InferenceKey.probability:
                values["probability"] = float(raw) if raw else None
            elif key in (m.InferenceKey.probabilities, m.InferenceKey.labels):
                try:
                    parsed = json.loads(raw.replace("'", '"'))
                except ValueError:
                    parsed = [p.strip() for p in raw.strip("[]").split(",") if p.strip()]
                if key is m.InferenceKey.probabilities:
                    values["probabilities"] = [float(p) for p in parsed]
                else:
                    values["labels"] = [str(p) for p in parsed]
            else:
                values["predicted_label"] = raw
        predictions.append(m.Prediction(**values))
    return predictions
