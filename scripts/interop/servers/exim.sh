# Exim, extracted from exim4-daemon-light into the cache folder (never
# installed: it would replace postfix), run as a foreground daemon with a
# configuration of our own (-C): STARTTLS, AUTH PLAIN/LOGIN after TLS
# (plaintext and cram_md5 authenticators checking a fixed password), CHUNKING, SMTPUTF8,
# DSN, PIPELINING, VRFY/EXPN, a local domain whose unknown users are rejected
# (other domains relayed for loopback clients),
# and a fault port that greets with 421. Nothing is delivered: messages
# stay queued in the work folder.
# The binary looks up its service user Debian-exim (made by exim4-base, which
# is not installed) before reading any configuration, so it runs in a private
# mount namespace whose /etc/passwd and /etc/group add that user.
# Sourced by run.sh; uses work_dir, cache_dir, cert_file, key_file,
# local_domain, local_users, INTEROP_USER and INTEROP_PASSWORD.

start_exim() {
  local dir="$work_dir/exim" port fault_port binary="$cache_dir/exim4-daemon-light/usr/sbin/exim4"
  port=$(free_port); fault_port=$(free_port)
  if [ ! -x "$binary" ]; then
    echo "interop: $binary is missing: run scripts/interop/install.sh $cache_dir" >&2
    return 1
  fi
  mkdir -p "$dir/spool" "$dir/log"
  private_users "$dir/etc" Debian-exim
  local exim_uid
  exim_uid=$(awk -F: '$1 == "Debian-exim" { print $3 }' "$dir/etc/passwd")
  chown -R "$exim_uid:$exim_uid" "$dir/spool" "$dir/log"
  # Exim reads its TLS key after giving up root: a copy its user can read.
  install -m 600 -o "$exim_uid" "$key_file" "$dir/key.pem"
  # The password Exim checks, in a file only its user reads (the
  # configuration would otherwise carry it).
  printf '%s' "$INTEROP_PASSWORD" > "$dir/password"
  chown "$exim_uid" "$dir/password"; chmod 600 "$dir/password"
  cat > "$dir/exim.conf" <<CONF
primary_hostname = exim.interop.test
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
pid_file_path = $dir/exim.pid
daemon_smtp_ports = $port : $fault_port
local_interfaces = 127.0.0.1
domainlist local_domains = $local_domain
domainlist relay_to_domains =
hostlist relay_from_hosts =
keep_environment =
tls_advertise_hosts = *
tls_certificate = $cert_file
tls_privatekey = $dir/key.pem
chunking_advertise_hosts = *
smtputf8_advertise_hosts = *
dsn_advertise_hosts = *
pipelining_advertise_hosts = *
smtp_accept_max_nonmail = 10
# Keep every message in the spool (inside the work folder): delivering would
# re-exec the binary from its packaged path, where it is not installed.
queue_only = true
acl_smtp_connect = acl_check_connect
acl_smtp_rcpt = acl_check_rcpt
acl_smtp_vrfy = acl_check_vrfy
acl_smtp_expn = acl_check_expn
acl_smtp_data = acl_check_data
# No DNS on this machine: never look names up.
host_lookup =
rfc1413_hosts =

begin acl
# The fault port greets with 421 and closes: service not available.
acl_check_connect:
  defer   condition = \${if =={\$received_port}{$fault_port}}
          message = 421 4.3.2 exim.interop.test service not available (interop fault port)
  accept
acl_check_rcpt:
  deny    domains = +local_domains
          !verify = recipient
  accept  hosts = 127.0.0.1
  accept  authenticated = *
  deny    message = relay not permitted
acl_check_vrfy:
  accept
acl_check_expn:
  accept
acl_check_data:
  accept

begin routers
known_users:
  driver = redirect
  domains = +local_domains
  local_parts = $(IFS=:; echo "${local_users[*]}")
  data = :blackhole:
  allow_defer
  allow_fail

begin transports

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_advertise_condition = \${if def:tls_in_cipher}
  server_condition = \${if and {{eq{\$auth2}{$INTEROP_USER}} {eq{\$auth3}{\${readfile{$dir/password}}}}}}
  server_set_id = \$auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_advertise_condition = \${if def:tls_in_cipher}
  server_condition = \${if and {{eq{\$auth1}{$INTEROP_USER}} {eq{\$auth2}{\${readfile{$dir/password}}}}}}
  server_set_id = \$auth1
cram:
  driver = cram_md5
  public_name = CRAM-MD5
  server_advertise_condition = \${if def:tls_in_cipher}
  server_secret = \${if eq{\$auth1}{$INTEROP_USER}{\${readfile{$dir/password}}}fail}
  server_set_id = \$auth1
CONF
  chmod 644 "$dir/exim.conf"
  ( in_private_mounts "$dir/etc/passwd=/etc/passwd" "$dir/etc/group=/etc/group" -- "$binary" -C "$dir/exim.conf" -bV ) >"$dir/version.txt" 2>&1 \
    || { echo "interop: exim -bV refused the configuration:" >&2; cat "$dir/version.txt" >&2; return 1; }
  # -bdf: a daemon that stays in the foreground, so $! is the daemon itself.
  ( in_private_mounts "$dir/etc/passwd=/etc/passwd" "$dir/etc/group=/etc/group" -- setsid "$binary" -C "$dir/exim.conf" -bdf -oX "$port:$fault_port" ) >"$dir/log/daemon.out" 2>&1 &
  local pid=$!
  register_pid exim "$pid"
  wait_for_greeting exim "$port" "$pid" "$dir/log/mainlog"
  describe_server exim "Exim $(sed -n 's/^Exim version \([^ ]*\).*/\1/p' "$dir/version.txt")" "$port" "$fault_port"
}
