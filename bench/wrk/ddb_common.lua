-- Shared helpers for the DynamoDB wrk scenarios (ddb_get_item.lua, ddb_put_item.lua).
-- Loaded with require from the scenario's own directory. The per-thread counters,
-- status tracking and the RESULT line come from common.lua (the SQS helpers);
-- this adds the DynamoDB headers, the script arguments, the item shape and keys.
--
-- Script arguments (after wrk's "--"), each key=value, any order:
--   table=NAME     table name (default bench)
--   keys=N         GetItem: keys are PREFIX0 .. PREFIX(N-1), sort key 0 (default 100000)
--   prefix=P       partition-key prefix (GetItem default "g", PutItem default "w")
-- $BENCH_BODY_BYTES sets the size of the "d" string attribute (default 100).

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local common = require("common")

local M = setmetatable({}, { __index = common })

M.AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, "
      .. "SignedHeaders=host, Signature=00"

-- Request headers for a DynamoDB (awsJson1_0) operation.
function M.headers(operation)
   return {
      ["Content-Type"] = "application/x-amz-json-1.0",
      ["X-Amz-Target"] = "DynamoDB_20120810." .. operation,
      ["Authorization"] = M.AUTH,
   }
end

-- Everything of a POST / request for operation up to the Content-Length value, built
-- once in init(): request() then only appends the length and the body, cheaper per
-- request than wrk.format (which rebuilds the header lines every time).
function M.request_head(operation)
   local host = wrk.headers["Host"]
   if not host then
      host = wrk.host
      if wrk.port then host = host .. ":" .. wrk.port end
   end
   local lines = { "POST / HTTP/1.1", "Host: " .. host }
   for k, v in pairs(M.headers(operation)) do lines[#lines + 1] = k .. ": " .. v end
   lines[#lines + 1] = "Content-Length: "
   return table.concat(lines, "\r\n")
end

-- A whole request: head from request_head(), then body.
function M.request(head, body)
   return head .. #body .. "\r\n\r\n" .. body
end

-- key=value script arguments over defaults.
function M.options(args, defaults)
   local opts = {}
   for k, v in pairs(defaults or {}) do opts[k] = v end
   for _, a in ipairs(args or {}) do
      local k, v = a:match("^([%w_]+)=(.*)$")
      if k then opts[k] = v end
   end
   return opts
end

-- Different random sequences per thread and per run.
function M.seed()
   local t = tonumber(thread_id) or 0
   math.randomseed(os.time() * 1000 + t * 7919 + math.floor((os.clock() * 1e6) % 1000))
   for _ = 1, 10 do math.random() end
end

-- The "d" attribute's value: printable, JSON-safe, BENCH_BODY_BYTES long.
function M.data(tag)
   return common.payload(common.body_bytes(), tag)
end

-- JSON for the key {pk: S, sk: N}; pk and sk must need no escaping.
function M.key_json(pk, sk)
   return '{"pk":{"S":"' .. pk .. '"},"sk":{"N":"' .. sk .. '"}}'
end

-- JSON for a whole bench item: the key, "d" (string) and "n" (number).
-- Same shape as the items bench/ddb.py loads.
function M.item_json(pk, sk, data, n)
   return '{"pk":{"S":"' .. pk .. '"},"sk":{"N":"' .. sk .. '"},"d":{"S":"' .. data
      .. '"},"n":{"N":"' .. n .. '"}}'
end

return M
