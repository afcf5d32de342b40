-- wrk script for the seed's endpoint: every request asks for a captcha under a fresh random UUID.
math.randomseed(os.time())
local hex = "0123456789abcdef"
local function digits(n)
  local out = {}
  for i = 1, n do
    local r = math.random(16)
    out[i] = hex:sub(r, r)
  end
  return table.concat(out)
end
request = function()
  local uuid = digits(8) .. "-" .. digits(4) .. "-4" .. digits(3) .. "-a" .. digits(3) .. "-" .. digits(12)
  return wrk.format("GET", "/verify/image_codes/?uuid=" .. uuid)
end
