-- pledge.lua: wrk script for the pledge POST scenarios of bench/run. Each
-- request is a valid pledge (every required field, and the optional ones,
-- so all validation runs) with an e-mail address and an X-Forwarded-For
-- address no other request uses: no request is a duplicate, and the
-- per-client rate limit (which keys on the client address, believed from
-- X-Forwarded-For because nginx at 127.0.0.1 is a trusted proxy) never
-- fires. The path is the URL's, so the same script drives icommitd and the
-- PHP handler. Only 2xx counts as good; done() prints the BENCH line
-- (see common.lua), whose `sent` lets bench/run check the database.
--
--   wrk -t2 -c64 -d10s --latency -s bench/lua/pledge.lua \
--       http://127.0.0.1:PORT/api/v1/campaigns/icommit/pledges

local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
dofile(dir .. "common.lua")

local n = 0

local countries = { "CL", "MX", "BR", "CO", "AR", "PE", "CR", "UY" }
local actors = { "individual", "private_sector", "finance", "government",
   "civil_society", "academia", "other" }

function request()
   n = n + 1
   sent = sent + 1
   local body = string.format(
      '{"name":"Bench Person %d","email":"bench-%s-%d@example.org",' ..
      '"organisation":"Bench Transit Co.","actor_type":"%s",' ..
      '"country":"%s","city":"Santiago","commitment":"We will electrify ' ..
      'our bus fleet and publish progress every year.","category":"fleet",' ..
      '"quantity":%d,"unit":"buses","target_year":2030,"public":true,' ..
      '"consent":true,"language":"es","website":""}',
      n, nonce, n, actors[n % #actors + 1], countries[n % #countries + 1],
      n % 500 + 1)
   return wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["X-Forwarded-For"] = client_address(n),
   }, body)
end
