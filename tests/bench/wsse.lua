-- wrk script: each request sends the next pre-made X-WSSE header (nonces are
-- single-use). HEADERS names a file of "X-WSSE: ..." lines; thread k of n
-- takes lines k, k+n, k+2n, ... (THREADS must equal wrk's -t).
-- BEARER set: "Authorization: Bearer $BEARER" instead of WSSE.
-- METHOD (default GET) and BODY: a write; each "%d" in BODY becomes a
-- number unique to the request, so every body differs.
-- PATHS (space-separated): each thread cycles through them instead of the
-- URL's path.
local threads = {}
local counter = 1

function setup(thread)
	thread:set("id", counter)
	thread:set("n", tonumber(os.getenv("THREADS") or "2"))
	table.insert(threads, thread)
	counter = counter + 1
end

function init(args)
	headers = {}
	local i = 0
	for line in io.lines(os.getenv("HEADERS")) do
		if i % n == (id - 1) then
			headers[#headers + 1] = line:sub(9)
		end
		i = i + 1
	end
	next_header = 1
end

local method = os.getenv("METHOD") or "GET"
local body_template = os.getenv("BODY")
local bearer = os.getenv("BEARER")
local sent = 0
local paths = {}
for p in (os.getenv("PATHS") or ""):gmatch("%S+") do
	paths[#paths + 1] = p
end
local next_path = 1

function request()
	local h = {["Accept"] = "application/vnd.api+json"}
	if bearer and bearer ~= "" then
		h["Authorization"] = "Bearer " .. bearer
	else
		h["X-WSSE"] = headers[next_header]
		next_header = next_header + 1
		if next_header > #headers then next_header = 1 end
	end
	local body = nil
	if body_template and body_template ~= "" then
		sent = sent + 1
		body = body_template:gsub("%%d", tostring(id * 100000000 + sent))
		h["Content-Type"] = "application/vnd.api+json"
	end
	local path = wrk.path
	if #paths > 0 then
		path = paths[next_path]
		next_path = next_path % #paths + 1
	end
	return wrk.format(method, path, h, body)
end

function done(summary, latency, requests)
	io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
