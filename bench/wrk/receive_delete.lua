-- wrk scenario: SQS consumer loop. Requests alternate between
--   ReceiveMessage (MaxNumberOfMessages cycling 1..10, WaitTimeSeconds 0) and
--   DeleteMessageBatch for the handles received (DeleteMessage when only one).
--
--   wrk -t2 -c64 -d10s -s bench/wrk/receive_delete.lua http://127.0.0.1:PORT/ -- QUEUE_URL
--
-- wrk's Lua has no JSON library, so response() pulls the receipt handles out of
-- the body with string matching. wrk gives each thread one Lua state shared by
-- its connections and does not say which connection a callback is for, so the
-- handles go into a per-thread FIFO: the next request() on that thread (in
-- practice the same connection's next request) deletes them. A thread with no
-- pending handles receives. Empty receives are fine (the queue may run dry) and
-- are counted; the figures that matter are received/deleted messages per second.
--
-- Counters (summed over threads, with *_per_sec over wrk's measured duration):
--   received        messages returned by ReceiveMessage
--   msgs / deleted  messages acknowledged as deleted (batch Successful + 2xx DeleteMessage)
--   empty_receives  2xx ReceiveMessage responses with no message
--   delete_failed   DeleteMessageBatch "Failed" entries
-- An empty ReceiveMessage and a DeleteMessage both answer "{}" (or nothing): such
-- an answer counts as a single delete while single deletes are outstanding on
-- the thread, else as an empty receive (off by at most the in-flight requests).

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local sqs = require("common")

local MAX_BATCH = 10

local url_json
local receive_req = {}      -- prebuilt ReceiveMessage requests, k = 1..10
local next_k = 0
local pending = {}          -- FIFO of receipt handles (JSON string contents, as received)
local head, tail = 1, 0
local singles_outstanding = 0

local delete_headers, delete_batch_headers

function setup(thread) sqs.setup(thread) end

function init(args)
   sqs.init_counters({ "received", "deleted", "empty_receives", "delete_failed",
                       "receives_sent", "deletes_sent" })
   url_json = sqs.jstr(sqs.queue_url(args))
   local rh = sqs.headers("ReceiveMessage")
   for k = 1, 10 do
      receive_req[k] = wrk.format("POST", "/", rh,
         '{"QueueUrl":' .. url_json .. ',"MaxNumberOfMessages":' .. k .. ',"WaitTimeSeconds":0}')
   end
   delete_headers = sqs.headers("DeleteMessage")
   delete_batch_headers = sqs.headers("DeleteMessageBatch")
   -- Spread the threads' starting points over 1..10.
   next_k = ((thread_id or 1) * 3) % 10
end

function request()
   local n = tail - head + 1
   if n <= 0 then
      next_k = next_k % 10 + 1
      receives_sent = receives_sent + 1
      return receive_req[next_k]
   end
   deletes_sent = deletes_sent + 1
   if n == 1 then
      local h = pending[head]
      pending[head] = nil
      head = head + 1
      singles_outstanding = singles_outstanding + 1
      return wrk.format("POST", "/", delete_headers,
         '{"QueueUrl":' .. url_json .. ',"ReceiptHandle":"' .. h .. '"}')
   end
   if n > MAX_BATCH then n = MAX_BATCH end
   local entries = {}
   for i = 1, n do
      entries[i] = '{"Id":"d' .. i .. '","ReceiptHandle":"' .. pending[head] .. '"}'
      pending[head] = nil
      head = head + 1
   end
   return wrk.format("POST", "/", delete_batch_headers,
      '{"QueueUrl":' .. url_json .. ',"Entries":[' .. table.concat(entries, ",") .. ']}')
end

function response(status, headers, body)
   if not sqs.track_status(status, body) then return end
   body = body or ""
   -- DeleteMessageBatch: {"Successful":[{"Id":..}],"Failed":[...]}
   local ok_list = body:match('"Successful"%s*:%s*(%b[])')
   if ok_list then
      local d = sqs.count(ok_list, '"Id"')
      deleted = deleted + d
      msgs_count = msgs_count + d
      local failed = body:match('"Failed"%s*:%s*(%b[])')
      if failed then delete_failed = delete_failed + sqs.count(failed, '"Id"') end
      return
   end
   -- ReceiveMessage with messages: {"Messages":[{"ReceiptHandle":"..",..},..]}
   local got = 0
   for h in body:gmatch('"ReceiptHandle"%s*:%s*"([^"]*)"') do
      tail = tail + 1
      pending[tail] = h
      got = got + 1
   end
   if got > 0 then
      received = received + got
      return
   end
   -- "{}", "{"Messages":[]}" or an empty body: an empty receive or a DeleteMessage.
   if singles_outstanding > 0 and not body:find('"Messages"', 1, true) then
      singles_outstanding = singles_outstanding - 1
      deleted = deleted + 1
      msgs_count = msgs_count + 1
   else
      empty_receives = empty_receives + 1
   end
end

function done(summary, latency, requests)
   sqs.report("receive_delete", summary, latency,
      { "received", "deleted", "empty_receives", "delete_failed", "receives_sent", "deletes_sent" })
end
