#!/usr/bin/env bash
# Installs Debian's chromium + chromium-driver for the browser tests when they are missing.
# Playwright drives this system browser; it never downloads one of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing chromium and chromium-driver from Debian (needed by the browser test)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
