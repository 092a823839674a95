-- wrk script: the mutation mix. Each request is, in turn,
--   1. applyToPosting, anonymous, with an email no one used before;
--   2. moveApplicationToStage of an application no other request touches, to
--      its next stage, with the version read before the run;
--   3. scheduleInterview for an application at a meeting stage, at a slot no
--      other request uses (so no one is double-booked).
-- When a thread has used up its moves or meetings it sends applications instead.
-- Arguments (after `--`): the plan file written by bench.mjs, the staff token,
-- the number of threads, and a run tag that makes emails unique.
-- The plan file has tab-separated lines:
--   APPLY <body with %EMAIL%>
--   MOVE  <body>
--   SCHED <body with %START% and %END%>
--   SLOT0 <epoch seconds of the first slot>

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(args[3])
  run_tag = args[4]
  moves, meetings = {}, {}
  local all_moves, all_meetings = 0, 0
  for line in io.lines(args[1]) do
    local kind, rest = string.match(line, "^(%u+%d*)\t(.*)$")
    if kind == "APPLY" then
      apply_body = rest
    elseif kind == "SLOT0" then
      slot0 = tonumber(rest)
    elseif kind == "MOVE" then
      if all_moves % nthreads == tid then table.insert(moves, rest) end
      all_moves = all_moves + 1
    elseif kind == "SCHED" then
      if all_meetings % nthreads == tid then table.insert(meetings, rest) end
      all_meetings = all_meetings + 1
    end
  end
  nthreads_ = nthreads
  anon = { ["Content-Type"] = "application/json" }
  staff = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[2] }
  counter, move_i, meeting_i = 0, 0, 0
  sent_apply, sent_move, sent_sched = 0, 0, 0
  ok_apply, ok_move, ok_sched, failed = 0, 0, 0, 0
  first_failure = ""
end

local function apply()
  sent_apply = sent_apply + 1
  local email = string.format("bench-%s-%d-%d@example.com", run_tag, tid, counter)
  local body = string.gsub(apply_body, "%%EMAIL%%", email)
  return wrk.format("POST", nil, anon, body)
end

function request()
  counter = counter + 1
  local kind = counter % 3
  if kind == 1 and move_i < #moves then
    move_i = move_i + 1
    sent_move = sent_move + 1
    return wrk.format("POST", nil, staff, moves[move_i])
  elseif kind == 2 and meeting_i < #meetings then
    meeting_i = meeting_i + 1
    sent_sched = sent_sched + 1
    -- Slots an hour apart, interleaved across threads: never the same twice.
    local start = slot0 + ((meeting_i - 1) * nthreads_ + tid) * 3600
    local body = meetings[meeting_i]
    body = string.gsub(body, "%%START%%", os.date("!%Y-%m-%dT%H:%M:%SZ", start))
    body = string.gsub(body, "%%END%%", os.date("!%Y-%m-%dT%H:%M:%SZ", start + 1800))
    return wrk.format("POST", nil, staff, body)
  end
  return apply()
end

function response(status, headers, body)
  local good = status == 200
    and not string.find(body, '"errors":', 1, true)
    and string.find(body, '"userErrors":[]', 1, true)
  if good then
    if string.find(body, '"applyToPosting"', 1, true) then ok_apply = ok_apply + 1
    elseif string.find(body, '"moveApplicationToStage"', 1, true) then ok_move = ok_move + 1
    elseif string.find(body, '"scheduleInterview"', 1, true) then ok_sched = ok_sched + 1 end
  else
    failed = failed + 1
    if first_failure == "" then first_failure = status .. " " .. string.sub(body, 1, 400) end
  end
end

local function quote(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local t = { sent_apply = 0, sent_move = 0, sent_sched = 0, ok_apply = 0, ok_move = 0, ok_sched = 0, failed = 0 }
  local sample = ""
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
    local s = thread:get("first_failure") or ""
    if sample == "" then sample = s end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,' ..
    '"max_us":%d,"failed":%d,"socket_errors":%d,"non_2xx":%d,"first_failure":%s,' ..
    '"sent":{"apply":%d,"move":%d,"schedule":%d},"ok":{"apply":%d,"move":%d,"schedule":%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, t.failed,
    e.connect + e.read + e.write + e.timeout, e.status, quote(sample),
    t.sent_apply, t.sent_move, t.sent_sched, t.ok_apply, t.ok_move, t.ok_sched))
end
