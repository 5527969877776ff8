#!/usr/bin/env bash
# Prepares what `npm run test:editors` needs: Debian's Neovim (0.7 on
# bookworm), the second real LSP client the tests drive. Root on Debian, like
# the e2e suite's Chromium; nothing to do when nvim is already installed.
set -euo pipefail
if command -v nvim >/dev/null 2>&1; then
  echo "editors setup: $(nvim --version | head -1) already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "editors setup: installing Debian's neovim …"
apt-get update -qq
apt-get install -y -qq --no-install-recommends neovim >/dev/null
echo "editors setup: $(nvim --version | head -1) installed"
