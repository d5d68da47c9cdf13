"""Entry point of a jupyter-autopilot model in SageMaker's scikit-learn container.

Shipped as `code/inference.py` inside the exported `model.tar.gz`, next to a copy of the
`jupyter_autopilot` package and a `requirements.txt`, and used by the SageMaker inference
toolkit through its four handler functions. Answers like a local endpoint (and like
Autopilot's containers): `text/csv` or `application/json` rows in, `predicted_label` and
`probability` out by default, other keys through `SAGEMAKER_INFERENCE_OUTPUT`
(comma-separated: predicted_label, probability, probabilities, labels).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

OUTPUT_ENV = "SAGEMAKER_INFERENCE_OUTPUT"


def model_fn(model_dir: str) -> Any:
    """Load the model, refusing a file whose checksum differs from the one exported."""
    from jupyter_autopilot.engine import load_model
    from jupyter_autopilot.models import DEFAULT_INFERENCE_KEYS, InferenceKey
    from jupyter_autopilot.serving.service import ModelService

    folder = Path(model_dir)
    sha = (folder / "model.sha256").read_text().strip()
    model = load_model(folder / "model.joblib", expected_sha256=sha)
    wanted = os.environ.get(OUTPUT_ENV, "")
    keys = [InferenceKey(k.strip()) for k in wanted.split(",") if k.strip()] or list(
        DEFAULT_INFERENCE_KEYS
    )
    return ModelService(model, keys)


def input_fn(input_data: bytes | str, content_type: str) -> tuple[bytes, str]:
    """Keep the raw body: parsing needs the model's feature columns (see predict_fn)."""
    body = input_data.encode() if isinstance(input_data, str) else bytes(input_data)
    return body, (content_type or "text/csv").split(";")[0].strip().lower()


def predict_fn(data: tuple[bytes, str], model: Any) -> tuple[bytes, str]:
    """Parse and predict; returns the JSON answer (output_fn converts it when asked)."""
    body, content_type = data
    return model.invoke(body, content_type, "application/json", None)


def output_fn(prediction: tuple[bytes, str], accept: str) -> tuple[bytes, str]:
    """JSON `{"predictions": [...]}`, or CSV lines when the client accepts `text/csv`."""
    import json

    from jupyter_autopilot.models import InferenceKey
    from jupyter_autopilot.serving.payloads import CSV, format_response

    body, content_type = prediction
    if CSV not in (accept or ""):
        return body, content_type
    rows = json.loads(body)["predictions"]
    keys = [InferenceKey(k) for k in (rows[0] if rows else {})]
    columns = {key: [row[key.value] for row in rows] for key in keys}
    return format_response(columns, CSV)
