#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on loopback only.
#
#   scripts/postgres.sh start DIR   # initdb in DIR, start on a free port; prints the URL
#   scripts/postgres.sh stop DIR    # stop it (DIR is left for the caller to remove)
#   scripts/postgres.sh restart DIR [DOWN_SECONDS]
#                                   # stop it, stay down that long, start it on the same port
#
# Uses Debian's PostgreSQL (/usr/lib/postgresql/<version>/bin). PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` user that Debian's package creates.
set -euo pipefail
cmd=${1:?start|stop|restart}
dir=${2:?data directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres.sh: no PostgreSQL server (apt install postgresql)" >&2; exit 2; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

launch() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $1 -k $dir -c fsync=on -c max_connections=200" \
    start >/dev/null
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    echo "$port" >"$dir/port"
    as_owner "$bin/initdb" -D "$dir/data" -U cognate --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    launch "$port"
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U cognate cognate_test
    echo "postgres://cognate@127.0.0.1:$port/cognate_test"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  restart)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    sleep "${3:-0}"
    launch "$(cat "$dir/port")"
    ;;
  *) echo "usage: $0 start|stop|restart DIR" >&2; exit 2 ;;
esac
