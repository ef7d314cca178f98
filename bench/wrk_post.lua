-- wrk script for bench_payment.py: POSTs with a fresh Idempotency-Key each, as a till's
-- retrying client sends them. Bodies come from the file in $WRK_BODIES (one JSON per line,
-- each used once: payment codes are single use) or, without it, $WRK_BODY for every request.
-- Prints one JSON line of figures when done.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.path = os.getenv("WRK_PATH")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_KEY")
  run = os.getenv("WRK_RUN")
  sent, bodies, spent = 0, {}, 0
  local path = os.getenv("WRK_BODIES")
  if path then
    local n, count = 0, tonumber(os.getenv("WRK_THREADS"))
    for line in io.lines(path) do  -- this thread's share: every count-th line
      if n % count == id then table.insert(bodies, line) end
      n = n + 1
    end
  end
end

function request()
  sent = sent + 1
  local body = os.getenv("WRK_BODY")
  if #bodies > 0 then
    -- past the end the bodies repeat; the sandbox refuses a used code (a non-2xx, counted)
    body = bodies[(sent - 1) % #bodies + 1]
    if sent > #bodies then spent = spent + 1 end
  end
  wrk.headers["Idempotency-Key"] = run .. "-" .. id .. "-" .. sent
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local reused = 0
  for _, thread in ipairs(threads) do reused = reused + thread:get("spent") end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "non2xx": %d, "socket_errors": %d, "reused_bodies": %d, ' ..
    '"p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    reused, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
