#!/usr/bin/env python3
"""The functions of EXECUTABLE that callgrind saw run, one mangled name per line, in the
executable's address order: lld's --symbol-ordering-file for the release link.

usage: order_file.py EXECUTABLE CALLGRIND_OUT...

callgrind writes one "fn=" line per executed function under the "ob=" line of its object
(with --compress-strings=no and --demangle=no the names are the symbol table's). A name
callgrind marks as a recursion copy ("name'2") is the same function; an address without a
name is code no symbol covers, which no order file can name.
"""
import os
import re
import subprocess
import sys


def executed(path, executable):
    names = set()
    in_executable = False
    with open(path, errors="replace") as lines:
        for line in lines:
            if line.startswith("ob="):
                in_executable = line[3:].strip() == executable
            elif in_executable and line.startswith("fn="):
                name = re.sub(r"'\d+$", "", line[3:].strip())
                if not name.startswith("0x"):
                    names.add(name)
    return names


def text_symbols(executable):
    """Each function symbol's first address (a name that several local symbols share keeps
    the lowest: lld orders every section that defines it)."""
    listing = subprocess.run(["nm", executable], capture_output=True, text=True, check=True).stdout
    addresses = {}
    for line in listing.splitlines():
        fields = line.split(maxsplit=2)
        if len(fields) == 3 and fields[1] in "tTW":
            address = int(fields[0], 16)
            addresses[fields[2]] = min(address, addresses.get(fields[2], address))
    return addresses


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    executable, outputs = sys.argv[1], sys.argv[2:]
    absolute = os.path.abspath(executable)
    names = set()
    for output in outputs:
        names |= executed(output, absolute)
    if not names:
        sys.exit(f"order_file.py: no function of {absolute} in {', '.join(outputs)}")
    addresses = text_symbols(executable)
    ordered = sorted((name for name in names if name in addresses), key=lambda name: (addresses[name], name))
    sys.stdout.write("".join(name + "\n" for name in ordered))
    print(f"order_file.py: {len(ordered)} of {len(names)} executed functions named in the symbol table", file=sys.stderr)


if __name__ == "__main__":
    main()
