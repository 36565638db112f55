#!/usr/bin/env bash
# The README's test command: installs what a fresh machine lacks, starts a throwaway PostgreSQL,
# runs every test project (database tests on SQLite and PostgreSQL, browser tests in Debian's
# chromium), stops what it started, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
CONFIG=${CONFIG:-Debug}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { printf '== %s\n' "$*"; }

# 1. What a fresh machine lacks -----------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
{ command -v fc-list >/dev/null && fc-list | grep -qi 'wenquanyi zen hei'; } || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { echo "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
fi
if [ ! -f .config/dotnet-tools.json ] || ! dotnet tool restore >/dev/null; then echo "dotnet tool restore failed"; echo "0 passed, 1 failed"; exit 1; fi

# 2. A throwaway PostgreSQL on a free loopback port, stopped by pid on exit ----------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/jiceng-pg.XXXXXX)
PGPID=""
cleanup() {
  if [ -n "$PGPID" ]; then kill -INT "$PGPID" 2>/dev/null; for _ in $(seq 1 50); do kill -0 "$PGPID" 2>/dev/null || break; sleep 0.2; done; fi
  rm -rf "$PGDIR"
}
trap cleanup EXIT
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGDIR/initdb.log" 2>&1 \
  || { cat "$PGDIR/initdb.log"; echo "0 passed, 1 failed"; exit 1; }
# The port is chosen after initdb, and chosen again when another process took it before the server bound it (the machine may
# be shared: a CI run once lost port 55432 in the seconds between the check and the start).
PGPORT=55432
for attempt in 1 2 3 4 5; do
  while ! port_free $PGPORT; do PGPORT=$((PGPORT + 1)); done
  say "starting PostgreSQL on 127.0.0.1:$PGPORT"
  if run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" >/dev/null; then
    break
  fi
  if [ "$attempt" = 5 ] || ! grep -q "Address already in use" "$PGDIR/server.log"; then
    cat "$PGDIR/server.log"; echo "0 passed, 1 failed"; exit 1
  fi
  PGPORT=$((PGPORT + 1))
done
PGPID=$(head -1 "$PGDIR/data/postmaster.pid")
export JICENG_TEST_PG="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Pooling=true;Maximum Pool Size=20"

# 3. Build once, then each test project ------------------------------------------------------
passed=0; failed=0; skipped=0
say "building"
if ! dotnet build Jiceng.slnx -c "$CONFIG" -nologo -v q; then echo "0 passed, 1 failed"; exit 1; fi

say "checking that the model has no changes without a migration (both providers)"
for p in Sqlite Postgres; do
  if dotnet ef migrations has-pending-model-changes --no-build --configuration "$CONFIG" \
       --project "src/Jiceng.Data.Migrations.$p" --startup-project "src/Jiceng.Data.Migrations.$p" >"$PGDIR/ef-$p.log" 2>&1; then
    passed=$((passed + 1))
  else
    cat "$PGDIR/ef-$p.log"; echo "FAILED: pending model changes for $p"; failed=$((failed + 1))
  fi
done

mkdir -p artifacts
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  say "testing $name"
  log="$PGDIR/$name.log"
  dotnet test "$proj" -c "$CONFIG" --no-build -nologo --logger "console;verbosity=normal" >"$log" 2>&1
  code=$?
  grep -E '^\s+(Failed|Skipped) |Error Message|^\s+at Jiceng' -A3 "$log" | head -120
  summary=$(grep -E 'Total tests:|Passed!|Failed!' "$log" | tail -3)
  echo "$summary"
  p=$(grep -oE '^\s*Passed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+'); p=${p:-0}
  f=$(grep -oE '^\s*Failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+'); f=${f:-0}
  s=$(grep -oE '^\s*Skipped: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+'); s=${s:-0}
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then tail -40 "$log"; f=1; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done

if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
