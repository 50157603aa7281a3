-- For docs/editors.md's Neovim 0.7-0.10 set-up, in any Neovim from 0.7 (so only APIs 0.7 has): the
-- spec opened first, then the batch file beside it; writes each one's file type, runlint clients
-- and diagnostics, as JSON, to $RUNLINT_NVIM_OUT.
local timeout = 20000

local function seen()
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local result = { filetype = vim.bo[buf].filetype, clients = {}, diagnostics = {} }
  -- buf_get_clients: 0.7's way, gone in 0.12, which has get_clients (from 0.10)
  local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)
  for _, client in pairs(attached) do
    if client.name == "runlint" then table.insert(result.clients, client.id) end
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, code = d.code })
  end
  return result
end

local out = { spec = seen() }
vim.cmd("edit nightly.jsonl")
out.batch = seen()
vim.fn.writefile({ vim.json.encode(out) }, os.getenv("RUNLINT_NVIM_OUT"))
vim.cmd("qall!")
