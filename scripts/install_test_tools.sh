#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages, only when missing:
#   Debian's chromium + chromium-driver (Playwright drives this browser; it never downloads one),
#   a Java runtime and the Nu HTML Checker (vnu.jar, pinned in scripts/vnu/package-lock.json),
#   axe-core (accessibility rules the browser tests inject, pinned in scripts/browser-tools/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium chromium-driver)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing from Debian: ${packages[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

jar=scripts/vnu/node_modules/vnu-jar/build/dist/vnu.jar
if [ ! -f "$jar" ]; then
  echo "Installing the Nu HTML Checker (vnu-jar from the npm registry)"
  npm ci --prefix scripts/vnu --no-audit --no-fund --loglevel=error
fi

axe=scripts/browser-tools/node_modules/axe-core/axe.min.js
if [ ! -f "$axe" ]; then
  echo "Installing axe-core (from the npm registry)"
  npm ci --prefix scripts/browser-tools --no-audit --no-fund --loglevel=error
fi
