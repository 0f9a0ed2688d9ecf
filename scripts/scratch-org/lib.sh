#!/usr/bin/env bash
# Shared helpers for the scratch-org scripts. DRY_RUN=1 prints each command instead of running it.
set -euo pipefail

# The Salesforce CLI: a global `sf` when installed, else the npm package through npx (Node >= 22).
sf_cli() {
  if [ "${DRY_RUN:-0}" = "1" ]; then
    echo "sf $*"
    return 0
  fi
  if command -v sf >/dev/null 2>&1; then
    sf "$@"
  else
    npx --yes --package @salesforce/cli@2 sf "$@"
  fi
}

run() {
  if [ "${DRY_RUN:-0}" = "1" ]; then
    echo "$*"
    return 0
  fi
  "$@"
}

step() {
  printf '\n==> %s\n' "$*"
}
