"""Helpers shared by the generated notebooks: safe text and file paths.

Values from the data (column names, labels, category values) end up in notebooks. They
go into code cells as Python literals (`repr`), or into markdown escaped so that
neither HTML nor markdown nor LaTeX in a CSV cell is ever interpreted.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

if TYPE_CHECKING:
    from ..data import FileFormat

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~^])")


def md(text: object) -> str:
    """Escape a value for markdown so that it reads exactly as written: `&`, `<` and `>`
    as HTML entities (no tag or entity in a value is ever interpreted), markdown and
    LaTeX specials with a backslash, newlines as spaces. Quotes need no escaping in
    markdown text; escaping them as `&#x27;` showed the entity (its `#` got escaped)."""
    escaped = html.escape(str(text), quote=False)
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)
    return " ".join(escaped.split())


def md_table(header: list[str], rows: list[list[object]]) -> str:
    """A markdown table with every cell escaped."""
    lines = ["| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def data_path_literal(data_path: Path, notebook_dir: Path) -> str:
    """The data file as the notebook should open it: relative to the notebook's folder
    (portable, and reveals nothing of the machine's layout), absolute only across drives."""
    try:
        return os.path.relpath(Path(data_path).resolve(), Path(notebook_dir).resolve())
    except ValueError:
        return str(Path(data_path).resolve())


def read_csv_options(fmt: FileFormat) -> dict[str, Any]:
    """`pandas.read_csv` options that read the file as the engine did (its detected
    delimiter, header, encoding and compression, and the column names it gave a header
    with missing or repeated names), for the notebooks' code."""
    options: dict[str, Any] = {
        "sep": fmt.delimiter,
        "quotechar": '"',
        "header": 0 if fmt.has_header else None,
        "encoding": fmt.encoding,
        "compression": "gzip" if fmt.compression.value == "gzip" else None,
        "low_memory": False,
    }
    if fmt.header_warnings:
        options["names"] = list(fmt.columns)
    return options


def new_notebook(cells: list) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def write_notebook(notebook: nbformat.NotebookNode, path: Path) -> Path:
    """Validate and write atomically (the UI may open the file while a job rewrites it)."""
    nbformat.validate(notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        nbformat.write(notebook, fh)
    os.replace(tmp, path)
    return path
