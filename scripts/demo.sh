#!/usr/bin/env bash
# The main job: set-up, then the lab demo (one migration per flavor, the per-flavor table and the report).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The production build leaves the lab out; the demo runs from the lab's own build.
npm run --silent build:lab
exec node bin/livemig-lab.js demo "$@"
