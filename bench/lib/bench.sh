# Shared pieces of the benchmark scripts (sourced, not run). A run script:
#   source lib/bench.sh; bench_init <run-name> <scale>; bench_db_start; bench_build; bench_load;
#   bench_app_start; <scenario functions>; bench_report
# BENCH_DB=sqlite runs the same against a SQLite file (bench/.data/sqlite/<database>.db, the embedded scale): no
# PostgreSQL is started, queries go through the sqlite3 shell (db_q), and the PostgreSQL-only parts are replaced
# (pgbench by Jiceng.Bench insert-limit) or skipped (hand-written SQL limits, pg_stat_statements).
# Scenario functions call bench_wrk (a fixed-duration load with wrk), bench_timed (one long request,
# e.g. an import) or bench_skip (with the reason), each of which appends one JSON line to $RUN_DIR/scenarios.jsonl.
# Everything listens on 127.0.0.1 only; every process started here is stopped by pid on exit.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DATA_DIR="$BENCH_DIR/.data"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Load shape, overridable from the environment.
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
WRK_DURATION=${WRK_DURATION:-20}
# 20 s of warm-up: under this load on the 2-core machine the JIT's tiering takes about 20 s to settle (methods compiled per 5 s
# under a street's dues ledger from a cold start: 4012, 2973, 1547, 366, 235, 277, 31, ...; requests/s over the first three
# 10-s stretches: 32, 60, 79, then 80-86). With 5 s the measured run included the last of it (bench/README.md).
WRK_WARMUP=${WRK_WARMUP:-20}
WRK_TIMEOUT=${WRK_TIMEOUT:-10}

PGPID=""; APP_PID=""; PGPORT=""; APP_URL=""; APP_PEAK_MB=0
BENCH_DB=${BENCH_DB:-postgres}
case "$BENCH_DB" in postgres|sqlite) ;; *) printf 'bench: BENCH_DB must be postgres or sqlite (got %s)\n' "$BENCH_DB" >&2; exit 1 ;; esac
is_sqlite() { [ "$BENCH_DB" = sqlite ]; }

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# bench_app_stop: the app asked to stop, killed after 10 s.
bench_app_stop() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$APP_PID" 2>/dev/null && kill -KILL "$APP_PID" 2>/dev/null
  fi
  return 0
}

# BENCH_BG_PIDS: load generators a scenario runs in the background; BENCH_CLEANUP_SQL: what a scenario must undo in the
# database if the run stops before the scenario has (e.g. payments it recorded). Both are cleared by the scenario when done.
BENCH_BG_PIDS=""; BENCH_CLEANUP_SQL=""
bench_cleanup() {
  [ -n "$BENCH_BG_PIDS" ] && kill $BENCH_BG_PIDS 2>/dev/null
  bench_app_stop
  [ -n "$BENCH_CLEANUP_SQL" ] && [ -n "$PGPID" ] && db_q "$BENCH_CLEANUP_SQL" >/dev/null 2>&1
  if [ -n "$PGPID" ] && kill -0 "$PGPID" 2>/dev/null; then
    kill -INT "$PGPID" 2>/dev/null  # fast shutdown: the data directory stays for the next run
    for _ in $(seq 1 100); do kill -0 "$PGPID" 2>/dev/null || break; sleep 0.2; done
  fi
}

# bench_init NAME SCALE: run folder, scale and database name, protection key, tools, exit trap.
bench_init() {
  RUN_NAME=$1; SCALE=$2
  case "$SCALE" in
    city) SCALE=33.4 ;;      # 15,000 members per unit of scale: 501,000 members
    district) SCALE=1 ;;     # the seeds' district: 15,000 members
  esac
  [[ "$SCALE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "scale must be a number, 'district' or 'city' (got '$SCALE')"
  # v2: the city shape of issue 7 (3,000 communities, 15,000 grids); a database of the earlier shape is left alone.
  DB_NAME="jiceng_bench_v2_s${SCALE//./_}"
  # The results name says which database ran (bench/results/<date>-all-sqlite-1.md).
  is_sqlite && { DB_NAME+="_sqlite"; RUN_NAME+="-sqlite"; }
  STAMP=$(date +%Y-%m-%d)
  RUN_DIR="$DATA_DIR/runs/$(date +%Y%m%d-%H%M%S)-$RUN_NAME-$SCALE"
  RESULTS="$RUN_DIR/scenarios.jsonl"
  mkdir -p "$RUN_DIR" "$DATA_DIR/app"
  : >"$RESULTS"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  local tools="wrk curl"; is_sqlite && tools+=" sqlite3"
  for tool in $tools; do
    if ! command -v $tool >/dev/null; then
      say "installing $tool"
      # A fresh machine has no package lists yet: update once, then install.
      { as_root apt-get install -y -qq "$tool" >/dev/null 2>&1 || { as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq "$tool" >/dev/null; }; } \
        || die "$tool is missing and could not be installed"
    fi
  done
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  is_sqlite || [ -x "$PGBIN/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  # The members' ID numbers and phones are encrypted with this key: it lives as long as the loaded data.
  KEY_FILE="$DATA_DIR/protection.key"
  [ -s "$KEY_FILE" ] || { head -c 32 /dev/urandom | base64 >"$KEY_FILE"; chmod 600 "$KEY_FILE"; }
  PROTECTION_KEY=$(cat "$KEY_FILE")
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while ! port_free "$p"; do p=$((p + 1)); done; echo "$p"; }

# bench_pg_start: the cluster in bench/.data/pg (created on first use, kept for the next run), on a free loopback port.
bench_pg_start() {
  local pgdata="$DATA_DIR/pg"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    say "creating the PostgreSQL cluster in $pgdata"
    mkdir -p "$pgdata"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdata" && chmod 700 "$pgdata"
    run_pg "$PGBIN/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$RUN_DIR/initdb.log" 2>&1 \
      || { cat "$RUN_DIR/initdb.log"; die "initdb failed"; }
  fi
  [ -f "$pgdata/postmaster.pid" ] && die "$pgdata/postmaster.pid exists: another benchmark is using this cluster (or one crashed; then remove the file)"
  PGPORT=$(free_port "${BENCH_PG_PORT:-55644}")
  local sock="$DATA_DIR/pg-socket"; mkdir -p "$sock"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$sock"
  # A server sized for a machine with a few GB to spare; fsync stays on (reads are measured, the load is one transaction).
  PG_SETTINGS="shared_buffers=512MB effective_cache_size=4GB work_mem=16MB maintenance_work_mem=512MB max_wal_size=4GB checkpoint_timeout=30min max_connections=200 shared_preload_libraries=pg_stat_statements pg_stat_statements.track=top jit=off"
  local opts="-p $PGPORT -k $sock -c listen_addresses=127.0.0.1"
  for s in $PG_SETTINGS; do opts+=" -c $s"; done
  say "starting PostgreSQL on 127.0.0.1:$PGPORT ($pgdata)"
  touch "$RUN_DIR/postgres.log"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$RUN_DIR/postgres.log"
  run_pg "$PGBIN/pg_ctl" -D "$pgdata" -l "$RUN_DIR/postgres.log" -w -t 120 start -o "$opts" >/dev/null \
    || { tail -20 "$RUN_DIR/postgres.log"; die "PostgreSQL did not start"; }
  PGPID=$(head -1 "$pgdata/postmaster.pid")
  PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if [ -z "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB_NAME" || die "could not create $DB_NAME"
  fi
  CONNECTION="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=$DB_NAME"
}

# bench_db_start: PostgreSQL (bench_pg_start), or with BENCH_DB=sqlite just the file's place (created by the load).
bench_db_start() {
  if is_sqlite; then
    mkdir -p "$DATA_DIR/sqlite"
    DB_FILE="$DATA_DIR/sqlite/$DB_NAME.db"
    CONNECTION="Data Source=$DB_FILE"
    say "SQLite database $DB_FILE (no PostgreSQL)"
  else
    bench_pg_start
  fi
}

# db_q SQL: one query's rows (fields separated by |), in PostgreSQL or in the SQLite file. SQL in the database's own
# dialect and names (PostgreSQL snake_case, SQLite the model's names). sqlite3 enforces foreign keys as the app does, so
# deleting a case deletes its history with it.
db_q() {
  if is_sqlite; then
    sqlite3 -bail -batch -noheader -cmd ".timeout 30000" -cmd "PRAGMA foreign_keys=ON" "$DB_FILE" "$1"
  else
    "${PSQL[@]}" -d "$DB_NAME" -c "$1"
  fi
}

# sql_in FILE: the file's lines (ids from a query) as a quoted SQL list, for "x IN ($(sql_in FILE))".
sql_in() { sed "s/.*/'&'/" "$1" | paste -sd,; }

# now_sql: the current instant as the database stores it (SQLite: DateTimeOffsetToBinaryConverter's ticks, UTC).
now_sql() {
  if is_sqlite; then
    local ns; ns=$(date +%s%N)
    # ((ticks / 1000) << 11) | offset minutes (0); ticks = 100 ns since 0001-01-01 = ns / 100 + 621355968000000000.
    echo $(( ((ns / 100 + 621355968000000000) / 1000) << 11 ))
  else
    db_q "SELECT now()"
  fi
}

# bench_build: Release builds of the app and of the loader.
bench_build() {
  say "building (Release)"
  (cd "$ROOT" && dotnet build src/Jiceng.Web/Jiceng.Web.csproj -c Release -nologo -v q >"$RUN_DIR/build-web.log" 2>&1) \
    || { tail -30 "$RUN_DIR/build-web.log"; die "app build failed"; }
  (cd "$ROOT" && dotnet build bench/Jiceng.Bench/Jiceng.Bench.csproj -c Release -nologo -v q >"$RUN_DIR/build-bench.log" 2>&1) \
    || { tail -30 "$RUN_DIR/build-bench.log"; die "bench build failed"; }
  BENCH_TOOL=(dotnet "$BENCH_DIR/Jiceng.Bench/bin/Release/net10.0/Jiceng.Bench.dll")
  # BENCH_APP_DLL runs another build of the app (e.g. a branch's worktree) against the same data.
  APP_DLL=${BENCH_APP_DLL:-$ROOT/src/Jiceng.Web/bin/Release/net10.0/Jiceng.Web.dll}
  [ -f "$APP_DLL" ] || die "$APP_DLL not found"
}

# bench_load: loads the organizations, members and demo accounts at $SCALE, or reuses them.
bench_load() {
  say "loading scale $SCALE into $DB_NAME (or reusing it)"
  "${BENCH_TOOL[@]}" load --scale "$SCALE" --connection "$CONNECTION" "--Jiceng:ProtectionKey=$PROTECTION_KEY" \
    --provider "$(is_sqlite && echo Sqlite || echo Postgres)" --out-json "$RUN_DIR/load.json" 2>&1 | tee "$RUN_DIR/load.log" >&2
  # The loader's status, taken before any other command replaces PIPESTATUS.
  local status=${PIPESTATUS[0]}
  if is_sqlite; then
    [ "$status" = 0 ] || die "load failed (to start over: rm $DB_FILE*)"
    return
  fi
  [ "$status" = 0 ] || die "load failed (to start over: psql -h 127.0.0.1 -p $PGPORT -U postgres -c 'DROP DATABASE $DB_NAME')"
  # Per-statement timings for the report (what the database spends per request).
  "${PSQL[@]}" -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" || die "pg_stat_statements unavailable"
}

# bench_app_start: the app in Release on a free loopback port. Demo mode gives the demo accounts; it never
# seeds here because the organizations exist. The environment is neither Development (developer pages,
# DI scope checks) nor Production (which switches demo accounts off).
APP_GEN0SIZE=${BENCH_GEN0SIZE-}
bench_app_start() {
  local port; port=$(free_port "${BENCH_APP_PORT:-55700}")
  APP_URL="http://127.0.0.1:$port"
  say "starting the app on $APP_URL"
  # Content root = the build folder, so the app reads its own appsettings.json as a deployed copy would.
  # The app's runtime settings are its runtimeconfig.json's, as deployed (first-generation budget at most 16 MB, tiered PGO off:
  # ADR 002); the report records the app's own "Runtime:" line. BENCH_GEN0SIZE=0x... sets DOTNET_GCgen0size (the budget's
  # floor; the cap still applies), for comparison.
  # BENCH_APP_ENV="NAME=VALUE ..." adds variables to the app's environment (a runtime setting tried without a rebuild).
  local app_env=() word
  read -ra app_env <<<"${BENCH_APP_ENV:-}"
  for word in ${app_env[@]+"${app_env[@]}"}; do [[ $word == [A-Za-z_]*=* ]] || die "BENCH_APP_ENV: '$word' is not NAME=VALUE"; done
  (cd "$(dirname "$APP_DLL")" && exec env -u DOTNET_GCgen0size ASPNETCORE_ENVIRONMENT=Benchmark ${APP_GEN0SIZE:+DOTNET_GCgen0size=$APP_GEN0SIZE} ${app_env[@]+"${app_env[@]}"} dotnet "$APP_DLL" --urls "$APP_URL" \
      --Jiceng:DemoMode=true --Jiceng:BackgroundJobs=false "--Database:Provider=$(is_sqlite && echo Sqlite || echo Postgres)" "--ConnectionStrings:Jiceng=$CONNECTION" \
      "--Jiceng:ProtectionKey=$PROTECTION_KEY" "--Jiceng:DataDirectory=$DATA_DIR/app" ${BENCH_APP_ARGS[@]+"${BENCH_APP_ARGS[@]}"} >"$RUN_DIR/app.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "$APP_URL/health" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$RUN_DIR/app.log"; die "the app exited"; }
    sleep 1
  done
  curl -sf "$APP_URL/health" >/dev/null || die "the app did not answer /health"
  grep -q "演示区已生成" "$RUN_DIR/app.log" && die "the app seeded a demo district: the loaded data is not where it looks"
  APP_START_RSS_MB=$(rss_peak_mb)
}

# bench_login USER: a bearer token (expires after 15 idle minutes; every request renews it).
bench_login() {
  local body
  body=$(curl -sf -X POST "$APP_URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"userName\":\"$1\",\"password\":\"Jiceng@2026\"}") || die "login as $1 failed"
  echo "$body" | grep -o '"accessToken":"[^"]*"' | cut -d'"' -f4
}

# bench_app_restart: the app stopped and started again, for a scenario that measures what one request needs apart from what
# earlier scenarios left in the process. The run's overall peak keeps the first process's. The start RSS stays the first's.
bench_app_restart() {
  track_peak
  local start_rss=$APP_START_RSS_MB
  bench_app_stop
  wait "$APP_PID" 2>/dev/null
  mv "$RUN_DIR/app.log" "$RUN_DIR/app-before-restart.log"
  bench_app_start
  APP_START_RSS_MB=$start_rss
}

# App process memory: peak resident set (VmHWM); reset to the current RSS before a scenario.
rss_peak_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status"; }
rss_now_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status"; }
# The run's overall peak is kept in APP_PEAK_MB before each reset.
rss_reset() {
  track_peak
  echo 5 >"/proc/$APP_PID/clear_refs" 2>/dev/null || say "cannot reset VmHWM: peak RSS is the process lifetime peak"
}
track_peak() { local p; p=$(rss_peak_mb); [ -n "$p" ] && [ "$p" -gt "$APP_PEAK_MB" ] && APP_PEAK_MB=$p; return 0; }

# pg_stat_statements over one scenario: reset before, read after (SQLite has no such statistics: none).
sql_reset() { is_sqlite || "${PSQL[@]}" -d "$DB_NAME" -c "SELECT pg_stat_statements_reset()" >/dev/null; }
sql_total_ms() {
  is_sqlite && return
  "${PSQL[@]}" -d "$DB_NAME" -c "SELECT coalesce(round(sum(total_exec_time)::numeric, 1), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
}
sql_top_json() {
  is_sqlite && { echo null; return; }
  "${PSQL[@]}" -d "$DB_NAME" -c "SELECT coalesce(json_agg(t), '[]') FROM (
      SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 240) AS query, calls, round(mean_exec_time::numeric, 2) AS \"meanMs\",
             round(total_exec_time::numeric, 1) AS \"totalMs\", rows
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT 3) t" | tr '\n' ' '  # json_agg puts newlines between elements
}

# The machine is shared: before a measured run, wait (at most BENCH_QUIET_WAIT seconds) until the CPUs are
# mostly idle while nothing of ours runs, and record how busy they were, so noisy figures can be told apart.
BENCH_QUIET_WAIT=${BENCH_QUIET_WAIT:-90}
BENCH_QUIET_BUSY=${BENCH_QUIET_BUSY:-40}
cpu_busy_pct() {  # over 2 s, all CPUs
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
wait_quiet() {
  local waited=0 busy
  busy=$(cpu_busy_pct)
  while [ "$busy" -gt "$BENCH_QUIET_BUSY" ] && [ "$waited" -lt "$BENCH_QUIET_WAIT" ]; do
    [ "$waited" = 0 ] && say "   other work keeps the CPUs ${busy}% busy: waiting up to ${BENCH_QUIET_WAIT}s"
    sleep 8; waited=$((waited + 10)); busy=$(cpu_busy_pct)
  done
  OTHERS_BUSY=$busy
}
loadavg1() { cut -d' ' -f1 /proc/loadavg; }

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# trace_scenario NAME TOKEN LUA PATH (BENCH_TRACE=1): a CPU sample trace of the app under the same load, taken after
# the warm-up and before the measured run (which it does not disturb): $RUN_DIR/NAME.nettrace, and the heaviest
# methods by inclusive and exclusive samples in NAME.trace-top.txt (bench/tools/trace-top.py), and the runtime's
# counters (GC counts, pause time, allocation) over the same seconds in NAME.counters.csv. dotnet-trace and
# dotnet-counters are installed into bench/.data/tools on first use.
trace_scenario() {
  local name=$1 token=$2 lua=$3 path=$4 tools="$DATA_DIR/tools"
  [ -x "$tools/dotnet-trace" ] || dotnet tool install dotnet-trace --tool-path "$tools" >/dev/null 2>&1 \
    || { say "$name: cannot install dotnet-trace, no trace"; return 0; }
  BENCH_TOKEN=$token wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d12s --timeout "${WRK_TIMEOUT}s" \
    -s "$BENCH_DIR/lua/$lua" "$APP_URL$path" >"$RUN_DIR/$name.trace-load.log" 2>&1 &
  local load=$!
  sleep 1
  # GC counts and pause time over the same seconds (System.Runtime counters), beside the samples.
  [ -x "$tools/dotnet-counters" ] || dotnet tool install dotnet-counters --tool-path "$tools" >/dev/null 2>&1 || true
  local counters=""
  if [ -x "$tools/dotnet-counters" ]; then
    timeout 30 "$tools/dotnet-counters" collect -p "$APP_PID" --counters System.Runtime --format csv --duration 00:00:00:10 \
      -o "$RUN_DIR/$name.counters.csv" >"$RUN_DIR/$name.counters.log" 2>&1 &
    counters=$!
  fi
  "$tools/dotnet-trace" collect -p "$APP_PID" --profile dotnet-sampled-thread-time --duration 00:00:00:10 \
    -o "$RUN_DIR/$name.nettrace" >"$RUN_DIR/$name.trace.log" 2>&1 || say "$name: dotnet-trace failed (see $name.trace.log)"
  [ -n "$counters" ] && wait "$counters"
  wait "$load"
  if [ -f "$RUN_DIR/$name.nettrace" ]; then
    "$tools/dotnet-trace" convert --format Speedscope -o "$RUN_DIR/$name.json" "$RUN_DIR/$name.nettrace" >>"$RUN_DIR/$name.trace.log" 2>&1 \
      && python3 "$BENCH_DIR/tools/trace-top.py" "$RUN_DIR/$name.speedscope.json" >"$RUN_DIR/$name.trace-top.txt" 2>&1 \
      && say "$name: trace in $RUN_DIR/$name.trace-top.txt"
  fi
}

# bench_wrk NAME DESCRIPTION ACCOUNT TOKEN PATH TARGETS_JSON [LUA_SCRIPT]
# One authenticated GET scenario: a check request (status 200, the list's total), a warm-up, then the
# measured run, then 7 requests one after another (serialMs: their median, the figure compared with the
# hand-written SQL's latency). TARGETS_JSON e.g. {"p95Ms":100}; with "limit":"NAME" and "maxRatio"/"minRatio"
# the report divides by that limit (bench_limit_sql, bench_pgbench). LUA_SCRIPT (default get.lua) for other
# requests (POST, or GETs of several paths with BENCH_WRK_METHOD=GET): then the caller has checked the request, and there is no
# serial probe.
bench_wrk() {
  local name=$1 desc=$2 account=$3 token=$4 path=$5 targets=$6 lua=${7:-get.lua}
  local check status total method=GET
  if [ "$lua" = get.lua ]; then
    check=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $token" "$APP_URL$path")
    status=${check##*$'\n'}
    [ "$status" = 200 ] || die "$name: GET $path answered $status: ${check%$'\n'*}"
    total=$(echo "${check%$'\n'*}" | grep -o '"total":[0-9]*' | head -1 | cut -d: -f2)
  else
    method=${BENCH_WRK_METHOD:-POST}; total=""   # BENCH_WRK_METHOD=GET for a script of GETs (get-rotate.lua)
  fi
  say "$name: $method $path as $account (total $total): warm-up ${WRK_WARMUP}s, then ${WRK_DURATION}s"
  BENCH_TOKEN=$token wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_WARMUP}s" --timeout "${WRK_TIMEOUT}s" \
    -s "$BENCH_DIR/lua/$lua" "$APP_URL$path" >"$RUN_DIR/$name.warmup.log" 2>&1
  [ -n "${BENCH_TRACE:-}" ] && trace_scenario "$name" "$token" "$lua" "$path"
  wait_quiet
  local load_before; load_before=$(loadavg1)
  rss_reset; sql_reset
  local rss_before; rss_before=$(rss_now_mb)
  BENCH_TOKEN=$token BENCH_OUT="$RUN_DIR/$name.wrk.json" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_DURATION}s" \
    --timeout "${WRK_TIMEOUT}s" --latency -s "$BENCH_DIR/lua/$lua" "$APP_URL$path" >"$RUN_DIR/$name.wrk.log" 2>&1 \
    || { cat "$RUN_DIR/$name.wrk.log"; die "$name: wrk failed"; }
  local wrkjson peak dbms requests
  wrkjson=$(cat "$RUN_DIR/$name.wrk.json")
  peak=$(rss_peak_mb)
  local serial=null
  [ "$lua" = get.lua ] && serial=$(serial_ms "$token" "$path")
  requests=$(echo "$wrkjson" | grep -o '"requests":[0-9]*' | cut -d: -f2)
  dbms=$(awk -v t="$(sql_total_ms)" -v n="$requests" 'BEGIN { if (t == "") print "null"; else printf "%.2f", (n > 0 ? t / n : 0) }')
  grep -E 'Requests/sec|Latency  |99%' "$RUN_DIR/$name.wrk.log" | sed 's/^/   /' >&2
  printf '{"scenario":%s,"description":%s,"account":%s,"request":%s,"load":%s,"targets":%s,"rowsMatched":%s,"peakRssMb":%s,"rssBeforeMb":%s,"dbMsPerRequest":%s,"serialMs":%s,"machine":{"othersCpuBusyPctBefore":%s,"loadAvg1Before":%s,"loadAvg1After":%s},"sql":%s,%s\n' \
    "$(json_str "$name")" "$(json_str "$desc")" "$(json_str "$account")" "$(json_str "$method $path")" \
    "$(json_str "wrk ${WRK_THREADS} threads, ${WRK_CONNECTIONS} connections, ${WRK_DURATION} s after ${WRK_WARMUP} s warm-up")" \
    "${targets:-null}" "${total:-null}" "${peak:-null}" "$rss_before" "$dbms" "$serial" "$OTHERS_BUSY" "$load_before" "$(loadavg1)" "$(sql_top_json)" "${wrkjson#\{}" >>"$RESULTS"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "null"; else printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# serial_ms TOKEN PATH: median time of 7 requests one after another (no queueing), in ms.
serial_ms() {
  local i
  for i in 1 2 3 4 5 6 7; do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $1" "$APP_URL$2"
  done | awk '{ printf "%.3f\n", $1 * 1000 }' | median
}

# bench_limit_sql NAME DESCRIPTION SQL: the hand-written query's latency in PostgreSQL itself (EXPLAIN ANALYZE:
# planning + execution time, one warm-up then 7 runs, median), what an app request doing the same is compared with.
bench_limit_sql() {
  local name=$1 desc=$2 sql=$3 i runs=()
  if is_sqlite; then
    # The statements are PostgreSQL's (names, FILTER over timestamptz ranges); SQLite stores instants as ticks.
    say "$name: skipped on SQLite"
    printf '{"limit":%s,"description":%s,"kind":"sql","skipped":"the hand-written SQL is PostgreSQL'"'"'s; not measured on SQLite"}\n' \
      "$(json_str "$name")" "$(json_str "$desc")" >>"$RESULTS"
    return
  fi
  say "$name: hand-written SQL, 7 runs"
  "${PSQL[@]}" -d "$DB_NAME" -c "EXPLAIN (ANALYZE) $sql" >"$RUN_DIR/$name.plan.txt" || die "$name: the SQL failed"
  for i in 1 2 3 4 5 6 7; do
    runs+=("$("${PSQL[@]}" -d "$DB_NAME" -c "EXPLAIN (ANALYZE, TIMING OFF) $sql" | awk '/(Planning|Execution) Time/ { t += $3 } END { printf "%.3f", t }')")
  done
  local med; med=$(printf '%s\n' "${runs[@]}" | median)
  say "   median ${med} ms (runs: ${runs[*]})"
  printf '{"limit":%s,"description":%s,"kind":"sql","ms":%s,"runsMs":[%s],"statement":%s}\n' "$(json_str "$name")" "$(json_str "$desc")" \
    "$med" "$(IFS=,; echo "${runs[*]}")" "$(json_str "$(echo "$sql" | tr -s ' \n' ' ')")" >>"$RESULTS"
}

# bench_pgbench NAME DESCRIPTION SCRIPT_FILE: the database's own rate for a write, with pgbench at the wrk
# scenario's concurrency (WRK_CONNECTIONS clients, WRK_THREADS threads, WRK_DURATION s), synchronous_commit on.
bench_pgbench() {
  local name=$1 desc=$2 script=$3
  say "$name: pgbench -c $WRK_CONNECTIONS -j $WRK_THREADS -T $WRK_DURATION -f $(basename "$script")"
  wait_quiet
  PGOPTIONS="-c synchronous_commit=on" "$PGBIN/pgbench" -h 127.0.0.1 -p "$PGPORT" -U postgres -n -c "$WRK_CONNECTIONS" -j "$WRK_THREADS" \
    -T "$WRK_DURATION" -P 5 -f "$script" "$DB_NAME" >"$RUN_DIR/$name.pgbench.log" 2>&1 || { tail -20 "$RUN_DIR/$name.pgbench.log"; die "$name: pgbench failed"; }
  local tps lat failed
  tps=$(awk '/^tps = / { printf "%.1f", $3 }' "$RUN_DIR/$name.pgbench.log")
  lat=$(awk '/^latency average = / { printf "%.3f", $4 }' "$RUN_DIR/$name.pgbench.log")
  failed=$(awk '/^number of failed transactions:/ { print $5 }' "$RUN_DIR/$name.pgbench.log")
  say "   ${tps} transactions/s, latency average ${lat} ms"
  printf '{"limit":%s,"description":%s,"kind":"pgbench","requestsPerSecond":%s,"latencyMsMean":%s,"failed":%s,"load":%s,"machine":{"othersCpuBusyPctBefore":%s},"statement":%s}\n' \
    "$(json_str "$name")" "$(json_str "$desc")" "${tps:-null}" "${lat:-null}" "${failed:-0}" \
    "$(json_str "pgbench ${WRK_THREADS} threads, ${WRK_CONNECTIONS} clients, ${WRK_DURATION} s, synchronous_commit on")" "$OTHERS_BUSY" \
    "$(json_str "$(grep -v '^\\' "$script" | tr -s ' \n' ' ')")" >>"$RESULTS"
}

# bench_insert_limit NAME DESCRIPTION [--writeset true]: on SQLite, what bench_pgbench measures on PostgreSQL: the
# submission's case row (or its write set) inserted from WRK_CONNECTIONS connections for WRK_DURATION s (Jiceng.Bench
# insert-limit, synchronous=FULL as the app's connections), rows deleted again afterwards.
bench_insert_limit() {
  local name=$1 desc=$2; shift 2
  say "$name: insert-limit -c $WRK_CONNECTIONS -T $WRK_DURATION $*"
  wait_quiet
  local out
  out=$("${BENCH_TOOL[@]}" insert-limit --connection "$CONNECTION" --grid "$GRID_ID" --category "$CATEGORY_ID" \
    --clients "$WRK_CONNECTIONS" --seconds "$WRK_DURATION" "$@" 2>"$RUN_DIR/$name.err") || { cat "$RUN_DIR/$name.err"; die "$name: insert-limit failed"; }
  echo "$out" >"$RUN_DIR/$name.json"
  local tps lat failed
  tps=$(echo "$out" | grep -o '"requestsPerSecond":[0-9.]*' | cut -d: -f2)
  lat=$(echo "$out" | grep -o '"latencyMsMean":[0-9.]*' | cut -d: -f2)
  failed=$(echo "$out" | grep -o '"failed":[0-9]*' | cut -d: -f2)
  say "   ${tps} transactions/s, latency average ${lat} ms"
  printf '{"limit":%s,"description":%s,"kind":"insert-limit","requestsPerSecond":%s,"latencyMsMean":%s,"failed":%s,"load":%s,"machine":{"othersCpuBusyPctBefore":%s},"statement":%s}\n' \
    "$(json_str "$name")" "$(json_str "$desc")" "${tps:-null}" "${lat:-null}" "${failed:-0}" \
    "$(json_str "Jiceng.Bench insert-limit, ${WRK_CONNECTIONS} connections, ${WRK_DURATION} s, WAL, synchronous=FULL")" "$OTHERS_BUSY" \
    "$(json_str "prepared INSERT INTO \"Cases\" (all columns of the EF model, all indexes)${*:+ + CaseEvents + IdempotencyRecords in one BEGIN IMMEDIATE transaction}")" >>"$RESULTS"
}

# bench_timed NAME DESCRIPTION ACCOUNT REQUEST TARGETS_JSON -- COMMAND...
# One long operation (an import, an export): wall time, the app's peak RSS while it ran, and
# whether COMMAND succeeded. COMMAND's stdout (first line) is kept as the scenario's "outcome".
bench_timed() {
  local name=$1 desc=$2 account=$3 request=$4 targets=$5; shift 6
  say "$name: $request as $account"
  wait_quiet
  rss_reset; sql_reset
  local rss_before; rss_before=$(rss_now_mb)
  # BENCH_SMAPS=1 keeps the app's memory map before the operation (NAME.smaps; bench/tools/smaps-summary.py reads it).
  # With dotnet-counters installed (trace_scenario installs it), also the runtime's counters over 3 s (NAME.before.csv).
  if [ -n "${BENCH_SMAPS:-}" ]; then
    cat "/proc/$APP_PID/smaps" >"$RUN_DIR/$name.smaps" 2>/dev/null
    [ -x "$DATA_DIR/tools/dotnet-counters" ] && timeout 20 "$DATA_DIR/tools/dotnet-counters" collect -p "$APP_PID" --counters System.Runtime \
      --format csv --duration 00:00:00:03 -o "$RUN_DIR/$name.before.csv" >/dev/null 2>&1
  fi
  local start end outcome code
  start=$(date +%s.%N)
  outcome=$("$@" 2>"$RUN_DIR/$name.err"); code=$?
  end=$(date +%s.%N)
  local seconds; seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  say "   ${seconds}s, exit $code, peak RSS $(rss_peak_mb) MB: $outcome"
  printf '{"scenario":%s,"description":%s,"account":%s,"request":%s,"load":%s,"targets":%s,"seconds":%s,"peakRssMb":%s,"rssBeforeMb":%s,"outcome":%s,"errors":{"failed":%d},"machine":{"othersCpuBusyPctBefore":%s},"sql":%s}\n' \
    "$(json_str "$name")" "$(json_str "$desc")" "$(json_str "$account")" "$(json_str "$request")" "\"one request\"" \
    "${targets:-null}" "$seconds" "$(rss_peak_mb)" "$rss_before" "$(json_str "$outcome")" "$([ "$code" = 0 ] && echo 0 || echo 1)" "$OTHERS_BUSY" "$(sql_top_json)" >>"$RESULTS"
}

# bench_upload NAME DESCRIPTION ACCOUNT TOKEN PATH FILE ROWS TARGETS: one .xlsx import (multipart field "file") timed by
# bench_timed as ACCOUNT; the answer is kept in $RUN_DIR/NAME.answer.json.
bench_upload() {
  local name=$1 desc=$2 account=$3 token=$4 path=$5 file=$6 rows=$7 targets=$8
  bench_timed "$name" "$desc" "$account" "POST $path ($rows rows)" "$targets" -- \
    curl -sf -o "$RUN_DIR/$name.answer.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -F "file=@$file;type=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "$APP_URL$path"
}

# bench_skip NAME DESCRIPTION REASON
bench_skip() {
  say "$1: skipped — $3"
  printf '{"scenario":%s,"description":%s,"skipped":%s}\n' "$(json_str "$1")" "$(json_str "$2")" "$(json_str "$3")" >>"$RESULTS"
}

# bench_route_exists PATH: whether the app maps the endpoint, read from its OpenAPI document (nothing runs;
# a HEAD or GET probe cannot tell a missing route from a page, and a GET could start a whole export).
bench_route_exists() {
  [ -n "${OPENAPI_DOC:-}" ] || OPENAPI_DOC=$(curl -sf "$APP_URL/openapi/v1.json") || die "cannot read $APP_URL/openapi/v1.json"
  grep -qF "\"$1\"" <<<"$OPENAPI_DOC"
}

# bench_report: machine facts, then bench/results/<date>-<run>-<scale>.md and .json.
bench_report() {
  track_peak
  local app_peak=$APP_PEAK_MB
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  mem=$(awk '/^MemTotal:/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
  local pgver dbsettings
  if is_sqlite; then
    pgver="none (SQLite $(sqlite3 --version | cut -d' ' -f1) shell; the app's own SQLite is Microsoft.Data.Sqlite's bundle)"
    dbsettings="SQLite file $DB_FILE, WAL, the app's defaults (synchronous=FULL)"
  else
    pgver=$("${PSQL[@]}" -d postgres -c "SHOW server_version"); dbsettings=$PG_SETTINGS
  fi
  cat >"$RUN_DIR/machine.json" <<EOF
{"run":$(json_str "$RUN_NAME scale $SCALE${BENCH_LABEL:+ ($BENCH_LABEL)}"),"nproc":$(nproc),"memory":$(json_str "$mem"),"cpu":$(json_str "$cpu"),
 "kernel":$(json_str "$(uname -r)"),"dotnet":$(json_str "$(dotnet --version)"),"postgres":$(json_str "$pgver"),
 "database":$(json_str "$BENCH_DB"),"postgresSettings":$(json_str "$dbsettings"),"wrk":$(json_str "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"),
 "commit":$(json_str "$(git -C "$(dirname "$APP_DLL")" rev-parse --short HEAD)$(git -C "$(dirname "$APP_DLL")" diff --quiet HEAD -- :/src || echo '+changes')"),
 "branch":$(json_str "$(git -C "$(dirname "$APP_DLL")" rev-parse --abbrev-ref HEAD)"),
 "lastLevelCache":$(json_str "$(LC_ALL=C lscpu 2>/dev/null | awk -F: '/^L3 cache/ { gsub(/^ +/, "", $2); print $2 }')"),"appGcGen0size":$(json_str "${APP_GEN0SIZE:-not set}"),"appRuntime":$(json_str "$(grep -o 'INF\] Runtime: .*' "$RUN_DIR/app.log" 2>/dev/null | head -1 | cut -d' ' -f2-)"),"appEnvironment":$(json_str "${BENCH_APP_ENV:-}"),
 "appStartRssMb":${APP_START_RSS_MB:-null},"appPeakRssMb":${app_peak:-null},
 "note":"app, database and wrk share the machine; other work on it at the same time shows in the figures"}
EOF
  # BENCH_LABEL tells apart runs of the same day and scale (e.g. another build through BENCH_APP_DLL).
  local out="$BENCH_DIR/results/$STAMP-$RUN_NAME-$SCALE${BENCH_LABEL:+-$BENCH_LABEL}"
  "${BENCH_TOOL[@]}" report --results "$RESULTS" --load "$RUN_DIR/load.json" --machine "$RUN_DIR/machine.json" --out "$out" \
    >"$RUN_DIR/report.md" || die "report failed"
  cat "$RUN_DIR/report.md"
  say "results: $out.md and $out.json (logs in $RUN_DIR)"
}
