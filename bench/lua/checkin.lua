-- Check-ins from 4 desks at once (bench/checkin.py): one wrk thread per desk, one connection each.
-- Each desk reads its own plan, BENCH_PLAN_DIR/desk-<n>.txt, written by bench/checkin.py:
--   header lines "Name<TAB>value" (the desk's session cookie and CSRF token, or its API token),
--   an empty line, then one request a line: "kind<TAB>code<TAB>client_id<TAB>basis"
--   (kind: first, cross = a code another desk scans at the same step, replay = the previous
--   request again with its client id, refused = a code the server must answer 409).
-- A desk that reaches the end of its plan starts it again as "pass 1": every code is then
-- checked in already, with fresh client ids (a replay keeps the one before it).
-- Per desk it counts: requests answered, answers saying "already": false (a first
-- check-in; replays of one are left out), the statuses, and the answers it did not expect.
local threads = {}
local next_desk = 0

function setup(thread)
  thread:set("desk", next_desk)
  next_desk = next_desk + 1
  table.insert(threads, thread)
end

local plan = {}
local headers = {}

-- The request on the wire is always the plan's entry number `answered` + 1 (counting the passes):
-- the position moves on only when its answer has come. So a request wrk makes and throws away
-- (it calls request() once on the first thread to check the script) costs nothing, and a request
-- resent after a timeout carries the same client id, as a desk's retry does.
local function entry_at(index)
  local pass = math.floor(index / #plan)
  local entry = plan[index % #plan + 1]
  local client_id = entry.client_id
  if pass > 0 then
    client_id = string.format("%s-p%d", client_id, pass)
  end
  return entry, client_id, pass
end

function init(args)
  local dir = os.getenv("BENCH_PLAN_DIR")
  local in_headers = true
  for line in io.lines(string.format("%s/desk-%d.txt", dir, desk)) do
    if in_headers then
      if line == "" then
        in_headers = false
      else
        local name, value = line:match("^([^\t]+)\t(.*)$")
        headers[name] = value
      end
    else
      local kind, code, client_id, basis = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
      table.insert(plan, { kind = kind, code = code, client_id = client_id, basis = basis })
    end
  end
  headers["Content-Type"] = "application/json"
  headers["Accept"] = "application/json"
  answered, firsts, unexpected, passes = 0, 0, 0, 0
  s200, s201, s409, sother = 0, 0, 0, 0
  last_unexpected = ""
end

request = function()
  local entry, client_id = entry_at(answered)
  local body = string.format('{"client_id":"%s","code":"%s","basis":"%s"}', client_id, entry.code, entry.basis)
  return wrk.format("POST", nil, headers, body)
end

response = function(status, response_headers, body)
  local entry, _, pass = entry_at(answered)
  answered = answered + 1
  passes = pass
  if status == 200 then s200 = s200 + 1
  elseif status == 201 then s201 = s201 + 1
  elseif status == 409 then s409 = s409 + 1
  else sother = sother + 1 end
  local fine
  if entry.kind == "refused" then
    fine = status == 409
  else
    fine = status == 200 or status == 201
    if fine and entry.kind ~= "replay" and body:find('"already":%s*false') then
      firsts = firsts + 1
    end
  end
  if not fine then
    unexpected = unexpected + 1
    last_unexpected = string.format("%d %s %s", status, entry.kind, body:sub(1, 200))
  end
end

done = function(summary, latency, requests)
  local desks = {}
  for _, thread in ipairs(threads) do
    table.insert(desks, string.format(
      '{"desk":%d,"answered":%d,"passes":%d,"firsts":%d,"unexpected":%d,' ..
      '"status":{"200":%d,"201":%d,"409":%d,"other":%d},"last_unexpected":"%s"}',
      thread:get("desk"), thread:get("answered"), thread:get("passes"),
      thread:get("firsts"), thread:get("unexpected"), thread:get("s200"), thread:get("s201"),
      thread:get("s409"), thread:get("sother"),
      ((thread:get("last_unexpected") or ""):gsub('[%c"\\]', " "))))
  end
  io.write("BENCH_DESKS [" .. table.concat(desks, ",") .. "]\n")
  -- The same line as report.lua's (this script replaces its done()).
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"errors":%d,"status_errors":%d,"p50_us":%d,"p99_us":%d,' ..
    '"p90_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(99), latency:percentile(90), latency.max))
end
