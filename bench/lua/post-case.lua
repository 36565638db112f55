-- wrk script: residents' case submissions, POST /api/v1/public/cases (no account) with a unique
-- Idempotency-Key per request, as the QR-code page sends. Environment: BENCH_GRID, BENCH_CATEGORY (ids),
-- BENCH_RUN (a run id, so keys never repeat across runs), BENCH_OUT (file for the JSON summary).
local grid = os.getenv("BENCH_GRID")
local category = os.getenv("BENCH_CATEGORY")
-- os.time(): the warm-up and the measured run are two wrk processes whose counters both start at 1.
local run = (os.getenv("BENCH_RUN") or "run") .. "-" .. os.time()
local descriptions = { "楼道灯不亮，晚上出行不便", "小区门口垃圾满溢无人清运", "路面坑洼积水，老人出行不便", "楼下夜间施工噪音大" }
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local body = string.format('{"gridId":"%s","categoryId":"%s","description":"%s（压测%d）","place":"3号楼"}',
    grid, category, descriptions[counter % #descriptions + 1], counter)
  -- wrk.format does not merge wrk.headers into a table given to it.
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, thread_id or 0, counter) }
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local function ms(us) return string.format("%.2f", us / 1000) end
  local json = string.format(
    '{"requests":%d,"durationSeconds":%.2f,"requestsPerSecond":%.1f,"bytes":%d,' ..
    '"latencyMs":{"p50":%s,"p90":%s,"p95":%s,"p99":%s,"max":%s,"mean":%s,"stdev":%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)), ms(latency:percentile(99)),
    ms(latency.max), ms(latency.mean), ms(latency.stdev),
    e.connect, e.read, e.write, e.status, e.timeout)
  local out = os.getenv("BENCH_OUT")
  if out and out ~= "" then
    local f = assert(io.open(out, "w"))
    f:write(json, "\n")
    f:close()
  end
  io.write("summary: ", json, "\n")
end
