-- wrk script: each request sends the next pre-made X-WSSE header (nonces are
-- single-use). HEADERS names a file of "X-WSSE: ..." lines; thread k of n
-- takes lines k, k+n, k+2n, ... (THREADS must equal wrk's -t).
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

function request()
	local h = headers[next_header]
	next_header = next_header + 1
	if next_header > #headers then next_header = 1 end
	return wrk.format("GET", wrk.path, {
		["Accept"] = "application/vnd.api+json",
		["X-WSSE"] = h,
	})
end

function done(summary, latency, requests)
	io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
