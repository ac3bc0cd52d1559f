#!/usr/bin/env bash
# Install the Debian packages the project needs, when they are missing and we may.
# Usage: scripts/system-packages.sh PACKAGE...
# As root: apt-get installs what is missing. Otherwise: say what is missing and go on;
# the tests that need a missing package skip themselves naming it.
set -euo pipefail

missing=()
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "note: not a Debian system; install these yourself: ${missing[*]}" >&2
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "note: missing Debian packages: ${missing[*]} (run as root to install; tests needing them will skip)" >&2
    exit 0
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
