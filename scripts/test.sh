#!/usr/bin/env bash
# The test command: set-up, a PostgreSQL to test against, the static checks, then every vitest project.
# The lab project runs after the others: its QEMU guests would otherwise share the two cores with
# timing-sensitive API tests (leader takeover) and slow them for no gain.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure-postgres.sh
if [ "$#" -gt 0 ]; then exec npx vitest run "$@"; fi
# Types, lint, format and import boundaries first: they fail in seconds, the suites in minutes.
npm run --silent check
npx vitest run --project unit --project api
npx vitest run --project lab
