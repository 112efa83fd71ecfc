#!/bin/sh
# The HTTP benchmarks load the server with Debian's wrk from a second process.
if command -v wrk >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's wrk for the HTTP benchmarks"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    exit $?
fi
echo "wrk is not installed: install Debian's 'wrk' package to run the HTTP benchmarks" >&2
exit 1
