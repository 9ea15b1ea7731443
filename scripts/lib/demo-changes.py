#!/usr/bin/env python3
"""Step 3 of scripts/demo: life goes on on the old server between two syncs.

A new message is sent through the old server's Postfix (SMTP on loopback) to USER, and the
script waits until Courier shows it in INBOX; then the first message of INBOX gets \\Flagged
over IMAP. The next `mailferry sync` must carry both over, and `mailferry verify` must then
find the two sides equal.

usage: demo-changes.py TESTBED_JSON USER
"""
import json
import smtplib
import sys
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import census


def main():
    with open(sys.argv[1]) as f:
        tb = json.load(f)
    user = sys.argv[2]
    entry = next(u for u in tb['users'] if u['name'] == user)
    password = open(entry['passwordFile']).readline().rstrip('\n')

    subject = 'mailferry demo: arrived between two syncs (%d)' % time.time()
    msg = EmailMessage()
    msg['From'] = 'demo@old.test'
    msg['To'] = entry['oldAddress']
    msg['Subject'] = subject
    msg['Date'] = formatdate(localtime=True)
    msg['Message-ID'] = make_msgid(domain='demo.old.test')
    msg.set_content('This message reached the old server after the bulk copy.\n')
    smtp = tb['old']['smtp']
    with smtplib.SMTP(smtp['host'], smtp['port'], timeout=30) as s:
        s.send_message(msg)
    print('sent "%s" to %s through Postfix %s:%d' % (subject, entry['oldAddress'], smtp['host'], smtp['port']))

    imap = census.connect(tb['old']['imap'], tb['caFile'])
    imap.login(user, password)
    try:
        deadline = time.monotonic() + 60
        for _ in range(600):  # bounded: at most 60 s, 0.1 s apart
            imap.select('INBOX')
            typ, data = imap.uid('SEARCH', None, 'HEADER', 'Message-ID', msg['Message-ID'].strip('<>'))
            if typ == 'OK' and data[0].split():
                print('delivered into %s\'s Courier INBOX (UID %s)' % (user, data[0].split()[0].decode()))
                break
            if time.monotonic() > deadline:
                sys.exit('the message did not arrive in INBOX within 60 s; see %s' % tb['old']['logDir'])
            time.sleep(0.1)
        else:
            sys.exit('the message did not arrive in INBOX')
        typ, data = imap.uid('SEARCH', None, 'UNFLAGGED')
        uids = data[0].split()
        if uids:
            imap.uid('STORE', uids[0], '+FLAGS', '(\\Flagged)')
            print('flagged message UID %s of %s\'s INBOX on the old server' % (uids[0].decode(), user))
    finally:
        imap.logout()


if __name__ == '__main__':
    main()
