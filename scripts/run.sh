#!/usr/bin/env bash
# The first command to run: install what shenbao needs (Debian packages and ./.venv, via scripts/install.sh),
# with dovecot-imapd), then `shenbao demo`: the real intake on embedded defaults (SQLite, SMTP on loopback,
# a local Dovecot IMAP server watching both mailboxes) fed the bundled sample filings; it shows the 回执 a
# province receives, the digest delivered to a local SMTP sink and the web desk's address. No account, no
# secret. The demo wipes and recreates its data directory (default ./data/demo) on every run.
#
#   bash scripts/run.sh                       # install, then the demo (about a minute on 2 cores)
#   bash scripts/run.sh --no-ocr              # skip the OCR step
#   bash scripts/run.sh --data-dir /tmp/demo  # another data directory
#
# Afterwards, on the same data:
#   .venv/bin/shenbao --data-dir ./data/demo chat --as-province 广东省
#   .venv/bin/shenbao --data-dir ./data/demo chat --officer
#   .venv/bin/shenbao --data-dir ./data/demo web              # the web desk, with a one-time login link
#
# Production (docs/deploy.md): copy .env.example to .env and fill it in, then run the two processes,
#   .venv/bin/shenbao migrate      # once per upgrade (the Procfile's release step)
#   .venv/bin/shenbao intake       # IMAP watchers, SMTP intake, worker, background OCR
#   .venv/bin/shenbao bot          # Telegram / WeCom, digests, reminders, outbox
# or with the Procfile:  .venv/bin/honcho start release && .venv/bin/honcho start intake bot
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --demo
exec .venv/bin/shenbao demo "$@"
