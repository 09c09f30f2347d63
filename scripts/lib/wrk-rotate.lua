-- wrk script of the clinic benchmark: each request is the next line of a file of
-- "BEARER-TOKEN PATH" lines (each thread starts at its own place), so that the connections act as
-- many physiotherapists reading many runners. Prints p50/p95/p99, the request rate and every
-- kind of error (non-2xx/3xx answers, connect, read, write and timeout) as one block.
-- Usage: wrk -s scripts/lib/wrk-rotate.lua URL -- REQUESTS-FILE
local lines = {}
local position = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local token, path = line:match("^(%S+)%s+(%S+)$")
    if token then table.insert(lines, { token = token, path = path }) end
  end
  -- Threads start at evenly spread places (wrk's Lua states all draw the same random numbers).
  position = math.floor((thread_number or 0) * #lines / 2) % #lines
end

function request()
  position = position % #lines + 1
  local line = lines[position]
  return wrk.format("GET", line.path, { ["Authorization"] = "Bearer " .. line.token })
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("  latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("  %d requests in %.1f s: %.1f requests/s, %.1f MB/s\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), summary.bytes / (summary.duration / 1e6) / 1e6))
  io.write(string.format("  errors: %d answers not 2xx/3xx, %d connect, %d read, %d write, %d timeouts\n",
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
