-- Shared by every scenario: the OpenAI headers, and one machine-readable result line at the end.
wrk.headers["OpenAI-Beta"] = "assistants=v2"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"

bench_threads = {}

function setup(thread)
   table.insert(bench_threads, thread)
end

function report(summary, latency, extra)
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
   io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d errors=%d bytes=%d%s\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency.max, errors, summary.bytes, extra or ""))
end

function done(summary, latency, requests)
   report(summary, latency)
end
