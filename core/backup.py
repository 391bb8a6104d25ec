"""Backups: the database as one consistent moment taken while the site keeps writing, then every media and private
file, and a manifest that a restore checks before it touches anything (docs/backup.md).

A backup directory holds::

    manifest.json        written last: a directory without it is an unfinished backup
    database.sqlite3     SQLite's online backup API (one read transaction, so one moment; writers go on in WAL)
    database.pgdump      or pg_dump --format=custom, from the same exported snapshot the row counts were read in
    files/media/...      the default storage's files, read through Django's storage API (so S3 works too)
    files/private/...    PRIVATE_MEDIA_ROOT (signed consent forms)

The recovery point is the manifest's ``created_at``: every transaction committed before it is in the backup. Files
are copied after the database, so each file a row of the snapshot names is there, unless it was deleted during the
copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILES_DIR = "files"
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


class BackupError(Exception):
    """A backup that cannot be made, or a directory that cannot be restored; the message says why."""


@dataclass(frozen=True)
class FileEntry:
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a backup holds and how to know it is whole."""

    created_at: str  # the recovery point: transactions committed before it are in the backup
    finished_at: str
    vendor: str  # "sqlite" or "postgresql"
    database: FileEntry
    migrations: dict[str, list[str]]  # applied migrations per app, in the snapshot
    tables: dict[str, int]  # rows per table, in the snapshot
    files: dict[str, FileEntry]  # "media/documents/report.pdf" → size and checksum
    foreign_key_violations: int = 0  # SQLite only: rows pointing nowhere already in the live database
    media_included: bool = True  # False: --no-media, the media storage's own versioning keeps their history
    format: int = FORMAT

    @property
    def file_count(self) -> int:
        return len(self.files)

    def to_json(self) -> str:
        data = asdict(self)
        data["file_count"] = self.file_count
        return json.dumps(data, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if not isinstance(data, dict) or "format" not in data:
            raise ValueError("no format number")
        if data["format"] != FORMAT:
            raise BackupError(
                f"The backup's format is {data['format']!r}; this version of Yearbook reads format {FORMAT}."
            )
        files = {name: FileEntry(**entry) for name, entry in data["files"].items()}
        if data.get("file_count", len(files)) != len(files):
            raise ValueError(f"file_count is {data['file_count']} but {len(files)} files are listed")
        return cls(
            created_at=data["created_at"],
            finished_at=data["finished_at"],
            vendor=data["vendor"],
            database=FileEntry(**data["database"]),
            migrations={app: list(names) for app, names in data["migrations"].items()},
            tables={table: int(rows) for table, rows in data["tables"].items()},
            files=files,
            foreign_key_violations=int(data.get("foreign_key_violations", 0)),
            media_included=bool(data.get("media_included", True)),
        )


@dataclass
class RestoreReport:
    manifest: Manifest
    unapplied: list[str] = field(default_factory=list)  # migrations of this code the backup predates


# -- the two file areas -----------------------------------------------------------------------------------------


def file_areas() -> dict[str, Storage]:
    """Where uploads live: the default storage (images, documents, report PDFs) and the private files."""
    return {"media": default_storage, "private": FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)}


def _walk(storage: Storage, path: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return  # a file area nothing was ever uploaded to
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for name in sorted(directories):
        yield from _walk(storage, posixpath.join(path, name) if path else name)


def _safe_name(name: str) -> str:
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise BackupError(f"A stored file has a name that cannot be copied safely: {name!r}.")
    return name


def _inside(path: Path, storage: Storage) -> bool:
    location = getattr(storage, "location", None)
    if not isinstance(storage, FileSystemStorage) or not location:
        return False
    return path.resolve().is_relative_to(Path(location).resolve())


# -- creating a backup ------------------------------------------------------------------------------------------


def backup_create(
    *, directory: Path, using: str = "default", media: bool = True, progress: Progress = _silent
) -> Manifest:
    """Back up the database ``using`` and every file into ``directory`` (new or empty), while the site runs.
    Without ``media`` the default storage's files are left to that storage's own versioning (S3, docs/backup.md);
    the private files are always copied."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(
            f"{directory} is not empty: back up into a new directory, e.g. one named by the date."
        )
    for area, storage in file_areas().items():
        if _inside(directory, storage):
            raise BackupError(f"{directory} is inside the {area} files it would copy: choose another place.")
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backing up a {vendor} database is not supported (SQLite and PostgreSQL are).")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = directory / DATABASE_FILES[vendor]
    created_at = datetime.now(UTC)
    if vendor == "sqlite":
        snapshot = _sqlite_backup(_sqlite_path(connection.settings_dict), target, progress)
    else:
        snapshot = _postgres_backup(using, target, progress)
    progress(
        f"database: {len(snapshot.tables)} tables, {sum(snapshot.tables.values())} rows as of "
        f"{created_at.isoformat(timespec='seconds')}"
    )
    copied: dict[str, FileEntry] = {}
    areas = {area: storage for area, storage in file_areas().items() if media or area != "media"}
    for area, storage in areas.items():
        names = list(_walk(storage))
        for number, name in enumerate(names, start=1):
            copied[f"{area}/{_safe_name(name)}"] = _copy_out(
                storage, name, directory / FILES_DIR / area / name
            )
            if number % 100 == 0:
                progress(f"{area}: {number}/{len(names)} files copied")
        progress(f"{area}: {len(names)} files copied")
    manifest = Manifest(
        created_at=created_at.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
        vendor=vendor,
        database=_entry(target),
        migrations=snapshot.migrations,
        tables=snapshot.tables,
        files=copied,
        media_included=media,
        foreign_key_violations=snapshot.foreign_key_violations,
    )
    _write_atomically(directory / MANIFEST, manifest.to_json().encode())
    progress(f"backup complete: {directory / MANIFEST}")
    return manifest


@dataclass
class _Snapshot:
    tables: dict[str, int]
    migrations: dict[str, list[str]]
    foreign_key_violations: int = 0


def _copy_out(storage: Storage, name: str, destination: Path) -> FileEntry:
    destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as source, open(destination, "wb") as out:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    destination.chmod(0o600)
    return FileEntry(size=size, sha256=digest.hexdigest())


def _entry(path: Path) -> FileEntry:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return FileEntry(size=path.stat().st_size, sha256=digest.hexdigest())


def _write_atomically(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    partial.chmod(0o600)
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# -- SQLite -----------------------------------------------------------------------------------------------------


def _sqlite_path(settings_dict: dict) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("An in-memory SQLite database has nothing on disk to back up or restore into.")
    return Path(name)


def _sqlite_backup(source: Path, target: Path, progress: Progress) -> _Snapshot:
    """SQLite's online backup API in one step: one read transaction on the source, so the copy is one moment,
    and in WAL mode the site's writers are not held up meanwhile."""
    if not source.exists():
        raise BackupError(f"The SQLite database {source} does not exist.")
    partial = target.with_name(target.name + ".partial")
    with closing(sqlite3.connect(source, timeout=30)) as live, closing(sqlite3.connect(partial)) as copy:
        live.backup(
            copy, progress=lambda status, remaining, total: progress(f"database: {total} pages copied")
        )
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    partial.chmod(0o600)
    with closing(sqlite3.connect(partial)) as copy:
        problems = _sqlite_integrity(copy)
        if problems:
            partial.unlink()
            raise BackupError(f"The live database is damaged, so no backup was kept: {'; '.join(problems)}")
        snapshot = _Snapshot(
            tables=_sqlite_counts(copy),
            migrations=_sqlite_migrations(copy),
            foreign_key_violations=len(copy.execute("PRAGMA foreign_key_check").fetchall()),
        )
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return snapshot


def _sqlite_integrity(db: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {
        table: db.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]  # noqa: S608 (quoted name)
        for table in _sqlite_tables(db)
    }


def _sqlite_migrations(db: sqlite3.Connection) -> dict[str, list[str]]:
    if "django_migrations" not in _sqlite_tables(db):
        return {}
    return _group(db.execute("SELECT app, name FROM django_migrations").fetchall())


def _group(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _sqlite_restore(settings_dict: dict, backup: Path, manifest: Manifest, progress: Progress) -> None:
    """Copy the backup to a temporary file beside the live one and check it there; then write it into the live
    file with SQLite's backup API, which is one write transaction: readers see the old database or the restored
    one, never a mix, and a crash halfway leaves the old one. (Renaming a file over a database that is open in WAL
    mode would pair the new file with the old -wal file, which SQLite would then replay into it.)"""
    target = _sqlite_path(settings_dict)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.restoring-{os.getpid()}")
    try:
        shutil.copyfile(backup, temporary)
        with closing(sqlite3.connect(temporary)) as copy:
            _check_restored(
                integrity=_sqlite_integrity(copy),
                foreign_keys=len(copy.execute("PRAGMA foreign_key_check").fetchall()),
                tables=_sqlite_counts(copy),
                migrations=_sqlite_migrations(copy),
                manifest=manifest,
            )
            progress(
                f"database: the restored copy passes integrity_check and holds {len(manifest.tables)} tables"
            )
            with closing(sqlite3.connect(target, timeout=30)) as live:
                try:
                    copy.backup(live)
                except sqlite3.Error as exc:
                    raise BackupError(f"SQLite could not write {target}, which is unchanged: {exc}") from exc
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            leftover.unlink(missing_ok=True)


# -- PostgreSQL -------------------------------------------------------------------------------------------------


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: from PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.parent.name)],
    )
    if versions:
        return str(versions[-1])
    raise BackupError(
        f"{name} is not installed: install PostgreSQL's client programs (Debian: apt-get install "
        "postgresql-client), of the server's major version or newer."
    )


def postgres_connection(settings_dict: dict) -> tuple[list[str], str, dict[str, str]]:
    """Connection options, database name and environment for PostgreSQL's programs; the password goes in
    PGPASSWORD, never in the arguments (where every user of the machine could read it in the process list)."""
    options = settings_dict.get("OPTIONS") or {}
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    arguments.append("--no-password")
    environment = dict(os.environ)
    for variable, value in (
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGSERVICE", options.get("service")),
        ("PGPASSFILE", options.get("passfile")),
        ("PGSSLMODE", options.get("sslmode")),
        ("PGSSLROOTCERT", options.get("sslrootcert")),
        ("PGSSLCERT", options.get("sslcert")),
        ("PGSSLKEY", options.get("sslkey")),
    ):
        if value:
            environment[variable] = str(value)
    return arguments, str(settings_dict.get("NAME") or "postgres"), environment


def _run(command: list[str], environment: dict[str, str], what: str) -> str:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            f"{what} failed ({Path(command[0]).name} exit {result.returncode}): {result.stderr.strip()}"
        )
    return result.stdout


@contextmanager
def _own_connection(using: str):
    """A connection of its own (not the thread's), closed afterwards."""
    wrapper = connections[using].copy()
    try:
        wrapper.ensure_connection()
        yield wrapper
    finally:
        wrapper.close()


POSTGRES_TABLES = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false)) ORDER BY c.relname
"""


def _postgres_counts(cursor) -> dict[str, int]:
    cursor.execute(POSTGRES_TABLES)
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 (a quoted catalogue name)
        counts[table] = cursor.fetchone()[0]
    return counts


def _postgres_migrations(cursor, tables) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations")
    return _group(cursor.fetchall())


def _postgres_backup(using: str, target: Path, progress: Progress) -> _Snapshot:
    """pg_dump from a snapshot this connection exports, so the dump and the row counts read here are the same
    moment; the site's writers are not held up meanwhile."""
    pg_dump = postgres_tool("pg_dump")
    partial = target.with_name(target.name + ".partial")
    with _own_connection(using) as wrapper, wrapper.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            tables = _postgres_counts(cursor)
            migrations = _postgres_migrations(cursor, tables)
            arguments, dbname, environment = postgres_connection(wrapper.settings_dict)
            progress("database: pg_dump running")
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--file",
                    str(partial),
                    *arguments,
                    "--dbname",
                    dbname,
                ],
                environment,
                "pg_dump",
            )
        finally:
            cursor.execute("ROLLBACK")
    partial.chmod(0o600)
    os.replace(partial, target)
    return _Snapshot(tables=tables, migrations=migrations)


def _postgres_restore(using: str, backup: Path, manifest: Manifest, progress: Progress) -> None:
    """pg_restore in one transaction: a failure anywhere leaves the database as it was."""
    pg_restore = postgres_tool("pg_restore")
    connections[using].close()
    arguments, dbname, environment = postgres_connection(connections[using].settings_dict)
    progress("database: pg_restore running (one transaction)")
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            "--dbname",
            dbname,
            str(backup),
        ],
        environment,
        "pg_restore (the database is unchanged)",
    )
    with _own_connection(using) as wrapper, wrapper.cursor() as cursor:
        tables = _postgres_counts(cursor)
        _check_restored(
            integrity=[],
            foreign_keys=0,
            tables=tables,
            migrations=_postgres_migrations(cursor, tables),
            manifest=manifest,
            after_commit=True,
        )


# -- checking and restoring -------------------------------------------------------------------------------------


def _check_restored(
    *,
    integrity: list[str],
    foreign_keys: int,
    tables: dict[str, int],
    migrations: dict[str, list[str]],
    manifest: Manifest,
    after_commit: bool = False,
) -> None:
    state = "The database was restored, but" if after_commit else "Nothing was restored:"
    if integrity:
        raise BackupError(f"{state} the restored copy fails integrity_check: {'; '.join(integrity[:5])}")
    if foreign_keys != manifest.foreign_key_violations:
        raise BackupError(
            f"{state} the restored copy has {foreign_keys} rows whose foreign key points nowhere."
        )
    differing = [
        f"{table} ({tables.get(table, 'missing')} rows, the backup counted {rows})"
        for table, rows in manifest.tables.items()
        if tables.get(table) != rows
    ]
    if differing:
        raise BackupError(f"{state} its tables differ from the backup's counts: {', '.join(differing[:5])}")
    if migrations != manifest.migrations:
        raise BackupError(f"{state} its applied migrations differ from the backup's manifest.")


def _project_apps() -> set[str]:
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts
    }


def _read_manifest(directory: Path) -> Manifest:
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a directory.")
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        raise BackupError(
            f"{directory} has no {MANIFEST}: the backup did not finish (the manifest is written last), or this "
            "is not a Yearbook backup."
        )
    try:
        manifest = Manifest.from_json(manifest_path.read_text())
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{manifest_path} is not a Yearbook backup manifest ({exc}).") from exc
    if manifest.vendor not in DATABASE_FILES:
        raise BackupError(f"The backup is of a {manifest.vendor!r} database, which Yearbook cannot restore.")
    return manifest


def backup_verify(*, directory: Path, progress: Progress = _silent) -> Manifest:
    """Check that ``directory`` is a whole backup this code can restore: its manifest, every checksum, the
    database file's own check, and migrations this code knows. Touches no database."""
    directory = Path(directory)
    manifest = _read_manifest(directory)
    database = directory / DATABASE_FILES[manifest.vendor]
    _verify_file(database, manifest.database, "The database file")
    found = (
        {path.relative_to(directory / FILES_DIR).as_posix() for path in (directory / FILES_DIR).rglob("*")}
        if (directory / FILES_DIR).exists()
        else set()
    )
    found = {name for name in found if (directory / FILES_DIR / name).is_file()}
    missing = sorted(set(manifest.files) - found)
    if missing:
        raise BackupError(
            f"The backup is incomplete: {len(missing)} of its {manifest.file_count} files are missing "
            f"({', '.join(missing[:5])})."
        )
    extra = sorted(found - set(manifest.files))
    if extra:
        raise BackupError(
            f"The backup holds files its manifest does not list ({', '.join(extra[:5])}): it was changed after "
            "it was made."
        )
    areas = file_areas()
    for number, (name, entry) in enumerate(sorted(manifest.files.items()), start=1):
        area, _, stored = name.partition("/")
        if area not in areas:
            raise BackupError(f"The backup holds files of an area this Yearbook does not know: {name}.")
        _safe_name(stored)
        _verify_file(directory / FILES_DIR / name, entry, f"The file {name}")
        if number % 100 == 0:
            progress(f"files: {number}/{manifest.file_count} checked")
    progress(f"files: {manifest.file_count} checked")
    if manifest.vendor == "sqlite":
        try:
            with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as copy:
                problems = _sqlite_integrity(copy)
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems:
            raise BackupError(f"The backup's database fails integrity_check: {'; '.join(problems[:5])}")
    else:
        _run([postgres_tool("pg_restore"), "--list", str(database)], dict(os.environ), "Reading the dump")
    progress("database: checked")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    project = _project_apps()
    newer = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        if app in project
        for name in names
        if (app, name) not in loader.disk_migrations
    )
    if newer:
        raise BackupError(
            f"The backup was made by a newer version of Yearbook: its migrations {', '.join(newer[:5])} are not "
            "in this code. Deploy that version, then restore."
        )
    return manifest


def _verify_file(path: Path, entry: FileEntry, label: str) -> None:
    if not path.is_file():
        raise BackupError(f"The backup is incomplete: {label.lower()} ({path.name}) is missing.")
    actual = _entry(path)
    if actual.size != entry.size:
        raise BackupError(
            f"{label} is {actual.size} bytes, the manifest says {entry.size}: the backup is damaged."
        )
    if actual.sha256 != entry.sha256:
        raise BackupError(f"{label} does not match its checksum in the manifest: the backup is damaged.")


def database_is_empty(using: str = "default") -> tuple[bool, int]:
    """Whether the database holds no tables at all (a new one), and how many it holds."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        path = _sqlite_path(connection.settings_dict)
        if not path.exists():
            return True, 0
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return not tables, len(tables)


def backup_restore(
    *, directory: Path, using: str = "default", force: bool = False, progress: Progress = _silent
) -> RestoreReport:
    """Verify the backup, then replace the database ``using`` with it (atomically) and put its files back.

    Refuses a database that holds any table unless ``force``: a restore replaces everything in it.
    """
    directory = Path(directory)
    connection = connections[using]
    vendor = _read_manifest(directory).vendor
    if connection.vendor != vendor:
        raise BackupError(
            f"The backup is of a {vendor} database and this one is {connection.vendor}: restore it into "
            f"a {vendor} database."
        )
    manifest = backup_verify(directory=directory, progress=progress)
    empty, count = database_is_empty(using)
    if not empty and not force:
        raise BackupError(
            f"The database already holds {count} tables: a restore replaces everything in it with the backup of "
            f"{manifest.created_at}. Run again with --force to do so."
        )
    database = directory / DATABASE_FILES[manifest.vendor]
    connection.close()
    if manifest.vendor == "sqlite":
        _sqlite_restore(connection.settings_dict, database, manifest, progress)
    else:
        _postgres_restore(using, database, manifest, progress)
    connection.close()  # the next query reads the restored schema
    progress(f"database: restored to {manifest.created_at}")
    areas = file_areas()
    by_area: dict[str, list[str]] = {}
    for name in manifest.files:
        area, stored = name.split("/", 1)
        by_area.setdefault(area, []).append(stored)
    for area, names in by_area.items():
        for number, name in enumerate(sorted(names), start=1):
            _copy_in(directory / FILES_DIR / area / name, areas[area], name)
            if number % 100 == 0:
                progress(f"{area}: {number}/{len(names)} files restored")
        progress(f"{area}: {len(names)} files restored")
    return RestoreReport(manifest=manifest, unapplied=_unapplied(using))


def _copy_in(source: Path, storage: Storage, name: str) -> None:
    if storage.exists(name):
        storage.delete(name)
    with open(source, "rb") as handle:
        saved = storage.save(name, File(handle, name=posixpath.basename(name)))
    if saved != name:
        raise BackupError(f"The database was restored, but the storage kept {name} as {saved}.")


def _unapplied(using: str) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
