"""Dataset preview and upload."""

from __future__ import annotations

from enum import Enum

from pydantic import Field, ValidationInfo, field_validator

from .common import ApiModel
from .experiments import DataWarning
from .forecast import ForecastSpec


class ColumnType(str, Enum):
    """What a column holds, as inferred from its values."""

    numeric = "numeric"
    categorical = "categorical"
    boolean = "boolean"
    datetime = "datetime"
    text = "text"
    id = "id"
    constant = "constant"


class Compression(str, Enum):
    none = "none"
    gzip = "gzip"


class DatasetPreviewRequest(ApiModel):
    """Which file to preview: a path under the Jupyter server root or an `s3://` URI."""

    uri: str = Field(
        min_length=1,
        max_length=2048,
        description="Path relative to the Jupyter server root, or `s3://bucket/key` (sagemaker backend).",
        examples=["bank-additional/bank-additional-full.csv"],
    )
    rows: int = Field(default=10, ge=1, le=1000, description="Number of rows to return.")
    delimiter: str | None = Field(
        default=None,
        min_length=1,
        max_length=1,
        description="Field delimiter; detected when omitted.",
    )
    target: str | None = Field(
        default=None,
        min_length=1,
        max_length=512,
        description="With `forecast`: the column to forecast.",
    )
    forecast: ForecastSpec | None = Field(
        default=None,
        description="Check the file as a forecasting dataset for this spec (needs `target`): "
        "the preview then carries `series` (the checks' findings and a few items' series).",
    )

    @field_validator("forecast")
    @classmethod
    def _forecast_needs_target(
        cls, value: ForecastSpec | None, info: ValidationInfo
    ) -> ForecastSpec | None:
        if value is not None and not info.data.get("target"):
            raise ValueError("a forecast preview needs the column to forecast: set target")
        return value


class ColumnSummary(ApiModel):
    """Per-column facts shown in the preview table."""

    name: str
    inferred_type: ColumnType
    dtype: str = Field(description="The pandas dtype the column was read as.")
    missing_count: int = Field(ge=0)
    missing_fraction: float = Field(ge=0, le=1)
    unique_count: int = Field(ge=0)
    examples: list[str] = Field(default_factory=list, description="A few distinct values.")


class SeriesPlot(ApiModel):
    """One item's series for the wizard's small multiples (after regularising, gaps filled)."""

    item_id: str
    timestamps: list[str]
    values: list[float | None]
    length: int = Field(description="Periods in the series (on its frequency's grid).")


class SeriesPreview(ApiModel):
    """What the checks found about the file as a forecasting dataset."""

    frequency: str | None = Field(
        default=None, description="The frequency used: the spec's, else the detected one."
    )
    frequency_detected: bool = Field(
        default=False, description="The frequency was detected (not given in the spec)."
    )
    season: int = Field(default=1, description="Periods per seasonal cycle at this frequency.")
    items: int = Field(default=0, description="Series (items) in the file.")
    warnings: list[DataWarning] = Field(
        default_factory=list,
        description="The checks' findings: errors (the job would refuse the data), warnings "
        "(items left out, gaps filled) and infos.",
    )
    usable_items: int = Field(
        default=0, description="Items long enough for the horizon and the backtest windows."
    )
    series: list[SeriesPlot] = Field(
        default_factory=list, description="A few items' series, the longest first."
    )


class DatasetPreview(ApiModel):
    """The head of a dataset with detected format and column statistics."""

    uri: str
    delimiter: str
    has_header: bool
    encoding: str
    compression: Compression
    size_bytes: int | None = None
    columns: list[ColumnSummary]
    rows: list[list[str | None]] = Field(
        description="The first rows, values as text (null = missing)."
    )
    rows_scanned: int = Field(description="Rows read to compute the column statistics.")
    total_rows: int | None = Field(
        default=None, description="Total data rows when the whole file was scanned."
    )
    warnings: list[str] = Field(default_factory=list)
    series: SeriesPreview | None = Field(
        default=None, description="For a forecast preview: the series checks and plots."
    )


class DatasetUploadRequest(ApiModel):
    """Copy a file from the Jupyter server root to where the backend reads data from."""

    path: str = Field(min_length=1, max_length=2048, description="Path under the server root.")
    key_prefix: str = Field(
        default="sagemaker/autopilot/input",
        max_length=512,
        description="S3 key prefix (sagemaker) or sub-folder of the work dir's datasets (local).",
    )
    bucket: str | None = Field(
        default=None,
        description="Target bucket (sagemaker); default `sagemaker-<region>-<account>`.",
    )


class DatasetUploadResponse(ApiModel):
    uri: str = Field(description="Where the data now lives; use it as the experiment's input.")
    size_bytes: int
    warnings: list[str] = Field(
        default_factory=list,
        description="What the upload changed or could not do (e.g. delimiter converted to commas).",
    )
