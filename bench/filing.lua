-- wrk script: the whole online filing as a citizen's phone does it: create a draft with answers, attach each
-- required document (a small PDF), submit. Several connections per thread, so the steps wait in queues.
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local create_body = io.open(os.getenv("BENCH_CREATE_BODY")):read("*a")
local pdf = io.open(os.getenv("BENCH_PDF"), "rb"):read("*a")
local docs = {}
for d in string.gmatch(os.getenv("BENCH_DOCS"), "[^,]+") do table.insert(docs, d) end
local boundary = "----motcuabench"
local attach_queue, submit_queue = {}, {}
local counter = 0

local function headers(content_type, key)
  local h = {["Cookie"] = cookie, ["X-CSRF-Token"] = csrf, ["Content-Type"] = content_type}
  if key then h["Idempotency-Key"] = key end
  return h
end

request = function()
  counter = counter + 1
  local sub = table.remove(submit_queue)
  if sub then
    return wrk.format("POST", "/api/v1/dossiers/" .. sub .. "/submit", headers("application/json", "bench-" .. sub), "{}")
  end
  local att = table.remove(attach_queue)
  if att then
    local id, n = att[1], att[2]
    local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"document_id\"\r\n\r\n" .. docs[n] ..
      "\r\n--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" .. id .. "_" .. n ..
      ".pdf\"\r\nContent-Type: application/pdf\r\n\r\n" .. pdf .. "\r\n--" .. boundary .. "--\r\n"
    return wrk.format("POST", "/api/v1/dossiers/" .. id .. "/attachments",
      headers("multipart/form-data; boundary=" .. boundary), body)
  end
  return wrk.format("POST", "/api/v1/dossiers", headers("application/json"), create_body)
end

response = function(status, hdrs, body)
  if status == 201 then
    local file_id, n = string.match(body, '"filename":%s*"(%x+)_(%d+)%.pdf"')
    if file_id then
      n = tonumber(n)
      if n < #docs then table.insert(attach_queue, {file_id, n + 1}) else table.insert(submit_queue, file_id) end
      return
    end
    local id = string.match(body, '"id":%s*"(%x+)"')
    if id and #docs == 0 then table.insert(submit_queue, id) elseif id then table.insert(attach_queue, {id, 1}) end
  elseif status ~= 200 then
    io.stderr:write("filing step failed: " .. status .. " " .. string.sub(body, 1, 200) .. "\n")
  end
end
