#!/usr/bin/env bash
# The main job: set-up, then the lab demo (one migration per flavor, the per-flavor table and the report).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/livemig.js demo "$@"
