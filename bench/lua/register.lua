-- register.lua: wrk script for the registration POST scenario of bench/run.
-- Each request registers a new person (every field, so all validation
-- runs) for the benchmark's event, which has no capacity limit, with an
-- e-mail address and an X-Forwarded-For address no other request uses (as
-- pledge.lua does, so the per-client rate limit keys on a new address each
-- time and never fires). Only 2xx counts as good; done() prints the BENCH
-- line (see common.lua).
--
--   wrk -t2 -c64 -d10s --latency -s bench/lua/register.lua \
--       http://127.0.0.1:PORT/api/v1/events/bench-event/registrations

local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
dofile(dir .. "common.lua")

local n = 0

local countries = { "CL", "MX", "BR", "CO", "AR", "PE", "CR", "UY" }
local languages = { "es", "en", "pt", "fr" }

function request()
   n = n + 1
   sent = sent + 1
   local body = string.format(
      '{"name":"Bench Guest %d","email":"guest-%s-%d@example.org",' ..
      '"organisation":"Bench Transit Co.","country":"%s",' ..
      '"role":"Fleet manager","language":"%s","consent":true,' ..
      '"website":""}',
      n, nonce, n, countries[n % #countries + 1],
      languages[n % #languages + 1])
   return wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["X-Forwarded-For"] = client_address(n),
   }, body)
end
