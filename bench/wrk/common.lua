-- Shared helpers for the SQS wrk scenarios (loaded with require from the
-- scenario's own directory, so the scripts work from any working directory).
--
-- Every wrk thread runs its own Lua state: counters below are per-thread
-- globals, read back in done() with thread:get().

local M = {}

M.AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, "
      .. "SignedHeaders=host, Signature=00"

-- Queue URL: first script argument (wrk ... URL -- QUEUE_URL), else
-- $OFFCLOUD_QUEUE_URL, else the default account's "bench" queue on wrk's target.
function M.queue_url(args)
   if args and args[1] and args[1] ~= "" then return args[1] end
   local env = os.getenv("OFFCLOUD_QUEUE_URL")
   if env and env ~= "" then return env end
   local host = wrk.host
   if wrk.port then host = host .. ":" .. wrk.port end
   return "http://" .. host .. "/000000000000/bench"
end

-- Message body size in bytes ($BENCH_BODY_BYTES, default 100).
function M.body_bytes()
   local n = tonumber(os.getenv("BENCH_BODY_BYTES") or "")
   if not n or n < 1 then n = 100 end
   return math.floor(n)
end

-- A JSON-safe printable payload of exactly n bytes.
function M.payload(n, tag)
   local s = (tag or "m") .. "-"
   local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
   local parts, len = { s }, #s
   local i = 0
   while len < n do
      local k = (i % #alphabet) + 1
      parts[#parts + 1] = alphabet:sub(k, k)
      len = len + 1
      i = i + 1
   end
   return table.concat(parts):sub(1, n)
end

-- Minimal JSON string escaping (queue URLs and our payloads need little).
function M.jstr(s)
   s = s:gsub('[%c"\\]', function(c)
      if c == '"' then return '\\"' end
      if c == "\\" then return "\\\\" end
      return string.format("\\u%04x", c:byte())
   end)
   return '"' .. s .. '"'
end

-- Request headers for an AmazonSQS JSON 1.0 operation.
function M.headers(operation)
   return {
      ["Content-Type"] = "application/x-amz-json-1.0",
      ["X-Amz-Target"] = "AmazonSQS." .. operation,
      ["Authorization"] = M.AUTH,
   }
end

-- Count plain (non-pattern) occurrences of needle in s.
function M.count(s, needle)
   if not s then return 0 end
   local n, pos = 0, 1
   while true do
      local i = string.find(s, needle, pos, true)
      if not i then return n end
      n = n + 1
      pos = i + #needle
   end
end

-- Per-thread bookkeeping, called from init() in every scenario.
function M.init_counters(extra)
   ok_count = 0          -- 2xx responses
   non2xx_count = 0      -- any other status
   msgs_count = 0        -- messages sent / deleted, depending on scenario
   first_error = ""      -- first non-2xx status and body, for diagnosis
   for _, name in ipairs(extra or {}) do _G[name] = 0 end
end

-- Record status; returns true for 2xx.
function M.track_status(status, body)
   if status >= 200 and status < 300 then
      ok_count = ok_count + 1
      return true
   end
   non2xx_count = non2xx_count + 1
   if first_error == "" then
      first_error = tostring(status) .. " " .. tostring(body or ""):sub(1, 200):gsub("%s+", " ")
   end
   return false
end

-- setup()/done() run in a separate state that sees every thread.
local threads = {}

function M.setup(thread)
   threads[#threads + 1] = thread
   thread:set("thread_id", #threads)
end

local function sum(name)
   local total = 0
   for _, t in ipairs(threads) do total = total + (tonumber(t:get(name)) or 0) end
   return total
end

-- Print one parseable line:
--   RESULT scenario=NAME key=value ...
-- Latencies are milliseconds, rates per second over wrk's measured duration.
-- errors = non-2xx responses + socket errors (connect/read/write/timeout).
function M.report(scenario, summary, latency, extra)
   local secs = summary.duration / 1e6
   if secs <= 0 then secs = 1e-9 end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local non2xx = sum("non2xx_count")
   local msgs = sum("msgs_count")
   local fields = {
      { "scenario", scenario },
      { "threads", #threads },
      { "duration_s", string.format("%.3f", secs) },
      { "requests", summary.requests },
      { "requests_per_sec", string.format("%.1f", summary.requests / secs) },
      { "msgs", msgs },
      { "msgs_per_sec", string.format("%.1f", msgs / secs) },
      { "ok", sum("ok_count") },
      { "p50_ms", string.format("%.3f", latency:percentile(50) / 1000) },
      { "p90_ms", string.format("%.3f", latency:percentile(90) / 1000) },
      { "p99_ms", string.format("%.3f", latency:percentile(99) / 1000) },
      { "max_ms", string.format("%.3f", latency.max / 1000) },
      { "mean_ms", string.format("%.3f", latency.mean / 1000) },
      { "errors", non2xx + socket_errors },
      { "non2xx", non2xx },
      { "socket_errors", socket_errors },
      { "timeouts", e.timeout },
   }
   for _, name in ipairs(extra or {}) do
      local v = sum(name)
      fields[#fields + 1] = { name, v }
      fields[#fields + 1] = { name .. "_per_sec", string.format("%.1f", v / secs) }
   end
   local parts = { "RESULT" }
   for _, f in ipairs(fields) do parts[#parts + 1] = f[1] .. "=" .. tostring(f[2]) end
   print(table.concat(parts, " "))
   for _, t in ipairs(threads) do
      local fe = t:get("first_error")
      if fe and fe ~= "" then
         print("RESULT_ERROR_SAMPLE thread=" .. tostring(t:get("thread_id")) .. " " .. fe)
      end
   end
end

return M
