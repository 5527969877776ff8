#!/usr/bin/env bash
# Prepares what `npm run test:e2e` needs: Debian's Chromium and ripgrep, and
# code-server (the real VS Code workbench, served to a browser) from the npm
# registry, made runnable. The official VS Code test download is unreachable
# here; this is the recipe of issue 5, verified on this machine kind (node 20;
# code-server 4.100.3 is the last release for node 20).
#
# Idempotent and cached: everything lands in .vscode-test-web/ (git-ignored)
# and each step leaves a marker in .vscode-test-web/.done/, so a second run
# skips what is done. Delete the folder to start over.
set -euo pipefail
cd "$(dirname "$0")/../.."

CODE_SERVER_VERSION=4.100.3
CACHE="$PWD/.vscode-test-web"
DONE="$CACHE/.done"
VSCODE="$CACHE/node_modules/code-server/lib/vscode"
# Markers without the package they describe (node_modules deleted by hand)
# mean nothing: start the steps over.
[ -f "$CACHE/node_modules/code-server/package.json" ] || rm -rf "$DONE"
mkdir -p "$DONE"

# No prompts from npm or apt: CI has no stdin.
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export DEBIAN_FRONTEND=noninteractive

log() { printf 'e2e setup: %s\n' "$*"; }

# Runs step NAME (a function) once; a marker holding the code-server version
# records that it finished, so an interrupted step runs again.
step() {
  local name=$1
  if [ "$(cat "$DONE/$name" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]; then
    log "$name: cached"
    return
  fi
  local started=$SECONDS
  log "$name …"
  "$name"
  echo "$CODE_SERVER_VERSION" > "$DONE/$name"
  log "$name: done in $((SECONDS - started)) s"
}

# The system packages are their own cache: dpkg says what is installed, so a
# fresh machine with a restored cache folder still gets them.
apt_packages() {
  local wanted=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium)
  # Native modules are compiled by node-gyp; a bare machine may lack the tools.
  command -v make >/dev/null || wanted+=(make)
  command -v g++ >/dev/null || wanted+=(g++)
  command -v python3 >/dev/null || wanted+=(python3)
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt packages: installed"
    return
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  local install=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}")
  log "apt-get install ${missing[*]}"
  # Package lists may be missing or stale on a fresh machine: update once, then retry.
  if ! "${install[@]}"; then
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update
    "${install[@]}"
  fi
}

# Step 2: the package without its install scripts (they download things).
code_server_package() {
  [ -f "$CACHE/package.json" ] || echo '{"name": "vscode-test-web-cache", "private": true}' > "$CACHE/package.json"
  (cd "$CACHE" && npm install --no-save --ignore-scripts "code-server@$CODE_SERVER_VERSION")
}

# Step 3a: VS Code's own dependencies, still without install scripts.
vscode_dependencies() {
  (cd "$VSCODE" && npm install --omit=dev --ignore-scripts)
}

# Step 3b: @vscode/ripgrep's install script would download rg; Debian's will do.
vscode_ripgrep() {
  mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
  cp /usr/bin/rg "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
}

# Step 3c: build the native modules (pty, watcher, keymap, …) for this node.
vscode_rebuild() {
  (cd "$VSCODE" && npm rebuild --unsafe-perm)
}

# Step 3d: the server loads its modules through node_modules.asar.
vscode_asar_link() {
  ln -sfn node_modules "$VSCODE/node_modules.asar"
}

# Step 3e: the built-in extensions' dependencies.
vscode_extensions() {
  (cd "$VSCODE/extensions" && npm install --omit=dev --unsafe-perm)
}

# Step 4: code-server's password hashing module, built for this node.
code_server_argon2() {
  (cd "$CACHE" && npm rebuild argon2)
}

started=$SECONDS
apt_packages
step code_server_package
step vscode_dependencies
step vscode_ripgrep
step vscode_rebuild
step vscode_asar_link
step vscode_extensions
step code_server_argon2
# Its own config file, so nothing is written to the user's ~/.config.
CODE_SERVER_CONFIG="$CACHE/config.yaml" "$CACHE/node_modules/.bin/code-server" --version | tail -n 1 | sed 's/^/e2e setup: code-server /'
log "ready in $((SECONDS - started)) s"
