#!/bin/sh
# Browser tests drive Debian's Chromium headless (no browser download at test time).
# Installs it when missing and we may (root with apt-get); otherwise says what to do.
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    exit $?
fi
echo "chromium is not installed: install Debian's 'chromium' package to run the browser tests" >&2
exit 1
