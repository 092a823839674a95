-- wrk script: POSTs one GraphQL request body again and again.
-- Arguments (after `--`): the body file, then a bearer token or "-" for none.
-- A response counts as failed unless it is a 200 without a top-level "errors".
-- At the end it prints one line, `BENCH_RESULT {json}`.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local body = file:read("*a")
  file:close()
  local headers = { ["Content-Type"] = "application/json" }
  if args[2] and args[2] ~= "-" then
    headers["Authorization"] = "Bearer " .. args[2]
  end
  failed = 0
  first_failure = ""
  req = wrk.format("POST", nil, headers, body)
end

function request()
  return req
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors":', 1, true) then
    failed = failed + 1
    if first_failure == "" then
      first_failure = status .. " " .. string.sub(body, 1, 300)
    end
  end
end

local function quote(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local failed_total, sample = 0, ""
  for _, thread in ipairs(threads) do
    failed_total = failed_total + (thread:get("failed") or 0)
    local s = thread:get("first_failure") or ""
    if sample == "" then sample = s end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,' ..
    '"max_us":%d,"failed":%d,"socket_errors":%d,"non_2xx":%d,"first_failure":%s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, failed_total,
    e.connect + e.read + e.write + e.timeout, e.status, quote(sample)))
end
