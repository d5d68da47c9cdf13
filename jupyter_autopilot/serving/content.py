"""Content types and the delimiter sniffing shared by model servers and the Jupyter server.

Kept free of pandas: the Jupyter server imports it when our extension loads (batch
predictions sniff a file's delimiter), and pandas would add a second to every start.
"""

from __future__ import annotations

CSV = "text/csv"
JSON = "application/json"


def first_line(text: str) -> str:
    """The text up to its first newline (all of it when there is none)."""
    end = text.find("\n")  # not split(): that would copy the whole rest of a big body
    return text if end < 0 else text[:end]


def sniff_delimiter(text: str) -> str:
    """`,` unless the first line clearly uses `;`, tab or `|` (the tutorial file uses `;`)."""
    line = first_line(text)
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","
