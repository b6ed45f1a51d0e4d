-- wrk script: replay the request paths listed in BENCH_PATHS (one per line), split between wrk's threads.
-- BENCH_METHOD=POST sends each as a citizen (cookie, CSRF token, Idempotency-Key from the path, body "{}").
local threads_made = 0
local method = os.getenv("BENCH_METHOD") or "GET"
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")

function setup(thread)
  thread:set("tid", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  paths, next_index = {}, 1
  local n = 0
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if n % 2 == tid then table.insert(paths, line) end
    n = n + 1
  end
end

request = function()
  local path = paths[next_index] or paths[#paths]  -- past the end: a repeat, which shows up as non-2xx
  next_index = next_index + 1
  if method == "GET" then return wrk.format("GET", path) end
  return wrk.format(method, path, {["Cookie"] = cookie, ["X-CSRF-Token"] = csrf,
    ["Content-Type"] = "application/json", ["Idempotency-Key"] = "bench-" .. path}, "{}")
end
