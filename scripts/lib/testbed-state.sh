# State-dir helpers for scripts/testbed: change tracking, certificates, testbed.json.

declare -A TB_CHANGED=()

# write_if_changed FILE SERVICE < content: replaces FILE only when the content differs and
# then marks SERVICE for a reload, so a second "up" with nothing changed restarts nothing.
write_if_changed() {
    local file=$1 svc=$2 tmp
    tmp=$(mktemp "$file.XXXXXX")
    cat >"$tmp"
    if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
        return 0
    fi
    chmod 644 "$tmp"
    mv -f "$tmp" "$file"
    TB_CHANGED[$svc]=1
}

# ensure_certificates: one CA for both servers, a P-256 server certificate per side with
# SAN IP:127.0.0.1 and DNS:localhost, and fixed RFC 7919 DH parameters (instant, unlike
# generating fresh ones). Clients verify with testbed.json's caFile.
ensure_certificates() {
    local t=$TB/tls side
    mkdir -p "$t"
    chmod 755 "$t"
    [[ -f $t/dh.pem ]] || openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe3072 -out "$t/dh.pem" 2>/dev/null
    if [[ ! -f $t/ca.crt ]]; then
        openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
            -subj "/CN=mailferry testbed CA" -keyout "$t/ca.key" -out "$t/ca.crt" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
        rm -f "$t"/old.* "$t"/new.*
    fi
    for side in old new; do
        [[ -f $t/$side.pem ]] && continue
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -subj "/CN=mx.$side.test" -keyout "$t/$side.key" -out "$t/$side.csr" 2>/dev/null
        openssl x509 -req -in "$t/$side.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial \
            -days 825 -out "$t/$side.crt" -extfile <(printf '%s\n' \
                "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:mx.$side.test" \
                "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
                "extendedKeyUsage=serverAuth") 2>/dev/null
        # couriertls wants key and certificate in one file.
        cat "$t/$side.key" "$t/$side.crt" >"$t/$side.pem"
        rm -f "$t/$side.csr"
    done
    chmod 600 "$t"/*.key "$t/new.pem"
    # Courier's imaplogin runs couriertls as the courier user.
    chown root:courier "$t/old.pem"
    chmod 640 "$t/old.pem"
}

# json_string S: S as a JSON string literal (the testbed's values are paths and plain names).
json_string() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# write_testbed_json: everything a test or the demo needs to reach the testbed, so nothing
# hard-codes a port, a path or a password. Schema documented in docs/dev/testbed.md.
write_testbed_json() {
    local users_json="" name sep="" quota quota_json tb
    # Every adduser rewrites this file with every account in it: no subshell per account, or
    # each call costs time in proportion to all the accounts made before it. Names match
    # TB_USER_RE (nothing to escape); the state path is escaped once.
    tb=${TB//\\/\\\\}
    tb=${tb//\"/\\\"}
    while read -r name; do
        [[ -z $name ]] && continue
        quota=""
        [[ -f $TB/quota/$name ]] && read -r quota <"$TB/quota/$name"
        quota_json=null
        [[ -z $quota ]] || quota_json="{ \"storage\": \"$quota\", \"bytes\": $(quota_bytes "$quota"), \"dovecotRule\": \"*:storage=$quota\" }"
        users_json+="$sep
    {
      \"name\": \"$name\",
      \"passwordFile\": \"$tb/secrets/$name.password\",
      \"oldAddress\": \"$name@old.test\",
      \"newAddress\": \"$name@new.test\",
      \"oldHome\": \"$tb/old/home/$name\",
      \"oldMaildir\": \"$tb/old/home/$name/Maildir\",
      \"newHome\": \"$tb/new/mail/$name\",
      \"newMaildir\": \"$tb/new/mail/$name/Maildir\",
      \"quota\": $quota_json
    }"
        sep=","
    done <"$TB/users"
    local tmp
    tmp=$(mktemp "$TB/testbed.json.XXXXXX")
    cat >"$tmp" <<JSON
{
  "schemaVersion": 1,
  "stateDir": $(json_string "$TB"),
  "script": $(json_string "$MAILFERRY_REPO/scripts/testbed"),
  "caFile": $(json_string "$TB/tls/ca.crt"),
  "old": {
    "software": "courier",
    "domain": "old.test",
    "imap": { "host": "127.0.0.1", "port": $TB_PORT_OLD_IMAP, "tls": "starttls" },
    "pop3": { "host": "127.0.0.1", "port": $TB_PORT_OLD_POP3, "tls": "starttls" },
    "smtp": { "host": "127.0.0.1", "port": $TB_PORT_OLD_SMTP },
    "homePattern": $(json_string "$TB/old/home/{user}"),
    "maildirPattern": $(json_string "$TB/old/home/{user}/Maildir"),
    "postfixConfigDir": $(json_string "$TB/old/postfix"),
    "courierConfigDir": $(json_string "$TB/old/courier"),
    "logDir": $(json_string "$TB/log")
  },
  "new": {
    "software": "dovecot",
    "domain": "new.test",
    "imap": { "host": "127.0.0.1", "port": $TB_PORT_NEW_IMAP, "tls": "starttls" },
    "pop3": { "host": "127.0.0.1", "port": $TB_PORT_NEW_POP3, "tls": "starttls" },
    "smtp": { "host": "127.0.0.1", "port": $TB_PORT_NEW_SMTP },
    "lmtp": { "host": "127.0.0.1", "port": $TB_PORT_NEW_LMTP },
    "homePattern": $(json_string "$TB/new/mail/{user}"),
    "maildirPattern": $(json_string "$TB/new/mail/{user}/Maildir"),
    "mailOwner": "$TB_VMAIL_USER",
    "postfixConfigDir": $(json_string "$TB/new/postfix"),
    "dovecotConfig": $(json_string "$TB/new/dovecot/dovecot.conf"),
    "pop3UIDLFormat": "$TB_POP3_UIDL_FORMAT",
    "quotaBackend": "count",
    "masterUser": {
      "name": "$TB_MASTER_USER",
      "passwordFile": $(json_string "$TB/secrets/$TB_MASTER_USER.password"),
      "separator": "*"
    },
    "logDir": $(json_string "$TB/log")
  },
  "users": [$users_json
  ]
}
JSON
    chmod 644 "$tmp"
    mv -f "$tmp" "$TB/testbed.json"
}
