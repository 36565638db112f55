# Organizational life and dues (issue 4): a street's monthly dues ledger, a branch's activity calendar (both
# p95 < 200 ms) and the compliance evaluation of the whole city (< 60 s: the alert engine's run over every rule
# set, organizational-life and dues rules included). Sourced after lib/bench.sh, with bench_ids called.

# The same ledger again and again: after the first request it is served from the cache (ADR 009) while nothing it counts changes.
dues_ledger_street() {
  bench_wrk dues.ledger.street "a street's dues ledger for last month (due, paid, unpaid by next level, first page of names), served again while unchanged (ADR 009)" \
    demo-street "$TOKEN_STREET" "/api/v1/orgs/$STREET_ID/dues-ledger?month=$LAST_MONTH" '{"p95Ms":200}'
}

# The same ledger with the cache off (Jiceng:DuesLedgerCacheRows=0): every request computes it, as the first one after a change
# in the street does. The app is started again for it, and once more afterwards with the run's own settings.
dues_ledger_street_computed() {
  local saved=(${BENCH_APP_ARGS[@]+"${BENCH_APP_ARGS[@]}"})
  BENCH_APP_ARGS=(${BENCH_APP_ARGS[@]+"${BENCH_APP_ARGS[@]}"} --Jiceng:DuesLedgerCacheRows=0)
  bench_app_restart
  bench_wrk dues.ledger.street.computed "the same ledger computed for every request (cache off: Jiceng:DuesLedgerCacheRows=0, app started afresh)" \
    demo-street "$(bench_login demo-street)" "/api/v1/orgs/$STREET_ID/dues-ledger?month=$LAST_MONTH" '{"p95Ms":200}'
  BENCH_APP_ARGS=(${saved[@]+"${saved[@]}"})
  bench_app_restart
}

orglife_calendar_branch() {
  bench_wrk orglife.calendar.branch "a grid branch's activity calendar for this year (required, held, missing per period)" demo-community "$TOKEN_COMMUNITY" \
    "/api/v1/orgs/$BRANCH_ID/activity-calendar?year=$YEAR" '{"p95Ms":200}'
}

# The whole evaluation as demo-sysadmin (the endpoint the settings page calls; the daily job runs the same engine).
compliance_evaluate_city() {
  bench_timed compliance.evaluate.city "evaluate every alert rule for the whole city (organizational life, dues, terms, cases, grids, members)" \
    demo-sysadmin "POST /api/v1/alerts/evaluate" '{"seconds":60,"peakRssMb":500}' -- \
    curl -sf -X POST -o "$RUN_DIR/evaluate-answer.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN_SYSADMIN" "$APP_URL/api/v1/alerts/evaluate"
  say "   $(cat "$RUN_DIR/evaluate-answer.json" 2>/dev/null)"
}

orglife_scenarios() {
  compliance_evaluate_city
  dues_ledger_street
  orglife_calendar_branch
}
