# Postfix on 127.0.0.1 with its own config_directory, queue and data
# directories inside the work folder: STARTTLS, AUTH (Cyrus SASL with a
# sasldb file, no saslauthd), CHUNKING, SMTPUTF8, DSN, PIPELINING, a local
# domain whose unknown users are rejected, and a second listener that gives
# up after one error (421). Loopback clients may relay; nothing is delivered:
# every transport discards.
# Sourced by run.sh; uses work_dir, cert_file, key_file, local_domain,
# local_users, INTEROP_USER (user@domain) and INTEROP_PASSWORD.

start_postfix() {
  local dir="$work_dir/postfix" port fault_port
  port=$(free_port); fault_port=$(free_port)
  mkdir -p "$dir/etc/sasl" "$dir/queue" "$dir/data"
  chown postfix "$dir/data"

  # Users and their password for AUTH PLAIN/LOGIN/CRAM-MD5, in a sasldb of our own (kept in clear: CRAM-MD5 needs it).
  # (Debian's smtpd reads smtpd.conf from $config_directory/sasl.)
  echo "$INTEROP_PASSWORD" | saslpasswd2 -p -c -f "$dir/etc/sasl/sasldb2" -u "${INTEROP_USER#*@}" "${INTEROP_USER%@*}"
  chown postfix "$dir/etc/sasl/sasldb2"
  cat > "$dir/etc/sasl/smtpd.conf" <<CONF
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: $dir/etc/sasl/sasldb2
mech_list: PLAIN LOGIN CRAM-MD5
CONF

  cat > "$dir/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.interop.test
mydomain = interop.test
myorigin = interop.test
mydestination = $local_domain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file_prefixes = $dir
maillog_file = $dir/maillog
biff = no
# The local domain knows these users only: others get 550 5.1.1.
local_recipient_maps = inline:{$(printf '%s=ok, ' "${local_users[@]}")}
alias_maps =
alias_database =
# Accept everything, deliver nothing.
local_transport = discard:
default_transport = discard:
relay_transport = discard:
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtputf8_enable = yes
disable_vrfy_command = no
smtpd_tls_security_level = may
smtpd_tls_cert_file = $cert_file
smtpd_tls_key_file = $key_file
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
smtpd_tls_auth_only = yes
CONF
  # The packaged master.cf, with smtpd moved to our ports and no chroot (a
  # chroot would need copies of /etc files inside the queue directory).
  awk -v port="$port" -v fault="$fault_port" '
    /^smtp +inet/ {
      print "127.0.0.1:" port " inet n - n - - smtpd"
      print "127.0.0.1:" fault " inet n - n - - smtpd -o smtpd_hard_error_limit=1 -o smtpd_tls_security_level=none"
      next
    }
    /^[a-z]/ && NF >= 8 { $5 = "n" }
    { print }
  ' /etc/postfix/master.cf > "$dir/etc/master.cf"

  postfix -c "$dir/etc" check >"$dir/check.log" 2>&1 || { echo "interop: postfix check failed:" >&2; cat "$dir/check.log" >&2; return 1; }
  # master -d stays in the foreground, so $! is the master process itself;
  # setsid makes it lead its own process group, which run.sh stops as a whole.
  setsid /usr/lib/postfix/sbin/master -c "$dir/etc" -d >"$dir/master.log" 2>&1 &
  local pid=$!
  register_pid postfix "$pid"
  wait_for_greeting postfix "$port" "$pid" "$dir/maillog"
  wait_for_greeting postfix-fault "$fault_port" "$pid" "$dir/maillog"
  describe_server postfix "Postfix $(postconf -c "$dir/etc" -h mail_version)" "$port" "$fault_port"
}
