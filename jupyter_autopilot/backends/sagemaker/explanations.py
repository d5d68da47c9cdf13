"""Per-row explanations on SageMaker: SageMaker Clarify online explainability.

An endpoint deployed with `explanations` gets an `ExplainerConfig` in its endpoint config:
Kernel SHAP against one baseline record (the training data's median of each numeric column
and most frequent value of the others), explanations off by default (`EnableExplanations`
"`false`", so plain invocations cost nothing more) and asked per request with
InvokeEndpoint's `EnableExplanations` "`true`". The answer is then Clarify's JSON document
(the developer guide's "Invoke the endpoint", Response):

    {"version": "1.0",
     "predictions": {"content_type": "text/csv", "data": "<the model's own answer>"},
     "label_headers": [...],                      # when LabelHeaders is configured
     "explanations": {"kernel_shap": [            # one list per record sent
         [{"feature_header": "age",               # when FeatureHeaders is configured
           "feature_type": "numerical",
           "attributions": [{"attribution": [0.01, -0.01]}]},   # one value per label
          ...]]}}

`explanation` maps it to the API's `Explanation` (the local endpoints' form). Kernel SHAP's
values add up to the explained output minus the model's output at the baseline, so the
base value is that difference (nothing else in the answer gives it).
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from ... import models as m
from ...exceptions import InvalidRequest, UpstreamError

if TYPE_CHECKING:
    import pandas as pd

    from .session import AwsSession

#: Explained invocations are asked per request (InvokeEndpoint's EnableExplanations).
EXPLAIN = "`true`"
#: ... and off otherwise: Kernel SHAP runs the model NumberOfSamples times per record.
DEFAULT_OFF = "`false`"
#: Kernel SHAP's synthetic records per explained record (latency against precision).
NUMBER_OF_SAMPLES = 100
#: ClarifyShapBaselineConfig.ShapBaseline: at most 4 KB inline.
MAX_BASELINE_BYTES = 4096
#: ClarifyInferenceConfig.FeatureHeaders: at most 256 names of at most 64 characters.
MAX_FEATURE_HEADERS = 256
MAX_HEADER_CHARS = 64
#: The keys a classification model answers when it is explained: Clarify reads the
#: class probabilities (`probabilities`, a list in one CSV field), `labels` names them.
CLASSIFICATION_KEYS = (
    m.InferenceKey.predicted_label,
    m.InferenceKey.probability,
    m.InferenceKey.probabilities,
    m.InferenceKey.labels,
)


def baseline_record(frame: pd.DataFrame, columns: list[str]) -> str:
    """One CSV record (no header, the model's column order) of typical values: the median
    of numeric columns, the most frequent value of the others (empty if none)."""
    import pandas as pd

    values: list[str] = []
    for column in columns:
        present = frame[column].dropna()
        numbers = pd.to_numeric(present, errors="coerce")
        if len(present) and numbers.notna().all():
            median = float(numbers.median())
            values.append(str(int(median)) if median.is_integer() else repr(median))
        elif len(present):
            counts = present.astype(str).str.strip().value_counts()
            # The most frequent; ties to the first in sorted order, so it is reproducible.
            values.append(str(min(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]))
        else:
            values.append("")
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def baseline_from_s3(aws: AwsSession, input_uri: str, manifest: bool, columns: list[str]) -> str:
    """`baseline_record` of the head of the experiment's training data on S3."""
    from ...engine.data import load_table
    from .datasets import head_file, resolve_data_object

    bucket, key = resolve_data_object(aws, input_uri, manifest=manifest)
    with head_file(aws, bucket, key) as head:
        frame, _ = load_table(head.path)
    frame.columns = [str(c) for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidRequest(
            f"The training data {input_uri} lacks the column(s) {', '.join(missing)}, so no "
            "explanation baseline can be made from it; deploy without explanations.",
            details=[{"field": "explanations"}],
        )
    return baseline_record(frame, columns)


def explainer_config(
    baseline: str, columns: list[str], keys: list[m.InferenceKey]
) -> dict[str, Any]:
    """CreateEndpointConfig's ExplainerConfig for a model answering `keys` in CSV."""
    if len(baseline.encode()) > MAX_BASELINE_BYTES:
        raise InvalidRequest(
            f"The explanation baseline (one row of typical values) takes "
            f"{len(baseline.encode())} bytes; SageMaker Clarify takes at most "
            f"{MAX_BASELINE_BYTES} inline. Deploy without explanations.",
            details=[{"field": "explanations"}],
        )
    inference: dict[str, Any] = {}
    if m.InferenceKey.probabilities in keys:
        # The class probabilities are explained, one attribution per class.
        inference["ProbabilityIndex"] = keys.index(m.InferenceKey.probabilities)
        inference["LabelIndex"] = keys.index(m.InferenceKey.predicted_label)
    if (
        columns
        and len(columns) <= MAX_FEATURE_HEADERS
        and all(0 < len(c) <= MAX_HEADER_CHARS for c in columns)
    ):
        inference["FeatureHeaders"] = list(columns)
    config: dict[str, Any] = {
        "EnableExplanations": DEFAULT_OFF,
        "ShapConfig": {
            "ShapBaselineConfig": {"MimeType": "text/csv", "ShapBaseline": baseline},
            "NumberOfSamples": NUMBER_OF_SAMPLES,
            "UseLogit": False,
            "Seed": 0,
        },
    }
    if inference:
        config["InferenceConfig"] = inference
    return {"ClarifyExplainerConfig": config}


def has_explainer(config: dict[str, Any] | None) -> bool:
    """Whether a DescribeEndpointConfig answer has Clarify's explainer."""
    return bool(((config or {}).get("ExplainerConfig") or {}).get("ClarifyExplainerConfig"))


def _rows(body: bytes) -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(body.decode("utf-8"))) if r]


def explanation(
    document: dict[str, Any],
    predictions: list[m.Prediction],
    body: bytes,
    columns: list[str],
) -> m.Explanation:
    """Clarify's `explanations.kernel_shap` as the API's `Explanation`: per row, the
    explained class (binary: the last of the model's labels, as locally the positive
    class; multiclass: the predicted class), its probability as the output, and each
    feature's contribution to it; for regression the predicted value."""
    records = (document.get("explanations") or {}).get("kernel_shap")
    if not isinstance(records, list) or len(records) != len(predictions):
        raise UpstreamError(
            "SageMaker Clarify answered without an explanation for every row (its "
            "EnableExplanations expression may have filtered rows out)."
        )
    try:
        return _explanation(records, predictions, _rows(body), document, columns)
    except (ValueError, TypeError, LookupError, AttributeError) as error:
        raise UpstreamError(
            f"SageMaker Clarify's explanation could not be read ({type(error).__name__}: "
            f"{error}); the endpoint's answer is not what its deployment asked for."
        ) from None


def _explanation(
    records: list[Any],
    predictions: list[m.Prediction],
    sent: list[list[str]],
    document: dict[str, Any],
    columns: list[str],
) -> m.Explanation:
    label_headers = [str(h) for h in document.get("label_headers") or []]
    classification = any(p.probabilities for p in predictions)
    out_rows: list[m.RowExplanation] = []
    for i, (features, prediction) in enumerate(zip(records, predictions, strict=True)):
        labels = prediction.labels or label_headers
        if classification:
            probabilities = prediction.probabilities or []
            if len(probabilities) == 2:
                index = 1
            elif (
                prediction.predicted_label is not None and str(prediction.predicted_label) in labels
            ):
                index = labels.index(str(prediction.predicted_label))
            else:
                index = max(range(len(probabilities)), key=probabilities.__getitem__)
            output = float(probabilities[index])
            label: str | None = labels[index] if index < len(labels) else None
        else:
            index = 0
            output = float(prediction.predicted_label)
            label = None
        contributions = []
        for j, feature in enumerate(features):
            name = feature.get("feature_header") or (
                columns[j] if j < len(columns) else f"feature_{j}"
            )
            attribution = (feature.get("attributions") or [{}])[0].get("attribution") or [0.0]
            value = attribution[index] if index < len(attribution) else attribution[0]
            raw = sent[i][j] if i < len(sent) and j < len(sent[i]) else None
            contributions.append(
                m.Contribution(column=str(name), value=_value(raw), contribution=float(value))
            )
        contributions.sort(key=lambda c: -abs(c.contribution))
        out_rows.append(
            m.RowExplanation(
                label=label,
                output=output,
                base_value=output - sum(c.contribution for c in contributions),
                contributions=contributions,
            )
        )
    space = m.ExplanationSpace.probability if classification else m.ExplanationSpace.value
    return m.Explanation(method=m.ExplanationMethod.kernel_shap, space=space, rows=out_rows)


def _value(raw: str | None) -> Any:
    """A CSV field as the JSON value the local endpoints give (numbers as numbers)."""
    if raw is None or raw == "":
        return None
    try:
        number = float(raw)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and "." not in raw else number


def parse_document(answer: bytes) -> dict[str, Any]:
    """Clarify's JSON answer, or a clear error when the endpoint answered otherwise."""
    try:
        document = json.loads(answer)
    except ValueError:
        document = None
    if not isinstance(document, dict) or "predictions" not in document:
        raise UpstreamError(
            "The endpoint did not answer with SageMaker Clarify's explanations; deploy it "
            "again with explanations on."
        )
    return document


__all__ = [
    "CLASSIFICATION_KEYS",
    "EXPLAIN",
    "baseline_from_s3",
    "baseline_record",
    "explainer_config",
    "explanation",
    "has_explainer",
    "parse_document",
]
