"""manage.py backup and restore: a backup taken while rows are written restores into a fresh database whole, and
a damaged, incomplete or foreign backup is refused before anything is touched. Runs on SQLite and, in the
PostgreSQL run, through pg_dump and pg_restore."""

import copy
import io
import json
import shutil
import sqlite3
import subprocess
import threading
import time
from contextlib import closing

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from wagtail.documents import get_document_model
from wagtail.models import Collection

from core.backup import (
    DATABASE_FILES,
    MANIFEST,
    BackupError,
    backup_create,
    backup_restore,
    backup_verify,
    database_is_empty,
    postgres_connection,
    postgres_tool,
)
from network.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONSENT = b"%PDF-1.4 signed consent form\n%%EOF\n"
RESTORED = "restored"


def storages(root):
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def files(settings, tmp_path):
    """Uploads on disk, through the storage API: a document's PDF in media, a consent form in private files."""
    settings.STORAGES = storages(tmp_path / "media")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    if Collection.get_first_root_node() is None:  # an earlier transactional test flushed the migrations' rows
        Collection.add_root(name="Root")
    document = get_document_model().objects.create(
        title="Annual report", file=ContentFile(PDF, name="annual-report.pdf")
    )
    consent = tmp_path / "private" / "consents" / "ama-2023.pdf"
    consent.parent.mkdir(parents=True)
    consent.write_bytes(CONSENT)
    return {"document": document, "consent": consent}


@pytest.fixture
def fresh_database(tmp_path):
    """A database alias, RESTORED, with nothing in it (not even a table). Its connection is made here and lives in
    this thread only, outside settings.DATABASES: Django's test case allows such dynamically created connections,
    and nothing else in the run can reach the database."""
    default = connections["default"]
    settings_dict = copy.deepcopy(default.settings_dict)
    if default.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings_dict["NAME"] = f"{default.settings_dict['NAME']}_restored"
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, RESTORED)
    setattr(connections._connections, RESTORED, wrapper)
    yield RESTORED
    wrapper.close()
    delattr(connections._connections, RESTORED)
    if default.vendor == "postgresql":
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


def organisations(prefix: str, count: int) -> None:
    for n in range(count):
        Organisation.objects.create(name=f"{prefix} {n}", slug=f"{prefix}-{n}".lower(), country="GH")


class Writer(threading.Thread):
    """Creates organisations, one transaction each, until told to stop (its own database connection)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop, self.written, self.error = threading.Event(), 0, None

    def run(self):
        try:
            while not self.stop.is_set():
                Organisation.objects.create(
                    name=f"Written {self.written}", slug=f"written-{self.written}", country="GH"
                )
                self.written += 1
        except Exception as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()

    def wait_for(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.written < count and self.error is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert self.error is None and self.written >= count, (self.written, self.error)


def database_checks(alias: str) -> None:
    """Django's and the database's own integrity checks on a restored database."""
    target = connections[alias]
    with transaction.atomic(using=alias):
        target.check_constraints()  # SQLite: every foreign key resolves (PostgreSQL enforces them itself)
    call_command(
        "migrate", check=True, database=alias, verbosity=0
    )  # exits non-zero if a migration is unapplied
    if target.vendor == "sqlite":
        path = target.settings_dict["NAME"]
        shell = shutil.which("sqlite3")
        assert shell, "the sqlite3 shell is missing: `make system-packages` installs it"
        assert (
            subprocess.run([shell, path, "pragma integrity_check"], capture_output=True, text=True).stdout
            == "ok\n"
        )
        assert (
            subprocess.run([shell, path, "pragma foreign_key_check"], capture_output=True, text=True).stdout
            == ""
        )
    else:
        arguments, dbname, environment = postgres_connection(target.settings_dict)
        amcheck = subprocess.run(
            [postgres_tool("pg_amcheck"), "--install-missing", "--heapallindexed", *arguments, dbname],
            env=environment,
            capture_output=True,
            text=True,
        )
        assert amcheck.returncode == 0, amcheck.stdout + amcheck.stderr


def test_a_backup_taken_during_writes_restores_into_a_fresh_database_whole(
    files, fresh_database, tmp_path, settings
):
    organisations("Member", 20)
    writer = Writer()
    writer.start()
    writer.wait_for(5)
    written_at_snapshot = []

    def progress(message: str) -> None:
        # Once the database is copied, let the writer add more rows while the files are being copied.
        if message.startswith("media:") and not written_at_snapshot:
            written_at_snapshot.append(writer.written)
            writer.wait_for(writer.written + 5)

    try:
        before = Organisation.objects.count()
        manifest = backup_create(directory=tmp_path / "backup", progress=progress)
        after = Organisation.objects.count()
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None
    assert after > before  # rows were written while the backup ran

    settings.STORAGES = storages(tmp_path / "restored-media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "restored-private")
    report = backup_restore(directory=tmp_path / "backup", using=fresh_database)

    restored = Organisation.objects.using(fresh_database).count()
    assert before <= restored <= after
    assert restored < after  # what was written after the snapshot is not in it
    assert manifest.tables["network_organisation"] == restored
    assert report.unapplied == []
    database_checks(fresh_database)
    document = get_document_model().objects.using(fresh_database).get(title="Annual report")
    assert (tmp_path / "restored-media" / document.file.name).read_bytes() == PDF
    assert (tmp_path / "restored-private" / "consents" / "ama-2023.pdf").read_bytes() == CONSENT
    assert set(manifest.files) == {f"media/{files['document'].file.name}", "private/consents/ama-2023.pdf"}


def test_restore_refuses_a_database_that_holds_tables_unless_forced(files, tmp_path):
    organisations("Kept", 3)
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    organisations("Later", 2)
    with pytest.raises(CommandError, match="already holds .* tables.*--force"):
        call_command("restore", str(tmp_path / "backup"), stdout=io.StringIO())
    assert Organisation.objects.count() == 5
    call_command("restore", str(tmp_path / "backup"), "--force", stdout=io.StringIO())
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Kept 0", "Kept 1", "Kept 2"]


def test_the_commands_show_their_progress_and_the_recovery_point(files, tmp_path):
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert "media: 1 files copied" in out.getvalue() and "private: 1 files copied" in out.getvalue()
    assert f"tables and 2 files as of {manifest['created_at']}" in out.getvalue()
    assert manifest["file_count"] == 2 and manifest["tables"]["wagtaildocs_document"] == 1
    assert "0005_organisation_year_check_portable" in manifest["migrations"]["network"]
    checked = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), "--check", stdout=checked)
    assert f"The backup of {manifest['created_at']} is whole" in checked.getvalue()


def test_a_backup_without_media_leaves_them_to_their_storage_and_keeps_the_private_files(
    files, fresh_database, tmp_path
):
    call_command("backup", str(tmp_path / "backup"), "--no-media", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert (manifest["media_included"], list(manifest["files"])) == (False, ["private/consents/ama-2023.pdf"])
    assert not (tmp_path / "backup" / "files" / "media").exists()
    restored = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), "--database", fresh_database, stdout=restored)
    assert "made with --no-media" in restored.getvalue()
    assert get_document_model().objects.using(fresh_database).count() == 1


def test_a_backup_goes_only_into_a_new_or_empty_directory(files, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("an older backup")
    with pytest.raises(BackupError, match="is not empty"):
        backup_create(directory=tmp_path / "used")


def _rewrite_manifest(directory, change) -> None:
    path = directory / MANIFEST
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _flip_a_byte(path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))


OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}
DAMAGE = {
    "no manifest": (lambda d: (d / MANIFEST).unlink(), "did not finish"),
    "manifest not JSON": (lambda d: (d / MANIFEST).write_text("{not json"), "not a Yearbook backup manifest"),
    "newer format": (lambda d: _rewrite_manifest(d, lambda m: m.update(format=2)), "format is 2"),
    "a file changed": (
        lambda d: _flip_a_byte(next((d / "files" / "media").rglob("*.pdf"))),
        "does not match its checksum",
    ),
    "a file missing": (
        lambda d: next((d / "files" / "private").rglob("*.pdf")).unlink(),
        "incomplete: 1 of its 2",
    ),
    "a file added": (lambda d: (d / "files" / "media" / "stray.txt").write_text("x"), "changed after"),
    "database truncated": (
        lambda d: [p.write_bytes(p.read_bytes()[:4096]) for p in d.glob("database.*")],
        "bytes, the manifest says",
    ),
    "database damaged": (
        lambda d: [_flip_a_byte(p) for p in d.glob("database.*")],
        "does not match its checksum",
    ),
    "database of another kind": (
        lambda d: _rewrite_manifest(d, lambda m: m.update(vendor=OTHER_VENDOR[connection.vendor])),
        "restore it into a",
    ),
    "made by newer code": (
        lambda d: _rewrite_manifest(d, lambda m: m["migrations"]["network"].append("9999_from_the_future")),
        "newer version of Yearbook: its migrations network.9999_from_the_future",
    ),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_incomplete_or_foreign_backup_is_refused_before_anything_is_touched(
    files, fresh_database, tmp_path, damage
):
    backup_create(directory=tmp_path / "backup")
    backup_verify(directory=tmp_path / "backup")  # whole before the damage
    change, message = DAMAGE[damage]
    change(tmp_path / "backup")
    with pytest.raises(BackupError, match=message):
        backup_restore(directory=tmp_path / "backup", using=fresh_database)
    assert database_is_empty(fresh_database) == (True, 0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup file; pg_dump's is checked above")
def test_the_sqlite_backup_is_one_self_contained_file_the_shell_can_read(files, tmp_path):
    backup_create(directory=tmp_path / "backup")
    database = tmp_path / "backup" / DATABASE_FILES["sqlite"]
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [database.name, "files", MANIFEST]
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
