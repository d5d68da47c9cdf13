"""InvokeEndpoint as SageMaker answers it and moto does not: the production variant picked
by weight, the exchange captured when the endpoint's config asks for it, in SageMaker's
capture file layout and format, and SageMaker Clarify's online explanations when the
endpoint's config has an explainer (moto drops `ExplainerConfig` altogether)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from botocore.response import StreamingBody
from fake_rules import error

if TYPE_CHECKING:
    from fake_automl import FakeAutoML


class EndpointRuntime:
    """Runs after moto's InvokeEndpoint for one `FakeAutoML`."""

    def __init__(self, fake: FakeAutoML):
        self.fake = fake
        #: ExplainerConfig by endpoint config name, as CreateEndpointConfig was given it.
        self.explainers: dict[str, dict[str, Any]] = {}

    # -- SageMaker Clarify online explainability ------------------------------------------
    def config_created(self, params: dict[str, Any]) -> None:
        if params.get("ExplainerConfig"):
            self.explainers[params["EndpointConfigName"]] = params["ExplainerConfig"]

    def describe_explainer(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        """DescribeEndpointConfig shows the explainer, as SageMaker does."""
        name = context.get("fake_api_params", {}).get("EndpointConfigName")
        if "Error" not in parsed and name in self.explainers:
            parsed["ExplainerConfig"] = self.explainers[name]

    def _explainer(self, endpoint_name: str) -> dict[str, Any] | None:
        endpoint = self.fake.rules.moto_backend().endpoints.get(endpoint_name)
        if endpoint is None:
            return None
        return self.explainers.get(endpoint.endpoint_config_name)

    def check_explanations(self, context: dict[str, Any], **_: Any) -> Any:
        """EnableExplanations works only on an endpoint whose config has an explainer."""
        params = context.get("fake_api_params", {})
        if "EnableExplanations" not in params:
            return None
        if self._explainer(params.get("EndpointName", "")) is None:
            return error(
                "ValidationError",
                "EnableExplanations is not supported: the endpoint's config has no "
                "ExplainerConfig.",
            )
        return None

    def _explain(self, params: dict[str, Any], answer: bytes, clarify: dict[str, Any]) -> bytes:
        """Clarify's JSON answer (the developer guide's "Invoke the endpoint", Response):
        the model's own answer under `predictions`, Kernel SHAP attributions per record
        and feature under `explanations.kernel_shap`, one value per label. The values are
        made up but deterministic: each feature's distance from the baseline."""
        inference = clarify.get("InferenceConfig") or {}
        headers = inference.get("FeatureHeaders")
        baseline = next(
            csv.reader(io.StringIO(clarify["ShapConfig"]["ShapBaselineConfig"]["ShapBaseline"]))
        )
        body = params.get("Body", b"")
        text = body.decode() if isinstance(body, bytes) else str(body)
        records = [r for r in csv.reader(io.StringIO(text)) if r]
        outputs = [r for r in csv.reader(io.StringIO(answer.decode())) if r]
        explained = []
        for i, record in enumerate(records):
            labels = 1
            index = inference.get("ProbabilityIndex")
            if index is not None and i < len(outputs) and index < len(outputs[i]):
                labels = len(json.loads(outputs[i][index]))
            features = []
            for j, value in enumerate(record):
                try:
                    distance = float(value) - float(baseline[j])
                    kind = "numerical"
                except ValueError:
                    distance = 0.0 if value == baseline[j] else 1.0
                    kind = "categorical"
                share = round(0.001 * distance / (j + 1), 6)
                values = (
                    [share] if labels == 1 else [-share, *[share / (labels - 1)] * (labels - 1)]
                )
                feature: dict[str, Any] = {
                    "feature_type": kind,
                    "attributions": [{"attribution": values}],
                }
                if headers:
                    feature["feature_header"] = headers[j]
                features.append(feature)
            explained.append(features)
        document: dict[str, Any] = {
            "version": "1.0",
            "predictions": {"content_type": "text/csv; charset=utf-8", "data": answer.decode()},
            "explanations": {"kernel_shap": explained},
        }
        if inference.get("LabelHeaders"):
            document["label_headers"] = inference["LabelHeaders"]
        return json.dumps(document).encode()

    def route(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        """Answer from a production variant picked by weight, as SageMaker does (moto always
        names a static "prod" variant), and capture the exchange when the endpoint's config
        asks for it, in SageMaker's capture file layout and format."""
        params = context.get("fake_api_params", {})
        name = params.get("EndpointName")
        if not name or not isinstance(parsed, dict):
            return
        # moto's own records: calls through the client would count as the user's.
        endpoint = self.fake.rules.moto_backend().endpoints[name]
        variants = endpoint.production_variants
        weights = [float(v.get("CurrentWeight", 1.0) or 0.0) for v in variants]
        if variants and sum(weights) > 0:
            picked = self.fake._random.choices(variants, weights)[0]
            parsed["InvokedProductionVariant"] = picked["VariantName"]
        clarify = (self._explainer(name) or {}).get("ClarifyExplainerConfig")
        # The request's EnableExplanations overrides the config's; explaining is the
        # default (only the literal `true`/`false` expressions are modelled here).
        wanted = params.get("EnableExplanations", (clarify or {}).get("EnableExplanations"))
        if clarify and wanted in (None, "`true`") and "Body" in parsed:
            answer = self._explain(params, parsed["Body"].read(), clarify)
            parsed["Body"] = StreamingBody(io.BytesIO(answer), len(answer))
            parsed["ContentType"] = "application/json"
        capture = endpoint.data_capture_config or {}
        if not capture.get("EnableCapture"):
            return
        if self.fake._random.random() * 100 >= capture.get("InitialSamplingPercentage", 100):
            return
        answer = parsed["Body"].read()
        parsed["Body"] = StreamingBody(io.BytesIO(answer), len(answer))
        body = params.get("Body", b"")
        now = datetime.now(timezone.utc)  # capture files are read by time windows
        event = {
            "captureData": {
                "endpointInput": {
                    "observedContentType": params.get("ContentType", "text/csv"),
                    "mode": "INPUT",
                    "data": body.decode() if isinstance(body, bytes) else str(body),
                    "encoding": "CSV",
                },
                "endpointOutput": {
                    "observedContentType": "text/csv; charset=utf-8",
                    "mode": "OUTPUT",
                    "data": answer.decode("utf-8", "replace"),
                    "encoding": "CSV",
                },
            },
            "eventMetadata": {
                "eventId": uuid.uuid4().hex,
                "inferenceTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            "eventVersion": "0",
        }
        bucket, _, prefix = capture["DestinationS3Uri"][len("s3://") :].partition("/")
        variant = parsed.get("InvokedProductionVariant", "AllTraffic")
        key = f"{prefix}/{name}/{variant}/{now:%Y/%m/%d/%H}/{uuid.uuid4().hex}.jsonl"
        self.fake._s3.put_object(Bucket=bucket, Key=key.lstrip("/"), Body=json.dumps(event) + "\n")
