"""The schema is the database's own: sqlite3's shell checks it, dumps it and loads the dump without Django.

A CHECK constraint that calls a function only Django's connections register (``django_date_extract``…) made
``pragma integrity_check`` and a ``.dump`` restore fail; core/db_functions.py has the portable expressions.
"""

import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from network.models import Organisation

SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
DJANGO_FUNCTION = re.compile(r"\bdjango_\w+\s*\(", re.IGNORECASE)

pytestmark = pytest.mark.django_db

needs_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's schema and shell; PostgreSQL's functions are its own"
)


def sqlite3_shell(database, sql: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    if not shutil.which(SQLITE3):
        pytest.fail("The sqlite3 shell is missing: `make system-packages` installs Debian's sqlite3.")
    return subprocess.run(
        [SQLITE3, str(database), *([sql] if sql else [])],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def migrated_copy(tmp_path):
    """The migrated test database, copied whole to a file the shell may open (read through a connection of its
    own: the test's holds a write transaction)."""
    path = tmp_path / "migrated.sqlite3"
    with (
        closing(sqlite3.connect(connection.settings_dict["NAME"])) as live,
        closing(sqlite3.connect(path)) as copy,
    ):
        live.backup(copy)
    return path


@needs_sqlite
def test_no_table_schema_calls_a_function_only_django_defines(migrated_copy):
    with closing(sqlite3.connect(migrated_copy)) as db:
        schemas = db.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    assert len(schemas) > 100
    calling = {name: DJANGO_FUNCTION.findall(sql) for name, sql in schemas if DJANGO_FUNCTION.search(sql)}
    assert calling == {}


@needs_sqlite
def test_the_sqlite3_shell_checks_dumps_and_reloads_the_migrated_schema(migrated_copy, tmp_path):
    checked = sqlite3_shell(migrated_copy, "pragma integrity_check")
    assert (checked.returncode, checked.stdout.strip(), checked.stderr) == (0, "ok", "")
    dump = sqlite3_shell(migrated_copy, ".dump")
    assert dump.returncode == 0 and dump.stderr == ""
    reloaded = tmp_path / "reloaded.sqlite3"
    loaded = sqlite3_shell(reloaded, "", stdin=dump.stdout)
    assert (loaded.returncode, loaded.stderr) == (0, "")
    assert sqlite3_shell(reloaded, "pragma integrity_check").stdout.strip() == "ok"
    tables = "select count(*) from sqlite_master where type = 'table'"
    assert sqlite3_shell(reloaded, tables).stdout == sqlite3_shell(migrated_copy, tables).stdout


@needs_sqlite
def test_the_shell_enforces_joining_no_earlier_than_the_founding_year(migrated_copy):
    """The rule holds outside Django too: the reloaded schema refuses what Organisation.clean() refuses."""
    insert = (
        "insert into network_organisation (name, short_name, slug, kind, country, city, founded_year, joined_on, "
        "website, description) values ('{name}', '', '{name}', 'member', 'GH', '', 2010, '{joined}', '', '')"
    )
    same_year = sqlite3_shell(migrated_copy, insert.format(name="same-year", joined="2010-01-01"))
    assert (same_year.returncode, same_year.stderr) == (0, "")
    earlier = sqlite3_shell(migrated_copy, insert.format(name="earlier", joined="2009-12-31"))
    assert "CHECK constraint failed: organisation_joins_after_founding" in earlier.stderr


def test_the_database_refuses_an_organisation_that_joins_before_it_was_founded():
    Organisation.objects.create(
        name="Same year", slug="same-year", country="GH", founded_year=2010, joined_on=date(2010, 1, 1)
    )
    with pytest.raises(IntegrityError, match="organisation_joins_after_founding"), transaction.atomic():
        Organisation.objects.create(
            name="Earlier", slug="earlier", country="GH", founded_year=2010, joined_on=date(2009, 12, 31)
        )
