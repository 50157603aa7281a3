-- Fix all, the way docs/fixes.md tells Neovim users: code_action with only = {"source.fixAll"} and
-- apply = true; writes the buffer's lines after it to $RUNLINT_NVIM_OUT.
local out = {}
local timeout = 20000
local buf = vim.api.nvim_get_current_buf()
out.attached = vim.wait(timeout, function()
  return vim.lsp.get_clients({ bufnr = buf, name = "runlint" })[1] ~= nil
end, 50)
vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
vim.lsp.buf.code_action({ context = { only = { "source.fixAll" } }, apply = true })
vim.wait(timeout, function()
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") ~= before
end, 50)
out.fixed = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
vim.fn.writefile({ vim.json.encode(out) }, os.getenv("RUNLINT_NVIM_OUT"))
vim.cmd("qall!")
