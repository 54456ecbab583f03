-- SPDX-License-Identifier: Apache-2.0
--
-- reqlinks.lua: a pandoc Lua filter for the HCP specification. Every
-- requirement definition, `[HCP-AREA-n]` followed by its parties in
-- parentheses, becomes a span whose HTML id is the requirement ID (for
-- example id="HCP-NOTICE-6"); every other bracketed ID becomes a link to
-- that anchor. Code spans and code blocks are left alone, since pandoc
-- gives them their own elements.

local PARTIES = { client = true, server = true, codec = true }
local PATTERN = "%[(HCP%-[A-Z]+%-%d+)%]"

local function is_definition(inlines, i)
  local space, word = inlines[i + 1], inlines[i + 2]
  if not (space and space.t == "Space" and word and word.t == "Str") then
    return false
  end
  local party = word.text:match("^%((%a+)")
  return party ~= nil and PARTIES[party] == true
end

function Inlines(inlines)
  local out = pandoc.List()
  for i, el in ipairs(inlines) do
    if el.t == "Str" and el.text:find(PATTERN) then
      local text = el.text
      local pos = 1
      while true do
        local s, e, id = text:find(PATTERN, pos)
        if not s then
          break
        end
        if s > pos then
          out:insert(pandoc.Str(text:sub(pos, s - 1)))
        end
        local label = pandoc.Str("[" .. id .. "]")
        if s == 1 and e == #text and is_definition(inlines, i) then
          out:insert(pandoc.Span({ pandoc.Strong({ label }) },
            pandoc.Attr(id, { "req-def" })))
        else
          out:insert(pandoc.Link({ label }, "#" .. id, "",
            pandoc.Attr("", { "req-ref" })))
        end
        pos = e + 1
      end
      if pos <= #text then
        out:insert(pandoc.Str(text:sub(pos)))
      end
    else
      out:insert(el)
    end
  end
  return out
end
