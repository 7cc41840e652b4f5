"""Settings (JSON values the user chose) and meta (the library's own bookkeeping)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection


def get_setting(conn: Connection, key: str, default: Any = None) -> Any:
    value = conn.exec_driver_sql("SELECT value_json FROM settings WHERE key = ?", (key,)).scalar()
    return json.loads(value) if value is not None else default


def set_setting(conn: Connection, key: str, value: Any) -> None:
    if value is None:
        conn.exec_driver_sql("DELETE FROM settings WHERE key = ?", (key,))
        return
    conn.exec_driver_sql(
        "INSERT INTO settings (key, value_json) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def get_meta(conn: Connection, key: str) -> str | None:
    value = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).scalar()
    return str(value) if value is not None else None


def set_meta(conn: Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (key,))
        return
    conn.exec_driver_sql(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
