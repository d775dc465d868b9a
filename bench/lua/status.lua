-- status.lua: wrk script for the GET scenarios of bench/run (the nginx and
-- thin baselines, the counter, stats, wall). The request is wrk's own
-- precomputed GET of the URL; every response's status is counted and done()
-- prints the BENCH line (see common.lua). 2xx and 304 count as good.
--
--   wrk -t2 -c64 -d10s --latency -s bench/lua/status.lua URL

local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
dofile(dir .. "common.lua")

ok_304 = true

function response(status, headers, body)
   count_response(status, body)
end
