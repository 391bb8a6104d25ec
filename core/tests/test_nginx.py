"""`write_nginx_config` and the production set-up it writes: real nginx in front of the live server."""

import io
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.nginx import free_port, write_foreground_conf
from report.factories import AnnualReportPageFactory

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # `make test` installs Debian's nginx-light


def write_config(tmp_path: Path, **options) -> str:
    out = io.StringIO()
    call_command("write_nginx_config", f"--cache-dir={tmp_path / 'cache'}", stdout=out, **options)
    return out.getvalue()


def run_nginx(tmp_path: Path, site_config: str, port: int) -> subprocess.Popen:
    (tmp_path / "yearbook.conf").write_text(site_config)
    conf = write_foreground_conf(tmp_path, f"include {tmp_path}/yearbook.conf;", workers=1)
    check = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.05)
    server.terminate()
    raise RuntimeError(f"nginx did not listen on {port}: {(tmp_path / 'error.log').read_text()}")


def get(url: str, cookie: str = "") -> tuple[str, str]:
    """The body and nginx's cache status of a GET."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.read().decode(), response.headers.get("X-Proxy-Cache", "")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("upstream", "127.0.0.1:8000; return 200"),
        ("listen", "80\nserver_name evil"),
        ("cache_dir", "relative/cache"),
        ("static_root", '/srv/static"; return 200 "'),
        ("media_root", "/srv/$uri"),
        ("server_names", ["example.org { }"]),
    ],
)
def test_values_that_could_break_out_of_a_directive_are_refused(tmp_path, option, value):
    with pytest.raises(CommandError, match=f"--{option.replace('_', '-').removesuffix('s')} "):
        write_config(tmp_path, **{option: value})


def test_the_config_uses_the_session_cookie_and_hosts_from_the_settings(tmp_path, settings):
    settings.SESSION_COOKIE_NAME = "yb_session"
    settings.ALLOWED_HOSTS = ["report.example.org", ".example.net"]
    config = write_config(tmp_path, upstream="unix:/run/yearbook.sock")
    assert 'map "$cookie_yb_session$http_authorization" $yearbook_skip_cache' in config
    assert "server_name report.example.org example.net;" in config
    assert "server unix:/run/yearbook.sock;" in config
    assert "proxy_set_header X-Real-IP $remote_addr;" in config  # the donation rate limit counts readers


def test_nginx_serves_pages_from_its_cache_and_shows_a_publish_within_seconds(
    live_server, tmp_path, settings, site
):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PROXY_CACHE_SECONDS = 1
    report = AnnualReportPageFactory(parent=site.root_page, slug="ar", title="Annual Report")
    port = free_port()
    upstream = live_server.url.removeprefix("http://")
    nginx = run_nginx(tmp_path, write_config(tmp_path, upstream=upstream, listen=f"127.0.0.1:{port}"), port)
    try:
        url = f"http://127.0.0.1:{port}/ar/"
        assert get(url)[1] == "MISS"
        body, status = get(url)
        assert status == "HIT"
        assert "Annual Report" in body
        assert get(url, cookie="sessionid=an-editor")[1] == "BYPASS"

        report.title = "Annual Report, revised"
        report.save_revision().publish()
        deadline = (
            time.monotonic() + 5
        )  # the copy lives 1 s, then one request revalidates it in the background
        while "Annual Report, revised" not in get(url)[0]:
            assert time.monotonic() < deadline, "nginx kept serving the page from before the publish"
            time.sleep(0.2)
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def test_nginx_serves_static_files_and_uploads_itself_but_never_documents(tmp_path):
    static, media = tmp_path / "static files", tmp_path / "media"  # a space: paths are quoted in the config
    for path, text in [
        (static / "css" / "site.0123456789ab.css", "hashed"),
        (static / "robots-extra.txt", "plain"),
        (media / "images" / "cover.txt", "image"),
        (media / "documents" / "private-report.txt", "private"),
    ]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    port = free_port()
    config = write_config(
        tmp_path,
        upstream="127.0.0.1:9",  # nothing listens there: these requests must never reach gunicorn
        listen=f"127.0.0.1:{port}",
        static_root=str(static),
        media_root=str(media),
    )
    nginx = run_nginx(tmp_path, config, port)
    try:
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/static/css/site.0123456789ab.css") as response:  # noqa: S310
            assert response.read() == b"hashed"
            assert "immutable" in response.headers["Cache-Control"]
        with urllib.request.urlopen(f"{base}/static/robots-extra.txt") as response:  # noqa: S310
            assert response.headers["Cache-Control"] == "public, max-age=3600"
        with urllib.request.urlopen(f"{base}/media/images/cover.txt") as response:  # noqa: S310
            assert response.read() == b"image"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/media/documents/private-report.txt")  # noqa: S310
        assert refused.value.code == 404
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
