-- POST the HTML registration form with a CSRF cookie and its matching token, a unique email each time.
-- Django accepts the unmasked 32-character secret both in the cookie and in the form field.
local counter = 0
local run = os.getenv("BENCH_RUN") or "0"
local secret = "benchBENCHbenchBENCHbenchBENCH12"
-- setup() runs in wrk's main Lua state; thread:set() gives each thread its own global `thread_id`.
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

request = function()
  counter = counter + 1
  local email = string.format("form-%s-%d-%d%%40bench.example.org", run, thread_id, counter)
  local body = "csrfmiddlewaretoken=" .. secret ..
    "&first_name=Mariia&last_name=Bench&email=" .. email ..
    "&phone=&language=uk&organisation_name=Fundacja+Zustricz&organisation_type=migrant" ..
    "&organisation_role=&dietary=none&dietary_details=&accessibility_needs=&interpreting_needs=" ..
    "&q_lunch=yes&consent_processing=on"
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. secret,
  }, body)
end
