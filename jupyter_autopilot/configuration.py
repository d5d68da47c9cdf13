"""Server settings: the backend's name, the aliases kept on `AutopilotApp`, and the
README's table of every setting, generated from the traits themselves.

Each setting lives on the class that uses it, configured the traitlets way:
`AutopilotApp` has what every backend shares (which backend, the work dir);
`LocalBackend` and `SageMakerBackend` have their own (`c.LocalBackend.max_concurrent_jobs
= 2`, `c.SageMakerBackend.aws_region = "eu-west-1"`).

The names the first releases had on `AutopilotApp` (`aws_region`, `max_concurrent_jobs`,
...: install scripts and existing configs use them) are kept as aliases, marked on the
trait with `alias_of`: a value given there applies to the backend's setting unless that
setting is configured itself, which wins (a warning says so when both are given).

`python -m jupyter_autopilot.configuration` prints the tables for README.md; a test keeps
them in step with the traits.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from traitlets import HasTraits, TraitError, TraitType

from .backends import BACKENDS, AutopilotBackend

if TYPE_CHECKING:
    from .app import AutopilotApp


def load_backend_class(spec: str) -> type[AutopilotBackend]:
    """Resolve `local`, `sagemaker` or a dotted `package.module.Class` to a backend class."""
    dotted = BACKENDS.get(spec, spec)
    module_name, _, class_name = dotted.rpartition(".")
    if not module_name:
        known = ", ".join(sorted(BACKENDS))
        raise TraitError(f"Unknown backend {spec!r}: use one of {known} or a dotted class path.")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, AutopilotBackend)):
        raise TraitError(f"{dotted} is not an AutopilotBackend subclass.")
    return cls


def setting(
    trait: type[TraitType[Any, Any]], default: Any, help: str, shown_default: str, **options: Any
) -> Any:
    """A setting: a configurable trait with its help and the default the README shows."""
    return trait(default, config=True, help=help, **options).tag(shown_default=shown_default)


def alias_help(target: str) -> str:
    """The help of an `AutopilotApp` alias of a backend setting."""
    return f"Alias of `{target}`, kept for existing configurations; `{target}` wins."


def aliases(app_class: type[HasTraits]) -> dict[str, tuple[str, str]]:
    """`AutopilotApp` alias -> (backend class name, setting), from the traits' tags."""
    found = app_class.class_traits(alias_of=lambda value: value is not None)
    out: dict[str, tuple[str, str]] = {}
    for name, trait in sorted(found.items()):
        section, _, setting = str(trait.metadata["alias_of"]).partition(".")
        out[name] = (section, setting)
    return out


def alias_settings(app: AutopilotApp, backend_cls: type[AutopilotBackend]) -> dict[str, Any]:
    """The backend settings that `app`'s aliases give (as constructor keywords): each
    alias set in the app's config, for a setting of this backend that is not configured
    itself."""
    config = app.config
    given = config.get("AutopilotApp", {})
    sections = backend_cls.section_names()
    own = set(backend_cls.class_trait_names(config=True))
    settings: dict[str, Any] = {}
    for alias, (section, setting) in aliases(type(app)).items():
        if alias not in given or section not in sections or setting not in own:
            continue
        configured = [
            s
            for s in sections
            if setting in config.get(s, {}) or setting in given.get(s, {})  # nested: c.A.B.x
        ]
        if configured:
            app.log.warning(
                "AutopilotApp.%s is ignored: %s.%s is set too, and wins.",
                alias,
                configured[-1],
                setting,
            )
            continue
        settings[setting] = getattr(app, alias)
    return settings


def _rows(cls: type[HasTraits], skip: set[str]) -> list[tuple[str, str, str]]:
    rows = []
    for name, trait in sorted(cls.class_own_traits(config=True).items()):
        if name in skip:
            continue
        default = trait.metadata.get("shown_default") or f"`{trait.default_value!r}`"
        help_text = " ".join((trait.help or "").split())
        rows.append((f"`{cls.__name__}.{name}`", default, help_text))
    return rows


def settings_tables() -> str:
    """The README's configuration tables (Markdown): every setting, then the aliases."""
    from .app import AutopilotApp
    from .backends.local import LocalBackend
    from .backends.sagemaker import SageMakerBackend

    kept = aliases(AutopilotApp)
    rows = _rows(AutopilotApp, set(kept))
    rows += _rows(LocalBackend, set()) + _rows(SageMakerBackend, set())
    lines = ["| Setting | Default | Meaning |", "| --- | --- | --- |"]
    lines += [f"| {option} | {default} | {meaning} |" for option, default, meaning in rows]
    lines += ["", "| Alias (kept) | Same as |", "| --- | --- |"]
    lines += [
        f"| `AutopilotApp.{alias}` | `{section}.{setting}` |"
        for alias, (section, setting) in kept.items()
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(settings_tables())
