#!/usr/bin/env bash
# Prepares what `npm run test:editors` needs: the real LSP clients the tests
# drive — Debian's Neovim (0.7 on bookworm) and Emacs with Eglot (emacs-nox 28
# and elpa-eglot 1.9). Root on Debian, like the e2e suite's Chromium; nothing
# to do for what is already installed.
set -euo pipefail
missing=()
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox)
# Eglot is part of Emacs from 29 on; Debian 12's Emacs 28 has it as a package.
if command -v emacs >/dev/null 2>&1 && ! emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1; then missing+=(elpa-eglot); fi
if [ "${#missing[@]}" -gt 0 ]; then
  [[ " ${missing[*]} " == *" emacs-nox "* ]] && missing+=(elpa-eglot)
  export DEBIAN_FRONTEND=noninteractive
  echo "editors setup: installing Debian's ${missing[*]} …"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "editors setup: $(nvim --version | head -1); $(emacs --version | head -1), Eglot from $(emacs --batch --eval "(princ (locate-library \"eglot\"))" 2>/dev/null)"
