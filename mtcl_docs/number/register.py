"""The register of outgoing documents in SQLite: numbers are handed out once, never lost.

One write transaction per change, taken with BEGIN IMMEDIATE so two builds never read the same
counter; WAL mode so readers never block the writer. A process killed mid-way leaves either the
whole change or none of it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from mtcl_docs.fsutil import atomic_write, disk_full_message, is_disk_full

APP_ID = "mtcl-docs-register"
SQLITE_MAGIC = b"SQLite format 3\x00"

# Each migration takes the schema from version i to i+1; never edit one that has shipped.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        org TEXT NOT NULL,
        scope TEXT NOT NULL,            -- 'year:2022' or 'term:2020-06-01'
        doc_type TEXT NOT NULL,         -- type code, or '' for one series across types
        last_number INTEGER NOT NULL DEFAULT 0,
        UNIQUE (org, scope, doc_type)
    );
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        org TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        source TEXT NOT NULL,
        series_id INTEGER NOT NULL REFERENCES series (id),
        number INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('issued', 'cancelled')),
        how TEXT NOT NULL CHECK (how IN ('given', 'allocated')),
        doc_type TEXT NOT NULL,
        symbol TEXT NOT NULL,           -- (1) Số, ký hiệu văn bản
        doc_date TEXT NOT NULL,         -- (2) Ngày tháng văn bản (ISO)
        type_subject TEXT NOT NULL,     -- (3) Tên loại và trích yếu nội dung văn bản
        signer TEXT NOT NULL,           -- (4) Người ký
        recipients TEXT NOT NULL,       -- (5) Nơi nhận văn bản
        filing TEXT NOT NULL,           -- (6) Đơn vị, người nhận bản lưu
        copies INTEGER,                 -- (7) Số lượng bản
        sent_date TEXT,                 -- (8) Ngày chuyển
        received_by TEXT,               -- (9) Ký nhận
        note TEXT,                      -- (10) Ghi chú
        content_hash TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        cancel_reason TEXT,
        UNIQUE (series_id, number)
    );
    CREATE INDEX entries_doc ON entries (org, doc_id);
    """,
    # 2: what happened to each number, by whom (append-only); each issued version's hash and data;
    # a number is only the document's once its files were built (built = 1).
    """
    CREATE TABLE IF NOT EXISTS history (
        id INTEGER PRIMARY KEY,
        org TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        what TEXT NOT NULL,             -- see EVENTS
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS history_doc ON history (doc_id);
    CREATE TRIGGER IF NOT EXISTS history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'lịch sử sổ chỉ được ghi thêm'); END;
    CREATE TRIGGER IF NOT EXISTS history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'lịch sử sổ chỉ được ghi thêm'); END;
    CREATE TABLE IF NOT EXISTS versions (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries (id),
        content_hash TEXT NOT NULL,
        data TEXT,                      -- the document's data as issued (JSON), to name what changed
        reason TEXT,
        at TEXT NOT NULL,
        user TEXT NOT NULL
    );
    ALTER TABLE entries ADD COLUMN built INTEGER NOT NULL DEFAULT 1;
    INSERT INTO history (org, doc_id, symbol, at, user, what)
        SELECT org, doc_id, symbol, recorded_at, '', how FROM entries ORDER BY id;
    INSERT INTO history (org, doc_id, symbol, at, user, what, detail)
        SELECT org, doc_id, symbol, recorded_at, '', 'cancelled', coalesce(cancel_reason, '')
        FROM entries WHERE status = 'cancelled' ORDER BY id;
    INSERT INTO versions (entry_id, content_hash, at, user)
        SELECT id, content_hash, recorded_at, '' FROM entries ORDER BY id;
    """,
    # 3: each digital signature applied to an issued document (append-only): which content it
    # signed, the signed file kept under data/da-ky/ and its hash, the certificate, when, by whom.
    """
    CREATE TABLE IF NOT EXISTS signatures (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries (id),
        content_hash TEXT NOT NULL,
        file TEXT NOT NULL,             -- relative to the data folder
        pdf_sha256 TEXT NOT NULL,
        certificate TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        user TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS signatures_entry ON signatures (entry_id);
    CREATE TRIGGER IF NOT EXISTS signatures_no_update BEFORE UPDATE ON signatures
        BEGIN SELECT RAISE(ABORT, 'chữ ký số đã ghi không sửa được'); END;
    CREATE TRIGGER IF NOT EXISTS signatures_no_delete BEFORE DELETE ON signatures
        BEGIN SELECT RAISE(ABORT, 'chữ ký số đã ghi không xóa được'); END;
    """,
]
# What the history records, as `register show` says it.
EVENTS = {
    "allocated": "cấp số",
    "given": "ghi sổ số đã có trong dữ liệu",
    "amended": "ghi nhận sửa văn bản đã ban hành",
    "cancelled": "hủy số",
    "returned": "trả lại số (văn bản dựng không thành công; số được cấp cho văn bản sau)",
    "date-forced": "cấp số với ngày ngoài quy tắc",
    "signed": "ký số",
}
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class SignatureRecord:
    """A signature applied to an issued document: the signed copy kept under data/."""

    entry_id: int
    content_hash: str
    file: str
    pdf_sha256: str
    certificate: str
    signed_at: str


class RegisterError(Exception):
    """The register cannot be used, or a change to it would break a rule."""


@dataclass(frozen=True)
class SeriesKey:
    """Which counter a number comes from."""

    org: str
    scope: str
    doc_type: str


@dataclass(frozen=True)
class EntryFields:
    """What the register records of a document (the ten columns of NĐ 30 Phụ lục IV)."""

    org: str
    doc_id: str
    source: str
    doc_type: str
    symbol: str
    doc_date: str
    type_subject: str
    signer: str
    recipients: str
    filing: str
    copies: int | None
    content_hash: str


@dataclass(frozen=True)
class Entry(EntryFields):
    """A register line as stored: the document's fields, its number and what became of it."""

    id: int
    number: int
    status: str
    how: str
    sent_date: str | None
    received_by: str | None
    note: str | None
    recorded_at: str
    cancel_reason: str | None
    scope: str
    series_type: str
    built: int = 1  # 0 while the build that took the number has not finished


_ENTRY_COLUMNS = ", ".join(
    f"e.{f.name}" for f in fields(Entry) if f.name not in ("scope", "series_type")
)
_SELECT = f"SELECT {_ENTRY_COLUMNS}, s.scope AS scope, s.doc_type AS series_type FROM entries e JOIN series s ON s.id = e.series_id"


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def os_user() -> str:
    """Who is at the keyboard, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "không rõ"


@dataclass(frozen=True)
class Event:
    """One line of a document's history in the register."""

    org: str
    doc_id: str
    symbol: str
    at: str
    user: str
    what: str
    detail: str


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration, whole (a trigger's body holds semicolons)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""
    if pending.strip():
        yield pending


class Register:
    """An open register file. Use `Register.open(path)`; close with `close()` or `with`."""

    def __init__(self, path: Path, db: sqlite3.Connection):
        self.path = path
        self._db = db

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Register:
        """Open (or create) the register at `path`; refuse anything that is not one, untouched."""
        _check_is_register_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(100):  # another process may be creating the same file right now
            try:
                return cls._open(path)
            except RegisterError as exc:
                if not _busy(exc.__cause__) or attempt == 99:
                    raise
                time.sleep(0.05 + 0.01 * attempt)
        raise AssertionError("unreachable")

    @classmethod
    def _open(cls, path: Path) -> Register:
        try:
            db = sqlite3.connect(path, timeout=60, isolation_level=None)
        except sqlite3.DatabaseError as exc:
            raise _unusable(path, exc) from exc
        register = cls(path, db)
        try:
            version = register._identify()  # before any write: a foreign file stays as it was
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout = 60000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = FULL")
            register._migrate(version)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise _unusable(path, exc) from exc
        except RegisterError:
            db.close()
            raise
        return register

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, locked from its first statement (BEGIN IMMEDIATE)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _identify(self) -> int:
        """The schema version of this register (0 if new); refuse a file that is not a register."""
        not_ours = (
            f"{self.path}: tệp SQLite này không phải sổ đăng ký văn bản đi; không ghi gì vào tệp"
        )
        tables = {
            r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return 0
        if "meta" not in tables:
            raise RegisterError(not_ours)
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("app") != APP_ID:
            raise RegisterError(not_ours)
        version = int(meta.get("schema_version", 0))
        if version > SCHEMA_VERSION:
            raise RegisterError(
                f"{self.path}: sổ được tạo bởi phiên bản mtcl-docs mới hơn (lược đồ {version}); hãy cập nhật chương trình"
            )
        return version

    def _migrate(self, version: int) -> None:
        while version < SCHEMA_VERSION:
            with self._write() as db:
                version = (
                    self._identify()
                )  # again, under the lock: another process may have done it
                if version >= SCHEMA_VERSION:
                    return
                for statement in _statements(MIGRATIONS[version]):
                    db.execute(statement)
                version += 1
                db.execute("INSERT OR REPLACE INTO meta VALUES ('app', ?)", (APP_ID,))
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(version),)
                )

    @property
    def schema_version(self) -> int:
        return int(
            self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        )

    # -- reading -----------------------------------------------------------------------------

    def current(self, org: str, doc_id: str) -> Entry | None:
        """The document's issued entry (its number), if it has one that is not cancelled."""
        row = self._db.execute(
            f"{_SELECT} WHERE e.org = ? AND e.doc_id = ? AND e.status = 'issued'", (org, doc_id)
        ).fetchone()
        return _entry(row)

    def history(self, doc_id: str) -> list[Entry]:
        rows = self._db.execute(f"{_SELECT} WHERE e.doc_id = ? ORDER BY e.id", (doc_id,))
        return [_entry(r) for r in rows]

    def entries(
        self, *, org: str | None = None, year: int | None = None, doc_type: str | None = None
    ) -> list[Entry]:
        """Entries in register order (by series, then number), filtered."""
        where, args = [], []
        if org:
            where.append("e.org = ?")
            args.append(org)
        if year:
            where.append("substr(e.doc_date, 1, 4) = ?")
            args.append(str(year))
        if doc_type:
            where.append("e.doc_type = ?")
            args.append(doc_type)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._db.execute(sql + " ORDER BY e.org, s.scope, s.doc_type, e.number", args)
        return [_entry(r) for r in rows]

    def events(self, doc_id: str) -> list[Event]:
        """The document's history, oldest first."""
        rows = self._db.execute(
            "SELECT org, doc_id, symbol, at, user, what, detail FROM history WHERE doc_id = ? "
            "ORDER BY id",
            (doc_id,),
        )
        return [Event(**dict(r)) for r in rows]

    def issued_data(self, entry_id: int) -> dict | None:
        """The document's data as last issued or amended (None if the register never kept it)."""
        row = self._db.execute(
            "SELECT data FROM versions WHERE entry_id = ? ORDER BY id DESC LIMIT 1", (entry_id,)
        ).fetchone()
        return json.loads(row["data"]) if row is not None and row["data"] else None

    def versions(self, entry_id: int) -> int:
        return self._db.execute(
            "SELECT count(*) FROM versions WHERE entry_id = ?", (entry_id,)
        ).fetchone()[0]

    def holder(self, key: SeriesKey, number: int) -> Entry | None:
        row = self._db.execute(
            f"{_SELECT} WHERE s.org = ? AND s.scope = ? AND s.doc_type = ? AND e.number = ?",
            (key.org, key.scope, key.doc_type, number),
        ).fetchone()
        return _entry(row)

    def problems(self) -> list[str]:
        """What breaks the register's rules: a counter ahead of its entries, an allocated number
        whose predecessor is not recorded (an unrecorded gap), or a number held twice."""
        found = []
        for s in self._db.execute("SELECT * FROM series"):
            rows = self._db.execute(
                "SELECT number, how FROM entries WHERE series_id = ?", (s["id"],)
            ).fetchall()
            numbers = [r["number"] for r in rows]
            name = f"{s['org']} {s['scope']} {s['doc_type'] or 'mọi loại'}"
            if len(numbers) != len(set(numbers)):
                found.append(f"{name}: có số trùng")
            if s["last_number"] != max(numbers, default=0):
                found.append(
                    f"{name}: bộ đếm {s['last_number']} nhưng số cuối trong sổ là {max(numbers, default=0)}"
                )
            held = set(numbers)
            for r in rows:
                if r["how"] == "allocated" and r["number"] > 1 and r["number"] - 1 not in held:
                    found.append(f"{name}: thiếu số {r['number'] - 1} (không có trong sổ)")
        return found

    # -- writing -----------------------------------------------------------------------------

    def _series_id(self, db: sqlite3.Connection, key: SeriesKey) -> int:
        db.execute(
            "INSERT OR IGNORE INTO series (org, scope, doc_type) VALUES (?, ?, ?)",
            (key.org, key.scope, key.doc_type),
        )
        return db.execute(
            "SELECT id FROM series WHERE org = ? AND scope = ? AND doc_type = ?",
            (key.org, key.scope, key.doc_type),
        ).fetchone()[0]

    def _event(self, db, entry: EntryFields | Entry, what: str, detail: str = "") -> None:
        db.execute(
            "INSERT INTO history (org, doc_id, symbol, at, user, what, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry.org, entry.doc_id, entry.symbol, _now(), os_user(), what, detail),
        )

    def _by_id(self, db, entry_id: int) -> Entry | None:
        return _entry(db.execute(f"{_SELECT} WHERE e.id = ?", (entry_id,)).fetchone())

    def _set_fields(self, db, entry_id: int, entry: EntryFields) -> None:
        names = [f.name for f in fields(EntryFields) if f.name not in ("org", "doc_id")]
        db.execute(
            f"UPDATE entries SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
            [*(getattr(entry, n) for n in names), entry_id],
        )

    def confirm(self, entry_id: int, entry: EntryFields, data: str) -> Entry:
        """The document holding this number was built: the number is its own from now on, with
        the fields and data it was built from as its first version."""
        with self._write() as db:
            mine = self._by_id(db, entry_id)
            if mine is None or mine.built:
                return mine
            self._set_fields(db, entry_id, entry)
            db.execute("UPDATE entries SET built = 1 WHERE id = ?", (entry_id,))
            db.execute(
                "INSERT INTO versions (entry_id, content_hash, data, at, user) VALUES (?, ?, ?, ?, ?)",
                (entry_id, entry.content_hash, data, _now(), os_user()),
            )
            self._event(db, entry, mine.how)
            return self._by_id(db, entry_id)

    def record_signature(self, entry: Entry, record: SignatureRecord) -> None:
        """A signed copy of `entry`'s current version was kept: remember it, and say so in the
        history."""
        with self._write() as db:
            db.execute(
                "INSERT INTO signatures (entry_id, content_hash, file, pdf_sha256, certificate, "
                "signed_at, user) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (entry.id, record.content_hash, record.file, record.pdf_sha256,
                 record.certificate, record.signed_at, os_user()),
            )  # fmt: skip
            self._event(db, entry, "signed", f"{record.certificate}, {record.signed_at}")

    def signature(self, entry_id: int, content_hash: str) -> SignatureRecord | None:
        """The latest signature of this entry's content as it is now (None: not signed, or
        signed before the content changed)."""
        row = self._db.execute(
            "SELECT entry_id, content_hash, file, pdf_sha256, certificate, signed_at "
            "FROM signatures WHERE entry_id = ? AND content_hash = ? ORDER BY id DESC LIMIT 1",
            (entry_id, content_hash),
        ).fetchone()
        return SignatureRecord(*row) if row else None

    def give_back(self, entry_id: int, why: str) -> str | None:
        """The build that took this number failed: the number is freed when nothing came after it
        in its series; else (a later number is already given) it is cancelled, never reused
        (NĐ 30). What became of it, or None if the number was already the document's."""
        with self._write() as db:
            mine = self._by_id(db, entry_id)
            if mine is None or mine.built:
                return None
            series_id, last = db.execute(
                "SELECT s.id, s.last_number FROM series s JOIN entries e ON e.series_id = s.id "
                "WHERE e.id = ?",
                (entry_id,),
            ).fetchone()
            if mine.how == "given" or mine.number == last:
                db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
                db.execute(
                    "UPDATE series SET last_number = (SELECT coalesce(max(number), 0) FROM entries "
                    "WHERE series_id = ?) WHERE id = ?",
                    (series_id, series_id),
                )
                if mine.how == "given":  # the data carries it: recorded again once built
                    return "dropped"
                self._event(db, mine, "returned", why)
                return "returned"
            reason = f"văn bản dựng không thành công ({why})"
            db.execute(
                "UPDATE entries SET status = 'cancelled', built = 1, cancel_reason = ?, note = ? "
                "WHERE id = ?",
                (reason, f"Đã hủy: {reason}", entry_id),
            )
            self._event(db, mine, "cancelled", reason)
            return "cancelled"

    def amend(self, entry_id: int, entry: EntryFields, data: str, changed: list[str],
              reason: str) -> Entry:  # fmt: skip
        """Record a new version of an issued document, with why it changed."""
        if not reason.strip():
            raise RegisterError("cần ghi lý do sửa văn bản đã ban hành (--ly-do)")
        with self._write() as db:
            mine = self._by_id(db, entry_id)
            if mine is None or mine.status != "issued" or not mine.built:
                raise RegisterError(
                    "văn bản chưa ban hành (chưa có số trong sổ): cứ sửa và dựng lại"
                )
            self._set_fields(db, entry_id, entry)
            db.execute(
                "INSERT INTO versions (entry_id, content_hash, data, reason, at, user) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (entry_id, entry.content_hash, data, reason, _now(), os_user()),
            )
            self._event(db, entry, "amended", f"sửa {', '.join(changed)}; lý do: {reason}")
            return self._by_id(db, entry_id)

    def _insert(self, db, series_id: int, number: int, how: str, entry: EntryFields) -> None:
        values = {f.name: getattr(entry, f.name) for f in fields(EntryFields)}
        values.update(
            series_id=series_id, number=number, how=how, status="issued", recorded_at=_now(),
            built=0,
        )  # fmt: skip
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        db.execute(f"INSERT INTO entries ({columns}) VALUES ({marks})", list(values.values()))

    def record_given(self, key: SeriesKey, number: int, entry: EntryFields) -> Entry:
        """Record a number the data already carries; refuse one held by another document."""
        mine = self.current(entry.org, entry.doc_id)
        if mine is not None and mine.number == number:
            return mine  # recorded by an earlier build: no write, no lock
        with self._write() as db:
            mine = self.current(entry.org, entry.doc_id)
            if mine is not None:
                if mine.number != number:
                    raise RegisterError(
                        f"văn bản đã được ghi sổ với số {mine.symbol}; muốn đổi số thì hủy số cũ "
                        f"(mtcl-docs register cancel {entry.doc_id} --reason …)"
                    )
                return mine
            other = self.holder(key, number)
            if other is not None:
                state = "đã bị hủy" if other.status == "cancelled" else "đã cấp cho"
                raise RegisterError(
                    f"số {number} {state} văn bản '{other.doc_id}' ({other.source}, {other.symbol})"
                    + (f"; lý do hủy: {other.cancel_reason}" if other.cancel_reason else "")
                )
            series_id = self._series_id(db, key)
            db.execute(
                "UPDATE series SET last_number = max(last_number, ?) WHERE id = ?",
                (number, series_id),
            )
            self._insert(db, series_id, number, "given", entry)
        return self.current(entry.org, entry.doc_id)

    def allocate(
        self,
        key: SeriesKey,
        doc_id: str,
        entry_for: Callable[[int], EntryFields],
        *,
        day: dt.date | None = None,
        force_reason: str | None = None,
    ) -> Entry:
        """Give the document the next number of its series; `entry_for(number)` fills its row.

        With `day`, the date must not be before the previous number's nor after today, unless
        `force_reason` says why (kept in the history)."""
        with self._write() as db:
            mine = self.current(key.org, doc_id)
            if mine is not None:
                raise RegisterError(
                    f"văn bản '{doc_id}' đã được cấp số {mine.symbol} ngày {mine.doc_date}"
                )
            series_id = self._series_id(db, key)
            wrong = self._wrong_date(db, series_id, day) if day is not None else None
            if wrong and not (force_reason or "").strip():
                raise RegisterError(
                    f'{wrong}; nếu đúng là ngày này, ghi thêm --force --ly-do "…" (lý do được '
                    "ghi vào lịch sử sổ)"
                )
            (number,) = db.execute(
                "UPDATE series SET last_number = last_number + 1 WHERE id = ? RETURNING last_number",
                (series_id,),
            ).fetchone()
            fields_ = entry_for(number)
            self._insert(db, series_id, number, "allocated", fields_)
            if wrong:
                self._event(db, fields_, "date-forced", f"{wrong}; lý do: {force_reason}")
        return self.current(key.org, doc_id)

    def _wrong_date(self, db, series_id: int, day: dt.date) -> str | None:
        """Why `day` breaks the order of the series (None if it does not)."""
        if day > dt.date.today():
            return f"ngày {day:%d/%m/%Y} chưa tới (hôm nay là {dt.date.today():%d/%m/%Y})"
        row = db.execute(
            "SELECT symbol, doc_date FROM entries WHERE series_id = ? ORDER BY number DESC LIMIT 1",
            (series_id,),
        ).fetchone()
        if row is not None and day.isoformat() < row["doc_date"]:
            before = dt.date.fromisoformat(row["doc_date"])
            return (
                f"ngày {day:%d/%m/%Y} trước ngày của số liền trước ({row['symbol']} ngày "
                f"{before:%d/%m/%Y}): số sau không được mang ngày sớm hơn"
            )
        return None

    def cancel(self, org: str | None, doc_id: str, reason: str) -> Entry:
        """Mark a document's number cancelled; the number is never handed out again."""
        if not reason.strip():
            raise RegisterError("cần ghi lý do hủy số (--reason)")
        with self._write() as db:
            issued = [
                e
                for e in self.history(doc_id)
                if e.status == "issued" and (org is None or e.org == org)
            ]
            if not issued:
                raise RegisterError(f"không có văn bản '{doc_id}' đang có số trong sổ")
            if len(issued) > 1:
                orgs = ", ".join(e.org for e in issued)
                raise RegisterError(f"văn bản '{doc_id}' có ở nhiều cơ quan ({orgs}); ghi rõ --org")
            db.execute(
                "UPDATE entries SET status = 'cancelled', cancel_reason = ?, note = ?, built = 1 "
                "WHERE id = ?",
                (reason, f"Đã hủy: {reason}", issued[0].id),
            )
            self._event(db, issued[0], "cancelled", reason)
            return _entry(db.execute(f"{_SELECT} WHERE e.id = ?", (issued[0].id,)).fetchone())

    def backup(self, target: Path) -> Path:
        """A consistent copy while others may be writing (SQLite online backup), written atomically."""

        def write(tmp: Path) -> None:
            copy = sqlite3.connect(tmp)
            try:
                self._db.backup(copy)
            finally:
                copy.close()

        return atomic_write(target, write)


def _busy(exc: BaseException | None) -> bool:
    """Another process holds the file for a moment (creating or migrating it)."""
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc) for word in ("locked", "busy")
    )


def _entry(row) -> Entry | None:
    return Entry(**dict(row)) if row is not None else None


def _check_is_register_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise RegisterError(f"{path}: là thư mục, không phải tệp sổ đăng ký")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise RegisterError(
            f"{path}: không phải tệp SQLite (sổ đăng ký hỏng hoặc nhầm tệp); không ghi gì vào tệp"
        )


def _unusable(path: Path, exc: sqlite3.DatabaseError) -> RegisterError:
    """A register SQLite will not open: a full disk is said as such, not as a damaged file."""
    if is_disk_full(exc):
        return RegisterError(f"{path}: {disk_full_message(path.parent)}; sổ đăng ký không bị hỏng")
    return RegisterError(f"{path}: tệp sổ đăng ký bị hỏng ({exc}); không ghi gì vào tệp")
