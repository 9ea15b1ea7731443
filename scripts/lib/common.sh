# Shared shell helpers for scripts/testbed, scripts/test and scripts/demo.
# Source it; it defines functions and a few variables and runs nothing.

# The repository root: scripts/lib/.. /..
MAILFERRY_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Every Debian package the project needs on a fresh Debian 12 machine: the four servers of
# the testbed, the tools the tests and benchmarks drive (isync = mbsync, swaks), and the
# headers the Swift build links against; openssh-server and openssh-client for the SSH tests,
# which run their own sshd on a loopback port; nsd for the plan's DNS tests, which run their own
# authoritative servers on a loopback port. courier-imap and courier-pop are NOT here: they
# conflict with dovecot-imapd and dovecot-pop3d (imap-server, pop3-server), so the testbed
# unpacks their .debs instead. The last line builds and checks the Debian package
# (scripts/package, scripts/lib/check-package.sh).
MAILFERRY_APT_PACKAGES=(
    postfix dovecot-core dovecot-imapd dovecot-lmtpd dovecot-pop3d
    courier-base courier-authdaemon courier-authlib courier-authlib-userdb libgamin0
    isync swaks time iproute2 openssl python3 libsqlite3-dev procps util-linux ca-certificates
    openssh-server openssh-client nsd
    dpkg-dev binutils file xz-utils man-db groff-base systemd lintian
)

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "$1 must run as root (it installs packages, creates system users and starts servers)"
}

# missing_packages PKG...: prints the packages that are not fully installed.
missing_packages() {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [[ $status == installed ]] || printf '%s\n' "$pkg"
    done
}

# ensure_packages PKG...: installs what is missing, non-interactively, without letting the
# packages' maintainer scripts start any daemon (there is no init system to manage them, and
# the testbed runs its own instances). Does nothing, and asks apt nothing, when all are there.
ensure_packages() {
    local missing
    mapfile -t missing < <(missing_packages "$@")
    ((${#missing[@]} == 0)) && return 0
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local created_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\n# mailferry: packages must not start daemons\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    # Postfix asks how it should be configured; the testbed never uses the default instance.
    debconf-set-selections <<'SEL'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string testbed.invalid
SEL
    local rc=0
    apt-get update -qq >/dev/null || rc=$?
    if ((rc == 0)); then
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/mailferry-apt.log 2>&1 || rc=$?
    fi
    ((created_policy)) && rm -f /usr/sbin/policy-rc.d
    if ((rc != 0)); then
        tail -n 30 /tmp/mailferry-apt.log >&2 2>/dev/null || true
        die "apt-get failed (exit $rc); full log: /tmp/mailferry-apt.log"
    fi
    mapfile -t missing < <(missing_packages "$@")
    ((${#missing[@]} == 0)) || die "still not installed after apt-get: ${missing[*]}"
}

# ensure_swift: the toolchain is not an apt package; say so clearly instead of failing later.
ensure_swift() {
    command -v swift >/dev/null 2>&1 || die "swift is not on PATH (Swift 6.x toolchain required; see README)"
}

# The release build that ships, and that the demo and the benchmarks run: the Swift runtime
# and Foundation linked in (one file to copy to the old host, nothing to install there) and
# code optimised for size. Measured on the 2,000-message benchmark sync: peak RSS 45 -> 39.5
# MB (the executable image is most of a run's memory), CPU time unchanged. Linked by lld
# with packed relative relocations (DT_RELR) and no exported symbol table: the loader read
# 2.8 MB of relocations and the lookups of the shared libraries' symbols walked a 3 MB
# export table, all of it resident for the whole run: peak RSS 39.4 -> 32.3 MB. DT_RELR
# needs glibc 2.36 (Debian 12, Ubuntu 22.10); the static runtime already needed 2.35. Every
# release build uses the same flags, so switching between scripts never rebuilds everything.
# Full RELRO (-z relro -z now): every symbol is bound before main and the relocated data made
# read-only, as Debian's hardening asks of a daemon (lintian's hardening-no-bindnow).
# Every function in a section of its own (Swift and C), laid out in the order of
# scripts/lib/mailferry.order (the functions a sync executes, first): the kernel maps an
# executable's pages 64 KiB at a time around each page a process first touches, so the 2 MB
# of code a sync runs, scattered over 27 MB, kept 16 MB of code resident; packed together it
# is under 3 MB. Functions missing from the order file (new ones) keep the default order, so
# a stale file costs memory, never correctness; scripts/order-file writes it again.
# A release build made with other flags must be removed first (.build/*/release): the Swift
# driver does not recompile a module whose sources did not change when -Xfrontend flags do.
MAILFERRY_RELEASE_FLAGS=(
    -c release --static-swift-stdlib -Xswiftc -Osize
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcc -fdata-sections
    -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic
    -Xlinker -z -Xlinker now -Xlinker -z -Xlinker relro
    -Xlinker "--symbol-ordering-file=$MAILFERRY_REPO/scripts/lib/mailferry.order" -Xlinker --no-warn-symbol-ordering
)

# release_build LOG PRODUCT...: build PRODUCTs with MAILFERRY_RELEASE_FLAGS, output to LOG;
# on failure print the errors and return 1.
release_build() {
    local build_log=$1 product
    shift
    mkdir -p "$(dirname "$build_log")"
    for product in "$@"; do
        if ! swift build "${MAILFERRY_RELEASE_FLAGS[@]}" --product "$product" >"$build_log" 2>&1; then
            grep -E 'error:' "$build_log" | sort -u | head -n 30 >&2 || true
            tail -n 20 "$build_log" >&2
            return 1
        fi
    done
}

# release_bin_path: where release_build puts the executables.
release_bin_path() {
    swift build "${MAILFERRY_RELEASE_FLAGS[@]}" --show-bin-path
}
