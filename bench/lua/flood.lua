-- flood.lua: the flooding client of bench/run's "one client's flood"
-- scenario. Every request is a valid pledge (its own e-mail address, so
-- none is a repeat) from ONE client address, 192.0.2.66 in X-Forwarded-For
-- (believed because nginx at 127.0.0.1 is a trusted proxy): after its first
-- `rate_limit` pledges the daemon answers 429 rate_limited. bench/run runs
-- it beside pledge.lua (the other clients, each on its own address) and
-- compares their rate and latency with and without it. done() prints the
-- BENCH line of common.lua; its statuses show the 429s.
--
--   wrk -t1 -c32 -d10s --latency -s bench/lua/flood.lua \
--       http://127.0.0.1:PORT/api/v1/campaigns/icommit/pledges

local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
dofile(dir .. "common.lua")

local n = 0
nonce_prefix = "f"

function request()
   n = n + 1
   sent = sent + 1
   local body = string.format(
      '{"name":"Flood %d","email":"flood-%s-%d@example.org",' ..
      '"actor_type":"individual","country":"CL","commitment":"A flood ' ..
      'of pledges from one address.","consent":true,"language":"es"}',
      n, nonce, n)
   return wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["X-Forwarded-For"] = "192.0.2.66",
   }, body)
end
