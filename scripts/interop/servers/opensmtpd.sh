# OpenSMTPD, extracted from the opensmtpd package into the cache folder (never
# installed: it would replace postfix), run in the foreground (-d) with a
# configuration of our own (-f): STARTTLS, AUTH PLAIN/LOGIN after TLS (a
# credentials table), DSN, and a local domain whose unknown users are
# rejected (a userbase table of its own), and a fault port answering EHLO
# with 421. It advertises neither PIPELINING
# nor SMTPUTF8 nor CHUNKING.
# Its paths are compiled in (/var/spool/smtpd, /var/lib/opensmtpd/empty, the
# control socket under /run) and it needs the users opensmtpd and opensmtpq,
# which its package would create; so it runs in a private mount namespace
# where those paths and /etc/passwd, /etc/group are folders and copies inside
# the work folder.
# Debian 12's OpenSMTPD 6.8.0p2 cannot complete a TLS handshake with OpenSSL
# 3 (server log: "io-error: error:0A080006:SSL routines::EVP lib", with RSA or
# ECDSA keys, TLS 1.2 or 1.3: OpenSMTPD issues #1171, #1239), and it offers
# AUTH only over TLS; the suite asserts that failure (docs/interop.md).
# Sourced by run.sh; uses work_dir, cache_dir, cert_file, key_file,
# local_domain, local_users, INTEROP_USER and INTEROP_PASSWORD.

start_opensmtpd() {
  local dir="$work_dir/opensmtpd" port fault_port root="$cache_dir/opensmtpd"
  port=$(free_port); fault_port=$(free_port)
  if [ ! -x "$root/usr/sbin/smtpd" ]; then
    echo "interop: $root/usr/sbin/smtpd is missing: run scripts/interop/install.sh $cache_dir" >&2
    return 1
  fi
  mkdir -p "$dir/var-spool/smtpd" "$dir/var-lib/opensmtpd/empty" "$dir/run" "$dir/home"
  chmod 711 "$dir/var-spool/smtpd"; chmod 755 "$dir/var-lib/opensmtpd/empty"
  private_users "$dir/etc" opensmtpd opensmtpq interop
  local mail_uid
  mail_uid=$(awk -F: '$1 == "interop" { print $3 }' "$dir/etc/passwd")
  # The virtual users deliver as "interop", whose home is a folder of ours.
  sed -i "s|^interop:\(.*\):/nonexistent:|interop:\1:$dir/home:|" "$dir/etc/passwd"
  chown "$mail_uid" "$dir/home"

  printf '%s %s\n' "$INTEROP_USER" "$("$root/usr/libexec/opensmtpd/encrypt" <<< "$INTEROP_PASSWORD")" > "$dir/credentials"
  chmod 640 "$dir/credentials"
  # The local domain's users, all delivered as "interop" (a userbase table:
  # "name uid:gid:home"); OpenSMTPD refuses the others with 550.
  local mail_gid
  mail_gid=$(awk -F: '$1 == "interop" { print $3 }' "$dir/etc/group")
  printf "%s $mail_uid:$mail_gid:$dir/home\n" "${local_users[@]}" > "$dir/mailboxes"
  cat > "$dir/smtpd.conf" <<CONF
pki opensmtpd.interop.test cert "$cert_file"
pki opensmtpd.interop.test key "$key_file"
table credentials file:$dir/credentials
table mailboxes file:$dir/mailboxes
listen on 127.0.0.1 port $port tls pki opensmtpd.interop.test auth-optional <credentials> hostname opensmtpd.interop.test
# The fault port answers EHLO with 421 and closes (a builtin filter).
filter "fault" phase ehlo match helo regex "." disconnect "421 4.3.2 Service not available (interop fault port)"
listen on 127.0.0.1 port $fault_port hostname opensmtpd.interop.test filter "fault"
# Deliver nothing anywhere: known users' mail is read and thrown away.
action "discard" mda "/bin/cat >/dev/null" user interop
action "mailboxes" mda "/bin/cat >/dev/null" userbase <mailboxes>
match from any for domain "$local_domain" action "mailboxes"
# Loopback clients may relay (and their mail is thrown away too).
match from local for any action "discard"
match from any auth for any action "discard"
CONF
  local mounts=(
    "$dir/etc/passwd=/etc/passwd" "$dir/etc/group=/etc/group"
    "$dir/var-spool=/var/spool" "$dir/var-lib=/var/lib" "$dir/run=/run"
    # Its delivery helpers (mail.mda runs the mda command below).
    "$root/usr/libexec=/usr/libexec"
  )
  ( in_private_mounts "${mounts[@]}" -- "$root/usr/sbin/smtpd" -n -f "$dir/smtpd.conf" ) >"$dir/check.log" 2>&1 \
    || { echo "interop: smtpd -n refused the configuration:" >&2; cat "$dir/check.log" >&2; return 1; }
  # -d: stays in the foreground and logs to stderr, so $! is smtpd itself.
  ( in_private_mounts "${mounts[@]}" -- setsid "$root/usr/sbin/smtpd" -d -f "$dir/smtpd.conf" ) >"$dir/smtpd.log" 2>&1 &
  local pid=$!
  register_pid opensmtpd "$pid"
  wait_for_greeting opensmtpd "$port" "$pid" "$dir/smtpd.log"
  wait_for_greeting opensmtpd-fault "$fault_port" "$pid" "$dir/smtpd.log"
  describe_server opensmtpd "OpenSMTPD $(cat "$root/.version")" "$port" "$fault_port"
}
