-- wrk script for users200.sh: every request goes out as the next of the 200 users (tokens from
-- $TOKENS_FILE, one a line) and to the next dashboard or holdings route, so the 200 connections
-- are 200 users at a time. Prints one machine-readable RESULT line like report.lua.
local tokens, routes = {}, {
   "/api/dashboard/overview", "/api/dashboard/positions", "/holdings/profit-loss",
   "/holdings/by-symbol?symbol=MSFT", "/api/dashboard/trades?limit=20",
}
local i, offset = 0, 0
local threads = {}

function setup(thread)
   thread:set("offset", #threads * 37)
   table.insert(threads, thread)
end

function init(args)
   for line in io.lines(os.getenv("TOKENS_FILE")) do
      if #line > 0 then tokens[#tokens + 1] = line end
   end
   i = tonumber(offset) or 0
end

function request()
   i = i + 1
   local token = tokens[(i % #tokens) + 1]
   local route = routes[(math.floor(i / #tokens) % #routes) + 1]
   return wrk.format("GET", route, { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect, e.read, e.write, e.status, e.timeout))
end
