# The "old" server of the testbed: Courier-IMAP (authdaemond + PAM, shell users with
# ~/Maildir) on 127.0.0.1:10143 with STARTTLS, and a Postfix instance on 127.0.0.1:10025 that
# delivers with local(8) into those Maildirs. See /work/shared/docs/testbed.md §2 and §4.
# Courier's POP3 server is in testbed-old-pop3.sh.

# courier_pkg_dir PACKAGE: where the package's .deb is unpacked.
courier_pkg_dir() { echo "$TB/pkg/$1"; }

# ensure_courier_unpacked PACKAGE FILE...: courier-imap and courier-pop conflict with
# dovecot-imapd and dovecot-pop3d in apt (imap-server, pop3-server), so their .debs are
# downloaded and unpacked into the state dir; their binaries use only installed libraries.
# FILEs (relative to the package root) must be executable afterwards.
ensure_courier_unpacked() {
    local pkg=$1 dir file missing=0
    shift
    dir=$(courier_pkg_dir "$pkg")
    for file in "$@"; do [[ -x $dir/$file ]] || missing=1; done
    ((missing)) || return 0
    local tmp
    tmp=$(mktemp -d)
    chmod 755 "$tmp" # apt's download sandbox user must be able to write here
    log "downloading $pkg (unpacked into $dir, not installed: it conflicts with Dovecot's package)"
    (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) ||
        { apt-get update -qq >/dev/null && (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null); } ||
        die "apt-get download $pkg failed"
    rm -rf "$dir"
    mkdir -p "$dir"
    dpkg-deb -x "$tmp/${pkg}"_*.deb "$dir"
    rm -rf "$tmp"
    for file in "$@"; do [[ -x $dir/$file ]] || die "$pkg's .deb has no $file"; done
}

ensure_courier_packages_unpacked() {
    ensure_courier_unpacked courier-imap usr/bin/imapd usr/lib/courier/courier/imaplogin
    ensure_courier_unpacked courier-pop usr/lib/courier/courier/courierpop3d usr/lib/courier/courier/courierpop3login
}

# Machine-wide Courier pieces (testbed.md §9): the auth module list, the PAM service and the
# auth daemon's run directory. Courier compiles these paths in (the PAM services are named
# after the protocol: imap, pop3).
configure_courier_system() {
    local rc=/etc/courier/authdaemonrc
    if ! grep -q '^authmodulelist="authuserdb authpam"$' "$rc"; then
        sed -i 's/^authmodulelist=.*/authmodulelist="authuserdb authpam"/' "$rc"
    fi
    # A failed PAM login holds an auth process for seconds; with Debian's 5 of them, parallel
    # test suites that try wrong passwords starve everyone else's logins (Courier then drops
    # the connection).
    if ! grep -q '^daemons=20$' "$rc"; then
        sed -i 's/^daemons=.*/daemons=20/' "$rc"
    fi
    [[ -f /etc/pam.d/imap ]] || install -m 644 "$(courier_pkg_dir courier-imap)/etc/pam.d/imap" /etc/pam.d/imap
    [[ -f /etc/pam.d/pop3 ]] || install -m 644 "$(courier_pkg_dir courier-pop)/etc/pam.d/pop3" /etc/pam.d/pop3
    install -d -o courier -g courier -m 750 /run/courier /run/courier/authdaemon
}

# write_courier_config: the imapd and imapd-ssl environment files, Debian's defaults with the
# testbed's overrides appended (later assignments win when the files are sourced).
write_courier_config() {
    local c=$TB/old/courier pkg
    pkg=$(courier_pkg_dir courier-imap)
    mkdir -p "$c"
    write_if_changed "$c/imapd" courier-imapd <<CONF
$(cat "$pkg/etc/courier/imapd")

# --- mailferry testbed overrides ---
ADDRESS=127.0.0.1
PORT=$TB_PORT_OLD_IMAP
MAXDAEMONS=100
MAXPERIP=100
IMAPACCESSFILE=$c/imapaccess
# Without TLS Courier advertises no AUTH mechanism; tests use AUTH=PLAIN both ways.
IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE AUTH=PLAIN"
IMAP_CAPABILITY_TLS="\$IMAP_CAPABILITY"
# Debian's default (Trash:7) silently deletes Trash mail older than 7 days at logout, which
# would eat the generated corpus. Real servers do have it on: the sync tool must not care.
IMAP_EMPTYTRASH=
CONF
    write_if_changed "$c/imapd-ssl" courier-imapd <<CONF
$(cat "$pkg/etc/courier/imapd-ssl")

# --- mailferry testbed overrides ---
IMAPDSSLSTART=NO
IMAPDSTARTTLS=YES
IMAP_TLS_REQUIRED=0
COURIERTLS=/usr/bin/couriertls
TLS_CERTFILE=$TB/tls/old.pem
TLS_DHPARAMS=$TB/tls/dh.pem
TLS_CACHEFILE=
CONF
    if [[ ! -f $c/imapaccess.dat ]]; then
        : >"$c/imapaccess"
        /usr/lib/courier/makedat -src="$c/imapaccess" -file="$c/imapaccess.dat" -tmp="$c/imapaccess.tmp" -cidr
    fi
}

start_courier() {
    if ! service_pid authdaemond >/dev/null; then
        # authdaemond stays in the foreground with its worker children.
        start_session authdaemond "$TB/log/authdaemond.log" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            MAILFERRY_TESTBED_DIR="$TB" /bin/sh -c 'set -a; . /etc/courier/authdaemonrc; exec /usr/lib/courier/courier-authlib/authdaemond'
        local i
        for ((i = 0; i < 50; i++)); do [[ -S /run/courier/authdaemon/socket ]] && break; sleep 0.1; done
        [[ -S /run/courier/authdaemon/socket ]] || die "authdaemond did not create its socket (log: $TB/log/authdaemond.log)"
    fi
    if service_pid courier-imapd >/dev/null && [[ ${TB_CHANGED[courier-imapd]:-} ]]; then
        stop_session courier-imapd "$(service_pid courier-imapd)"
    fi
    if ! service_pid courier-imapd >/dev/null; then
        local c=$TB/old/courier pkg
        pkg=$(courier_pkg_dir courier-imap)
        # This is what Courier's own start script runs, minus courierlogger (which would
        # daemonise) and with our config files. couriertcpd stays in the foreground.
        start_session courier-imapd "$TB/log/courier-imapd.log" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            MAILFERRY_TESTBED_DIR="$TB" /bin/sh -c "set -a; . '$c/imapd'; . '$c/imapd-ssl'; IMAP_STARTTLS=\$IMAPDSTARTTLS; umask \$IMAP_UMASK;
                exec /usr/sbin/couriertcpd -address=\$ADDRESS -maxprocs=\$MAXDAEMONS -maxperip=\$MAXPERIP \
                    -access=\$IMAPACCESSFILE.dat \$TCPDOPTS \$PORT '$pkg/usr/lib/courier/courier/imaplogin' '$pkg/usr/bin/imapd' \$MAILDIRPATH"
    fi
    wait_for_port "$TB_PORT_OLD_IMAP" 10 "Courier IMAP"
}

write_postfix_old_config() {
    local dir=$TB/old/postfix
    write_postfix_master_cf "$dir" "$TB_PORT_OLD_SMTP" postfix-old
    write_if_changed "$dir/main.cf" postfix-old <<CONF
# mailferry testbed, old server: delivers old.test to shell users' ~/Maildir with local(8).
# Generated by scripts/testbed; edits are overwritten on the next "up".
$(postfix_common_main_cf old)
myhostname = mx.old.test
mydomain = old.test
myorigin = \$mydomain
mydestination = old.test, localhost
home_mailbox = Maildir/
local_recipient_maps = proxy:unix:passwd.byname
CONF
}
