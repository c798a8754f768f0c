"""Rows written with each engine's bulk path, for the writes Django's ``bulk_create`` is too slow
for (staged import rows, computed roll-ups): ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Values go as Python objects: psycopg's ``COPY`` adapts them itself, and Django registers
sqlite3 adapters for dates and decimals. The caller holds the transaction (SQLite in
autocommit would commit each row of an ``executemany``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({listed}) VALUES ({placeholders})", rows)
