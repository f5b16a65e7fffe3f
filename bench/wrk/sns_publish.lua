-- wrk scenario: SNS Publish over the query protocol, one ~100-byte message per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/sns_publish.lua http://127.0.0.1:PORT/ -- TOPIC_ARN
--
-- The request is built once per thread (wrk's static mode). done() prints one
-- "RESULT scenario=sns_publish ..." line (see common.lua).

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local common = require("common")

local function form_escape(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread) common.setup(thread) end

function init(args)
   common.init_counters()
   local topic = args[1] or os.getenv("OFFCLOUD_TOPIC_ARN")
   wrk.method = "POST"
   wrk.path = "/"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
   wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sns/aws4_request, "
      .. "SignedHeaders=host, Signature=00"
   wrk.headers["X-Amz-Date"] = "20260101T000000Z"
   wrk.body = "Action=Publish&Version=2010-03-31&TopicArn=" .. form_escape(topic)
      .. "&Message=" .. form_escape(common.payload(common.body_bytes(), "t" .. tostring(thread_id or 0)))
end

function response(status, headers, body)
   if common.track_status(status, body) then msgs_count = msgs_count + 1 end
end

function done(summary, latency, requests)
   common.report("sns_publish", summary, latency)
end
