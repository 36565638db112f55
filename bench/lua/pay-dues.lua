-- wrk script: cash dues payments of one month, POST /api/v1/dues/payments, one member after another from BENCH_MEMBERS_FILE
-- (member ids, one per line; each paid once while the payments are fewer than the ids: 2,000 for about 70), a pause of
-- BENCH_DELAY_MS between a connection's requests, a unique Idempotency-Key per request. Environment: BENCH_TOKEN, BENCH_MEMBERS_FILE, BENCH_DELAY_MS (default 500), BENCH_RUN,
-- BENCH_OUT (summary.lua).
local token = os.getenv("BENCH_TOKEN")
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "500")
local run = (os.getenv("BENCH_RUN") or "run") .. "-" .. os.time()
local here = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")   -- this script's folder: the shared pieces are next to it
dofile(here .. "lines.lua")
local members = read_lines("BENCH_MEMBERS_FILE")
dofile(here .. "threads.lua")   -- setup(): thread_id
local counter = 0

function delay()
  return pause
end

function request()
  counter = counter + 1
  -- Each thread's own counter; threads start far apart in the list.
  local member = members[(((thread_id or 1) - 1) * 997 + counter - 1) % #members + 1]
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json",
    ["Authorization"] = "Bearer " .. assert(token, "BENCH_TOKEN is not set"),
    ["Idempotency-Key"] = string.format("bench-pay-%s-%d-%d", run, thread_id or 0, counter) }
  return wrk.format("POST", nil, headers, string.format('{"memberId":"%s","months":1,"method":"Cash"}', member))
end

-- done(): the JSON summary, shared by every script (summary.lua next to this one).
dofile(here .. "summary.lua")
