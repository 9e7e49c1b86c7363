-- fairlint's diagnostics, hover and code actions for one file, through Neovim's built-in LSP
-- client (Neovim 0.7 or later, headless). docs/editor.md's transcript comes from it:
--
--   FAIRLINT_ROOT=demo nvim --headless -u NONE -c "luafile editors/neovim/diagnostics.lua" demo/credit/prepare.py
--
-- FAIRLINT_PYTHON: the Python of the environment that has fairlint (default: python3).
local out = function(text) io.stdout:write(text .. "\n") end
local file = vim.fn.expand("%:p")
local root = vim.fn.fnamemodify(vim.env.FAIRLINT_ROOT or vim.fn.getcwd(), ":p"):gsub("/$", "")
vim.cmd("setfiletype python")

local client_id = vim.lsp.start_client({
  name = "fairlint",
  cmd = { vim.env.FAIRLINT_PYTHON or "python3", "-m", "orchestrator.cli.main", "lsp" },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
  settings = { fairlint = { minimumSeverity = vim.env.FAIRLINT_MIN_SEVERITY or "info" } },
})
vim.lsp.buf_attach_client(0, client_id)

if not vim.wait(120000, function() return #vim.diagnostic.get(0) > 0 end, 100) then
  out("no diagnostics within 120 s")
  vim.cmd("cquit 1")
end
vim.wait(2000, function() return false end, 100) -- repository-level findings of the folder's first analysis

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
end

local diagnostics = vim.diagnostic.get(0)
table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and code_of(a) < code_of(b)) end)
local rel = vim.fn.fnamemodify(file, ":.")
out(string.format("== %d diagnostics in %s", #diagnostics, rel))
for _, d in ipairs(diagnostics) do
  out(string.format("%s:%d:%d: %s %s: %s", rel, d.lnum + 1, d.col + 1, vim.diagnostic.severity[d.severity],
    code_of(d), d.message))
end

-- The hover and the code actions of the first diagnostic of the line named by FAIRLINT_LINE (else the first).
local target = diagnostics[1]
for _, d in ipairs(diagnostics) do
  if tostring(d.lnum + 1) == (vim.env.FAIRLINT_LINE or "") then target = d break end
end
local position = { line = target.lnum, character = target.col }
local hover = vim.lsp.buf_request_sync(0, "textDocument/hover",
  { textDocument = vim.lsp.util.make_text_document_params(), position = position }, 20000)
out(string.format("\n== hover at %s:%d", rel, target.lnum + 1))
for _, response in pairs(hover or {}) do
  if response.result then out(response.result.contents.value) end
end
-- Neovim 0.7 keeps only part of the LSP diagnostic (code, data); the context needs it whole.
local lsp_diagnostic = vim.tbl_extend("force", target.user_data and target.user_data.lsp or {}, {
  range = { start = position, ["end"] = { line = target.end_lnum, character = target.end_col } },
  message = target.message, severity = target.severity, source = target.source, code = code_of(target),
})
local actions = vim.lsp.buf_request_sync(0, "textDocument/codeAction", {
  textDocument = vim.lsp.util.make_text_document_params(),
  range = { start = position, ["end"] = position },
  context = { diagnostics = { lsp_diagnostic } },
}, 20000)
out(string.format("\n== code actions at %s:%d", rel, target.lnum + 1))
for _, response in pairs(actions or {}) do
  for _, action in ipairs(response.result or {}) do out("- " .. action.title) end
end
vim.lsp.stop_client(client_id)
vim.cmd("qall!")
