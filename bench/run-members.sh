#!/usr/bin/env bash
# The member registry's speed (issue 3): the scoped member list with a name filter at city scale.
#   bench/run-members.sh [scale]     scale: a number (15,000 members each), "district" (1) or "city" (33.4, the default)
# Starts a throwaway PostgreSQL (data kept in bench/.data/pg for the next run), builds Release, loads or reuses
# the data, starts the app on loopback, runs the scenarios with wrk and writes bench/results/<date>-members-<scale>.md/.json.
set -uo pipefail
source "$(dirname "$0")/lib/bench.sh"
source "$BENCH_DIR/scenarios/floor.sh"
source "$BENCH_DIR/scenarios/members.sh"

bench_init members "${1:-city}"
started=$(date +%s)
bench_pg_start
bench_build
bench_load
bench_app_start
TOKEN_STREET=$(bench_login demo-street)
TOKEN_DISTRICT=$(bench_login demo-district)
# BENCH_ONLY="members_list_city_q members_export_500k" runs just those scenario functions.
for scenario in ${BENCH_ONLY:-floor_auth_me members_scenarios members_export_500k_fresh}; do
  declare -F "$scenario" >/dev/null || die "no scenario function $scenario"
  "$scenario"
done
bench_report
say "done in $(( $(date +%s) - started )) s"
