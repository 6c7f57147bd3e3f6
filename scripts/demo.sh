#!/usr/bin/env bash
# The main job. Until the lab and the migration engine land, it starts the controller.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node dist/src/main.js
