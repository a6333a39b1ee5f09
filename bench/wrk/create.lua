-- Create run on a fresh thread each time: POST /v1/threads/runs (create thread and run).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
wrk.method = "POST"
wrk.path = "/v1/threads/runs"
wrk.body = string.format('{"assistant_id":"%s"}', os.getenv("BENCH_ASSISTANT"))
