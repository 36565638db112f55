-- wrk's done() for every bench script: the JSON summary (requests/s, latencies from wrk's own histogram in
-- milliseconds, errors) to BENCH_OUT and stdout. Loaded by the scenario scripts with dofile.
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
