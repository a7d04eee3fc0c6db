"""An athlete's data as a zip, and back: table by table, lossless by construction.

The tables an athlete owns are found from the schema itself (every table reachable from
``athletes`` through foreign keys, less the account and sharing tables), so a table added later
is exported without anyone remembering to. Rows keep every column; dates and binary columns are
tagged; primary keys are renumbered on import and foreign keys follow them.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Table, insert, or_, select
from sqlalchemy.orm import Session

from milepost.adapters.storage.tables import Base
from milepost.errors import ConflictError, InputError

FORMAT = "milepost-archive"
VERSION = 1
# Accounts, sign-ins, sharing and secrets are not the athlete's training data: a restored
# athlete is linked to no user and shares with no coach until she says so again.
NOT_EXPORTED = {
    "users",
    "web_sessions",
    "sign_in_failures",
    "api_tokens",
    "coach_links",
    "coach_notes",
    "calendar_feeds",
    "password_resets",
    "preferences",
}
DETACHED_COLUMNS = {("athletes", "user_id")}
_TAG = "$milepost"


def owned_tables() -> list[Table]:
    """``athletes`` and every table that hangs off it, parents before children."""
    owned = {"athletes"}
    ordered = [Base.metadata.tables["athletes"]]
    for table in Base.metadata.sorted_tables:
        if table.name in owned or table.name in NOT_EXPORTED:
            continue
        parents = {fk.column.table.name for fk in table.foreign_keys}
        if parents & owned:
            owned.add(table.name)
            ordered.append(table)
    return ordered


def _encode(value: Any, blobs: dict[str, bytes], where: str) -> Any:
    if isinstance(value, datetime):
        # Every DateTime column holds an instant (timezone=True), written in UTC. SQLite gives it
        # back without its zone; PostgreSQL in the server's zone: either way the export says
        # which instant it is, so another database cannot read it in its own zone.
        return {_TAG: "datetime", "v": _instant(value).isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        blobs[where] = bytes(value)
        return {_TAG: "blob", "v": where}
    return value


def _instant(moment: datetime) -> datetime:
    """The same instant in UTC; a value without a zone is read as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _decode(value: Any, blobs: dict[str, bytes]) -> Any:
    if isinstance(value, dict) and _TAG in value:
        kind, raw = value[_TAG], value["v"]
        if kind == "datetime":
            # Older exports carry no offset: their values were written in UTC.
            return _instant(datetime.fromisoformat(raw))
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "blob":
            return blobs[raw]
    return value


def dump_athlete(session: Session, athlete_id: int) -> bytes:
    """Everything of one athlete as a zip: ``data.json`` plus ``blobs/…`` for binary columns."""
    tables: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, set[Any]] = {}
    blobs: dict[str, bytes] = {}
    for table in owned_tables():
        query = select(table)
        if table.name == "athletes":
            query = query.where(table.c.id == athlete_id)
        else:
            for fk in table.foreign_keys:
                parent = fk.column.table.name
                if parent in kept:
                    allowed: ColumnElement[bool] = fk.parent.in_(kept[parent])
                    if fk.parent.nullable:
                        allowed = or_(allowed, fk.parent.is_(None))
                    query = query.where(allowed)
        rows = [dict(r._mapping) for r in session.execute(query)]
        pk = next(iter(table.primary_key.columns)).name
        kept[table.name] = {r[pk] for r in rows}
        tables[table.name] = [
            {col: _encode(val, blobs, f"blobs/{table.name}/{i}/{col}") for col, val in row.items()}
            for i, row in enumerate(rows)
        ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        manifest = {"format": FORMAT, "version": VERSION, "tables": tables}
        archive.writestr("data.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in blobs.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_archive(data: bytes) -> tuple[dict[str, list[dict[str, Any]]], dict[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = json.loads(archive.read("data.json"))
            blobs = {n: archive.read(n) for n in archive.namelist() if n.startswith("blobs/")}
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            "that file is not a milepost export", hint="make one with: milepost export all out.zip"
        ) from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise InputError(
            f"unsupported export format {manifest.get('format')} v{manifest.get('version')}"
        )
    return manifest["tables"], blobs


def load_athlete(session: Session, data: bytes, *, rename: str | None = None) -> int:
    """Insert an exported athlete as a new athlete; returns the new id. All or nothing: the
    caller's transaction rolls back on any error."""
    tables, blobs = read_archive(data)
    new_ids: dict[tuple[str, Any], Any] = {}
    new_athlete = 0
    for table in owned_tables():
        rows = tables.get(table.name, [])
        pk = next(iter(table.primary_key.columns))
        renumbered = isinstance(pk.type, Integer) and not pk.foreign_keys
        for row in rows:
            values = {col: _decode(val, blobs) for col, val in row.items() if col in table.c}
            old_pk = values.get(pk.name)
            for fk in table.foreign_keys:
                column = fk.parent.name
                if (table.name, column) in DETACHED_COLUMNS:
                    values[column] = None
                elif values.get(column) is not None:
                    values[column] = new_ids[(fk.column.table.name, values[column])]
            if table.name == "athletes" and rename:
                values["name"] = rename
            if table.name == "athletes":
                exists = session.execute(
                    select(table.c.id).where(table.c.name == values["name"])
                ).first()
                if exists:
                    raise ConflictError(
                        f"an athlete called '{values['name']}' already exists",
                        hint="import under another name with --as NEW_NAME",
                    )
            if renumbered:
                values.pop(pk.name, None)
            result = session.execute(insert(table).values(**values).returning(pk))
            new_pk = result.scalar_one()
            new_ids[(table.name, old_pk)] = new_pk
            if table.name == "athletes":
                new_athlete = int(new_pk)
    if not new_athlete:
        raise InputError("the export holds no athlete")
    return new_athlete


def fingerprint(data: bytes) -> list[tuple[str, list[str]]]:
    """The archive's content without its keys: equal for an athlete and her restored copy."""
    tables, blobs = read_archive(data)
    out = []
    for table in owned_tables():
        keys = {c.name for c in table.primary_key.columns} | {
            fk.parent.name for fk in table.foreign_keys
        }
        rows = []
        for row in tables.get(table.name, []):
            clean = {}
            for col, val in row.items():
                if col in keys:
                    continue
                if isinstance(val, dict) and val.get(_TAG) == "blob":
                    val = base64.b64encode(blobs[val["v"]]).decode()
                clean[col] = val
            rows.append(json.dumps(clean, sort_keys=True, default=str))
        out.append((table.name, sorted(rows)))
    return out
