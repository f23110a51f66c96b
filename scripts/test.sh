#!/usr/bin/env bash
# The whole test suite on a bare machine: installs Debian and Python packages, starts PostgreSQL
# (Dovecot and the SMTP servers are started by the tests themselves), runs pytest.
# Usage: scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
bash scripts/install.sh --test
echo "== install done in $(( $(date +%s) - t0 ))s"

PGDIR=$(mktemp -d /tmp/shenbao-pg-XXXXXX)
PGPORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { bash scripts/pg.sh stop "$PGDIR" "$PGPORT"; rm -rf "$PGDIR"; }
trap cleanup EXIT
export SHENBAO_TEST_PG=$(bash scripts/pg.sh start "$PGDIR" "$PGPORT")
echo "== PostgreSQL at $SHENBAO_TEST_PG"
export OMP_THREAD_LIMIT=1 NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
set +e
# Two workers (PYTEST_WORKERS; 0 = one process): each test file runs whole in one worker, with its own
# Dovecot and template databases; PostgreSQL is shared, every test gets its own database.
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
rc=$?
set -e
echo "== tests finished in $(( $(date +%s) - t0 ))s (exit $rc)"
# pytest exit 5 means no tests ran: that is a failure for us.
exit $rc
