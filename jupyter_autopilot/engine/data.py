"""Reading a CSV file the way a user hands it to us: detect its format, then load it.

Everything that can be wrong with the *file* (as opposed to its contents as a learning
problem) is found here and raised as `InvalidDataset` with what to do about it: empty,
binary, undecodable, ragged, a single column, too big for the memory limit.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import stat
import struct
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, TextIO, cast

import pandas as pd

from ..exceptions import InvalidDataset
from ..models import Compression
from ..paths import file_kind

#: Delimiters we try, most common first (ties go to the earlier one).
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
#: Bytes read to detect the format; enough for a few hundred rows of a wide file.
SNIFF_BYTES = 256 * 1024
#: Rough factor between the text size of a file and the memory its analysis needs
#: (the frame, a copy per encoded view, the split); measured on the bank data.
WORKING_SET_FACTOR = 3.0

_GZIP_MAGIC = b"\x1f\x8b"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class FileFormat:
    """What we detected about a data file."""

    delimiter: str
    has_header: bool
    encoding: str
    compression: Compression
    size_bytes: int
    text_bytes: int  # uncompressed size (exact for plain files, from the gzip trailer otherwise)
    #: Column names from the header row, made unique (empty when there is no header).
    columns: tuple[str, ...] = ()
    #: What was changed to make the header's names usable (missing or repeated names).
    header_warnings: tuple[str, ...] = ()

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def open_regular(path: Path) -> BinaryIO:
    """Open a data file for reading, refusing anything but a regular file.

    The file is opened non-blocking and checked on its descriptor: a FIFO named `.csv`
    would otherwise block the reader until someone writes to it, and a check by name
    before opening could be raced by a rename.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InvalidDataset(
            f"The data file {path.name!r} does not exist; check the path."
        ) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InvalidDataset(f"{path.name!r} is a folder, not a data file; select a CSV file.")
        raise InvalidDataset(
            f"{path.name!r} is {file_kind(mode)}, not a regular file; save the data to a "
            "file and select that file."
        )
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


@contextmanager
def _open_binary(path: Path, compression: Compression) -> Iterator[BinaryIO]:
    with open_regular(path) as raw:
        if compression is Compression.gzip:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield cast(BinaryIO, unzipped)
        else:
            yield raw


def _detect_compression(path: Path) -> Compression:
    with open_regular(path) as fh:
        return Compression.gzip if fh.read(2) == _GZIP_MAGIC else Compression.none


def _uncompressed_size(path: Path, compression: Compression, size: int) -> int:
    if compression is Compression.none:
        return size
    # The gzip trailer holds the uncompressed size modulo 2**32; good enough for an estimate
    # and never smaller than the compressed size.
    with open_regular(path) as fh:
        fh.seek(-4, os.SEEK_END)
        (isize,) = struct.unpack("<I", fh.read(4))
    return max(isize, size)


def _decode_sample(raw: bytes) -> tuple[str, str]:
    """Decode the head of a file, returning (text, encoding)."""
    if raw.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        if b"\x00" in raw:
            raise InvalidDataset(
                "The file looks binary (it contains NUL bytes), not a CSV text file. "
                "Export the data as a UTF-8 CSV file and select that file."
            )
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        # An incremental decoder tolerates a multi-byte character cut at the end of the sample.
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            text = decoder.decode(raw, final=False)
        except UnicodeDecodeError:
            continue
        return text, encoding
    raise InvalidDataset(
        "The file is not readable text: it is neither UTF-8 nor Windows-1252 encoded. "
        "Save it as a UTF-8 CSV file (for example from a spreadsheet: 'CSV UTF-8') and try again."
    )


def _check_text_like(text: str) -> None:
    sample = text[:20000]
    if not sample:
        return
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls / len(sample) > 0.01:
        raise InvalidDataset(
            "The file looks binary (it is full of control characters), not a CSV text file. "
            "Export the data as a UTF-8 CSV file and select that file."
        )


def _parse_rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    # Drop a last line that may have been cut by the sample size.
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and not lines[-1].endswith(("\n", "\r")):
        lines = lines[:-1]
    rows: list[list[str]] = []
    try:
        for row in csv.reader(lines, delimiter=delimiter, quotechar='"'):
            if row:
                rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the sample into the most consistent number (>1) of fields."""
    best, best_score = ",", (-1.0, 0)
    for delimiter in CANDIDATE_DELIMITERS:
        rows = _parse_rows(text, delimiter, 200)
        if not rows:
            continue
        counts = Counter(len(r) for r in rows)
        width, freq = counts.most_common(1)[0]
        if width < 2:
            continue
        score = (freq / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _looks_numeric(value: str) -> bool:
    try:
        float(value.replace(",", "")) if value.strip() else None
    except ValueError:
        return False
    return bool(value.strip())


def detect_header(rows: list[list[str]]) -> bool:
    """A first row of non-numeric names that do not recur below is a header.

    Missing and repeated names do not make it data (a CSV written with an index often
    starts with an empty name): `unique_column_names` names those columns and says so.
    """
    if not rows:
        return False
    first = [v.strip() for v in rows[0]]
    if not any(first) or any(_looks_numeric(v) for v in first):
        return False
    body = rows[1:]
    if not body:
        return True
    for j, name in enumerate(first):
        column = [r[j].strip() for r in body if j < len(r)]
        if any(_looks_numeric(v) for v in column):
            return True  # names above numbers: a header
        if name and name in column:
            return False  # the "name" is also a value of its column: data
    return True


def unique_column_names(header: list[str]) -> tuple[list[str], list[str]]:
    """The names of a header row as usable column names, and a warning per change.

    Names are stripped; a column without a name is called `column_<position>` (as in a
    file without header) and a repeated name gets `_2`, `_3`... after its first use.
    """
    names = [h.strip() for h in header]
    taken = set(names)
    warnings = []
    for i, name in enumerate(names):
        if not name:
            fresh = f"column_{i + 1}"
            while fresh in taken:
                fresh += "_"
            names[i] = fresh
            taken.add(fresh)
            warnings.append(
                f"Column {i + 1} has no name in the header row; it is called {fresh!r}."
            )
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        seen.setdefault(name, []).append(i)
    for name, positions in seen.items():
        if len(positions) < 2:
            continue
        given = [name]
        for n, i in enumerate(positions[1:], start=2):
            fresh = f"{name}_{n}"
            while fresh in taken:
                fresh += "_"
            names[i] = fresh
            taken.add(fresh)
            given.append(fresh)
        warnings.append(
            f"The header row names {name!r} {len(positions)} times (columns "
            f"{', '.join(str(i + 1) for i in positions)}); they are called "
            f"{', '.join(repr(g) for g in given)}. Rename them in the file to choose the names."
        )
    return names, warnings


def sniff_format(
    path: Path, delimiter: str | None = None, has_header: bool | None = None
) -> tuple[FileFormat, str]:
    """Detect compression, encoding, delimiter and header (unless `delimiter` or
    `has_header` are given); returns the format and a text sample.

    Raises `InvalidDataset` for missing, empty, binary or undecodable files.
    """
    path = Path(path)
    compression = _detect_compression(path)  # refuses folders, FIFOs and devices first
    size = path.stat().st_size
    if size == 0:
        raise InvalidDataset(f"The data file {path.name!r} is empty; select a CSV file with data.")
    try:
        with _open_binary(path, compression) as fh:
            raw = fh.read(SNIFF_BYTES)
    except (OSError, EOFError) as exc:
        raise InvalidDataset(
            f"The data file {path.name!r} could not be read ({exc}); if it is gzip-compressed, "
            "check that the archive is complete."
        ) from exc
    if not raw.strip():
        raise InvalidDataset(f"The data file {path.name!r} is empty; select a CSV file with data.")
    text, encoding = _decode_sample(raw)
    _check_text_like(text)
    if delimiter is None:
        delimiter = detect_delimiter(text)
    rows = _parse_rows(text, delimiter, 200)
    if has_header is None:
        has_header = detect_header(rows)
    columns, header_warnings = unique_column_names(rows[0]) if has_header else ([], [])
    fmt = FileFormat(
        delimiter=delimiter,
        has_header=has_header,
        encoding=encoding,
        compression=compression,
        size_bytes=size,
        text_bytes=_uncompressed_size(path, compression, size),
        columns=tuple(columns),
        header_warnings=tuple(header_warnings),
    )
    return fmt, text


@contextmanager
def open_text(path: Path, fmt: FileFormat) -> Iterator[TextIO]:
    """The file as a stream of decoded text (decompressed), read in chunks: a big file is
    never whole in memory as bytes or text."""
    with _open_binary(path, fmt.compression) as fh:
        yield io.TextIOWrapper(fh, encoding=fmt.encoding, newline="")


def check_text(path: Path, fmt: FileFormat, max_rows: int | None = None) -> tuple[FileFormat, int]:
    """Decode and check the rows of the file as a stream (see `check_ragged`).

    Returns the format with the encoding that decodes the whole file, and the number of
    data rows checked. A file whose sample was valid UTF-8 but a later byte is not is a
    Windows-1252 file whose first non-ASCII character comes late: it is read as such.
    """
    try:
        with open_text(path, fmt) as text:
            return fmt, check_ragged(text, fmt, max_rows)
    except UnicodeDecodeError:
        pass
    if fmt.encoding == "utf-8":
        fallback = replace(fmt, encoding="cp1252")
        try:
            with open_text(path, fallback) as text:
                return fallback, check_ragged(text, fallback, max_rows)
        except UnicodeDecodeError:
            pass
    raise InvalidDataset(
        f"The file is not valid {fmt.encoding} text (a byte past its first "
        f"{SNIFF_BYTES // 1024} KiB cannot be decoded). Save it as a UTF-8 CSV file and try again."
    )


def check_ragged(lines: Iterable[str], fmt: FileFormat, max_rows: int | None = None) -> int:
    """Raise if rows have different numbers of fields; returns the number of data rows checked.

    `lines` is text as a stream (`open_text`) or any iterable of lines.
    """
    reader = csv.reader(lines, delimiter=fmt.delimiter, quotechar='"')
    width: int | None = None
    n = 0
    try:
        for line_no, row in enumerate(reader, start=1):
            if not row:
                continue  # blank lines are skipped by the CSV reader too
            if width is None:
                width = len(row)
                if not fmt.has_header:
                    n += 1
                continue
            if len(row) != width:
                raise InvalidDataset(
                    f"Row {line_no} has {len(row)} fields but the first row has {width} "
                    f"(delimiter: {fmt.delimiter_name}). Fix that row (a missing or extra "
                    "delimiter, or an unclosed quote) or choose the right delimiter."
                )
            n += 1
            if max_rows is not None and n >= max_rows:
                break
    except csv.Error as exc:
        raise InvalidDataset(f"The file is not valid CSV: {exc}.") from exc
    return n


def check_memory(
    fmt: FileFormat, memory_limit_bytes: int | None, sample: pd.DataFrame | None
) -> int:
    """Estimate the working memory the file needs; raise if it exceeds the limit."""
    if sample is not None and len(sample):
        sample_bytes = max(1, len(sample.to_csv(index=False).encode()))
        per_text_byte = sample.memory_usage(deep=True).sum() / sample_bytes
        estimate = int(fmt.text_bytes * max(per_text_byte, 1.0) * WORKING_SET_FACTOR)
    else:
        estimate = int(fmt.text_bytes * 8 * WORKING_SET_FACTOR)
    if memory_limit_bytes is not None and estimate > memory_limit_bytes:
        raise InvalidDataset(
            f"The file is too big for the memory limit: it is {fmt.text_bytes / 2**20:.1f} MiB of "
            f"text and needs about {estimate / 2**20:.0f} MiB to analyse, but the limit is "
            f"{memory_limit_bytes / 2**20:.0f} MiB. Use a sample of the rows or raise the limit."
        )
    return estimate


def _read_csv(source: TextIO | BinaryIO, fmt: FileFormat, nrows: int | None) -> pd.DataFrame:
    names = list(fmt.columns) if fmt.has_header and fmt.columns else None
    try:
        frame = pd.read_csv(
            source,
            sep=fmt.delimiter,
            quotechar='"',
            header=0 if fmt.has_header else None,
            names=names,
            index_col=False,
            nrows=nrows,
            low_memory=False,
            skip_blank_lines=True,
            encoding=fmt.encoding,
        )
    except pd.errors.EmptyDataError as exc:
        raise InvalidDataset("The file has no data rows; it looks empty.") from exc
    except pd.errors.ParserError as exc:
        raise InvalidDataset(
            f"The file could not be parsed as CSV with the {fmt.delimiter_name} delimiter: {exc}"
        ) from exc
    if not fmt.has_header:
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
    else:
        frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def parse_frame(text: str, fmt: FileFormat, nrows: int | None = None) -> pd.DataFrame:
    """Parse CSV text (a sample) with the detected format; columns are named even without a
    header (and with the header's names made unique, see `unique_column_names`)."""
    return _read_csv(io.StringIO(text), fmt, nrows)


def read_frame(path: Path, fmt: FileFormat, nrows: int | None = None) -> pd.DataFrame:
    """Parse the file itself with the detected format, as `parse_frame` parses a sample.

    pandas reads the file in chunks: no copy of its bytes or text is held beside the frame
    (reading a decoded copy through `io.StringIO` cost about five times the file's size).
    It reads the file exactly as the generated notebooks do (`read_csv_options`).
    """
    try:
        with _open_binary(path, fmt.compression) as fh:
            return _read_csv(fh, fmt, nrows)
    except UnicodeDecodeError as exc:
        # Only past the rows `check_text` checked (a preview checks the first rows).
        raise InvalidDataset(
            f"The file is not valid {fmt.encoding} text (a byte cannot be decoded). "
            "Save it as a UTF-8 CSV file and try again."
        ) from exc


def check_frame_shape(frame: pd.DataFrame, fmt: FileFormat, name: str) -> None:
    """Raise for header-only files, single columns and more columns than rows."""
    if frame.shape[1] < 2:
        raise InvalidDataset(
            f"{name!r} has a single column with the {fmt.delimiter_name} delimiter; a training "
            "file needs the target and at least one feature column. Check the delimiter "
            "(set it explicitly if detection failed)."
        )
    if len(frame) == 0:
        raise InvalidDataset(f"{name!r} has a header but no data rows; add the rows to train on.")
    if frame.shape[1] > len(frame):
        raise InvalidDataset(
            f"{name!r} has more columns ({frame.shape[1]}) than rows ({len(frame)}); there is "
            "too little data to learn from. Add rows, or remove columns you do not need."
        )
    dupes = [c for c, n in Counter(frame.columns).items() if n > 1]
    if dupes:
        raise InvalidDataset(f"Column names must be unique; repeated: {', '.join(dupes)}.")


def read_table(
    path: Path,
    delimiter: str | None = None,
    memory_limit_bytes: int | None = None,
    has_header: bool | None = None,
) -> tuple[pd.DataFrame, FileFormat]:
    """Read the whole file with the format, memory and text checks (not the shape checks
    of a training file: see `load_table`). Returns the raw frame and its format."""
    path = Path(path)
    fmt, sample_text = sniff_format(path, delimiter, has_header)
    try:
        sample: pd.DataFrame | None = parse_frame(sample_text, fmt, nrows=2000)
    except InvalidDataset:
        sample = None  # a malformed head: the full checks below say precisely what is wrong
    check_memory(fmt, memory_limit_bytes, sample)
    fmt, _ = check_text(path, fmt)
    return read_frame(path, fmt), fmt


def load_table(
    path: Path,
    delimiter: str | None = None,
    memory_limit_bytes: int | None = None,
) -> tuple[pd.DataFrame, FileFormat]:
    """Read a training file, with every file-level check. Returns the raw frame and its format."""
    frame, fmt = read_table(path, delimiter, memory_limit_bytes)
    check_frame_shape(frame, fmt, Path(path).name)
    return frame, fmt
