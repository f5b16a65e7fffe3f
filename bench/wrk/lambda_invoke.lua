-- wrk scenario: Lambda Invoke (RequestResponse) of the echo function that
-- `offcloud bench-lambda --serve` deploys, a small JSON event per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/lambda_invoke.lua http://127.0.0.1:PORT/
--
-- Counters: msgs = 2xx answers without X-Amz-Function-Error. done() prints one
-- "RESULT scenario=lambda_invoke ..." line.

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local common = require("common")

function setup(thread) common.setup(thread) end

function init(args)
   common.init_counters()
   wrk.method = "POST"
   wrk.path = "/2015-03-31/functions/echo/invocations"
   wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, "
      .. "SignedHeaders=host, Signature=00"
   wrk.headers["Content-Type"] = "application/json"
   wrk.body = '{"order":42,"items":["a","b"],"thread":' .. tostring(thread_id or 0) .. '}'
end

function response(status, headers, body)
   if common.track_status(status, body) and headers["X-Amz-Function-Error"] == nil then
      msgs_count = msgs_count + 1
   end
end

function done(summary, latency, requests)
   common.report("lambda_invoke", summary, latency)
end
