#!/usr/bin/env bash
# Builds the libvirt N-API addon in native/ (needs libvirt-dev and pkg-config).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f native/binding.gyp ]; then exit 0; fi
npx --no-install node-gyp rebuild -C native --silent
