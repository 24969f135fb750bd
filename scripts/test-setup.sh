#!/usr/bin/env bash
# Installs and checks what the tests need; idempotent. Never aborts `make test`: what cannot be set
# up is reported here in one line, and the tests that need it skip naming the reason.
set -u

PG_BIN=/usr/lib/postgresql/15/bin

note() { printf 'test-setup: %s\n' "$*"; }

# apt_install "PACKAGES" "WHAT WILL SKIP": install as root, one note line either way, never abort.
apt_install() {
    local apt_log
    if ! apt_log="$(DEBIAN_FRONTEND=noninteractive apt-get update -qq 2>&1 \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $1 2>&1)"; then
        note "apt-get install $1 failed: $(printf '%s' "$apt_log" | tail -n 1) ($2 will skip)"
    else
        note "installed $1"
    fi
}

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

# Browser tests drive Debian's Chromium through Playwright; `playwright install` would download
# its own browser, which this project does not do. Khmer and Thai fonts make those scripts render.
BROWSER_PACKAGES="chromium fonts-khmeros fonts-thai-tlwg"
CHROMIUM=/usr/bin/chromium

missing_browser_packages() {
    local missing=""
    for package in $BROWSER_PACKAGES; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing="$missing $package"
        fi
    done
    printf '%s' "${missing# }"
}

ensure_browser() {
    local missing
    if ! command -v dpkg-query >/dev/null 2>&1; then
        note "no dpkg on this machine: install chromium and Khmer/Thai fonts yourself (browser tests will skip)"
    else
        missing="$(missing_browser_packages)"
        if [ -z "$missing" ]; then
            note "chromium and Khmer/Thai fonts found"
        elif [ "$(id -u)" -ne 0 ]; then
            note "missing $missing and not root: run 'sudo apt-get install -y $missing' (browser tests will skip)"
        else
            apt_install "$missing" "browser tests"
        fi
    fi
    if [ ! -x "$CHROMIUM" ]; then
        note "$CHROMIUM is missing (browser tests will skip)"
    fi
}

# Spark (`borderwatch batch` and tests/batch) runs on a JVM; Spark 4 needs Java 17 or newer, which is
# Debian 12's default-jre-headless.
JAVA_PACKAGE=default-jre-headless

ensure_java() {
    if [ -n "${JAVA_HOME:-}" ]; then   # Spark's launcher runs JAVA_HOME's java when it is set
        if [ -x "$JAVA_HOME/bin/java" ]; then
            note "java found: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
        else
            note "JAVA_HOME=$JAVA_HOME has no bin/java: fix or unset it (Spark tests will skip)"
        fi
    elif command -v java >/dev/null 2>&1; then
        note "java found: $(java -version 2>&1 | head -n 1)"
    elif [ "$(id -u)" -ne 0 ]; then
        note "java missing and not root: run 'sudo apt-get install -y $JAVA_PACKAGE' (Spark tests will skip)"
    elif ! command -v apt-get >/dev/null 2>&1; then
        note "java missing and no apt-get on this machine: install Java 17+ yourself (Spark tests will skip)"
    else
        apt_install "$JAVA_PACKAGE" "Spark tests"
    fi
}

ensure_postgres
ensure_browser
ensure_java
exit 0
