-- wrk script: authenticated GET of the URL given on the command line.
-- Environment: BENCH_TOKEN (bearer token), BENCH_OUT (file for the JSON summary written by done(), see summary.lua).
-- The summary's latencies come from wrk's own histogram (latency:percentile), in milliseconds.
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.headers["Accept"] = "application/json"

-- done(): the JSON summary, shared by every script (summary.lua next to this one).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "summary.lua")
