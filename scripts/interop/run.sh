#!/usr/bin/env bash
# npm run test:interop: installs the servers (scripts/interop/install.sh),
# starts Postfix, Exim, OpenSMTPD and aiosmtpd on loopback ports with
# throwaway configurations in a temporary folder, runs the interop suite
# (test/interop/interop.suite.ts, or the COMMAND given as arguments) against
# them, and stops every process it started, by pid, however it ends. Must run
# as root on Debian. INTEROP_KEEP=1 keeps the temporary folder (configurations
# and server logs) for a look afterwards.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
source scripts/interop/lib.sh
for server in postfix exim opensmtpd aiosmtpd; do source "scripts/interop/servers/$server.sh"; done

cache_dir="$repo/.interop-cache"
scripts/interop/install.sh "$cache_dir"

work_dir=$(mktemp -d /tmp/smtp-session-interop.XXXXXX)
# The servers' own users (postfix, Debian-exim…) read their configuration here.
chmod 755 "$work_dir"
: > "$work_dir/pids"

# Stops every process this run started: SIGTERM to each by pid (and to the
# process group it leads: Postfix's master and its children), then SIGKILL
# to whatever is left after 10 s. Runs on any exit, failure included.
command_pid=''
stop_servers() {
  local status=$? name pid deadline
  if [ -n "$command_pid" ] && kill -0 "$command_pid" 2>/dev/null; then
    echo "interop: stopping the suite (pid $command_pid)"
    kill -TERM "$command_pid" 2>/dev/null || true
    wait "$command_pid" 2>/dev/null || true
  fi
  while read -r name pid; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "interop: stopping $name (pid $pid)"
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
  done < "$work_dir/pids"
  deadline=$((SECONDS + 10))
  while read -r name pid; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
      wait "$pid" 2>/dev/null || sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "interop: $name (pid $pid) ignored SIGTERM for 10 s: SIGKILL" >&2
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    # Children in its group that outlived it (a Postfix smtpd mid-session).
    kill -KILL -- "-$pid" 2>/dev/null || true
  done < "$work_dir/pids"
  if [ "${INTEROP_KEEP:-}" = 1 ]; then
    echo "interop: INTEROP_KEEP=1: the work folder stays: $work_dir"
  else
    rm -rf "$work_dir"
  fi
  if [ "$status" -ne 0 ]; then
    echo "interop: failed (exit status $status); the messages above say what. Run again with INTEROP_KEEP=1 to keep the servers' configurations and logs." >&2
  fi
  exit "$status"
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

# One self-signed certificate for every server's STARTTLS.
/usr/bin/openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=interop.test \
  -addext "subjectAltName=DNS:interop.test,IP:127.0.0.1" \
  -keyout "$work_dir/key.pem" -out "$work_dir/cert.pem" 2>"$work_dir/openssl.log" \
  || { echo "interop: openssl could not make the test certificate:" >&2; cat "$work_dir/openssl.log" >&2; exit 1; }
cert_file="$work_dir/cert.pem"
key_file="$work_dir/key.pem"

# The local domain every server rejects unknown users of; the examples/
# sessions send to its users, so they run unchanged.
local_domain=example.org
local_users=(alice bob carol dave warehouse billing accounts archive postmaster)
export INTEROP_USER=alice@example.com
INTEROP_PASSWORD="interop-$(/usr/bin/openssl rand -hex 8)"
export INTEROP_PASSWORD

start_postfix
start_exim
start_opensmtpd
start_aiosmtpd

export INTEROP_SERVERS="$work_dir/servers"
if [ $# -eq 0 ]; then set -- node --import tsx --test --test-reporter=spec test/interop/interop.suite.ts; fi
# scripts/interop/run.sh COMMAND…: runs COMMAND against the servers instead of
# the suite (INTEROP_SERVERS names the folder describing them). In the
# background, so that a signal reaches the trap at once rather than when the
# command ends (bash runs traps only between foreground commands).
"$@" &
command_pid=$!
wait "$command_pid"
