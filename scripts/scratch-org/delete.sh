#!/usr/bin/env bash
# Deletes a scratch org created by create.sh.   scripts/scratch-org/delete.sh [alias]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/scratch-org/lib.sh
. scripts/scratch-org/lib.sh
sf_cli org delete scratch --target-org "${1:-billing}" --no-prompt
