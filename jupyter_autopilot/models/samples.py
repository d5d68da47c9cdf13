"""Sample datasets shipped with the package, and copies of them under the server root."""

from __future__ import annotations

from pydantic import Field

from .common import ApiModel
from .experiments import ProblemType


class SuggestedExclusion(ApiModel):
    """A column of a sample that a realistic model should not learn from, and why."""

    column: str
    reason: str


class SampleDataset(ApiModel):
    """A dataset that ships with jupyter-autopilot, ready for a first experiment."""

    name: str = Field(description="Identifier used in the API, the client and the CLI.")
    title: str
    description: str
    file_name: str = Field(description="Name of the CSV file a copy gets.")
    default_folder: str = Field(
        description="Folder under the Jupyter server root a copy goes to when none is given."
    )
    size_bytes: int = Field(ge=0, description="Size of the CSV file.")
    rows: int = Field(ge=0, description="Data rows (without the header).")
    columns: int = Field(ge=0)
    delimiter: str
    target: str = Field(description="The column the tutorial predicts.")
    problem_type: ProblemType
    suggested_exclusions: list[SuggestedExclusion] = Field(
        default_factory=list,
        description="Columns to leave out of a realistic model (for example ones that leak the target).",
    )
    source: str = Field(description="Where the data comes from.")
    source_url: str
    license: str = Field(description="The data's licence (SPDX identifier).")
    license_url: str
    citation: str = Field(description="The reference to cite when using the data.")


class SampleList(ApiModel):
    samples: list[SampleDataset]


class SampleCopyRequest(ApiModel):
    """Where to put the sample's CSV file under the Jupyter server root."""

    folder: str | None = Field(
        default=None,
        max_length=4096,
        description=(
            "Folder under the Jupyter server root (created if missing); omit it for the "
            "sample's `default_folder`, give `''` for the root itself. Never inside the "
            "Autopilot work dir."
        ),
        examples=["bank-additional"],
    )


class SampleCopy(ApiModel):
    """The copied (or reused) CSV file: give `path` to the preview and the experiment."""

    path: str = Field(
        description="Root-relative path of the CSV file.",
        examples=["bank-additional/bank-additional-full.csv"],
    )
    created: bool = Field(
        description=(
            "True when the file was written now; false when an identical copy was already "
            "there and is reused. An existing file with other content is never overwritten: "
            "the copy gets a free name such as `bank-additional-full (1).csv`."
        )
    )
    size_bytes: int = Field(ge=0)
    sample: SampleDataset
