-- Run inside a headless Neovim that has runlint configured docs/editors.md's way (vim.lsp.config and
-- vim.lsp.enable) and the spec open: drives Neovim's own LSP client and writes what it saw, as
-- JSON, to $RUNLINT_NVIM_OUT. Every step waits for its answer (at most `timeout` ms).
local out = {}
local timeout = 20000
local buf = vim.api.nvim_get_current_buf()

local function client()
  return vim.lsp.get_clients({ bufnr = buf, name = "runlint" })[1]
end

out.attached = vim.wait(timeout, function() return client() ~= nil end, 50)
out.filetype = vim.bo[buf].filetype

-- diagnostics of the bad spec
vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, code = d.code, message = d.message, source = d.source })
end

local function at(line, pattern)
  local text = vim.api.nvim_buf_get_lines(buf, line, line + 1, false)[1]
  return (text:find(pattern, 1, true) or 1) - 1
end

-- completion of a tool name: the tool_choice name on the last line
local choice_line = vim.api.nvim_buf_line_count(buf) - 1
local column = at(choice_line, "name: ") + #"name: "
local params = { textDocument = vim.lsp.util.make_text_document_params(buf),
                 position = { line = choice_line, character = column } }
local answer = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, timeout) or {}
out.completion = {}
for _, response in pairs(answer) do
  local items = response.result and (response.result.items or response.result) or {}
  for _, item in ipairs(items) do table.insert(out.completion, item.label) end
end

-- go to definition, the way a person does it: the cursor on the name, then the command
vim.api.nvim_win_set_cursor(0, { choice_line + 1, column + 2 })
vim.lsp.buf.definition()
vim.wait(timeout, function() return vim.api.nvim_win_get_cursor(0)[1] ~= choice_line + 1 end, 50)
local cursor = vim.api.nvim_win_get_cursor(0)
out.definition = { line = cursor[1] - 1, col = cursor[2] }

-- the outline
local symbols
vim.lsp.buf.document_symbol({ on_list = function(list) symbols = list.items end })
vim.wait(timeout, function() return symbols ~= nil end, 50)
out.outline = {}
for _, item in ipairs(symbols or {}) do table.insert(out.outline, { text = item.text, lnum = item.lnum }) end

-- rename, from the tool_choice: every place changes
vim.api.nvim_win_set_cursor(0, { choice_line + 1, column + 2 })
vim.lsp.buf.rename("fetch_weather")
vim.wait(timeout, function()
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n"):find("fetch_weather") ~= nil
end, 50)
vim.wait(200)
out.renamed = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

vim.fn.writefile({ vim.json.encode(out) }, os.getenv("RUNLINT_NVIM_OUT"))
vim.cmd("qall!")
