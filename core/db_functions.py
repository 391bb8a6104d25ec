"""SQL expressions for constraints that the database's own tools can read.

Django's SQLite backend computes date parts (``__year``, ``__month``…) with Python functions it registers on each of
its connections (``django_date_extract``…). In a query that is harmless; in a ``CheckConstraint`` the call is stored
in the table's schema, and every tool that is not Django (the ``sqlite3`` shell, ``pragma integrity_check``, a
``.dump`` loaded elsewhere) then fails with "unknown function". Expressions here use the database's own functions.
``core/tests/test_backup.py`` holds every table's schema to that.
"""

from django.db.models import DateField, DateTimeField
from django.db.models.functions import ExtractYear


class CalendarYear(ExtractYear):
    """The year of a date, as an integer: ``EXTRACT(YEAR FROM …)`` on PostgreSQL (Django's own SQL), SQLite's
    built-in ``strftime('%Y', …)`` on SQLite. Dates only: a datetime's year depends on the time zone, which SQLite's
    functions cannot apply."""

    def resolve_expression(self, *args, **kwargs):
        resolved = super().resolve_expression(*args, **kwargs)
        field = resolved.lhs.output_field
        if not isinstance(field, DateField) or isinstance(field, DateTimeField):
            raise ValueError(f"CalendarYear takes a DateField, not {type(field).__name__}.")
        return resolved

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        # A dated row is stored as 'YYYY-MM-DD' text; strftime is deterministic (no 'now'), so CHECK may use it.
        return f"CAST(strftime(%s, {sql}) AS INTEGER)", ("%Y", *params)
