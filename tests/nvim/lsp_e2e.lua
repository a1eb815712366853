-- End-to-end test of `dlayer lsp` with Neovim's built-in LSP client (Neovim 0.7+).
-- Run by tests/lsp_neovim.rs: nvim --headless -u NONE -i NONE -c "luafile tests/nvim/lsp_e2e.lua"
-- with DLAYER_BIN (the dlayer binary) and DLAYER_FILE (a heavy Dockerfile to edit, with
-- non-ASCII text before the HC002 finding). Prints each step; exits 1 on the first failure.

local bin = assert(os.getenv("DLAYER_BIN"), "DLAYER_BIN")
local file = assert(os.getenv("DLAYER_FILE"), "DLAYER_FILE")

local function say(text)
  io.stdout:write(text .. "\n")
end

local function fail(text)
  io.stdout:write("FAIL: " .. text .. "\n")
  vim.cmd("cquit 1")
end

local function check(condition, text)
  if not condition then
    fail(text)
  end
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "dlayer",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
  on_exit = function(code)
    if code ~= 0 then
      io.stdout:write("FAIL: the server exited with " .. code .. "\n")
    end
  end,
})
check(client_id, "the client did not start")
vim.lsp.buf_attach_client(bufnr, client_id)

local function lines()
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local function text()
  return table.concat(lines(), "\n")
end

-- The LSP position (UTF-16) of the first `needle` in the buffer.
local function position_of(needle)
  for index, line in ipairs(lines()) do
    local byte = line:find(needle, 1, true)
    if byte then
      local _, utf16 = vim.str_utfindex(line, byte - 1)
      return { line = index - 1, character = utf16 }, byte - 1
    end
  end
  fail("no " .. needle .. " in the buffer")
end

local function request(method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  check(responses and responses[client_id], method .. ": no answer")
  local response = responses[client_id]
  check(not response.error, method .. ": " .. vim.inspect(response.error))
  return response.result
end

local function document()
  return { uri = vim.uri_from_bufnr(bufnr) }
end

-- 1. Diagnostics arrive; HC002 points at `openssh-server`, after `☃ 𝄞 é` on its line.
local arrived = vim.wait(15000, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == "HC002" then
      return true
    end
  end
  return false
end, 20)
check(arrived, "no HC002 diagnostic within 15 s")
local ssh_position, ssh_byte = position_of("openssh-server")
local hc002
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  if d.code == "HC002" and d.lnum == ssh_position.line then
    hc002 = d
  end
end
check(hc002, "no HC002 on the line of openssh-server")
check(hc002.col == ssh_byte and hc002.end_col == ssh_byte + #"openssh-server",
  string.format("HC002 at columns %d-%d, expected %d-%d", hc002.col, hc002.end_col, ssh_byte,
    ssh_byte + #"openssh-server"))
check(hc002.user_data.lsp.codeDescription.href:find("rules/HC002.md", 1, true),
  "HC002 has no link to its documentation")
say("ok diagnostics: HC002 at line " .. (hc002.lnum + 1) .. ", bytes " .. hc002.col .. "-" .. hc002.end_col)

-- 2. Hover on the finding shows the rule's documentation.
local hover = request("textDocument/hover", { textDocument = document(), position = ssh_position })
check(hover and hover.contents.value:find("HC002", 1, true), "hover without HC002's documentation")
say("ok hover")

-- 3. A quick fix: DL3015's fix changes what apt installs, so it is offered as unsafe and is
-- not the preferred action; applied on request.
local install = position_of("apt-get install")
local actions = request("textDocument/codeAction", {
  textDocument = document(),
  range = { start = install, ["end"] = install },
  context = { diagnostics = {}, only = { "quickfix" } },
})
local chosen
for _, action in ipairs(actions) do
  if action.edit and action.title:find("DL3015, unsafe", 1, true) then
    chosen = action
  end
end
check(chosen, "no unsafe DL3015 quick fix in " .. vim.inspect(actions))
check(not chosen.isPreferred, "an unsafe quick fix is marked preferred")
vim.lsp.util.apply_workspace_edit(chosen.edit, "utf-16")
check(text():find("apt-get install --no-install-recommends", 1, true), "the quick fix was not applied")
say("ok quick fix: " .. chosen.title)

-- 4. Fix-all: every safe fix at once (the apt lists are removed in the same RUN).
local start = { line = 0, character = 0 }
local all = request("textDocument/codeAction", {
  textDocument = document(),
  range = { start = start, ["end"] = start },
  context = { diagnostics = {}, only = { "source.fixAll" } },
})
check(#all == 1 and all[1].kind == "source.fixAll.dlayer", "no fix-all action: " .. vim.inspect(all))
vim.lsp.util.apply_workspace_edit(all[1].edit, "utf-16")
check(text():find("rm -rf /var/lib/apt/lists/*", 1, true), "fix-all did not clean the apt lists")
say("ok fix-all")

-- 5. Formatting: keywords upper-cased, continuation lines indented.
vim.lsp.buf.formatting_sync(nil, 10000)
check(text():find("FROM base AS app", 1, true), "not formatted:\n" .. text())
check(text():find("\n    && ", 1, true), "continuation lines not indented:\n" .. text())
say("ok formatting")

-- 6. Completion of a stage name after `--from=`.
vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { "COPY --from=" })
local last = #lines()
local items = request("textDocument/completion", {
  textDocument = document(),
  position = { line = last - 1, character = #"COPY --from=" },
})
local labels = {}
for _, item in ipairs(items.items or items) do
  labels[#labels + 1] = item.label
end
check(vim.tbl_contains(labels, "base"), "no stage `base` among " .. vim.inspect(labels))
say("ok completion: " .. table.concat(labels, ", "))

-- 7. The diagnostics follow the edits: the new COPY line is checked too (DL3021 or E001...).
local version_line = last - 1
local followed = vim.wait(15000, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.lnum == version_line then
      return true
    end
  end
  return false
end, 20)
check(followed, "no diagnostic on the line added last")
say("ok diagnostics follow changes")

vim.lsp.stop_client(client_id)
check(vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20),
  "the server did not stop")
say("PASS")
vim.cmd("qall!")
