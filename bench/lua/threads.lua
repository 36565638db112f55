-- Shared by the wrk scripts whose threads tell themselves apart (loaded with dofile): setup(), which wrk calls in the main Lua
-- state once per thread before the threads start, gives each thread its number (1, 2, …) as the global thread_id of the
-- thread's own state.
local started = 0

function setup(thread)
  started = started + 1
  thread:set("thread_id", started)
end
