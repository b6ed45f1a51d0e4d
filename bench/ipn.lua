-- wrk script: the gateway's IPNs, each order confirmed three times (duplicates mixed in), from BENCH_IPNS.
local threads_made = 0

function setup(thread)
  thread:set("tid", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  paths, next_index = {}, 1
  local n = 0
  for line in io.lines(os.getenv("BENCH_IPNS")) do
    if n % 2 == tid then table.insert(paths, line) end
    n = n + 1
  end
end

request = function()
  local path = paths[next_index] or paths[#paths]
  next_index = next_index + 1
  return wrk.format("GET", path)
end
