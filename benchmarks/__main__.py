"""Run every ``benchmarks/bench_*.py`` module's ``run()`` against a throwaway SQLite database and print results.

The database is a temporary SQLite file (DATABASE_URL is overridden), never the demo database; with
BENCH_USE_DATABASE_URL=1 it is the DATABASE_URL given, e.g. the throwaway PostgreSQL of scripts/with_postgres.sh.
"""

import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="yearbook-bench-")
    if not os.environ.get("BENCH_USE_DATABASE_URL"):  # set by `make bench` for its PostgreSQL pass
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yearbook.settings.test"
    os.environ["BENCH_WORKDIR"] = workdir

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    package = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("bench_"))
    only = sys.argv[1:]
    for name in names:
        if only and name not in only:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name} ==", flush=True)  # noqa: T201
        started = time.perf_counter()
        module.run()
        print(f"   ({time.perf_counter() - started:.1f}s)", flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
