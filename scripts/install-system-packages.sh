#!/usr/bin/env bash
# Installs the Debian packages Backstride builds and tests with, if any is missing.
# Runs apt-get as root, or through sudo when not root. Safe to run again.
set -euo pipefail

packages=(
  pkg-config          # finds libusb for the CLibUSB system-library target
  libusb-1.0-0-dev    # the clip's USB transport (ClipUSB)
  libsqlite3-dev      # the session store (SQLite through GRDB)
  zlib1g-dev          # deflate for the session store's raw samples (CZlib)
  umockdev            # virtual USB devices for the real-libusb tests
  libumockdev-dev
  chromium            # the headless browser that renders the reports in the tests (screenshots, PDF)
  fonts-dejavu-core   # a font for that browser's text
  openssl             # test certificates for the HTTPS tests, made at test time
  curl                # scripts/api-conformance.sh logs in with it
  python3-venv        # scripts/api-conformance.sh installs schemathesis (PyPI) into a venv
  postgresql          # the throw-away server of the PostgreSQL store's contract tests (initdb, pg_ctl, psql)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
