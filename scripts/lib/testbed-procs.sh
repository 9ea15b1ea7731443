# Process and port helpers for scripts/testbed. Every daemon the testbed starts runs in a
# session of its own (setsid, or the daemon's own setsid for Postfix and Dovecot), and its
# session leader's PID is recorded under $TB/run. "down" stops exactly those sessions, so it
# never touches a process it did not start, and it also catches the per-connection children
# (imapd, imap-login, smtpd...) that outlive a leader.

# The ports the testbed owns, by role. Fixed: one testbed per machine.
TB_PORT_OLD_IMAP=10143
TB_PORT_OLD_POP3=10110
TB_PORT_OLD_SMTP=10025
TB_PORT_NEW_IMAP=20143
TB_PORT_NEW_POP3=20110
TB_PORT_NEW_SMTP=20025
TB_PORT_NEW_LMTP=20024
TB_ALL_PORTS=("$TB_PORT_OLD_IMAP" "$TB_PORT_OLD_POP3" "$TB_PORT_OLD_SMTP"
    "$TB_PORT_NEW_IMAP" "$TB_PORT_NEW_POP3" "$TB_PORT_NEW_SMTP" "$TB_PORT_NEW_LMTP")

# The services, in start order, with the executable their session leader must be.
TB_SERVICES=(authdaemond courier-imapd courier-pop3d postfix-old dovecot postfix-new)
declare -A TB_SERVICE_EXE=(
    [authdaemond]=/usr/lib/courier/courier-authlib/authdaemond
    [courier-imapd]=/usr/sbin/couriertcpd
    [courier-pop3d]=/usr/sbin/couriertcpd
    [postfix-old]=/usr/lib/postfix/sbin/master
    [postfix-new]=/usr/lib/postfix/sbin/master
    [dovecot]=/usr/sbin/dovecot
)

# service_pidfile NAME: where the leader's PID lives (Postfix and Dovecot write their own).
service_pidfile() {
    case $1 in
        postfix-old) echo "$TB/old/postfix-queue/pid/master.pid" ;;
        postfix-new) echo "$TB/new/postfix-queue/pid/master.pid" ;;
        dovecot) echo "$TB/new/dovecot/run/master.pid" ;;
        *) echo "$TB/run/$1.pid" ;;
    esac
}

# service_pid NAME: prints the PID if the recorded leader is alive and is the right program.
service_pid() {
    local file pid exe
    file=$(service_pidfile "$1")
    [[ -r $file ]] || return 1
    pid=$(tr -d ' \n' <"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
    [[ $exe == "${TB_SERVICE_EXE[$1]}" ]] || return 1
    echo "$pid"
}

# session_members SID: PIDs of all live processes in that session. Zombies are left out:
# they are already gone and only wait for init (PID 1 here reaps slowly) to collect them.
session_members() {
    ps -e -o pid=,sid=,stat= | awk -v sid="$1" '$2 == sid && $3 !~ /^Z/ { print $1 }'
}

# start_session NAME LOG CMD...: runs CMD as the leader of a new session, records its PID.
# A non-interactive bash runs background jobs in its own process group, so setsid(1) does not
# need to fork and $! is the daemon itself.
start_session() {
    local name=$1 logfile=$2
    shift 2
    setsid "$@" </dev/null >>"$logfile" 2>&1 9>&- &
    echo $! >"$TB/run/$name.pid"
}

# stop_session NAME SID: TERM to the whole session, then KILL what is left after 5 s.
stop_session() {
    local name=$1 sid=$2 members i
    members=$(session_members "$sid")
    [[ -n $members ]] || return 0
    # shellcheck disable=SC2086 # word splitting of the PID list is intended
    kill -TERM $members 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        members=$(session_members "$sid")
        [[ -z $members ]] && return 0
        sleep 0.1
    done
    log "$name: still running after 5 s, sending KILL to: $members"
    # shellcheck disable=SC2086
    kill -KILL $members 2>/dev/null || true
}

# port_listeners PORT: "ADDRESS PID" lines for every listening TCP socket on PORT.
port_listeners() {
    ss -ltnpH "sport = :$1" 2>/dev/null | awk '{
        addr = $4; sub(/:[0-9]+$/, "", addr)
        if (match($0, /pid=[0-9]+/)) print addr, substr($0, RSTART + 4, RLENGTH - 4)
        else print addr, "?"
    }'
}

# owner_of_pid PID: the testbed directory a process (or its session leader) was started
# from, if it belongs to any testbed. Postfix keeps MAIL_CONFIG in its environment, Dovecot
# has "-c <dir>/new/dovecot/dovecot.conf" on its command line, the others carry
# MAILFERRY_TESTBED_DIR.
owner_of_pid() {
    local pid sid env cmd
    sid=$(ps -o sid= -p "$1" 2>/dev/null | tr -d ' ' || true)
    for pid in "$1" $sid; do
        env=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null || true)
        cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
        if [[ $env =~ MAILFERRY_TESTBED_DIR=([^$'\n']+) ]]; then echo "${BASH_REMATCH[1]}"; return
        elif [[ $env =~ MAIL_CONFIG=([^$'\n']+)/(old|new)/postfix ]]; then echo "${BASH_REMATCH[1]}"; return
        elif [[ $cmd =~ -c\ ([^ ]+)/new/dovecot/dovecot.conf ]]; then echo "${BASH_REMATCH[1]}"; return
        fi
    done
    echo "unknown (command: $(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | cut -c1-100))"
}

# our_session_ids: the session IDs of every service this testbed runs.
our_session_ids() {
    local svc pid
    for svc in "${TB_SERVICES[@]}"; do
        pid=$(service_pid "$svc") && echo "$pid"
    done
    return 0
}

# is_ours PID: true if PID belongs to one of this testbed's sessions.
is_ours() {
    local sid sids
    sid=$(ps -o sid= -p "$1" 2>/dev/null | tr -d ' ') || return 1
    sids=$(our_session_ids)
    # (not "our_session_ids | grep -q": with pipefail, grep's early exit fails the pipe)
    [[ -n $sid ]] && grep -qx "$sid" <<<"$sids"
}

# check_ports_free_or_ours: refuse to start when another testbed (another worktree, or a
# stale one) or any other program holds one of our ports, naming the owner and the cure.
check_ports_free_or_ours() {
    local port addr pid owner problems=() owners=()
    for port in "${TB_ALL_PORTS[@]}"; do
        while read -r addr pid; do
            [[ -z $addr ]] && continue
            if [[ $pid != "?" ]] && is_ours "$pid"; then continue; fi
            owner=$( [[ $pid != "?" ]] && owner_of_pid "$pid" || echo unknown)
            problems+=("port $port ($addr) is held by pid $pid, testbed dir: $owner")
            owners+=("$owner")
        done < <(port_listeners "$port")
    done
    # The Courier auth daemon is machine-wide (compiled-in socket path); report its leader.
    local ad
    for ad in $(pgrep -x authdaemond || true); do
        is_ours "$ad" && continue
        [[ $(ps -o sid= -p "$ad" | tr -d ' ') == "$ad" ]] || continue
        owner=$(owner_of_pid "$ad")
        problems+=("Courier authdaemond (pid $ad) runs, testbed dir: $owner")
        owners+=("$owner")
    done
    ((${#problems[@]} == 0)) && return 0
    log "cannot start: another testbed (or another program) holds what this one needs:"
    printf '  %s\n' "${problems[@]}" >&2
    log "Only one testbed can run per machine. Stop the other one first:"
    local dir script
    while read -r dir; do
        script=$(sed -n 's/^  "script": "\(.*\)",$/\1/p' "$dir/testbed.json" 2>/dev/null || true)
        if [[ -n $script ]]; then log "  MAILFERRY_TESTBED_DIR=$dir $script down"
        else log "  (not a testbed: $dir; stop that program)"; fi
    done < <(printf '%s\n' "${owners[@]}" | sort -u)
    exit 2
}

# wait_for_port PORT SECONDS NAME: until something we own listens there.
wait_for_port() {
    local port=$1 limit=$2 name=$3 i
    for ((i = 0; i < limit * 10; i++)); do
        [[ -n $(port_listeners "$port") ]] && return 0
        sleep 0.1
    done
    die "$name did not start listening on 127.0.0.1:$port within ${limit}s (logs: $TB/log/)"
}
