-- wrk scenario: DynamoDB GetItem, a random key of a pre-loaded set per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/ddb_get_item.lua http://127.0.0.1:PORT/ -- table=bench keys=100000 prefix=g
--
-- Keys are {pk: PREFIX<n>, sk: 0} with n uniform in [0, keys); bench/ddb.py loads
-- exactly those items first. Each request is built in request() from a head made
-- once in init() plus the body, so every request reads a different item.
-- Counters: msgs = 2xx answers holding an "Item"; misses = 2xx answers without
-- one (the key was not loaded; not errors, but they mean the load fell short).
-- done() prints one "RESULT scenario=ddb_get_item ..." line.

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local ddb = require("ddb_common")

local req_head, head, keys, prefix

function setup(thread) ddb.setup(thread) end

function init(args)
   ddb.init_counters({ "misses" })
   local opts = ddb.options(args, { table = "bench", keys = "100000", prefix = "g" })
   keys = math.max(1, math.floor(tonumber(opts.keys) or 100000))
   prefix = opts.prefix
   req_head = ddb.request_head("GetItem")
   head = '{"TableName":' .. ddb.jstr(opts.table) .. ',"Key":{"pk":{"S":"' .. prefix
   ddb.seed()
end

function request()
   local n = math.random(0, keys - 1)
   return ddb.request(req_head, head .. n .. '"},"sk":{"N":"0"}}}')
end

function response(status, hdrs, body)
   if ddb.track_status(status, body) then
      if body and string.find(body, '"Item"', 1, true) then
         msgs_count = msgs_count + 1
      else
         misses = misses + 1
      end
   end
end

function done(summary, latency, requests)
   ddb.report("ddb_get_item", summary, latency, { "misses" })
end
