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

# The street ledgers as they are used (issue 4): demo-district reads the month ledgers of 8 streets (demo-street's siblings,
# the first 8 by path) in turn while cash payments
# of those streets' members come in, about 2 a second (BENCH_PAY_DELAY_MS=500 on one connection: a busy month's start for
# the whole city, here all in these 8 streets). Every payment raises its street's stamp, so the next read of that street
# computes its ledger again (ADR 009); this is the mix that shows whether the computed figure above matters in use. The
# payments are deleted again afterwards (their audit records stay: append-only). PostgreSQL only.
dues_ledger_mixed() {
  local name=dues.ledger.streets.mixed
  local desc="8 streets' month ledgers read in turn as demo-district while cash payments in those streets come in (1 connection, one every ${BENCH_PAY_DELAY_MS:-500} ms)"
  if is_sqlite; then bench_skip "$name" "$desc" "PostgreSQL only"; return; fi
  local streets="$RUN_DIR/mixed-streets.txt" paths="$RUN_DIR/mixed-paths.txt" members="$RUN_DIR/mixed-members.txt"
  db_q "SELECT id FROM organizations WHERE parent_id = (SELECT parent_id FROM organizations WHERE id = '$STREET_ID')
          AND kind = (SELECT kind FROM organizations WHERE id = '$STREET_ID') ORDER BY path LIMIT 8" >"$streets"
  sed "s|.*|/api/v1/orgs/&/dues-ledger?month=$LAST_MONTH|" "$streets" >"$paths"
  # Members on the roll with a base in force, in random order (each paid once; a payment continues from 党费交至).
  db_q "SELECT m.id FROM members m JOIN organizations o ON o.id = m.organization_id
          JOIN organizations s ON o.path LIKE s.path || '%' AND s.id IN ($(sql_in "$streets"))
        WHERE m.status IN (1, 2, 3) AND EXISTS (SELECT 1 FROM dues_bases b WHERE b.member_id = m.id AND NOT b.ended)
        ORDER BY random() LIMIT 2000" >"$members"
  say "$name: $(wc -l <"$paths") streets, $(wc -l <"$members") members who may pay"
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN_DISTRICT" "$APP_URL$(head -1 "$paths")")
  [ "$status" = 200 ] || die "$name: GET $(head -1 "$paths") answered $status"
  local since; since=$(now_sql)
  # The payments of these members since now: deleted afterwards, or by bench_cleanup if the run stops before that.
  local mine="member_id IN ($(sql_in "$members")) AND created_at >= '$since'"
  BENCH_CLEANUP_SQL="DELETE FROM dues_payment_months WHERE payment_id IN (SELECT id FROM dues_payments WHERE $mine);
    DELETE FROM dues_payments WHERE $mine"
  BENCH_TOKEN=$TOKEN_DISTRICT BENCH_MEMBERS_FILE=$members BENCH_DELAY_MS=${BENCH_PAY_DELAY_MS:-500} BENCH_RUN=$(basename "$RUN_DIR") \
    BENCH_OUT="$RUN_DIR/$name.payments.json" wrk -t1 -c1 -d"$((WRK_WARMUP + WRK_DURATION + 120))s" --timeout "${WRK_TIMEOUT}s" \
    -s "$BENCH_DIR/lua/pay-dues.lua" "$APP_URL/api/v1/dues/payments" >"$RUN_DIR/$name.payments.log" 2>&1 &
  local payer=$!
  BENCH_BG_PIDS=$payer
  # No waiting for quiet CPUs before the measured run: the payments and the recomputed ledgers are part of the load.
  BENCH_QUIET_WAIT=0 BENCH_PATHS_FILE=$paths BENCH_WRK_METHOD=GET bench_wrk "$name" "$desc" demo-district "$TOKEN_DISTRICT" "$(head -1 "$paths")" \
    '{"p95Ms":200}' get-rotate.lua
  kill -INT "$payer" 2>/dev/null; wait "$payer" 2>/dev/null   # SIGINT: wrk stops and prints its figures
  BENCH_BG_PIDS=""
  sleep 1   # a payment the app was still recording when wrk stopped
  local paid failed
  paid=$(db_q "SELECT count(*) FROM dues_payments WHERE $mine")
  failed=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$RUN_DIR/$name.payments.log" | grep -o '[0-9]*$')
  say "   payments recorded meanwhile: $paid (refused: ${failed:-0})"
  # The payer's own figures (its wrk summary: payments a second, latencies, refusals) as a row of its own.
  local payjson='{"errors":{"failed":1}}'
  [ -s "$RUN_DIR/$name.payments.json" ] && payjson=$(cat "$RUN_DIR/$name.payments.json")
  printf '{"scenario":"%s.payments","description":"the cash payments recorded while the ledgers above were read","account":"demo-district","request":"POST /api/v1/dues/payments","load":"wrk 1 thread, 1 connection, a pause of %s ms after each answer","targets":null,"outcome":"%s recorded, %s refused",%s\n' \
    "$name" "${BENCH_PAY_DELAY_MS:-500}" "${paid:-0}" "${failed:-0}" "${payjson#\{}" >>"$RESULTS"
  db_q "$BENCH_CLEANUP_SQL" >/dev/null
  BENCH_CLEANUP_SQL=""
  say "   the $paid payments deleted again"
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
  dues_ledger_mixed
  orglife_calendar_branch
}
