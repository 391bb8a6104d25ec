"""Write the nginx site that fronts gunicorn in production: a short-lived page cache kept fresh by ETags."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

# Each value lands inside an nginx directive: nothing that could end it (";", "{", newline) may pass.
ADDRESS = re.compile(r"^(unix:/[\w./-]+|[\w.-]+:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5})$")
LISTEN = re.compile(r"^([\w.-]+:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5}|\d{1,5})$")
SERVER_NAME = re.compile(r"^[\w.*-]+$")
# Directories are absolute and quoted in the config, so they may hold anything but a quote, an escape or a variable.
DIRECTORY = re.compile(r'^/[^"\\$\x00-\x1f]*$')


class Command(BaseCommand):
    help = "Print (or write to --output) the nginx server block to put in front of gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="gunicorn's host:port or unix:/path")
        parser.add_argument("--listen", default="80", help="port or host:port nginx listens on")
        parser.add_argument(
            "--server-name",
            action="append",
            dest="server_names",
            help="a host name nginx answers for (repeatable; default: ALLOWED_HOSTS)",
        )
        parser.add_argument(
            "--cache-dir", default="/var/cache/nginx/yearbook", help="where nginx keeps pages"
        )
        parser.add_argument("--static-root", help="collected static files (default: STATIC_ROOT)")
        parser.add_argument("--media-root", help="public uploads (default: MEDIA_ROOT)")
        parser.add_argument("--max-upload-mb", type=int, default=50, help="largest upload nginx passes on")
        parser.add_argument("--output", type=Path, help="write here instead of printing")

    def handle(
        self,
        *args,
        upstream,
        listen,
        server_names,
        cache_dir,
        static_root,
        media_root,
        max_upload_mb,
        output,
        **options,
    ):
        static_root = str(static_root or settings.STATIC_ROOT).rstrip("/")
        media_root = str(media_root or settings.MEDIA_ROOT).rstrip("/")
        server_names = (
            server_names or [("_" if h == "*" else h.lstrip(".")) for h in settings.ALLOWED_HOSTS] or ["_"]
        )
        checks = [
            ("--upstream", upstream, ADDRESS),
            ("--listen", listen, LISTEN),
            ("--cache-dir", cache_dir, DIRECTORY),
            ("--static-root", static_root, DIRECTORY),
            ("--media-root", media_root, DIRECTORY),
        ]
        checks += [("--server-name", name, SERVER_NAME) for name in server_names]
        for option, value, pattern in checks:
            if not pattern.match(value):
                raise CommandError(f"{option} {value!r} is not valid here: expected {pattern.pattern}")
        if max_upload_mb < 1:
            raise CommandError("--max-upload-mb must be at least 1.")
        config = render_to_string(
            "core/nginx.conf",
            {
                "upstream": upstream,
                "listen": listen,
                "server_names": " ".join(dict.fromkeys(server_names)),
                "cache_dir": cache_dir,
                "static_root": static_root,
                "media_root": media_root,
                "max_upload_mb": max_upload_mb,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "proxy_seconds": settings.PROXY_CACHE_SECONDS,
            },
        )
        if output:
            try:
                output.write_text(config)
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(config, ending="")
