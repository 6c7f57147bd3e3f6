#!/usr/bin/env bash
# The test command: set-up, a PostgreSQL to test against, then every vitest project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure-postgres.sh
exec npx vitest run "$@"
