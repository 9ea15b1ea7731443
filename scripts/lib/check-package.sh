#!/usr/bin/env bash
# check-package.sh DEB [DBGSYM_DEB]: checks the package scripts/package built (scripts/test runs
# it; docs/dev/packaging.md lists the checks). Prints one line per check; the first failure
# ends it with exit 1. Needs root for dpkg --root's ownership of files (as scripts/test has).
set -euo pipefail
deb=$(realpath "$1")
dbgsym=${2:+$(realpath "$2")}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

fail() { printf 'package check FAILED: %s\n' "$*" >&2; exit 1; }
ok() { printf '   ok  %s\n' "$*" >&2; }

work=$(mktemp -d /tmp/mailferry-package-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 1. Contents: every file the package promises, owned by root.
dpkg-deb --contents "$deb" >"$work/contents"
expected=(
    ./usr/bin/mailferry
    ./usr/share/man/man1/mailferry.1.gz ./usr/share/man/man1/mailferry-sync.1.gz
    ./usr/share/man/man1/mailferry-verify.1.gz ./usr/share/man/man1/mailferry-mirror.1.gz
    ./usr/share/man/man1/mailferry-mirror-run.1.gz ./usr/share/man/man1/mailferry-mirror-purge.1.gz
    ./usr/share/man/man1/mailferry-postfix-mirror.1.gz ./usr/share/man/man1/mailferry-config-check.1.gz
    ./usr/share/man/man5/mailferry.toml.5.gz ./usr/share/man/man5/mailferry-mirror.toml.5.gz
    ./usr/share/bash-completion/completions/mailferry ./usr/share/zsh/vendor-completions/_mailferry
    ./usr/share/fish/vendor_completions.d/mailferry.fish
    ./usr/share/doc/mailferry/examples/mailferry.toml ./usr/share/doc/mailferry/examples/mirror.toml
    ./usr/share/doc/mailferry/examples/cutover.toml ./usr/share/doc/mailferry/examples/forward.toml
    ./usr/share/doc/mailferry/copyright ./usr/share/doc/mailferry/changelog.gz
    ./lib/systemd/system/mailferry-mirror.service ./lib/systemd/system/mailferry-mirror@.service
    ./lib/systemd/system/mailferry-forward.service
    ./usr/lib/sysusers.d/mailferry.conf ./usr/lib/tmpfiles.d/mailferry.conf
)
for path in "${expected[@]}"; do
    grep -q " $path\$" "$work/contents" || fail "$deb lacks $path"
done
awk '$2 != "root/root" { print; bad = 1 } END { exit bad }' "$work/contents" || fail "files not owned by root/root (above)"
# A man page for every command in the binary's command tree (help excepted).
dpkg-deb -x "$deb" "$work/extracted"
python3 - "$work/extracted/usr/bin/mailferry" "$work/extracted/usr/share/man/man1" <<'PY' || fail "a command has no man page"
import json, os, subprocess, sys
tree = json.loads(subprocess.run([sys.argv[1], "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
def walk(node, path):
    yield path
    for sub in node.get("subcommands") or []:
        if sub["commandName"] != "help":
            yield from walk(sub, path + [sub["commandName"]])
missing = [p for p in ("-".join(["mailferry"] + w) + ".1.gz" for w in walk(tree["command"], [])) if not os.path.exists(os.path.join(sys.argv[2], p))]
print("missing man pages:", missing) if missing else None
sys.exit(1 if missing else 0)
PY
for field in Installed-Size Depends; do
    [[ -n $(dpkg-deb --field "$deb" "$field") ]] || fail "control field $field is empty"
done
file "$work/extracted/usr/bin/mailferry" | grep -q ', stripped' || fail "/usr/bin/mailferry is not stripped"
ok "contents: $(wc -l <"$work/contents") entries, root-owned, a page per command; Depends: $(dpkg-deb --field "$deb" Depends)"

if [[ -n $dbgsym ]]; then
    build_id=$(readelf -n "$work/extracted/usr/bin/mailferry" | awk '/Build ID:/ { print $3 }')
    dpkg-deb --contents "$dbgsym" >"$work/dbgsym-contents"
    grep -q " ./usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug\$" "$work/dbgsym-contents" ||
        fail "$dbgsym has no debug file for build id $build_id"
    ok "dbgsym: /usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug"
fi

# 2. Install into a throw-away root. The maintainer scripts run outside it
# (--force-script-chrootless) with DPKG_ROOT set, so they create the user and the spool
# directory in it; dependencies are the host's business, not this root's.
root=$work/root
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info" "$root/etc"
: >"$root/var/lib/dpkg/status"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
dpkg --root="$root" --force-script-chrootless --force-depends --log=/dev/null -i "$deb" >"$work/dpkg.log" 2>&1 ||
    { cat "$work/dpkg.log" >&2; fail "dpkg -i into a throw-away root"; }
uid=$(awk -F: '$1 == "mailferry" { print $3 }' "$root/etc/passwd")
[[ -n $uid ]] || fail "postinst did not create the mailferry user (sysusers.d)"
# Numerically: the host's user database may give that uid another name.
[[ $(stat -c '%u %a' "$root/var/spool/mailferry" 2>/dev/null) == "$uid 750" ]] ||
    fail "postinst did not create /var/spool/mailferry owned by mailferry, mode 750 (tmpfiles.d)"
ok "installed into a throw-away root: user mailferry, /var/spool/mailferry"

# 3. --version names the commit this tree is at (or says it is unknown outside a checkout).
version=$("$root/usr/bin/mailferry" --version)
if head=$(git -C "$repo" rev-parse --verify -q HEAD 2>/dev/null); then
    [[ $version == "mailferry "*" (commit $head"* ]] || fail "--version says '$version', HEAD is $head"
else
    [[ $version == *"(commit unknown: not built from a git checkout)" ]] || fail "--version says '$version' outside a git checkout"
fi
ok "--version: $version"

# 4. Every man page renders without a single groff warning.
pages=("$root"/usr/share/man/man1/*.gz "$root"/usr/share/man/man5/*.gz)
for page in "${pages[@]}"; do
    warnings=$(zcat "$page" | groff -ww -mandoc -Tutf8 2>&1 >/dev/null || true)
    [[ -z $warnings ]] || fail "$(basename "$page"): $warnings"
    text=$(MANWIDTH=80 man -l "$page" 2>&1) || fail "man -l $(basename "$page")"
    for section in NAME SYNOPSIS DESCRIPTION; do
        grep -q "^$section" <<<"$text" || fail "$(basename "$page") has no $section"
    done
    [[ $page != */man1/* ]] || grep -q '^EXIT STATUS' <<<"$text" || fail "$(basename "$page") has no EXIT STATUS"
done
ok "man -l of ${#pages[@]} pages, no groff -ww warning"

# 5. Completions parse.
bash -n "$root/usr/share/bash-completion/completions/mailferry" || fail "bash -n of the bash completion"
# And it completes: Tab after "mailferry mi" offers mirror (the function asks the binary).
completed=$(PATH=$root/usr/bin:$PATH bash -c '
    source "$1"
    COMP_WORDS=(mailferry mi) COMP_CWORD=1 COMP_LINE="mailferry mi" COMP_POINT=12
    _mailferry mailferry mi mailferry
    printf "%s\n" "${COMPREPLY[@]}"' bash "$root/usr/share/bash-completion/completions/mailferry")
[[ $completed == mirror ]] || fail "bash completion of 'mailferry mi' gave '$completed', not 'mirror'"
if command -v zsh >/dev/null; then zsh -n "$root/usr/share/zsh/vendor-completions/_mailferry" || fail "zsh -n"; fi
if command -v fish >/dev/null; then fish -n "$root/usr/share/fish/vendor_completions.d/mailferry.fish" || fail "fish -n"; fi
ok "completions: bash -n and mailferry mi<Tab> = mirror$(command -v zsh >/dev/null && echo ', zsh -n')$(command -v fish >/dev/null && echo ', fish -n')"

# 6. The units, as systemd reads them inside the root: the binary and the man pages they
# name must be there. systemd's own units (sysinit.target, ...) are copied in from the host,
# never over the package's. The template is verified as an instance.
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
verify_log=$work/verify.log
if ! MANPATH=$root/usr/share/man SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --root="$root" \
    mailferry-mirror.service mailferry-mirror@test.service mailferry-forward.service >"$verify_log" 2>&1; then
    cat "$verify_log" >&2
    fail "systemd-analyze verify"
fi
# It exits 0 on unknown keys and bad values, and only says so.
[[ ! -s $verify_log ]] || { cat "$verify_log" >&2; fail "systemd-analyze verify printed warnings"; }
ok "systemd-analyze verify: mailferry-mirror.service, mailferry-mirror@test.service, mailferry-forward.service"

# 7. lintian: no error and no warning; the release package has no override.
# MAILFERRY_PACKAGE_DEBUG_BUILD=1: the package holds a debug build (debian/lintian-test-only).
lintian_log=$work/lintian.log
suppress=()
if [[ ${MAILFERRY_PACKAGE_DEBUG_BUILD:-0} == 1 ]]; then
    suppress=(--suppress-tags "$(grep -v '^#' debian/lintian-test-only | paste -sd,)")
fi
lintian --fail-on error,warning "${suppress[@]}" "$deb" ${dbgsym:+"$dbgsym"} >"$lintian_log" 2>&1 || { cat "$lintian_log" >&2; fail "lintian"; }
ok "lintian: $(grep -c . "$lintian_log" || true) lines of info/pedantic, no error or warning"
