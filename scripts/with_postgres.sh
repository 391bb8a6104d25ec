#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on a loopback port; the cluster is removed afterwards.
# Installs Debian's postgresql when missing (as root), otherwise says what to install.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing postgresql with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is needed: run 'sudo apt-get install postgresql'." >&2; exit 1
  fi
fi
BIN="$(pg_bin)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
DATA="$(mktemp -d /tmp/yearbook-pg.XXXXXX)"

# PostgreSQL refuses to run as root: run the server as the unprivileged 'postgres' user when we are root.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DATA"
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi

cleanup() { "${AS_PG[@]}" "$BIN/pg_ctl" -D "$DATA/db" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DATA"; }
trap cleanup EXIT

"${AS_PG[@]}" "$BIN/initdb" -D "$DATA/db" -U yearbook --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS_PG[@]}" "$BIN/pg_ctl" -D "$DATA/db" -l "$DATA/server.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $DATA -F -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
echo "==> PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

export DATABASE_URL="postgres://yearbook@127.0.0.1:$PORT/yearbook"
"${AS_PG[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U yearbook yearbook
"$@"
