# aiosmtpd (Debian's python3-aiosmtpd, so /usr/bin/python3 explicitly: the
# python3 on PATH may be another Python without it), configured by
# aiosmtpd_server.py: STARTTLS, AUTH PLAIN/LOGIN after TLS, SMTPUTF8, a local
# domain whose unknown users are rejected, and a fault port (421 after two
# NOOPs). No PIPELINING, DSN or CHUNKING keyword: aiosmtpd offers none.
# Also aiosmtpd's LMTP server (RFC 2033) on a TCP port and on a Unix socket
# in the work folder, the same local domain: dave's delivery gets 452 (over
# quota) and carol's 550 after the data, everyone else's 250.
# Sourced by run.sh; uses work_dir, cert_file, key_file, local_domain,
# local_users, INTEROP_USER and INTEROP_PASSWORD.

start_aiosmtpd() {
  local dir="$work_dir/aiosmtpd" port fault_port lmtp_port version
  port=$(free_port); fault_port=$(free_port); lmtp_port=$(free_port)
  mkdir -p "$dir/messages"
  version=$(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)') \
    || { echo "interop: /usr/bin/python3 cannot import aiosmtpd: install python3-aiosmtpd (scripts/interop/install.sh)" >&2; return 1; }
  INTEROP_USER="$INTEROP_USER" INTEROP_PASSWORD="$INTEROP_PASSWORD" \
    setsid /usr/bin/python3 -u "$(dirname "${BASH_SOURCE[0]}")/aiosmtpd_server.py" \
    --port "$port" --fault-port "$fault_port" --cert "$cert_file" --key "$key_file" \
    --domain "$local_domain" --users "$(IFS=,; echo "${local_users[*]}")" --messages "$dir/messages" \
    --lmtp-port "$lmtp_port" --lmtp-socket "$dir/lmtp.sock" --lmtp-over-quota dave --lmtp-refuse-delivery carol \
    >"$dir/server.log" 2>&1 &
  local pid=$!
  register_pid aiosmtpd "$pid"
  wait_for_greeting aiosmtpd "$port" "$pid" "$dir/server.log"
  wait_for_greeting aiosmtpd-fault "$fault_port" "$pid" "$dir/server.log"
  wait_for_greeting aiosmtpd-lmtp "$lmtp_port" "$pid" "$dir/server.log"
  wait_for_greeting aiosmtpd-lmtp-unix "unix:$dir/lmtp.sock" "$pid" "$dir/server.log"
  describe_server aiosmtpd "aiosmtpd $version (Python $(/usr/bin/python3 -c 'import platform; print(platform.python_version())'))" "$port" "$fault_port" "$dir/messages" "$lmtp_port" "$dir/lmtp.sock"
}
