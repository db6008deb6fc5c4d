#!/usr/bin/env bash
# Debian packages the tests need beyond Python: WeasyPrint's libraries and fonts, poppler
# (pdftotext/pdftoppm to read and picture the board report), Chromium for browser journeys, and
# iproute2, socat and nginx for the multi-host test (tests/integration/test_multihost.py), and
# Node.js with npm for the OpenID provider the single sign-on journeys run (tests/oidc_provider).
# Installs only what is missing; needs root (CI runs as root) or sudo.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation poppler-utils chromium iproute2 socat nginx-light)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Any Node.js 20 or later with npm will do (a machine may have one not from Debian).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo -n"  # never prompt: without rights, say so and go on
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
