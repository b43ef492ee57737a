-- GET with the organiser's session cookie (BENCH_COOKIE).
local cookie = os.getenv("BENCH_COOKIE") or ""
request = function()
  return wrk.format("GET", nil, {["Cookie"] = cookie})
end
