# Shared pieces of the two Postfix instances. Each has its own config_directory, queue and
# log under the state dir; nothing in /etc/postfix is touched (testbed.md §4).

# postfix_common_main_cf SIDE: settings both instances share.
postfix_common_main_cf() {
    local side=$1
    cat <<CONF
compatibility_level = 3.6
queue_directory = $TB/$side/postfix-queue
data_directory = $TB/$side/postfix-data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-tb$side
# Postfix prints errors only to a tty when maillog_file is set; the prefix list must allow it.
maillog_file = $TB/log/postfix-$side.log
maillog_file_prefixes = $TB
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
# Nothing ever leaves the machine: anything not for this instance's domain is refused.
relayhost =
default_transport = error:5.7.1 the mailferry testbed delivers nothing off this machine
relay_transport = error:5.7.1 the mailferry testbed delivers nothing off this machine
alias_maps =
alias_database =
biff = no
smtputf8_enable = yes
message_size_limit = 104857600
mailbox_size_limit = 0
smtpd_tls_cert_file = $TB/tls/$side.crt
smtpd_tls_key_file = $TB/tls/$side.key
smtpd_tls_security_level = may
smtpd_banner = \$myhostname ESMTP Postfix (mailferry testbed, $side)
CONF
}

# write_postfix_master_cf DIR PORT SERVICE: Debian's master.cf without chroot (the queue is not
# /var/spool/postfix) and with the public smtpd bound to 127.0.0.1:PORT only.
write_postfix_master_cf() {
    local dir=$1 port=$2 svc=$3 tmp
    mkdir -p "$dir"
    tmp=$(mktemp -d)
    cp /etc/postfix/master.cf "$tmp/master.cf"
    : >"$tmp/main.cf"
    postconf -c "$tmp" -F '*/*/chroot = n'
    postconf -c "$tmp" -MX smtp/inet
    postconf -c "$tmp" -M "127.0.0.1:$port/inet = 127.0.0.1:$port inet n - n - - smtpd"
    write_if_changed "$dir/master.cf" "$svc" <"$tmp/master.cf"
    rm -rf "$tmp"
}

# start_postfix SERVICE SIDE
start_postfix() {
    local svc=$1 side=$2 dir=$TB/$2/postfix
    if service_pid "$svc" >/dev/null && [[ ${TB_CHANGED[$svc]:-} ]]; then
        postfix -c "$dir" reload >/dev/null 2>&1 || true
    fi
    if ! service_pid "$svc" >/dev/null; then
        mkdir -p "$TB/$side/postfix-queue" "$TB/$side/postfix-data"
        chown postfix "$TB/$side/postfix-data"
        # "postfix start" creates the queue directories (post-install create-missing) and
        # runs the master as a daemon in its own session; it writes pid/master.pid.
        if ! MAILFERRY_TESTBED_DIR="$TB" postfix -c "$dir" start >>"$TB/log/$svc-start.log" 2>&1 9>&-; then
            # Postfix reports config errors only on a tty when maillog_file is set.
            script -qc "postfix -c '$dir' check" /dev/null >&2 || true
            die "postfix ($side) did not start; see $TB/log/$svc-start.log and $TB/log/postfix-$side.log"
        fi
    fi
}

stop_postfix() {
    local svc=$1 side=$2 pid
    pid=$(service_pid "$svc") || return 0
    postfix -c "$TB/$side/postfix" stop >/dev/null 2>&1 || true
    stop_session "$svc" "$pid"
}
