-- wrk scenario: an HTTP API route (POST /orders) proxying to the echo function
-- that `offcloud bench-lambda --serve` deploys; the URL names the API:
--
--   wrk -t2 -c64 -d10s -s bench/wrk/http_api.lua http://127.0.0.1:PORT/_aws/execute-api/API_ID/orders
--
-- Counters: msgs = 2xx answers. done() prints one "RESULT scenario=http_api ..." line.

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local common = require("common")

function setup(thread) common.setup(thread) end

function init(args)
   common.init_counters()
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.body = '{"order":42,"items":["a","b"],"thread":' .. tostring(thread_id or 0) .. '}'
end

function response(status, headers, body)
   if common.track_status(status, body) then msgs_count = msgs_count + 1 end
end

function done(summary, latency, requests)
   common.report("http_api", summary, latency)
end
