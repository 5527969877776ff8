#!/usr/bin/env bash
# Installs what the interop suite needs, as root on Debian, idempotently:
#   - postfix (with apt: the benchmarks need its smtp-sink/smtp-source too),
#     python3-aiosmtpd and swaks (with the Perl TLS modules for its STARTTLS)
#     with apt;
#   - exim4-daemon-light and opensmtpd only *extracted* into the cache folder
#     (apt-get download + dpkg-deb -x), with just their libraries from apt.
# Debian's MTAs each Provide/Conflict mail-transport-agent, so installing exim4
# or opensmtpd with apt would remove postfix; extracting them never does.
#
# Usage: scripts/interop/install.sh CACHE_DIR
set -euo pipefail

cache_dir=${1:?usage: install.sh CACHE_DIR (where exim4 and opensmtpd are extracted)}

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: the interop suite installs Debian packages and must run as root (it runs as $(id -un))." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "install.sh: apt-get and dpkg-deb not found: the interop suite needs Debian (or a derivative)." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@"
}

# apt-get update only when the package lists do not know a package yet (a
# fresh machine), so cached runs stay offline and fast.
updated=no
ensure_known() {
  local package
  for package in "$@"; do
    if ! apt-cache show "$package" >/dev/null 2>&1; then
      if [ "$updated" = no ]; then
        echo "install.sh: $package is unknown to apt: running apt-get update"
        apt-get -o DPkg::Lock::Timeout=600 update
        updated=yes
      fi
      if ! apt-cache show "$package" >/dev/null 2>&1; then
        echo "install.sh: apt has no package $package even after apt-get update: check /etc/apt/sources.list." >&2
        exit 1
      fi
    fi
  done
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# 1. Packages apt installs. postfix is preseeded to "No configuration": it gets
# no /etc/postfix/main.cf, so its own service has nothing to start.
# sasl2-bin gives saslpasswd2 (Postfix's AUTH users), libsasl2-modules the
# PLAIN, LOGIN and CRAM-MD5 mechanisms; util-linux gives unshare (private mounts).
# libnet-ssleay-perl and libio-socket-ssl-perl give swaks its STARTTLS (swaks
# only recommends them): npm test's swaks sessions against the capture server use it.
apt_packages=(postfix python3-aiosmtpd swaks libnet-ssleay-perl libio-socket-ssl-perl openssl sasl2-bin libsasl2-modules util-linux)
missing=()
for package in "${apt_packages[@]}"; do installed "$package" || missing+=("$package"); done
if [ ${#missing[@]} -gt 0 ]; then
  ensure_known "${missing[@]}"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "install.sh: apt-get install ${missing[*]}"
  apt_install "${missing[@]}"
fi

# If installing it just now started the system's postfix anyway, stop it: the
# suite runs its own instances and nothing may listen on port 25 on its
# behalf. (A postfix that was installed and running before is the machine's
# business, and stays.)
if [[ " ${missing[*]} " == *" postfix "* ]] && [ -f /etc/postfix/main.cf ] && postfix status >/dev/null 2>&1; then
  echo "install.sh: the system's postfix is running after its installation: stopping it"
  postfix stop
fi

# 2. exim4 and opensmtpd: downloaded and extracted, never installed.
extract() {
  local package=$1 target="$cache_dir/$1"
  if [ -f "$target/.extracted" ]; then return; fi
  ensure_known "$package"
  rm -rf "$target" "$cache_dir/download-$package"
  mkdir -p "$target" "$cache_dir/download-$package"
  # apt downloads as its _apt user where it may write (else it warns and downloads as root).
  if id _apt >/dev/null 2>&1; then chown _apt "$cache_dir/download-$package"; fi
  echo "install.sh: apt-get download $package (extracted into $target, not installed)"
  (cd "$cache_dir/download-$package" && apt-get download "$package")
  dpkg-deb -x "$cache_dir/download-$package"/*.deb "$target"
  dpkg-deb -f "$cache_dir/download-$package"/*.deb Version > "$target/.version"
  rm -rf "$cache_dir/download-$package"
  # Its shared libraries, remembered so that cached runs need no apt-cache
  # (each call takes a second or two).
  apt-cache depends --no-recommends --no-suggests "$package" \
    | sed -n 's/^ *\(Pre\)\{0,1\}Depends: \(lib[^ <>]*\|zlib[^ <>]*\)$/\2/p' | sort -u > "$target/.libraries"
  touch "$target/.extracted"
}
mkdir -p "$cache_dir"
extract exim4-daemon-light
extract opensmtpd

# Their shared libraries (and only those: never the packages themselves, nor
# exim4-base/exim4-config, which would pull in an MTA).
libraries=()
for package in exim4-daemon-light opensmtpd; do
  while read -r library; do
    installed "$library" || libraries+=("$library")
  done < "$cache_dir/$package/.libraries"
done
if [ ${#libraries[@]} -gt 0 ]; then
  echo "install.sh: apt-get install ${libraries[*]} (libraries of the extracted servers)"
  apt_install "${libraries[@]}"
fi

echo "install.sh: ready (postfix $(dpkg-query -W -f='${Version}' postfix), exim4 $(cat "$cache_dir/exim4-daemon-light/.version"), opensmtpd $(cat "$cache_dir/opensmtpd/.version"))"
