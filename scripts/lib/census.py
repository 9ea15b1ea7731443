#!/usr/bin/env python3
"""Census of the testbed's mailboxes, old (Courier) and new (Dovecot) side by side.

Temporary glue for scripts/demo until `mailferry imap probe` lands: an independent view,
through each server's own IMAP (STARTTLS, certificate verified against the testbed CA), of
what every account holds: per folder the message count, total RFC822.SIZE and how many are
\\Seen; compared with the corpus manifest where one exists. Read-only (EXAMINE).

usage: census.py TESTBED_JSON USER... [--json]
"""
import base64
import imaplib
import unicodedata
import json
import re
import ssl
import sys

LIST_RE = re.compile(rb'\((?P<attrs>[^)]*)\) (?P<sep>"[^"]*"|NIL) (?P<name>.*)$')
FETCH_RE = re.compile(rb'FLAGS \((?P<flags>[^)]*)\).*?RFC822\.SIZE (?P<size>\d+)|RFC822\.SIZE (?P<size2>\d+).*?FLAGS \((?P<flags2>[^)]*)\)')


def mutf7_decode(name: str) -> str:
    """RFC 3501 modified UTF-7 to Unicode."""
    out, i = [], 0
    while i < len(name):
        if name[i] == '&':
            end = name.index('-', i)
            chunk = name[i + 1:end]
            if chunk == '':
                out.append('&')
            else:
                b64 = chunk.replace(',', '/')
                b64 += '=' * (-len(b64) % 4)
                out.append(base64.b64decode(b64).decode('utf-16-be'))
            i = end + 1
        else:
            out.append(name[i])
            i += 1
    return ''.join(out)


def connect(endpoint, ca_file):
    imap = imaplib.IMAP4(endpoint['host'], endpoint['port'], timeout=30)
    imap.starttls(ssl_context=ssl.create_default_context(cafile=ca_file))
    return imap


def folders(imap):
    typ, data = imap.list('""', '*')
    result, items = [], iter(data)
    for item in items:
        if isinstance(item, tuple):  # the name came as a literal
            head, name = item[0], item[1]
            m = LIST_RE.match(head.rsplit(b' {', 1)[0] + b' x')
            attrs, sep = m.group('attrs'), m.group('sep')
        else:
            m = LIST_RE.match(item)
            attrs, sep, name = m.group('attrs'), m.group('sep'), m.group('name')
            if name.startswith(b'"'):
                name = name[1:-1].replace(b'\\"', b'"').replace(b'\\\\', b'\\')
        if b'\\noselect' in attrs.lower():
            continue
        sep = None if sep == b'NIL' else sep.strip(b'"').decode()
        result.append((name.decode(), sep))
    return result


def normalized(name, sep, courier, wire=True):
    """Courier's INBOX.a.b and Dovecot's a/b both become a/b; INBOX stays INBOX.
    Names from the wire are modified UTF-7; the manifest's are already Unicode."""
    name = mutf7_decode(name) if wire else name
    parts = name.split(sep) if sep else [name]
    if courier and parts[0].upper() == 'INBOX' and len(parts) > 1:
        parts = parts[1:]
    if len(parts) == 1 and parts[0].upper() == 'INBOX':
        return 'INBOX'
    return '/'.join(parts)


def census(endpoint, ca_file, login, password, courier):
    imap = connect(endpoint, ca_file)
    imap.login(login, password)
    boxes = {}
    for name, sep in folders(imap):
        typ, data = imap.select('"%s"' % name.replace('\\', '\\\\').replace('"', '\\"'), readonly=True)
        if typ != 'OK':
            continue
        count, size, seen = int(data[0]), 0, 0
        if count:
            typ, data = imap.fetch('1:*', '(FLAGS RFC822.SIZE)')
            for line in data:
                line = line if isinstance(line, bytes) else line[0]
                m = FETCH_RE.search(line)
                if not m:
                    continue
                flags = m.group('flags') if m.group('flags') is not None else m.group('flags2')
                size += int(m.group('size') or m.group('size2'))
                seen += b'\\seen' in flags.lower()
        boxes[normalized(name, sep, courier)] = {'messages': count, 'bytes': size, 'seen': seen}
    imap.logout()
    return boxes


def manifest_counts(state_dir, user):
    try:
        with open(f'{state_dir}/corpus/{user}.manifest.json') as f:
            manifest = json.load(f)
    except OSError:
        return None
    return {normalized(folder['name'], '.', True, wire=False): len(folder['messages']) for folder in manifest['folders']}


def main():
    args = [a for a in sys.argv[1:] if a != '--json']
    as_json = '--json' in sys.argv
    with open(args[0]) as f:
        tb = json.load(f)
    ca, master = tb['caFile'], tb['new']['masterUser']
    master_pw = open(master['passwordFile']).readline().rstrip('\n')
    report = {}
    for user in args[1:]:
        entry = next(u for u in tb['users'] if u['name'] == user)
        password = open(entry['passwordFile']).readline().rstrip('\n')
        old = census(tb['old']['imap'], ca, user, password, courier=True)
        # The new side through the master user, as the migration itself logs in.
        new = census(tb['new']['imap'], ca, user + master['separator'] + master['name'], master_pw, courier=False)
        report[user] = {'old': old, 'new': new, 'manifest': manifest_counts(tb['stateDir'], user)}
    if as_json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return
    for user, r in report.items():
        print_table(user, r)


def cells(text):
    """Terminal columns of text: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in text)


def pad(text, width):
    return text + ' ' * max(0, width - cells(text))


def print_table(user, r):
    old, new, manifest = r['old'], r['new'], r['manifest'] or {}
    names = sorted(set(old) | set(new) | set(manifest), key=lambda n: (n != 'INBOX', n.lower()))
    width = max([cells(n) for n in names] + [20]) + 2
    print(f'\n{user}')
    print(f'  {"folder":<{width}}{"corpus":>7} │{"old: Courier":>22} │{"new: Dovecot":>22} │ state')
    print(f'  {"":<{width}}{"msgs":>7} │{"msgs":>7}{"MB":>8}{"seen":>7} │{"msgs":>7}{"MB":>8}{"seen":>7} │')
    totals = [0, 0, 0, 0, 0]
    for n in names:
        o, w, m = old.get(n), new.get(n), manifest.get(n)
        if o and w and (o['messages'], o['seen']) == (w['messages'], w['seen']):
            state = 'same'
        elif o and (not w or w['messages'] == 0) and o['messages'] > 0:
            state = 'only old'
        elif w and not o:
            state = 'only new'
        else:
            state = 'differs'
        if m is not None and o and m != o['messages']:
            state += ' (old != corpus!)'
        cell = lambda b: f'{b["messages"]:>7}{b["bytes"] / 1048576:>8.1f}{b["seen"]:>7}' if b else f'{"-":>7}{"":>8}{"":>7}'
        print(f'  {pad(n, width)}{"-" if m is None else m:>7} │{cell(o)} │{cell(w)} │ {state}')
        totals[0] += m or 0
        totals[1] += o['messages'] if o else 0
        totals[2] += o['bytes'] if o else 0
        totals[3] += w['messages'] if w else 0
        totals[4] += w['bytes'] if w else 0
    print(f'  {"total":<{width}}{totals[0]:>7} │{totals[1]:>7}{totals[2] / 1048576:>8.1f}{"":>7} │{totals[3]:>7}{totals[4] / 1048576:>8.1f}{"":>7} │')


if __name__ == '__main__':
    main()
