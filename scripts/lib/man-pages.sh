#!/usr/bin/env bash
# man-pages.sh MAILFERRY DATE OUTDIR: the section-1 man pages of every mailferry command in
# OUTDIR (mailferry.1, mailferry-sync.1, mailferry-mirror-purge.1, ...).
#
# swift-argument-parser's generate-manual plugin writes one mdoc page per command from the
# commands' own help (it builds the package's executables in debug mode, which scripts/test
# has just done, and reads their --experimental-dump-help). man-pages.py then gives the pages
# Debian's names, sets the discussion's indented lines as literal blocks, writes EXIT STATUS
# from the ExitStatus table and adds the hand-written sections of debian/man/sections/.
# MAILFERRY is the binary being packaged: its command tree must be the one the pages describe.
set -euo pipefail
binary=$1
date=$2
out=$3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

plugin_log=.build/mailferry-man-pages.log
if ! swift package --disable-sandbox generate-manual --configuration debug --multi-page --date "$date" >"$plugin_log" 2>&1; then
    tail -n 20 "$plugin_log" >&2
    echo "error: swift package generate-manual failed (log: $plugin_log)" >&2
    exit 1
fi
generated=$(sed -n "s/^Generated manual in '\(.*\)'$/\1/p" "$plugin_log" | sed 's#^file://##' | grep '/mailferry/\?$' | head -n 1)
[[ -n $generated && -f $generated/mailferry.1 ]] || { echo "error: no mailferry.1 from generate-manual (log: $plugin_log)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
python3 scripts/lib/man-pages.py "$binary" "$generated" debian/man/sections "$out"
