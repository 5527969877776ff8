# Helpers shared by the interop scripts (sourced, not run).
#
# Every process a server script starts is recorded in "$work_dir/pids" as
# "NAME PID", so run.sh's trap can stop exactly those processes by pid.

# A free TCP port on 127.0.0.1, chosen by the kernel (bind to port 0).
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# register_pid NAME PID: remember a process to stop at the end.
register_pid() {
  echo "$1 $2" >> "$work_dir/pids"
}

# The first line a server sends on 127.0.0.1:PORT, or on the Unix socket
# unix:/PATH, after which QUIT is sent (bash's /dev/tcp has no Unix sockets).
first_line() {
  if [[ $1 == unix:* ]]; then
    timeout 5 /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(4)
s.connect(sys.argv[1])
sys.stdout.write(s.makefile("rb").readline().decode("latin-1"))
s.sendall(b"QUIT\r\n")
' "${1#unix:}"
  else
    timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && IFS= read -r -t 4 greeting <&3 && printf "%s" "$greeting" && printf "QUIT\r\n" >&3' _ "$1"
  fi
}

# wait_for_greeting NAME PORT|unix:PATH PID LOG: wait (30 s at most) until
# 127.0.0.1:PORT (or the Unix socket at PATH) answers with a 220 greeting,
# failing at once with the log if PID exits.
wait_for_greeting() {
  local name=$1 port=$2 pid=$3 log=$4 deadline=$((SECONDS + 30)) line='' where
  if [[ $port == unix:* ]]; then where="the Unix socket ${port#unix:}"; else where="127.0.0.1:$port"; fi
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "interop: $name (pid $pid) exited before listening on $where. Its log ($log):" >&2
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    # A real connection and a real greeting line, not just an open port.
    if line=$(first_line "$port" 2>/dev/null) && [[ $line == 220* ]]; then
      echo "interop: $name listens on $where: ${line%$'\r'}"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "interop: $name (pid $pid) did not greet on $where within 30 s. Its log ($log):" >&2
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    sleep 0.2 # between connection attempts, not instead of one
  done
}

# in_private_mounts SOURCE=TARGET… -- COMMAND…: exec COMMAND in a private
# mount namespace where each SOURCE is bind-mounted over TARGET (a copy of
# /etc/passwd that adds a service user, a spool folder of our own…), so the
# machine's own files stay as they are for everyone else.
in_private_mounts() {
  exec unshare --mount --propagation private sh -c '
    while [ "$1" != -- ]; do
      mount --bind "${1%%=*}" "${1#*=}" || { echo "interop: cannot bind-mount ${1%%=*} over ${1#*=}" >&2; exit 1; }
      shift
    done
    shift
    exec "$@"
  ' _ "$@"
}

# private_users DIR NAME…: DIR/passwd and DIR/group, copies of the machine's
# with a system user and group of each NAME added (uids from 64900 up).
private_users() {
  local dir=$1 uid=64900 name; shift
  mkdir -p "$dir"
  cp /etc/passwd "$dir/passwd"; cp /etc/group "$dir/group"
  for name in "$@"; do
    while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
    if ! grep -q "^$name:" "$dir/passwd"; then
      echo "$name:x:$uid:$uid:interop $name:/nonexistent:/usr/sbin/nologin" >> "$dir/passwd"
      echo "$name:x:$uid:" >> "$dir/group"
    fi
    uid=$((uid + 1))
  done
}

# describe_server NAME VERSION PORT [FAULT_PORT [MESSAGES_DIR [LMTP_PORT
# [LMTP_SOCKET]]]]: what the suite reads to find a running server
# ($work_dir/servers/NAME.json).
describe_server() {
  local messages=null lmtp_socket=null
  if [ -n "${5:-}" ]; then messages="\"$5\""; fi
  if [ -n "${7:-}" ]; then lmtp_socket="\"$7\""; fi
  mkdir -p "$work_dir/servers"
  printf '{"name": "%s", "version": "%s", "port": %s, "faultPort": %s, "messagesDir": %s, "lmtpPort": %s, "lmtpSocket": %s}\n' \
    "$1" "$2" "$3" "${4:-null}" "$messages" "${6:-null}" "$lmtp_socket" > "$work_dir/servers/$1.json"
}
