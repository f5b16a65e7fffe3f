-- wrk scenario: SQS SendMessageBatch, 10 entries of ~100 bytes each per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/send_message_batch.lua http://127.0.0.1:PORT/ -- QUEUE_URL
--
-- QUEUE_URL may instead come from $OFFCLOUD_QUEUE_URL; entry size from
-- $BENCH_BODY_BYTES (default 100). msgs counts the "MessageId"s of 2xx
-- responses (the Successful entries), batch_failed the "Failed" entries.
-- done() prints one "RESULT scenario=send_message_batch ..." line.

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local sqs = require("common")

local ENTRIES = 10

function setup(thread) sqs.setup(thread) end

function init(args)
   sqs.init_counters({ "batch_failed" })
   local url = sqs.queue_url(args)
   local n = sqs.body_bytes()
   local entries = {}
   for i = 1, ENTRIES do
      local tag = "t" .. tostring(thread_id or 0) .. "e" .. i
      entries[i] = '{"Id":"e' .. i .. '","MessageBody":' .. sqs.jstr(sqs.payload(n, tag)) .. '}'
   end
   wrk.method = "POST"
   wrk.path = "/"
   for k, v in pairs(sqs.headers("SendMessageBatch")) do wrk.headers[k] = v end
   wrk.body = '{"QueueUrl":' .. sqs.jstr(url) .. ',"Entries":[' .. table.concat(entries, ",") .. ']}'
end

function response(status, headers, body)
   if sqs.track_status(status, body) then
      msgs_count = msgs_count + sqs.count(body, '"MessageId"')
      local failed = body:match('"Failed"%s*:%s*(%b[])')
      if failed then batch_failed = batch_failed + sqs.count(failed, '"Id"') end
   end
end

function done(summary, latency, requests)
   sqs.report("send_message_batch", summary, latency, { "batch_failed" })
end
