-- wrk script: authenticated GETs of the paths listed in BENCH_PATHS_FILE (one per line), each thread's requests going round
-- them in turn (threads start at different places). Environment: BENCH_TOKEN, BENCH_PATHS_FILE, BENCH_OUT (summary.lua).
local token = os.getenv("BENCH_TOKEN")
local here = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")   -- this script's folder: the shared pieces are next to it
dofile(here .. "lines.lua")
local paths = read_lines("BENCH_PATHS_FILE")
dofile(here .. "threads.lua")   -- setup(): thread_id
local next_path = 0

function init(args)
  next_path = ((thread_id or 1) - 1) * 3
end

function request()
  next_path = next_path + 1
  local headers = { ["Accept"] = "application/json" }
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", paths[(next_path - 1) % #paths + 1], headers)
end

-- done(): the JSON summary, shared by every script (summary.lua next to this one).
dofile(here .. "summary.lua")
