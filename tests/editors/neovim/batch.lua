-- A batch file in headless Neovim with docs/editors.md's configuration: the client attaches to the
-- `jsonl` file type, shows the reused custom_id, and lists one outline entry per request (and
-- their messages: the outline is flat in Neovim's list).
local out = {}
local timeout = 20000
local buf = vim.api.nvim_get_current_buf()
out.filetype = vim.bo[buf].filetype
out.attached = vim.wait(timeout, function() return #vim.lsp.get_clients({ bufnr = buf, name = "runlint" }) > 0 end, 50)
vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(out.diagnostics, { lnum = d.lnum, code = d.code }) end
local symbols
vim.lsp.buf.document_symbol({ on_list = function(list) symbols = list.items end })
vim.wait(timeout, function() return symbols ~= nil end, 50)
out.outline = {}
for _, item in ipairs(symbols or {}) do
  if item.text:match("^%[Object%]") then table.insert(out.outline, { text = item.text, lnum = item.lnum }) end
end
vim.fn.writefile({ vim.json.encode(out) }, os.getenv("RUNLINT_NVIM_OUT"))
vim.cmd("qall!")
