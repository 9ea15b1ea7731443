# The old server's POP3: Courier's pop3d (courier-pop, unpacked like courier-imap) on
# 127.0.0.1:10110 with STLS, the same shell users, PAM service "pop3" and auth daemon as
# Courier-IMAP. It keeps each Maildir's POP3 UIDLs in courierpop3dsizelist
# (maildir-formats.md §2.5), which a UIDL-preserving migration must carry over.

# write_courier_pop3_config: Debian's pop3d and pop3d-ssl defaults with the testbed's
# overrides appended, in one environment file (later assignments win when it is sourced).
write_courier_pop3_config() {
    local c=$TB/old/courier pkg
    pkg=$(courier_pkg_dir courier-pop)
    mkdir -p "$c"
    write_if_changed "$c/pop3d" courier-pop3d <<CONF
$(cat "$pkg/etc/courier/pop3d")

$(cat "$pkg/etc/courier/pop3d-ssl")

# --- mailferry testbed overrides ---
ADDRESS=127.0.0.1
PORT=$TB_PORT_OLD_POP3
# Debian's MAXPERIP=4 would make parallel test suites fail to connect.
MAXDAEMONS=100
MAXPERIP=100
# USER/PASS always work; SASL PLAIN and LOGIN with and without STLS (plaintext is fine on
# loopback, and tests use both paths).
POP3AUTH="PLAIN LOGIN"
POP3AUTH_TLS="PLAIN LOGIN"
POP3DSSLSTART=NO
POP3_STARTTLS=YES
POP3_TLS_REQUIRED=0
COURIERTLS=/usr/bin/couriertls
TLS_CERTFILE=$TB/tls/old.pem
TLS_DHPARAMS=$TB/tls/dh.pem
TLS_CACHEFILE=
CONF
}

start_courier_pop3() {
    if service_pid courier-pop3d >/dev/null && [[ ${TB_CHANGED[courier-pop3d]:-} ]]; then
        stop_session courier-pop3d "$(service_pid courier-pop3d)"
    fi
    if ! service_pid courier-pop3d >/dev/null; then
        local c=$TB/old/courier pkg
        pkg=$(courier_pkg_dir courier-pop)
        # What Debian's /usr/lib/courier/pop3d start script runs, minus courierlogger (which
        # would daemonise) and with our config file. couriertcpd stays in the foreground.
        start_session courier-pop3d "$TB/log/courier-pop3d.log" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            MAILFERRY_TESTBED_DIR="$TB" /bin/sh -c "set -a; . '$c/pop3d';
                exec /usr/sbin/couriertcpd -address=\$ADDRESS -maxprocs=\$MAXDAEMONS -maxperip=\$MAXPERIP \
                    \$TCPDOPTS \$PORT '$pkg/usr/lib/courier/courier/courierpop3login' \
                    '$pkg/usr/lib/courier/courier/courierpop3d' \$MAILDIRPATH"
    fi
}
