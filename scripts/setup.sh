#!/usr/bin/env bash
# Idempotent set-up shared by `npm test` and `npm run demo`: Debian packages,
# npm packages, the native addon and the TypeScript build. Fast when done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  qemu-system-x86 qemu-utils libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt-dev
  pkg-config tcpdump tshark iproute2 iputils-ping iputils-arping cpio busybox-static nftables iptables
  postgresql fping g++ make python3
  gcc libc6-dev xz-utils util-linux chromium prometheus
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.livemig-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

npm run --silent build
