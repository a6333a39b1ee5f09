-- Shared by every scenario: the OpenAI headers, and one machine-readable result line at the end.
wrk.headers["OpenAI-Beta"] = "assistants=v2"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"

bench_threads = {}

function setup(thread)
   table.insert(bench_threads, thread)
end

-- wrk 4 corrects its latency histogram for coordinated omission before done() runs: for every
-- response slower than the mean interval between a connection's requests it adds the samples a
-- client sending at a steady rate would have seen while it waited. So a pause of P ms adds
-- about P / interval samples per connection, and the percentiles describe a constant-rate client.
-- samples - requests is how many such samples were added.
function report(summary, latency, extra)
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
   local samples = 0
   for i = 1, #latency do
      local _, count = latency(i)
      samples = samples + count
   end
   io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d errors=%d bytes=%d samples=%d%s\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency.max, errors, summary.bytes, samples, extra or ""))
end

function done(summary, latency, requests)
   report(summary, latency)
end
