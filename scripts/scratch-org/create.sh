#!/usr/bin/env bash
# Creates a scratch org with the package, its permission sets and the sample data.
#   scripts/scratch-org/create.sh [alias] [duration-days]
# Needs a Dev Hub: `sf org login web --set-default-dev-hub --alias devhub` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/scratch-org/lib.sh
. scripts/scratch-org/lib.sh

ALIAS="${1:-billing}"
DAYS="${2:-7}"

step "1. Create the scratch org '$ALIAS' ($DAYS days)"
sf_cli org create scratch --definition-file config/project-scratch-def.json --alias "$ALIAS" --duration-days "$DAYS" --set-default --wait 15

step "2. Compile the LWC TypeScript to the .js the platform deploys"
run npm run build:lwc

step "3. Deploy the package source"
sf_cli project deploy start --source-dir force-app --target-org "$ALIAS" --wait 30

step "4. Assign the permission sets"
# The admin gets Billing Admin and Billing Sales User. Billing Integration is for the bridge's
# integration user; it is assigned here too only so the sample billing-owned products can be
# imported past the catalog lock (a scratch org, not production).
for permset in Billing_Admin Billing_Sales_User Billing_Integration; do
  sf_cli org assign permset --name "$permset" --target-org "$ALIAS"
done

step "5. Import the sample data"
sf_cli data tree import --plan data/sample-data-plan.json --target-org "$ALIAS"

step "6. Open the org in the Billing app"
sf_cli org open --target-org "$ALIAS" --path lightning/app/c__Billing
