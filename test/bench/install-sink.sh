#!/bin/sh
# Installs Postfix's smtp-sink and smtp-source (Debian's postfix package), the SMTP sink the
# bench measures against. Only as root on a machine with apt-get; nothing else is changed.
# Postfix itself is installed unconfigured ("No configuration") and its service is kept from
# starting during the install, so no mail server is left listening on port 25.
set -eu
export DEBIAN_FRONTEND=noninteractive
if command -v smtp-sink >/dev/null 2>&1 || [ -x /usr/sbin/smtp-sink ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "  smtp-sink is missing; install Debian's postfix package (as root) to measure against it" >&2
  exit 1
fi
echo "  installing Postfix's smtp-sink and smtp-source (apt-get install postfix, unconfigured)" >&2
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
# Services may not start while installing, unless a policy already decides that.
policy=/usr/sbin/policy-rc.d
added=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added=1
fi
status=0
{ apt-get install -y --no-install-recommends postfix >/dev/null 2>&1 ||
  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y --no-install-recommends postfix >/dev/null 2>&1; }; } || status=$?
[ -n "$added" ] && rm -f "$policy"
[ "$status" = 0 ] && [ -x /usr/sbin/smtp-sink ]
