-- wrk script: residents' case submissions, POST /api/v1/public/cases (no account) with a unique
-- Idempotency-Key per request, as the QR-code page sends. Environment: BENCH_GRID, BENCH_CATEGORY (ids),
-- BENCH_RUN (a run id, so keys never repeat across runs), BENCH_OUT (file for the JSON summary).
local grid = os.getenv("BENCH_GRID")
local category = os.getenv("BENCH_CATEGORY")
-- os.time(): the warm-up and the measured run are two wrk processes whose counters both start at 1.
local run = (os.getenv("BENCH_RUN") or "run") .. "-" .. os.time()
local descriptions = { "楼道灯不亮，晚上出行不便", "小区门口垃圾满溢无人清运", "路面坑洼积水，老人出行不便", "楼下夜间施工噪音大" }
local here = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")   -- this script's folder: the shared pieces are next to it
dofile(here .. "threads.lua")   -- setup(): thread_id
local counter = 0

function request()
  counter = counter + 1
  local body = string.format('{"gridId":"%s","categoryId":"%s","description":"%s（压测%d）","place":"3号楼"}',
    grid, category, descriptions[counter % #descriptions + 1], counter)
  -- wrk.format does not merge wrk.headers into a table given to it.
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, thread_id or 0, counter) }
  return wrk.format("POST", nil, headers, body)
end

-- done(): the JSON summary, shared by every script (summary.lua next to this one).
dofile(here .. "summary.lua")
