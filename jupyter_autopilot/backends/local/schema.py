"""The local backend's SQLite schema, and bringing an older database up to date.

Tables only gain columns between versions (`ADDED_COLUMNS`), so a database written by an
older version opens as it is and gets the new columns with their defaults.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS experiments (
    name TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    budget TEXT NOT NULL,
    status TEXT NOT NULL,
    status_message TEXT,
    failure_reason TEXT,
    problem_type TEXT NOT NULL DEFAULT 'auto',
    objective_metric TEXT,
    best_candidate TEXT,
    model_sha256 TEXT,
    warnings TEXT NOT NULL DEFAULT '[]',
    data_path TEXT NOT NULL,
    output_dir TEXT NOT NULL,
    worker_pid INTEGER,
    stop_requested INTEGER NOT NULL DEFAULT 0,
    run INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS experiments_status ON experiments(status);
CREATE TABLE IF NOT EXISTS stages (
    experiment TEXT NOT NULL REFERENCES experiments(name) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT,
    message TEXT,
    progress REAL,
    PRIMARY KEY (experiment, name)
);
CREATE TABLE IF NOT EXISTS candidates (
    experiment TEXT NOT NULL REFERENCES experiments(name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    objective REAL,
    data TEXT NOT NULL,
    PRIMARY KEY (experiment, name)
);
CREATE TABLE IF NOT EXISTS artifacts (
    experiment TEXT NOT NULL REFERENCES experiments(name) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (experiment, kind)
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    experiment TEXT NOT NULL REFERENCES experiments(name) ON DELETE CASCADE,
    at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS endpoints (
    name TEXT PRIMARY KEY,
    experiment TEXT,
    candidate TEXT,
    status TEXT NOT NULL,
    failure_reason TEXT,
    model_path TEXT NOT NULL,
    model_sha256 TEXT NOT NULL,
    port INTEGER,
    pid INTEGER,
    data TEXT NOT NULL,
    invocation_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batch_predictions (
    id TEXT PRIMARY KEY,
    endpoint TEXT NOT NULL,
    data TEXT NOT NULL
);
"""


#: Columns added after the first release: (table, column, type and default).
ADDED_COLUMNS = [
    ("experiments", "model_sha256", "TEXT"),
    # The engine's JobConfig as validated at create (or re-run) time: what the worker runs.
    ("experiments", "job_config", "TEXT"),
    # Each continuation of the search (`extend`): a JSON list of HistoryEntry.
    ("experiments", "history", "TEXT NOT NULL DEFAULT '[]'"),
]


def create_or_upgrade(conn: sqlite3.Connection) -> None:
    """Create the tables that are missing and add the columns newer versions added."""
    conn.executescript(SCHEMA)  # idempotent DDL; executescript manages its own commit
    for table, column, ddl in ADDED_COLUMNS:
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")
    conn.execute(  # the store's connections autocommit (isolation_level=None)
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )
