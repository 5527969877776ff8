-- Colour for .smtp buffers in Neovim 0.7 and 0.8, which do not apply semantic
-- tokens themselves (0.9 and later do, and then this does nothing): asks the
-- smtp-session language server for textDocument/semanticTokens/full after each
-- change and highlights every token with a group of its own, linked by default
-- to a standard group, so any colour scheme colours a transcript.
--
--   on_attach = function(client, bufnr) require('smtp_session.semantic_tokens').attach(bufnr, client.id) end
--
-- Override a colour with :highlight, e.g. `highlight SmtpSessionPermanent guifg=Red`.
local M = {}

local namespace = vim.api.nvim_create_namespace('smtp_session_semantic_tokens')

-- Token types and modifiers of the server's legend → highlight groups. A
-- reply code's class (its modifier) wins over its type, so 5xx and 2xx differ.
M.type_groups = {
  keyword = 'SmtpSessionKeyword', number = 'SmtpSessionNumber', string = 'SmtpSessionString',
  parameter = 'SmtpSessionParameter', variable = 'SmtpSessionVariable', ['function'] = 'SmtpSessionFunction',
  comment = 'SmtpSessionComment', namespace = 'SmtpSessionHeading', property = 'SmtpSessionProperty',
  operator = 'SmtpSessionOperator',
}
M.modifier_groups = {
  success = 'SmtpSessionSuccess', intermediate = 'SmtpSessionIntermediate',
  transient = 'SmtpSessionTransient', permanent = 'SmtpSessionPermanent',
}
local default_links = {
  SmtpSessionKeyword = 'Keyword', SmtpSessionNumber = 'Number', SmtpSessionString = 'String',
  SmtpSessionParameter = 'Identifier', SmtpSessionVariable = 'Identifier', SmtpSessionFunction = 'Function',
  SmtpSessionComment = 'Comment', SmtpSessionHeading = 'Title', SmtpSessionProperty = 'Type',
  SmtpSessionOperator = 'Operator', SmtpSessionSuccess = 'DiagnosticInfo', SmtpSessionIntermediate = 'DiagnosticHint',
  SmtpSessionTransient = 'DiagnosticWarn', SmtpSessionPermanent = 'DiagnosticError',
}
for group, target in pairs(default_links) do vim.cmd(('highlight default link %s %s'):format(group, target)) end

local function group_of(legend, type_index, modifier_bits)
  for bit, name in ipairs(legend.tokenModifiers) do
    local set = math.floor(modifier_bits / 2 ^ (bit - 1)) % 2 == 1
    if set and M.modifier_groups[name] then return M.modifier_groups[name] end
  end
  return M.type_groups[legend.tokenTypes[type_index + 1]]
end

-- Token positions count UTF-16 code units (LSP's default); highlights count bytes.
local function byte_column(text, utf16)
  local ok, byte = pcall(vim.str_byteindex, text, utf16, true)
  return ok and byte or #text
end

--- Highlights `bufnr` from a semanticTokens/full result (`data` relative, five numbers a token).
function M.apply(bufnr, legend, data)
  vim.api.nvim_buf_clear_namespace(bufnr, namespace, 0, -1)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local line, start = 0, 0
  for index = 1, #data, 5 do
    local delta_line, delta_start, length = data[index], data[index + 1], data[index + 2]
    line = line + delta_line
    start = delta_line == 0 and start + delta_start or delta_start
    local text = lines[line + 1]
    local group = group_of(legend, data[index + 3], data[index + 4])
    if text and group then
      vim.api.nvim_buf_add_highlight(bufnr, namespace, group, line, byte_column(text, start), byte_column(text, start + length))
    end
  end
end

local function request(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  if not client or not vim.api.nvim_buf_is_loaded(bufnr) then return end
  local provider = (client.server_capabilities or {}).semanticTokensProvider
  if not provider then return end
  local version = vim.lsp.util.buf_versions[bufnr]
  client.request('textDocument/semanticTokens/full', { textDocument = vim.lsp.util.make_text_document_params(bufnr) }, function(err, result)
    -- An answer for an older text would colour the wrong columns; the request after the newer change repaints.
    if err or not result or vim.lsp.util.buf_versions[bufnr] ~= version then return end
    M.apply(bufnr, provider.legend, result.data)
  end, bufnr)
end

--- Colours `bufnr` from the server `client_id` now and after every change; nothing on Neovim 0.9+, which does it itself.
function M.attach(bufnr, client_id)
  if vim.lsp.semantic_tokens then return end
  if bufnr == 0 then bufnr = vim.api.nvim_get_current_buf() end
  local group = vim.api.nvim_create_augroup('smtp_session_semantic_tokens_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'TextChanged', 'InsertLeave', 'BufEnter' }, {
    group = group,
    buffer = bufnr,
    callback = function() request(bufnr, client_id) end,
  })
  request(bufnr, client_id)
end

M.namespace = namespace
return M
