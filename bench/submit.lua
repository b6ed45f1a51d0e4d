-- wrk script: submit complete drafts prepared by run.py (one id per line in BENCH_IDS), split between threads.
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local threads_made = 0

function setup(thread)
  thread:set("tid", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  ids, next_index = {}, 1
  local n = 0
  for line in io.lines(os.getenv("BENCH_IDS")) do
    if n % 2 == tid then table.insert(ids, line) end
    n = n + 1
  end
end

request = function()
  local id = ids[next_index] or ids[#ids]  -- past the end: a repeat, which shows up as non-2xx (409)
  next_index = next_index + 1
  return wrk.format("POST", "/api/v1/dossiers/" .. id .. "/submit",
    {["Cookie"] = cookie, ["X-CSRF-Token"] = csrf, ["Content-Type"] = "application/json",
     ["Idempotency-Key"] = "bench-submit-" .. id}, "{}")
end
