"""Public page throughput under the production set-up, against the same pages uncached and as files, and PDF speed.

Modes, each a page of the demo year measured in the same run:
- "cached": production, nginx from `manage.py write_nginx_config` in front of gunicorn (2 workers) with the page
  cache on; nginx keeps each page for PROXY_CACHE_SECONDS and then revalidates it with its ETag.
- "gunicorn": the same gunicorn with its page cache, reached directly (the embedded default, without nginx).
- "uncached": the same gunicorn with the page cache off.
- "nginx": the page's HTML saved as a file and served by nginx (the limit).
The "stock Wagtail page" baseline is the home page of a project made by `wagtail start`, served by the same gunicorn.
The "server ceiling" is that gunicorn serving a page's bytes from a bare WSGI app: no page gunicorn answers itself
can be served faster.

Run with `make bench` or `uv run python -m benchmarks.bench_pages [--seconds 10]`. Needs Debian's wrk and nginx
(installed by `make bench` when missing).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from core.nginx import free_port, write_foreground_conf

ROOT = Path(__file__).resolve().parent.parent
PAGES = {  # name → path in the demo year; pages of apps not installed are skipped
    "report landing": "/annual-report-2022-2023/",
    "chapter": "/annual-report-2022-2023/outreach-and-advocacy/",
    "library listing": "/publications/",
    "event page": "/events/global-boys-summit-2023/",
}
CONNECTIONS = 64
ONE_BY_ONE = 41  # requests, one at a time: the median is one page's own cost, without queueing behind others
PDF_RENDERS = 7  # the machine's speed wanders by a third between renders: a median of several


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback only)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, seconds: int) -> dict:
    """Run wrk (bounded: fixed duration and connections) and parse requests/s, p50, p99 and errors."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": errors,
    }


def measure(url: str, seconds: int) -> dict:
    """wrk after a discarded 2-second warm-up: both workers have loaded the page's code and templates, and the
    previous run's queued requests have drained, so the figures are the steady state."""
    wrk(url, 2)
    time.sleep(1)
    return wrk(url, seconds)


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def gunicorn(env: dict, port: int, app: str = "yearbook.wsgi", cwd: Path = ROOT) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stock_wagtail(work: Path, port: int) -> subprocess.Popen:
    """Create a project with `wagtail start` (untouched but for its secret and hosts) and serve it like ours."""
    project = work / "stock"
    project.mkdir()
    subprocess.run(
        [sys.executable, "-m", "wagtail.bin.wagtail", "start", "stocksite", str(project)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (project / "stocksite" / "settings" / "local.py").write_text(
        'SECRET_KEY = "bench-only"\nALLOWED_HOSTS = ["*"]\n'
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "STATIC_ROOT", "MEDIA_ROOT")}
    env["DJANGO_SETTINGS_MODULE"] = "stocksite.settings.production"
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=project,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return gunicorn(env, port, app="stocksite.wsgi", cwd=project)


CEILING_APP = """import pathlib

BODY = pathlib.Path(__file__).with_name("ceiling.html").read_bytes()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))])
    return [BODY]
"""


def server_ceiling(work: Path, port: int, body: bytes) -> subprocess.Popen:
    """The same gunicorn serving a page's bytes from a five-line WSGI app: what no Django response can beat."""
    (work / "ceiling.html").write_bytes(body)
    (work / "ceiling.py").write_text(CEILING_APP)
    return gunicorn({**os.environ}, port, app="ceiling:application", cwd=work)


def nginx(prefix: Path, http: str) -> subprocess.Popen:
    """nginx (2 workers, in the foreground) with `http` inside its http block; its files live under `prefix`."""
    conf = write_foreground_conf(prefix, http, workers=2)
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(prefix)], stderr=subprocess.DEVNULL)


def static_nginx(html_root: Path, port: int, prefix: Path) -> subprocess.Popen:
    """The limit: nginx serving the pages' HTML saved as files."""
    server = f"server {{ listen 127.0.0.1:{port}; root {html_root}; location / {{ try_files $uri $uri/index.html =404; }} }}"
    return nginx(prefix, server)


def production_nginx(env: dict, port: int, upstream_port: int, prefix: Path) -> subprocess.Popen:
    """nginx configured by `manage.py write_nginx_config`, in front of the cached gunicorn."""
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "yearbook.conf"
    manage(
        env,
        "write_nginx_config",
        f"--upstream=127.0.0.1:{upstream_port}",
        f"--listen=127.0.0.1:{port}",
        f"--cache-dir={prefix / 'cache'}",
        f"--output={site}",
    )
    return nginx(prefix, f"include {site};")


def run(seconds: int = 10) -> None:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            print(f"bench_pages: skipped, {tool} is not installed (make bench installs it)")
            return
    work = Path(tempfile.mkdtemp(prefix="yearbook-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yearbook.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    print("bench_pages: building the demo year in a throwaway database …", flush=True)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")  # first: the demo's PDF edition needs the static manifest
    manage(env, "load_demo_year")

    servers, results = [], {}
    try:
        ports = {mode: free_port() for mode in ("cached", "gunicorn", "uncached", "nginx")}
        stock_port = free_port()
        servers.append(gunicorn({**env, "PAGE_CACHE_SECONDS": "300"}, ports["gunicorn"]))
        servers.append(gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, ports["uncached"]))
        servers.append(production_nginx(env, ports["cached"], ports["gunicorn"], work / "nginx-production"))
        servers.append(stock_wagtail(work, stock_port))
        for port in (ports["cached"], ports["gunicorn"], ports["uncached"], stock_port):
            wait_for(f"http://127.0.0.1:{port}/")
        html_root = work / "html"
        pages = {}
        for name, path in PAGES.items():
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{ports['uncached']}{path}").read()  # noqa: S310
            except OSError:
                print(f"  {name}: {path} not in this demo year, skipped")
                continue
            (html_root / path.strip("/")).mkdir(parents=True, exist_ok=True)
            (html_root / path.strip("/") / "index.html").write_bytes(body)
            pages[name] = path
        servers.append(static_nginx(html_root, ports["nginx"], work / "nginx-static"))
        first = next(iter(pages.values()))
        wait_for(f"http://127.0.0.1:{ports['nginx']}{first}")
        ceiling_port = free_port()
        servers.append(
            server_ceiling(work, ceiling_port, (html_root / first.strip("/") / "index.html").read_bytes())
        )
        wait_for(f"http://127.0.0.1:{ceiling_port}/")
        one_by_one = {
            name: one_request_ms(f"http://127.0.0.1:{ports['uncached']}{path}")
            for name, path in pages.items()
        }
        stock = measure(f"http://127.0.0.1:{stock_port}/", seconds)
        ceiling = measure(f"http://127.0.0.1:{ceiling_port}/", seconds)
        for name, path in pages.items():
            for mode, port in ports.items():
                results[(name, mode)] = measure(f"http://127.0.0.1:{port}{path}", seconds)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"\nPublic pages, {CONNECTIONS} connections, {seconds}s each"
        " (cached: nginx in front of gunicorn with 2 workers; gunicorn: its page cache alone; nginx: files):"
    )
    print(f"  {'page':16} {'mode':9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    r = stock
    print(
        f"  {'stock Wagtail':16} {'uncached':9} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:6d}"
    )
    r = ceiling
    print(
        f"  {'server ceiling':16} {'bytes':9} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:6d}"
        "   (the first page's HTML from a bare WSGI app under the same gunicorn)"
    )
    for (name, mode), r in results.items():
        print(f"  {name:16} {mode:9} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:6d}")
    print(
        "\n  ratios (goals: uncached ≥ 2× the stock Wagtail page measured above; cached ≥ 20× uncached;"
        " cached p99 ≤ 10× nginx p99; 0 errors)"
    )
    for name in pages:
        cached, uncached, static = (results[(name, m)] for m in ("cached", "uncached", "nginx"))
        errors = sum(results[(name, m)]["errors"] for m in ports)
        print(
            f"  {name:16} uncached {uncached['rps'] / stock['rps']:5.2f}× stock · cached {cached['rps'] / uncached['rps']:6.1f}× uncached"
            f" · cached p99 {cached['p99'] / max(static['p99'], 0.001):5.1f}× nginx p99"
            f" · errors {errors}"
            f" · gunicorn's own cache {results[(name, 'gunicorn')]['rps'] / uncached['rps']:5.1f}× uncached"
            f" ({results[(name, 'gunicorn')]['rps'] / ceiling['rps']:4.0%} of the server ceiling)"
        )
    print(
        f"\n  uncached, one request at a time (median of {ONE_BY_ONE}; the figure to compare between versions):"
    )
    for name, (median, fastest) in one_by_one.items():
        print(f"  {name:16} {median:7.1f} ms (fastest {fastest:.1f} ms)")
    bench_pdf(env)
    shutil.rmtree(work, ignore_errors=True)


def one_request_ms(url: str) -> tuple[float, float]:
    """Median and fastest time of ONE_BY_ONE sequential requests (after one to warm the templates)."""
    urllib.request.urlopen(url).read()  # noqa: S310 (loopback only)
    times = []
    for _ in range(ONE_BY_ONE):
        started = time.perf_counter()
        urllib.request.urlopen(url).read()  # noqa: S310
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[0]


def bench_pdf(env: dict) -> None:
    """Render the demo report's published edition to PDF (as publishing does) in a subprocess; print ms per page."""
    code = (
        "import django, time; django.setup();"
        "from report.models import AnnualReportPage; from report.pdf import render_report_pdf;"
        "r = AnnualReportPage.objects.get(slug='annual-report-2022-2023'); e = r.latest_edition;"
        "render_report_pdf(report=r, edition=e);"  # warm fonts and templates
        "times = [];\n"
        f"for _ in range({PDF_RENDERS}):\n"
        "    t = time.perf_counter(); data, pages = render_report_pdf(report=r, edition=e);"
        " times.append(time.perf_counter() - t)\n"
        "times.sort(); t = times[len(times) // 2];"
        "print(f'PDF of the demo report (edition {e.number}): {pages} pages in {t*1000:.0f} ms'"
        " f' (median of {len(times)}; fastest {times[0]*1000:.0f}, slowest {times[-1]*1000:.0f})'"
        " f' = {t*1000/pages:.1f} ms/page (goal ≤ 50 ms/page)')"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    run(parser.parse_args().seconds)
