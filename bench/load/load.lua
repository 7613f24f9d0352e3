-- wrk script for run.sh. With ROUTES set (GET paths, space-separated), every request goes out as
-- the next user (bearer tokens from $TOKENS_FILE, one a line) and, once every user has had it, to
-- the next route, so C connections are C users at a time. Without ROUTES wrk sends the URL it was
-- given as a plain, pre-built request (any token comes as -H on the command line): the fastest it
-- can, for one user on one route. Either way one machine-readable RESULT line ends the run.
local tokens, routes = {}, {}
for route in (os.getenv("ROUTES") or ""):gmatch("%S+") do routes[#routes + 1] = route end
local i, offset = 0, 0
local threads = {}

function setup(thread)
   thread:set("offset", #threads * 37)
   table.insert(threads, thread)
end

function init(args)
   if #routes > 0 then
      for line in io.lines(os.getenv("TOKENS_FILE")) do
         if #line > 0 then tokens[#tokens + 1] = line end
      end
   end
   i = tonumber(offset) or 0
end

-- Defined only when needed: wrk calls a request() function for every request.
if #routes > 0 then
   function request()
      i = i + 1
      local token = tokens[(i % #tokens) + 1]
      local route = routes[(math.floor(i / #tokens) % #routes) + 1]
      return wrk.format("GET", route, { ["Authorization"] = "Bearer " .. token })
   end
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
