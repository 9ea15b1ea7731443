# Testbed accounts. Each exists on both sides under the same name:
#  old: a shell user (system account, PAM password) with ~/Maildir under $TB/old/home;
#  new: a Dovecot passwd-file user (mail owned by tbvmail) under $TB/new/mail, known to the
#       new Postfix through its vmailbox map.
# The password is in $TB/secrets/NAME.password (one line; the newline is not part of it).
# A new-side storage quota, if any, is in $TB/quota/NAME (e.g. "200K"); none means no limit.

TB_BASE_USERS=(tbalice tbbob tbcarol tbbench)
TB_BASE_PASSWORD=testpass
TB_MASTER_PASSWORD=masterpass
TB_GECOS="mailferry testbed user"
# Names are system account names: "tb" + lowercase letters, digits, "_" or "-".
TB_USER_RE='^tb[a-z0-9_-]{1,28}$'
# Quotas: a whole number and a unit, as Dovecot reads them (B, K = 1024 B, M, G).
TB_QUOTA_RE='^[1-9][0-9]{0,8}[BKMG]$'

# ensure_secret NAME DEFAULT: creates the password file once (DEFAULT, or random if empty).
# TB_SECRET_CREATED says whether this call created it: then the system account's password
# must be set again even if the account exists (prune's userdel fails while a process of the
# user, such as Courier's gam_server, still runs, and leaves the account with the old password).
ensure_secret() {
    local file=$TB/secrets/$1.password pass=$2
    TB_SECRET_CREATED=0
    mkdir -p "$TB/secrets"
    chmod 700 "$TB/secrets"
    [[ -f $file ]] && return 0
    TB_SECRET_CREATED=1
    [[ -n $pass ]] || pass=$(openssl rand -hex 12)
    (umask 077 && printf '%s\n' "$pass" >"$file")
}

read_secret() { head -n 1 "$TB/secrets/$1.password"; }

# ensure_old_user NAME: the shell account and its Maildir; never adopts an account that the
# testbed did not create (its GECOS field says so).
ensure_old_user() {
    local name=$1 home=$TB/old/home/$1 entry current_home fresh_secret=${TB_SECRET_CREATED:-0}
    TB_SECRET_CREATED=0
    entry=$(getent passwd "$name" || true)
    if [[ -n $entry ]]; then
        [[ $(cut -d: -f5 <<<"$entry") == "$TB_GECOS" ]] ||
            die "system user $name exists and was not created by the testbed; refusing to touch it"
        # Another state dir (worktree) may have used the account last, or its password file is
        # new (see ensure_secret): take it over. The password is set only then or at creation,
        # so a warm "up" stays fast.
        current_home=$(cut -d: -f6 <<<"$entry")
        if [[ $current_home != "$home" || $fresh_secret == 1 ]]; then
            [[ $current_home == "$home" ]] || usermod -d "$home" "$name"
            printf '%s:%s\n' "$name" "$(read_secret "$name")" | chpasswd
        fi
    else
        useradd -M -d "$home" -s /bin/bash -c "$TB_GECOS" "$name"
        printf '%s:%s\n' "$name" "$(read_secret "$name")" | chpasswd
    fi
    mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
    # Courier refuses a Maildir that is not owned by the user (IMAP_MAILBOX_SANITY_CHECK).
    if [[ $(stat -c %U "$home") != "$name" || $(stat -c %U "$home/Maildir") != "$name" ]]; then
        chown -R "$name:$name" "$home"
    fi
    chmod 700 "$home" "$home/Maildir"
}

# set_line FILE KEY LINE: replaces the line that starts with KEY, or appends LINE.
set_line() {
    local file=$1 key=$2 line=$3 tmp
    tmp=$(mktemp "$file.XXXXXX")
    awk -v k="$key" 'index($0, k) != 1' "$file" >"$tmp"
    printf '%s\n' "$line" >>"$tmp"
    chmod --reference="$file" "$tmp"
    chown --reference="$file" "$tmp"
    mv -f "$tmp" "$file"
}

# set_quota NAME SIZE: records the new-side quota (SIZE matches TB_QUOTA_RE), or removes it
# when SIZE is empty. ensure_new_user applies it.
set_quota() {
    local file=$TB/quota/$1
    if [[ -z $2 ]]; then rm -f "$file"; return 0; fi
    mkdir -p "$TB/quota"
    printf '%s\n' "$2" >"$file"
}

# read_quota NAME: the recorded quota ("200K"), or nothing.
read_quota() {
    local file=$TB/quota/$1
    [[ -f $file ]] && head -n 1 "$file"
    return 0
}

# quota_bytes SIZE: SIZE ("200K") in bytes, as Dovecot counts (K = 1024).
quota_bytes() {
    local n=${1%?}
    case ${1: -1} in
        B) echo "$n" ;;
        K) echo $((n * 1024)) ;;
        M) echo $((n * 1024 * 1024)) ;;
        G) echo $((n * 1024 * 1024 * 1024)) ;;
    esac
}

# ensure_new_user NAME: the passwd-file line (userdb fields after the sixth colon: the quota
# rule, if the account has one) and the new Postfix's vmailbox entry.
ensure_new_user() {
    local name=$1 quota extra=""
    quota=$(read_quota "$name")
    [[ -z $quota ]] || extra="userdb_quota_rule=*:storage=$quota"
    set_line "$TB/new/dovecot/users" "$name:" "$name:{PLAIN}$(read_secret "$name")::::::$extra"
    set_line "$TB/new/postfix/vmailbox" "$name@new.test " "$name@new.test $name/"
}

register_user() {
    touch "$TB/users"
    grep -qx -- "$1" "$TB/users" || printf '%s\n' "$1" >>"$TB/users"
}

ensure_base_users() {
    local name
    ensure_secret "$TB_MASTER_USER" "$TB_MASTER_PASSWORD"
    for name in "${TB_BASE_USERS[@]}"; do
        ensure_secret "$name" "$TB_BASE_PASSWORD"
        register_user "$name"
    done
}

# ensure_all_users: every registered user on both sides (the new side's files must exist).
ensure_all_users() {
    local name
    while read -r name; do
        [[ -n $name ]] || continue
        ensure_old_user "$name"
        ensure_new_user "$name"
    done <"$TB/users"
}

# reset_user NAME: empties both mailboxes (all folders, Courier and Dovecot metadata too).
reset_user() {
    local name=$1
    rm -rf "$TB/old/home/$name/Maildir"
    ensure_old_user "$name"
    rm -rf "${TB:?}/new/mail/$name"
}

# remove_user NAME: deletes an added account on both sides (never a base user).
remove_user() {
    local name=$1
    if [[ $(getent passwd "$name" | cut -d: -f5) == "$TB_GECOS" ]]; then
        userdel "$name" 2>/dev/null || true
    fi
    rm -rf "${TB:?}/old/home/$name" "${TB:?}/new/mail/$name" "$TB/secrets/$name.password" "$TB/quota/$name"
    local file key tmp
    for file in "$TB/new/dovecot/users" "$TB/new/postfix/vmailbox" "$TB/users"; do
        [[ -f $file ]] || continue
        case $file in */users) key="$name:" ;; */vmailbox) key="$name@new.test " ;; esac
        [[ $file == "$TB/users" ]] && key=$name
        tmp=$(mktemp "$file.XXXXXX")
        if [[ $file == "$TB/users" ]]; then grep -vx -- "$key" "$file" >"$tmp" || true
        else awk -v k="$key" 'index($0, k) != 1' "$file" >"$tmp"; fi
        chmod --reference="$file" "$tmp"
        chown --reference="$file" "$tmp"
        mv -f "$tmp" "$file"
    done
}
