#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL on 127.0.0.1 for the tests: scripts/pg.sh start|stop DIR PORT
set -euo pipefail
cmd=$1; dir=$2; port=${3:-55432}
PGBIN=$(dirname "$(ls -1 /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    [ -d "$dir/data" ] || run "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
    run "$PGBIN/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        -l "$dir/pg.log" -w start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port" ;;
  stop)
    run "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true ;;
esac
