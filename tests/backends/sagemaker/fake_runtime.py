"""InvokeEndpoint as SageMaker answers it and moto does not: the production variant picked
by weight, and the exchange captured when the endpoint's config asks for it, in
SageMaker's capture file layout and format."""

from __future__ import annotations

import io
import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from botocore.response import StreamingBody

if TYPE_CHECKING:
    from fake_automl import FakeAutoML


class EndpointRuntime:
    """Runs after moto's InvokeEndpoint for one `FakeAutoML`."""

    def __init__(self, fake: FakeAutoML):
        self.fake = fake

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
