#!/bin/sh
# The SMS tests run against Debian's Kannel (bearerbox, smsbox) and its fake SMS centre (fakesmsc,
# in kannel-extras). Installs them when missing and we may (root with apt-get); otherwise says so —
# the tests then skip with that reason. Nothing is started here: the tests start their own boxes.
if [ -x /usr/sbin/bearerbox ] && [ -x /usr/sbin/smsbox ] && [ -x /usr/lib/kannel/test/fakesmsc ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's kannel and kannel-extras for the SMS tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kannel kannel-extras >/dev/null
    exit $?
fi
echo "Kannel is not installed: install Debian's 'kannel' and 'kannel-extras' to run the SMS tests" >&2
exit 0
