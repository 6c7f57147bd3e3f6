#!/usr/bin/env bash
# Builds the libvirt N-API addon in native/ (needs libvirt-dev and pkg-config).
# Incremental (configure once, then make), so a build does not delete the addon
# other processes are loading; serialized because several builds may overlap.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f native/binding.gyp ]; then exit 0; fi
exec 9<native/binding.gyp
flock 9
if [ ! -f native/build/Makefile ] || [ native/binding.gyp -nt native/build/Makefile ]; then
  npx --no-install node-gyp configure -C native --silent
fi
npx --no-install node-gyp build -C native --silent
