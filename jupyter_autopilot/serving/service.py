"""A loaded model answering invocation bodies: parse, predict, format (no web server).

Used by the local model-server process and by the inference script of models exported
for SageMaker's scikit-learn container, so both answer exactly alike.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..models import InferenceKey
from ..monitoring.capture import write_record
from .payloads import format_response, parse_body, prediction_columns

log = logging.getLogger("jupyter_autopilot.serving")


class ModelService:
    """One loaded model (a production variant) plus the endpoint's default response keys."""

    def __init__(
        self,
        model: Any,
        keys: list[InferenceKey],
        capture_dir: Path | None = None,
        variant: str | None = None,
    ):
        self.model = model
        self.keys = keys
        self.feature_columns: list[str] = list(model.feature_columns)
        types = getattr(model, "column_types", {})
        self.numeric_columns = {c for c in self.feature_columns if types.get(c) == "numeric"}
        self.capture_dir = capture_dir
        self.variant = variant

    def invoke(
        self,
        body: bytes,
        content_type: str,
        accept: str,
        keys: list[InferenceKey] | None,
        capture: bool = False,
        explain: bool = False,
    ) -> tuple[bytes, str]:
        frame = parse_body(body, content_type, self.feature_columns, self.numeric_columns)
        if explain:
            # Imported on first use: the export's inference script needs only predictions.
            from .explanations import add_explanation, check_explain_request

            check_explain_request(len(frame), accept)
        wanted = keys or self.keys
        if self.model.is_classifier:
            proba = self.model.predict_proba(frame)
            labels = labels_from_proba(self.model, proba)
        else:
            proba, labels = None, self.model.predict(frame)
        columns = prediction_columns(labels, proba, self.model.labels, wanted)
        if capture and self.capture_dir is not None:
            self._capture(content_type, frame, labels, proba)
        answer, out_type = format_response(columns, accept)
        if explain:
            answer = add_explanation(answer, self.model, frame)
        return answer, out_type

    def _capture(self, content_type: str, frame: Any, labels: Any, proba: Any) -> None:
        """Record the request and the answer for monitoring, whatever keys were asked."""
        assert self.capture_dir is not None
        keys = [InferenceKey.predicted_label, InferenceKey.probability]
        outputs = prediction_columns(labels, proba, self.model.labels, keys)
        try:
            write_record(
                self.capture_dir,
                content_type,
                frame.reindex(columns=self.feature_columns),
                {key.value: values for key, values in outputs.items()},
                variant=self.variant,
            )
        except OSError as error:  # a full disk must not fail the prediction
            log.warning("data capture failed: %s", error)


def labels_from_proba(model: Any, proba: Any) -> Any:
    """Predicted labels from probabilities (one model pass), honouring a tuned threshold."""
    import numpy as np

    if proba.shape[1] == 2 and getattr(model, "threshold", None) is not None:
        index = (proba[:, 1] >= model.threshold).astype(int)
    else:
        index = proba.argmax(axis=1)
    return np.asarray(model.labels, dtype=object)[index]
