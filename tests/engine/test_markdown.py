"""Values from the data shown in the generated notebooks' markdown: rendered, a reader
sees exactly the value (no `&#x27;`, no backslashes), and nothing in it becomes markup."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from markdown_it import MarkdownIt

from jupyter_autopilot.engine import JobConfig, run_job
from jupyter_autopilot.engine.notebooks.common import md, md_table
from jupyter_autopilot.models import RunMode

# CommonMark plus GFM tables and strikethrough, as JupyterLab's markdown renderer reads it.
RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

NAMES = [
    "call's 'yes'",
    'say "no"',
    "a < b && c > d",
    "&amp; &#x27; &lt;",
    "# not a heading",
    "*not bold* _not italic_ __nor this__",
    "a | b | c",
    "`code` and ``more``",
    "[link](http://e.vil) ![img](x.png)",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "1. not a list",
    "- nor this",
    "> nor a quote",
    "~~not struck~~ $x^2$ {braces} 50% \\back\\slash",
    "price: 3.5 + 2 = 5.5!",
]


class _Text(HTMLParser):
    """The text a reader sees in rendered HTML, and the tags it was made of."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def seen(markdown: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(RENDERER.render(markdown))
    return "".join(parser.parts).strip(), parser.tags


@pytest.mark.parametrize("name", NAMES)
def test_a_value_reads_as_itself_in_a_paragraph(name: str) -> None:
    text, tags = seen(f"Column: {md(name)}")
    assert text == f"Column: {name}"
    assert tags == ["p"], tags  # no heading, emphasis, link, image, list, code or HTML


@pytest.mark.parametrize("name", NAMES)
def test_a_value_reads_as_itself_in_a_table_cell(name: str) -> None:
    html = RENDERER.render(md_table(["Column", "Note"], [[name, "ok"]]))
    parser = _Text()
    parser.feed(html)
    assert set(parser.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}, parser.tags
    cells = [p for p in parser.parts if p.strip()]
    assert cells == ["Column", "Note", name, "ok"], cells


def test_the_exploration_notebook_shows_warnings_as_written(tmp_path: Path) -> None:
    """The case of the issue: a warning quoting a category value ('yes')."""
    frame = pd.DataFrame(
        {
            "call's id": range(60),
            "x": [i % 7 for i in range(60)],
            "note": ["a & b", "<b>c</b>"] * 30,
            "y": ["yes", "no", "yes"] * 20,
        }
    )
    frame["leak"] = frame["y"]
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    config = JobConfig(data_path=path, output_dir=tmp_path / "out", target="y", mode=RunMode.pilot)
    run_job(config)
    notebook = nbformat.read(config.output_dir / "data_exploration.ipynb", as_version=4)
    markdown = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    text, tags = seen(markdown)
    assert "&#x27;" not in text and "&amp;" not in text and "\\" not in text
    assert "'leak' alone predicts the target" in text
    assert "call's id" in text
    assert "script" not in tags and "img" not in tags and "b" not in tags
