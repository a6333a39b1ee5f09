-- The poll loop: each connection is one client (run wrk with as many threads as connections)
-- that creates a run on a fresh thread, then retrieves it, waiting openai-poll-after-ms between
-- polls as the SDKs' create_and_poll does, until the run has ended; then starts the next one.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local create_body = string.format('{"assistant_id":"%s"}', os.getenv("BENCH_ASSISTANT"))
local poll_path = nil
local wait_ms = 0
completed = 0
polls = 0

local terminal = { completed = true, failed = true, cancelled = true, incomplete = true, expired = true }

function request()
   if poll_path == nil then
      return wrk.format("POST", "/v1/threads/runs", nil, create_body)
   end
   polls = polls + 1
   return wrk.format("GET", poll_path, nil, nil)
end

function delay()
   return wait_ms
end

function response(status, headers, body)
   wait_ms = 0
   if status ~= 200 then
      poll_path = nil
      return
   end
   local run_status = body:match('"status":"([a-z_]+)"')
   if poll_path == nil then
      local run_id = body:match('"id":"(run_[A-Za-z0-9]+)"')
      local thread_id = body:match('"thread_id":"(thread_[A-Za-z0-9]+)"')
      if run_id and thread_id then
         poll_path = "/v1/threads/" .. thread_id .. "/runs/" .. run_id
      end
   elseif terminal[run_status] then
      completed = completed + 1
      poll_path = nil
      return
   end
   wait_ms = tonumber(headers["openai-poll-after-ms"] or "0") or 0
end

function done(summary, latency, requests)
   local runs = 0
   for _, thread in ipairs(bench_threads) do
      runs = runs + thread:get("completed")
   end
   local seconds = summary.duration / 1e6
   -- Every client always has one run under way, so the mean time from create to the client
   -- seeing it ended is clients x duration / runs (Little's law).
   local clients = #bench_threads
   report(summary, latency, string.format(" runs=%d runs_per_s=%.1f mean_run_ms=%.1f", runs, runs / seconds,
      runs > 0 and clients * seconds * 1000 / runs or 0))
end
