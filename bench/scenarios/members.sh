# Member registry scenarios (issue 3 "Speed"; issue 7 runs them among the others). Sourced after lib/bench.sh,
# with the app running and TOKEN_STREET / TOKEN_DISTRICT set (bench_login demo-street / demo-district).
# demo-street is the first street (about 1/167 of the city at scale 33.4: the generator makes 5 streets
# per unit of scale); demo-district's scope is the whole city.

MEMBERS_LIST_TARGET='{"p95Ms":100}'
# "zh": pinyin initials of the most common surnames (张 赵 周 郑 朱 …), so the filter keeps many rows.
MEMBERS_Q=zh
MEMBERS_SURNAME=%E5%BC%A0   # 张, a Chinese-text search (name contains)

members_list_street_q() {
  bench_wrk members.list.street.q "scoped list, name filter by pinyin initials, one street" demo-street "$TOKEN_STREET" \
    "/api/v1/members?q=$MEMBERS_Q&pageSize=20" "$MEMBERS_LIST_TARGET"
}

members_list_street_first_page() {
  bench_wrk members.list.street.first-page "scoped list, no filter, first page, one street" demo-street "$TOKEN_STREET" \
    "/api/v1/members?pageSize=20" "$MEMBERS_LIST_TARGET"
}

members_list_city_q() {
  bench_wrk members.list.city.q "scoped list, name filter by pinyin initials, whole city" demo-district "$TOKEN_DISTRICT" \
    "/api/v1/members?q=$MEMBERS_Q&pageSize=20" "$MEMBERS_LIST_TARGET"
}

members_list_city_surname() {
  bench_wrk members.list.city.surname "scoped list, name filter by Chinese text (张), whole city" demo-district "$TOKEN_DISTRICT" \
    "/api/v1/members?q=$MEMBERS_SURNAME&pageSize=20" "$MEMBERS_LIST_TARGET"
}

members_list_city_first_page() {
  bench_wrk members.list.city.first-page "scoped list, no filter, first page, whole city" demo-district "$TOKEN_DISTRICT" \
    "/api/v1/members?pageSize=20" "$MEMBERS_LIST_TARGET"
}

# Import of 100,000 rows: target < 30 s with the app under 500 MB (issue 3). The file: 100,000 generated members in
# demo-street's organizations (another seed, no ID number already loaded), by Jiceng.Bench import-file. Afterwards the
# imported members are deleted again, so that the next run reuses the data (their audit records stay: append-only).
members_import_100k() {
  local desc="import 100,000 members from one .xlsx (all-or-nothing), as demo-street"
  if ! bench_route_exists /api/v1/members/import; then
    bench_skip members.import.100k "$desc" "POST /api/v1/members/import is not in this build"
    return
  fi
  local file="$DATA_DIR/import-100k-${DB_NAME#jiceng_bench_}.xlsx"   # per database: the names of its organizations
  if [ ! -s "$file" ]; then
    "${BENCH_TOOL[@]}" import-file --scale "$SCALE" --rows 100000 --account demo-street --connection "$CONNECTION"       "--Jiceng:ProtectionKey=$PROTECTION_KEY" --out "$file" >&2 || die "could not write the import file"
  fi
  local since; since=$(now_sql)
  bench_upload members.import.100k "$desc" demo-street "$TOKEN_STREET" /api/v1/members/import "$file" 100,000 '{"seconds":30,"peakRssMb":500}'
  local removed
  if is_sqlite; then
    removed=$(db_q "DELETE FROM Members WHERE CreatedAt >= $since; SELECT changes();" | tail -1)
    say "   removed the $removed imported members again"
    return
  fi
  removed=$("${PSQL[@]}" -d "$DB_NAME" -c "WITH d AS (DELETE FROM members WHERE created_at >= '$since' RETURNING 1) SELECT count(*) FROM d")
  # 100,000 dead rows in demo-street's organizations until autovacuum gets to them: every later scenario reading that
  # street's members (the dues ledger) would walk them. Vacuumed at once, as autovacuum would in time. The indexes are rebuilt
  # too: a vacuum leaves their emptied pages in place, and after five imports and deletes the members' indexes had grown from
  # 220 to 382 MB (the name characters' from 164 to 311), which doubled the database time of the street's member list and
  # dues ledger in the next run (s29). Rebuilt, the next run starts from the data as loaded.
  "${PSQL[@]}" -d "$DB_NAME" -c "VACUUM (ANALYZE) members, member_name_chars" -c "REINDEX TABLE members" -c "REINDEX TABLE member_name_chars" >/dev/null
  say "   removed the $removed imported members again"
}

# Export of 500,000 rows: streamed, app under 300 MB (issue 3). Needs GET /api/v1/members/export (branch feat-excel).
members_export_500k() {
  local desc="export the whole city's members (500,000 rows) to .xlsx, streamed"
  if ! bench_route_exists /api/v1/members/export; then
    bench_skip members.export.500k "$desc" "GET /api/v1/members/export is not in this build (branch feat-excel has not landed on main)"
    return
  fi
  members_export members.export.500k "$desc" "GET /api/v1/members/export" "$TOKEN_DISTRICT"
}

# members_export NAME DESCRIPTION REQUEST TOKEN: the whole export as demo-district, timed, the file discarded.
members_export() {
  bench_timed "$1" "$2" demo-district "$3" '{"peakRssMb":300}' -- \
    curl -sf -o /dev/null -w '%{size_download} bytes, HTTP %{http_code}' -H "Authorization: Bearer $4" "$APP_URL/api/v1/members/export"
}

# The same export from an app started afresh: what the export itself needs. In the sequence above it runs in a process that
# the imports before it have grown (343 MB before the export, 2026-12-07), and the export fills memory that process already
# holds; here nothing ran before it but the login. Run last (bench/run.sh), so that no later scenario starts fresh either.
members_export_500k_fresh() {
  local desc="export the whole city's members (500,000 rows) to .xlsx, streamed, from a freshly started app"
  bench_route_exists /api/v1/members/export || { bench_skip members.export.500k.fresh "$desc" "GET /api/v1/members/export is not in this build"; return; }
  bench_app_restart
  members_export members.export.500k.fresh "$desc" "GET /api/v1/members/export (app started afresh)" "$(bench_login demo-district)"
}

members_scenarios() {
  members_list_street_q
  members_list_street_first_page
  members_list_city_q
  members_list_city_surname
  members_list_city_first_page
  members_import_100k
  members_export_500k
}
