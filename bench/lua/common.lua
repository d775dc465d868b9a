-- common.lua: status accounting shared by the benchmark's wrk scripts, and
-- what their POST scripts share: a per-thread nonce, a client address per
-- request, the response hook (loaded with dofile by each; not a wrk script
-- itself).
--
-- wrk counts every response as a request, a 502 included, and only reports
-- status >= 400 as an aggregate. These functions count what each status
-- really was, per thread, and done() prints one machine-readable line that
-- bench/run parses:
--
--   BENCH requests=N ok=N non2xx=N sent=N duration_us=N p50_us=N p99_us=N
--         p90_us=N p999_us=N max_us=N connect=N read=N write=N timeout=N
--         statuses=502:3,429:1 sample=...
--
-- ok counts the responses the scenario accepts (2xx, plus 304 for GETs when
-- the script sets ok_304 = true); non2xx all the others; sent the requests
-- that request() built (POST scripts only; 0 otherwise), so sent - requests
-- is what was still in flight when wrk stopped. p90, p99.9 and the maximum
-- are for reading the shape of the tail (the run's table shows p50, p99).

ok = 0
non2xx = 0
sent = 0
statuses = {}
sample = ""

local threads = {}
local next_tid = 0

-- setup runs once per thread in the main Lua state, before init.
function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
   table.insert(threads, thread)
end

-- The POST scripts: `nonce` keeps e-mail addresses unique across runs and
-- threads (tid is set by setup(), before init); nonce_prefix tells the
-- scripts' addresses apart.
nonce = ""
nonce_prefix = ""

function init(args)
   nonce = string.format("%s%x%x", nonce_prefix, os.time(), tid)
end

-- The k-th client address of this thread: first octet 10 + tid, 2^24 per
-- thread, so the per-client rate limit never fires.
function client_address(k)
   return string.format("%d.%d.%d.%d", 10 + tid,
      math.floor(k / 65536) % 256, math.floor(k / 256) % 256, k % 256)
end

function response(status, headers, body)
   count_response(status, body)
end

function count_response(status, body)
   if (status >= 200 and status < 300) or (ok_304 and status == 304) then
      ok = ok + 1
   else
      non2xx = non2xx + 1
      statuses[status] = (statuses[status] or 0) + 1
      if sample == "" and body then
         -- First bad answer, for the log: one line, no spaces.
         sample = string.gsub(string.sub(body, 1, 160), "%s+", "_")
      end
   end
end

function done(summary, latency, requests)
   local t_ok, t_bad, t_sent, hist, samp = 0, 0, 0, {}, ""
   for _, t in ipairs(threads) do
      t_ok = t_ok + (t:get("ok") or 0)
      t_bad = t_bad + (t:get("non2xx") or 0)
      t_sent = t_sent + (t:get("sent") or 0)
      local s = t:get("statuses") or {}
      for k, v in pairs(s) do
         hist[k] = (hist[k] or 0) + v
      end
      if samp == "" then
         samp = t:get("sample") or ""
      end
   end
   local parts = {}
   for k, v in pairs(hist) do
      table.insert(parts, string.format("%d:%d", k, v))
   end
   table.sort(parts)
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d ok=%d non2xx=%d sent=%d duration_us=%d " ..
      "p50_us=%d p99_us=%d p90_us=%d p999_us=%d max_us=%d " ..
      "connect=%d read=%d write=%d timeout=%d " ..
      "statuses=%s sample=%s\n",
      summary.requests, t_ok, t_bad, t_sent, summary.duration,
      math.floor(latency:percentile(50)), math.floor(latency:percentile(99)),
      math.floor(latency:percentile(90)), math.floor(latency:percentile(99.9)),
      latency.max,
      e.connect, e.read, e.write, e.timeout,
      #parts > 0 and table.concat(parts, ",") or "-",
      samp ~= "" and samp or "-"))
end
