#!/usr/bin/env bash
# Installs and checks what the tests need; idempotent. Never aborts `make test`: what cannot be set
# up is reported here in one line, and the tests that need it skip naming the reason.
set -u

PG_BIN=/usr/lib/postgresql/15/bin

note() { printf 'test-setup: %s\n' "$*"; }

ensure_postgres() {
    if [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then
        note "PostgreSQL 15 found in $PG_BIN"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        note "PostgreSQL 15 missing and not root: run 'sudo apt-get install -y postgresql' (PostgreSQL tests will skip)"
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        note "PostgreSQL 15 missing and no apt-get on this machine (PostgreSQL tests will skip)"
        return 0
    fi
    note "installing Debian's postgresql package"
    if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
        || ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; then
        note "apt-get install postgresql failed (PostgreSQL tests will skip)"
        return 0
    fi
    # The tests start their own throwaway cluster; the packaged service is not needed.
    if [ -x "$PG_BIN/initdb" ]; then
        note "PostgreSQL 15 installed in $PG_BIN"
    else
        note "postgresql installed but $PG_BIN/initdb is missing (another major version?); PostgreSQL tests will skip"
    fi
}

ensure_postgres
exit 0
