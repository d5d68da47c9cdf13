"""Reading Autopilot's generated data-processing modules (`candidate_data_processors/dppN.py`).

When the user has synced the job's `generated_module` folder next to the notebook (the
notebook's first cell does that with `aws s3 sync`), each candidate's module states the
exact column groups (`HEADER.as_feature_indices([...])` assigned to `numeric`,
`categorical`, `text`) and the transformers with their arguments. Parsed with `ast`;
never imported or executed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

#: Group variable names in the modules -> our column types.
_GROUP_TYPES = (("numeric", "numeric"), ("categorical", "categorical"), ("text", "text"))


@dataclass
class DppModule:
    """What one generated module defines."""

    columns: list[str] = field(default_factory=list)
    target: str | None = None
    groups: dict[str, list[str]] = field(default_factory=dict)  # our type -> columns
    transformers: list[str] = field(default_factory=list)  # class names, in order
    arguments: dict[str, dict[str, Any]] = field(default_factory=dict)  # class -> kwargs


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def _group_type(variable: str) -> str | None:
    lowered = variable.lower()
    for marker, kind in _GROUP_TYPES:
        if marker in lowered:
            return kind
    return None


def parse_dpp_module(source: str) -> DppModule | None:
    """The module's header, column groups and transformers; None if it is not one."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    module = DppModule()
    extension: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "sagemaker_sklearn_extension"
        ):
            extension.update(alias.asname or alias.name for alias in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            value = node.value
            if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
                continue
            func = value.func
            if isinstance(func, ast.Name) and func.id == "Header":
                kwargs = {k.arg: _literal(k.value) for k in value.keywords if k.arg}
                columns = kwargs.get("column_names")
                if isinstance(columns, list):
                    module.columns = [str(c) for c in columns]
                target_name = kwargs.get("target_column_name")
                module.target = target_name if isinstance(target_name, str) else None
            elif isinstance(func, ast.Attribute) and func.attr == "as_feature_indices":
                kind = _group_type(target.id)
                columns = _literal(value.args[0]) if value.args else None
                if kind and isinstance(columns, list):
                    module.groups.setdefault(kind, []).extend(str(c) for c in columns)
    # Transformers in source order (ast.walk is breadth-first; sort by position).
    calls = sorted(
        (n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    for call in calls:
        name = call.func.id  # type: ignore[attr-defined]
        if name in extension and name != "Header":
            if name not in module.transformers:
                module.transformers.append(name)
            module.arguments[name] = {
                k.arg: _literal(k.value) for k in call.keywords if k.arg is not None
            }
    if not module.columns and not module.groups:
        return None
    return module
