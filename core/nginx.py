"""nginx run in the foreground under a private directory, as the page benchmark and the tests start it."""

import os
import socket
from pathlib import Path


def free_port() -> int:
    """A loopback port free right now, for a server started next (the benchmark's and the tests')."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_foreground_conf(prefix: Path, http: str, *, workers: int) -> Path:
    """Write `prefix`/nginx.conf: `workers` workers, no daemon, `http` inside the http block, every file under
    `prefix`. Returns its path, for `nginx -c CONF -p PREFIX`."""
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        # As root, nginx's workers would otherwise run as "nobody", who cannot enter a private temp dir.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes {workers}; daemon off; pid {prefix}/nginx.pid; error_log {prefix}/error.log;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; default_type text/html; client_body_temp_path {prefix};"
        f" proxy_temp_path {prefix}; fastcgi_temp_path {prefix}; uwsgi_temp_path {prefix};"
        f" scgi_temp_path {prefix};\n  {http} }}\n"
    )
    return conf
