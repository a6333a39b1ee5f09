-- GET of the URL given to wrk (retrieve run, list runs, list messages).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
