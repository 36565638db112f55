#!/usr/bin/env bash
# Every scenario of issue 7 in one run, with the limits measured in the same run on the same machine.
#   bench/run.sh [district|city|SCALE]     (default city; scale 33.4 = 501,000 members)
# Starts a throwaway PostgreSQL (data kept in bench/.data/pg), builds Release, loads or reuses the data (members,
# grids, households, cases, dues, organizational life), starts the app on loopback, runs the scenarios with wrk and
# the limits with pgbench and psql, and writes bench/results/<date>-all-<scale>.md/.json.
# BENCH_ONLY="cases_submit home_community" runs just those scenario functions.
# BENCH_DB=sqlite: the same against a SQLite file (no PostgreSQL; results <date>-all-sqlite-<scale>; bench/README.md).
set -uo pipefail
source "$(dirname "$0")/lib/bench.sh"
for f in floor members cases orglife orgs; do source "$BENCH_DIR/scenarios/$f.sh"; done

bench_init all "${1:-city}"
started=$(date +%s)
# Residents' submissions come from one address here: the per-address limit (60 a minute) would refuse the load.
BENCH_APP_ARGS=(--Jiceng:PublicRateLimitPerMinute=100000000)
bench_db_start
bench_build
bench_load
bench_app_start
bench_ids
for scenario in ${BENCH_ONLY:-floor_auth_me cases_scenarios members_scenarios orglife_scenarios orgs_scenarios dues_ledger_street_computed members_export_500k_fresh}; do
  declare -F "$scenario" >/dev/null || die "no scenario function $scenario"
  # Fresh tokens for each group: a token expires after 15 idle minutes (an import or the city's evaluation takes a while).
  TOKEN_STREET=$(bench_login demo-street)
  TOKEN_DISTRICT=$(bench_login demo-district)
  TOKEN_COMMUNITY=$(bench_login demo-community)
  TOKEN_SYSADMIN=$(bench_login demo-sysadmin)
  "$scenario"
done
bench_report
say "done in $(( $(date +%s) - started )) s"
