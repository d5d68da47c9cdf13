"""The local backend: our engine in worker processes, SQLite state, local endpoints."""

from .backend import LocalBackend

__all__ = ["LocalBackend"]
