-- wrk scenario: DynamoDB PutItem, a new item with a random partition key per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/ddb_put_item.lua http://127.0.0.1:PORT/ -- table=bench prefix=w
--
-- Items have the loaded items' shape: pk, sk (0), "d" ($BENCH_BODY_BYTES bytes,
-- default 100) and "n". The partition key is PREFIX<8 random hex digits>-<thread>-<counter>:
-- random, so writes land all over the key space, and unique within a run (give
-- each run its own prefix so a warm-up's keys are not overwritten).
-- msgs = 2xx answers (items written). done() prints "RESULT scenario=ddb_put_item ...".

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local ddb = require("ddb_common")

local req_head, head, tail, prefix, tid
local counter = 0

function setup(thread) ddb.setup(thread) end

function init(args)
   ddb.init_counters()
   local opts = ddb.options(args, { table = "bench", prefix = "w" })
   prefix = opts.prefix
   tid = tostring(thread_id or 0)
   req_head = ddb.request_head("PutItem")
   head = '{"TableName":' .. ddb.jstr(opts.table) .. ',"Item":{"pk":{"S":"'
   tail = '"},"sk":{"N":"0"},"d":{"S":"' .. ddb.data("t" .. tid) .. '"},"n":{"N":"'
   ddb.seed()
end

function request()
   counter = counter + 1
   local pk = string.format("%s%08x-%s-%d", prefix, math.random(0, 0x7fffffff), tid, counter)
   return ddb.request(req_head, head .. pk .. tail .. counter .. '"}}}')
end

function response(status, hdrs, body)
   if ddb.track_status(status, body) then msgs_count = msgs_count + 1 end
end

function done(summary, latency, requests)
   ddb.report("ddb_put_item", summary, latency)
end
