-- POST /api/v1/events/<slug>/registrations with a unique email per request.
-- The path comes from the URL given to wrk; BENCH_RUN makes emails unique across runs.
local counter = 0
local run = os.getenv("BENCH_RUN") or "0"
-- setup() runs in wrk's main Lua state; thread:set() gives each thread its own global `thread_id`.
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

request = function()
  counter = counter + 1
  local email = string.format("api-%s-%d-%d@bench.example.org", run, thread_id, counter)
  local body = string.format(
    '{"first_name":"Olena","last_name":"Bench","email":"%s","organisation_name":"Fundacja Zustricz",' ..
    '"organisation_type":"migrant","language":"uk","dietary":"none","answers":{"lunch":true},"consent_processing":true}',
    email)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
