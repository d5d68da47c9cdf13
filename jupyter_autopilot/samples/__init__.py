"""Sample datasets shipped inside the package, so a first experiment needs no download.

Each sample is an archive in this folder (see NOTICE.md for where it comes from and its
licence) plus an entry in `SAMPLES` saying what to predict and what to leave out. Add a
sample by adding its archive here, an entry below and its credit to NOTICE.md; the REST
API (`GET/POST samples`), the client (`sample_dataset`), the CLI (`jupyter-autopilot
sample`) and the tests pick it up from the registry.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath

from .. import models as m
from ..exceptions import NotFound


@dataclass(frozen=True)
class Sample:
    """One shipped dataset: a CSV inside a zip archive of this package, and its facts."""

    name: str
    title: str
    description: str
    archive: str  # file name in this package
    member: str  # the CSV inside the archive
    size_bytes: int
    rows: int
    columns: int
    delimiter: str
    target: str
    problem_type: m.ProblemType
    source: str
    source_url: str
    license: str
    license_url: str
    citation: str
    default_folder: str
    suggested_exclusions: tuple[m.SuggestedExclusion, ...] = field(default_factory=tuple)

    @property
    def file_name(self) -> str:
        """The name the CSV has in the archive, and that copies of it get."""
        return PurePosixPath(self.member).name

    @contextmanager
    def open_archive(self) -> Iterator[zipfile.ZipFile]:
        """The shipped archive, read from the installed package (wheel or source tree)."""
        with (
            resources.files(__name__).joinpath(self.archive).open("rb") as raw,
            zipfile.ZipFile(raw) as archive,
        ):
            yield archive

    def read_csv(self) -> bytes:
        """The CSV file's bytes (a few MB: the archive is read, not extracted to disk)."""
        with self.open_archive() as archive:
            return archive.read(self.member)

    def extract_csv(self, folder: Path) -> Path:
        """Unzip the CSV into `folder`, keeping its path in the archive; returns the file.

        For tests and benchmarks that need the data on disk in a temporary folder.
        """
        with self.open_archive() as archive:
            archive.extract(self.member, folder)
        return folder / self.member

    def describe(self) -> m.SampleDataset:
        """The API's view of this sample."""
        return m.SampleDataset(
            name=self.name,
            title=self.title,
            description=self.description,
            file_name=self.file_name,
            default_folder=self.default_folder,
            size_bytes=self.size_bytes,
            rows=self.rows,
            columns=self.columns,
            delimiter=self.delimiter,
            target=self.target,
            problem_type=self.problem_type,
            suggested_exclusions=list(self.suggested_exclusions),
            source=self.source,
            source_url=self.source_url,
            license=self.license,
            license_url=self.license_url,
            citation=self.citation,
        )


BANK_MARKETING = Sample(
    name="bank-marketing",
    title="Bank marketing (the tutorial's data)",
    description=(
        "41,188 phone calls of a Portuguese bank's term-deposit campaigns (May 2008 to "
        "November 2010) with client, call and economic-context attributes; predict whether "
        "the client subscribed (y = yes/no, about 11% yes). The dataset of SageMaker "
        "Autopilot's tutorial."
    ),
    archive="bank-additional.zip",
    member="bank-additional/bank-additional-full.csv",
    size_bytes=5_834_924,
    rows=41_188,
    columns=21,
    delimiter=";",
    target="y",
    problem_type=m.ProblemType.binary,
    suggested_exclusions=(
        m.SuggestedExclusion(
            column="duration",
            reason=(
                "The call's duration is known only after the call, when y is known too "
                "(duration 0 means y = no): it leaks the target. The dataset's authors keep "
                "it for benchmarks only; leave it out for a realistic model."
            ),
        ),
    ),
    source=(
        'UCI Machine Learning Repository, "Bank Marketing" (Moro, S., Rita, P., & Cortez, P., '
        "2014), file bank-additional.zip"
    ),
    source_url="https://doi.org/10.24432/C5K306",
    license="CC-BY-4.0",
    license_url="https://creativecommons.org/licenses/by/4.0/",
    citation=(
        "S. Moro, P. Cortez and P. Rita. A Data-Driven Approach to Predict the Success of "
        "Bank Telemarketing. Decision Support Systems 62:22-31, June 2014. "
        "https://doi.org/10.1016/j.dss.2014.03.001"
    ),
    default_folder="bank-additional",
)

#: Every shipped sample by name.
SAMPLES: dict[str, Sample] = {sample.name: sample for sample in (BANK_MARKETING,)}


def get_sample(name: str) -> Sample:
    """The sample called `name`; `NotFound` naming the ones there are."""
    try:
        return SAMPLES[name]
    except KeyError:
        known = ", ".join(sorted(SAMPLES))
        raise NotFound(
            f"There is no sample dataset named {name!r}; the samples are: {known}."
        ) from None


__all__ = ["BANK_MARKETING", "SAMPLES", "Sample", "get_sample"]
