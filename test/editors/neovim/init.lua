-- Neovim's built-in LSP client (0.7, Debian's) as a second real editor for the
-- language server, driven headless by test/editors/neovim.editors.ts.
--
-- The first part loads the README's configuration ("Other editors", Neovim 0.7)
-- as the test copied it out of README.md. The second part plays a user:
-- open a transcript, wait for diagnostics, hover, complete, run a session
-- from its code lens. It writes what it saw to SMTP_NVIM_REPORT as JSON and
-- quits; the test asserts on the report. Every wait is vim.wait on a real
-- event, bounded so a missing one shows up in the report instead of hanging.

local report = { steps = {}, unhandled = {}, messages = {}, progress = {}, errors = {} }

-- Every method the server sends this client goes through `handlers` first; a
-- method that Neovim has no handler for either is one the server relied on
-- without the client declaring it (Neovim answers MethodNotFound or drops it).
local handlers = setmetatable({
  ['window/showMessage'] = function(err, result, ctx, config)
    table.insert(report.messages, result)
    return vim.lsp.handlers['window/showMessage'](err, result, ctx, config)
  end,
  ['$/progress'] = function(err, result, ctx, config)
    table.insert(report.progress, result.value and result.value.kind or '?')
    return vim.lsp.handlers['$/progress'](err, result, ctx, config)
  end,
}, {
  __index = function(_, method)
    if vim.lsp.handlers[method] == nil then table.insert(report.unhandled, method) end
    return nil
  end,
})

-- ── The README's configuration ──────────────────────────────────────────────
-- Loaded from SMTP_NVIM_CONFIG: the test copies it out of README.md unchanged, and
-- puts a `smtp-session` for this checkout on PATH. Two seams around it: every
-- client it starts gets the handlers above (to see what reaches Neovim) and the
-- embedded server on a free port (the README's 2525 may be taken on a shared
-- machine); and the README's runtimepath line finds the helper where npm
-- installs the package, the test adds the checkout's editors/neovim.
local smtp_client
local start_client = vim.lsp.start_client
vim.lsp.start_client = function(config)
  config.handlers = handlers
  config.settings.smtp.localServer = { port = 0 }
  smtp_client = start_client(config)
  return smtp_client
end
vim.opt.runtimepath:append(os.getenv('SMTP_NVIM_RUNTIME'))
dofile(os.getenv('SMTP_NVIM_CONFIG'))
-- ────────────────────────────────────────────────────────────────────────────

local function step(name, fn)
  local ok, result = pcall(fn)
  if ok then report.steps[name] = result else table.insert(report.errors, name .. ': ' .. tostring(result)) end
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  assert(responses, method .. ': no answer within 10 s')
  for _, response in pairs(responses) do
    assert(not response.err, method .. ': ' .. vim.inspect(response.err))
    return response.result
  end
end

local function position(line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = line, character = character } }
end

local function finish()
  local file = io.open(os.getenv('SMTP_NVIM_REPORT'), 'w')
  file:write(vim.json.encode(report))
  file:close()
  vim.cmd('qa!')
end

local ok, failure = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('SMTP_NVIM_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[bufnr].filetype
  assert(vim.wait(15000, function() return smtp_client ~= nil and vim.lsp.buf_is_attached(bufnr, smtp_client) end, 50), 'the server never attached')
  local client = vim.lsp.get_client_by_id(smtp_client)
  assert(vim.wait(15000, function() return client.initialized end, 50), 'the server never initialized')

  step('diagnostics', function()
    assert(vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50), 'no diagnostics arrived')
    local found = {}
    for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(found, { line = diagnostic.lnum, code = diagnostic.code, message = diagnostic.message })
    end
    return found
  end)

  step('hover', function()
    local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    for index, text in ipairs(lines) do
      if text:match('^S: 550') then
        local result = request(bufnr, 'textDocument/hover', position(index - 1, 4))
        return result and result.contents and (result.contents.value or result.contents) or vim.NIL
      end
    end
    error('no S: 550 line to hover')
  end)

  step('completion', function()
    local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    for index, text in ipairs(lines) do
      if text == 'C: ' then
        local result = request(bufnr, 'textDocument/completion', position(index - 1, 3))
        local items = result.items or result
        local simplified = {}
        for _, item in ipairs(items) do
          table.insert(simplified, {
            label = item.label,
            insertTextFormat = item.insertTextFormat or vim.NIL,
            newText = item.textEdit and item.textEdit.newText or item.insertText or item.label,
            command = item.command and item.command.command or vim.NIL,
            -- What Neovim's own omnifunc would insert for this item.
            word = vim.lsp.util.text_document_completion_list_to_complete_items({ items = { item } }, '')[1].word,
          })
        end
        return simplified
      end
    end
    error('no empty "C: " line to complete')
  end)

  step('semanticTokens', function()
    local legend = client.server_capabilities.semanticTokensProvider.legend
    local result = request(bufnr, 'textDocument/semanticTokens/full', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
    local types = {}
    for index = 4, #result.data, 5 do types[legend.tokenTypes[result.data[index] + 1]] = true end
    return vim.tbl_keys(types)
  end)

  -- What the README's helper painted: the highlight groups on a command verb and on a 5xx reply code.
  step('colour', function()
    local namespace = require('smtp_session.semantic_tokens').namespace
    local function groups_at(pattern, column)
      local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
      for index, text in ipairs(lines) do
        if text:match(pattern) then
          local found = {}
          for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, namespace, { index - 1, 0 }, { index - 1, -1 }, { details = true })) do
            local start, details = mark[3], mark[4]
            if start <= column and column < details.end_col then table.insert(found, details.hl_group) end
          end
          return found
        end
      end
      error('no line matches ' .. pattern)
    end
    assert(vim.wait(15000, function() return #groups_at('^C: MAIL', 3) > 0 end, 50), 'no highlight on the MAIL verb')
    return { verb = groups_at('^C: MAIL', 3), permanent = groups_at('^S: 550', 3), prefix = groups_at('^C: MAIL', 0) }
  end)

  step('run', function()
    -- The README's configuration asks for them once the server is ready; the test does not.
    assert(vim.wait(15000, function() return #vim.lsp.codelens.get(bufnr) > 0 end, 50), 'no code lenses arrived')
    local lenses = vim.lsp.codelens.get(bufnr)
    local titles = {}
    for _, lens in ipairs(lenses) do table.insert(titles, lens.command.title) end
    -- Several lenses share the session's line: codelens.run asks which, through vim.ui.select.
    vim.ui.select = function(options, _, on_choice)
      for index, option in ipairs(options) do
        if option.lens.command.title:match('Run session') then return on_choice(option, index) end
      end
      on_choice(nil, nil)
    end
    vim.api.nvim_win_set_cursor(0, { lenses[1].range.start.line + 1, 0 })
    local before = #report.messages
    vim.lsp.codelens.run()
    assert(vim.wait(30000, function() return #report.messages > before end, 50), 'the run showed no message')
    local diagnostics = {}
    assert(vim.wait(5000, function()
      diagnostics = {}
      for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
        if diagnostic.source == 'smtp-session run' then
          table.insert(diagnostics, { line = diagnostic.lnum, message = diagnostic.message })
        end
      end
      return #diagnostics > 0
    end, 50), 'the run published no diagnostic')
    return { lenses = titles, message = report.messages[#report.messages], diagnostics = diagnostics }
  end)
end)
if not ok then table.insert(report.errors, tostring(failure)) end
finish()
