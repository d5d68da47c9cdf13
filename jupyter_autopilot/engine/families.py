"""Algorithm choice: Autopilot's algorithm names mapped to the engine's families.

Autopilot V2 names the algorithms a job may train (`AutoMLAlgorithms`); the local engine
runs each as the family closest to it (`mlp` as scikit-learn's perceptron, on small
data). The deep-learning frameworks (`nn-torch`, `fastai`) have no local candidates, so
choosing them locally is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..exceptions import InvalidDataset, InvalidRequest

if TYPE_CHECKING:  # the server reads the names without loading the engine
    from .candidates import CandidateDefinition

#: Autopilot's name -> the engine's families it runs as (`algorithms.ALGORITHMS`).
LOCAL_FAMILIES: dict[str, tuple[str, ...]] = {
    "xgboost": ("xgboost",),
    "lightgbm": ("lightgbm",),
    "catboost": ("catboost",),
    "randomforest": ("random_forest",),
    "extra-trees": ("extra_trees",),
    "linear-learner": ("linear",),
    "mlp": ("mlp",),
}
#: Autopilot's algorithms the local engine has no candidates for.
NOT_LOCAL = ("nn-torch", "fastai")


def _names(algorithms: Iterable[object]) -> list[str]:
    return [str(getattr(a, "value", a)) for a in algorithms]


def check_local(algorithms: Iterable[object]) -> None:
    """Raise `InvalidRequest` (field `algorithms`) for algorithms the local engine lacks."""
    missing = [a for a in _names(algorithms) if a not in LOCAL_FAMILIES]
    if missing:
        raise InvalidRequest(
            f"The local backend has no {', '.join(missing)} candidates (Autopilot's neural "
            "networks); choose among " + ", ".join(LOCAL_FAMILIES) + ", or leave the "
            "algorithms empty for all.",
            details=[{"field": "algorithms"}],
        )


def local_families(algorithms: Iterable[object]) -> list[str]:
    """The engine's families for Autopilot's algorithm names (empty: every family);
    names without a local family are skipped (`check_local` refuses them at create)."""
    out: list[str] = []
    for name in _names(algorithms):
        out += [f for f in LOCAL_FAMILIES.get(name, ()) if f not in out]
    return out


def keep_chosen(
    definitions: list[CandidateDefinition], families: list[str]
) -> list[CandidateDefinition]:
    """The definitions of the chosen `families` (all when none is chosen); raises
    `InvalidDataset` when the data offers none of them."""
    if not families:
        return definitions
    kept = [d for d in definitions if d.algorithm in families]
    if not kept:
        raise InvalidDataset(
            "None of the chosen algorithm families has a candidate for this data; "
            "choose others, or leave the algorithms empty for all.",
            details=[{"field": "algorithms"}],
        )
    return kept
