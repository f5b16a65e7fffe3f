-- wrk scenario: SQS SendMessage, one ~100-byte message per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/send_message.lua http://127.0.0.1:PORT/ -- QUEUE_URL
--
-- QUEUE_URL may instead come from $OFFCLOUD_QUEUE_URL; body size from
-- $BENCH_BODY_BYTES (default 100). The request is built once per thread
-- (wrk's static mode), so the client spends its CPU on I/O, not Lua.
-- done() prints one "RESULT scenario=send_message ..." line.

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local sqs = require("common")

function setup(thread) sqs.setup(thread) end

function init(args)
   sqs.init_counters()
   local url = sqs.queue_url(args)
   wrk.method = "POST"
   wrk.path = "/"
   for k, v in pairs(sqs.headers("SendMessage")) do wrk.headers[k] = v end
   wrk.body = '{"QueueUrl":' .. sqs.jstr(url)
      .. ',"MessageBody":' .. sqs.jstr(sqs.payload(sqs.body_bytes(), "t" .. tostring(thread_id or 0)))
      .. '}'
end

function response(status, headers, body)
   if sqs.track_status(status, body) then msgs_count = msgs_count + 1 end
end

function done(summary, latency, requests)
   sqs.report("send_message", summary, latency)
end
