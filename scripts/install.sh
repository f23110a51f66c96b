#!/usr/bin/env bash
# Install what shenbao needs on a bare Debian 12 machine: Debian packages and the Python packages into
# ./.venv. Safe to re-run.
#   scripts/install.sh           runtime only (production)
#   scripts/install.sh --demo    + dovecot-imapd: `shenbao demo` watches both mailboxes over a local IMAP server
#   scripts/install.sh --test    + what the test suite uses (Dovecot, PostgreSQL, Chromium for the web desk tests)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0; want_demo=0; want_bench=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --demo) want_demo=1 ;;     # dovecot-imapd: `shenbao demo` watches both mailboxes over a local IMAP server
    --bench) want_bench=1 ;;   # benchmarks/reading_corpus: ImageMagick and the .[bench] Python packages
  esac
done

# postgresql-client: pg_dump/pg_restore for `shenbao backup`/`restore` with DATABASE_URL (SQLite needs nothing)
RUNTIME_DEBS=(python3-venv fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui
              p7zip-full libarchive-tools poppler-utils openssl jbig2dec postgresql-client)   # openssl: OFD SM2 seals; jbig2dec: OFD scans
DEMO_DEBS=(dovecot-imapd)
# zip: split-zip (.z01) test archives; tesseract: the sample-scan realism test; chromium: web desk tests;
# systemd: systemd-analyze verify of deploy/*.service (tests/ops/test_systemd_units.py)
TEST_DEBS=(dovecot-imapd postgresql procps zip tesseract-ocr tesseract-ocr-chi-sim chromium systemd)
# imagemagick + tesseract: benchmarks/reading_corpus; chromium, ghostscript and the AR PL / WenQuanYi fonts:
# benchmarks/dev_corpus (HTML printed by Chromium, rasterised by Ghostscript)
BENCH_DEBS=(imagemagick tesseract-ocr tesseract-ocr-chi-sim chromium ghostscript fonts-arphic-uming fonts-arphic-ukai
            fonts-wqy-zenhei)
debs=("${RUNTIME_DEBS[@]}")
[ $want_test = 1 ] && debs+=("${TEST_DEBS[@]}")
[ $want_demo = 1 ] && debs+=("${DEMO_DEBS[@]}")
[ $want_bench = 1 ] && debs+=("${BENCH_DEBS[@]}")

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # never let the packaged Dovecot/PostgreSQL start system-wide instances: tests start their own
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  $PY -m venv .venv
fi
echo "== installing Python packages"
.venv/bin/pip install -q --disable-pip-version-check -U pip >/dev/null
extras=()
[ $want_test = 1 ] && extras+=(test)
[ $want_bench = 1 ] && extras+=(bench)
if [ ${#extras[@]} -gt 0 ]; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".[$(IFS=,; echo "${extras[*]}")]"
else
  .venv/bin/pip install -q --disable-pip-version-check -e .
fi
# Byte-compile shenbao's own modules now (pip compiles only site-packages for an editable install): a process
# that may not write __pycache__ (a read-only deploy dir, PYTHONDONTWRITEBYTECODE) would otherwise compile
# ~70 modules on every start, ~0.15 s of each `shenbao ask`.
.venv/bin/python -m compileall -q -j 0 bot cli config core intake models precheck demo >/dev/null || true
