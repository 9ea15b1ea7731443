#!/usr/bin/env python3
"""scripts/demo's check of mailferry plan's HTML page, opened in headless Chromium.

Chromium parses the page and this script reads back the DOM it built (--dump-dom): the
page must have its title heading and the Freeze and Findings sections, and the findings
table a row for every USER's account and for every USER's quota, and rows of the addresses,
hosts and capacity checks (the demo's config has a [plan] table naming both Postfix
instances, the new Dovecot and its store). A screenshot goes to PNG for a human to look at.

usage: render-plan.py PLAN_HTML SCREENSHOT_PNG USER...
"""
import os
import sys

from rendered import chromium, rendered


def main():
    page, png, users = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    parsed = rendered(page, 'findings')
    if not parsed.headings or not parsed.headings[0].startswith('mailferry plan for '):
        sys.exit('the rendered plan has no title heading: %r' % parsed.headings[:1])
    missing = [h for h in ('Freeze', 'Findings') if h not in parsed.headings]
    if missing:
        sys.exit('the rendered plan lacks the sections: %s (it has %s)' % (', '.join(missing), ', '.join(parsed.headings)))
    # Cells: result, area, about, finding, what to do.
    accounts = {row[2] for row in parsed.rows if len(row) >= 3 and row[1] == 'accounts'}
    absent = [u for u in users if u not in accounts]
    if absent:
        sys.exit('the rendered plan has no accounts finding for: %s' % ', '.join(absent))
    quotas = {row[2] for row in parsed.rows if len(row) >= 3 and row[1] == 'quota'}
    absent = [u for u in users if u not in quotas]
    if absent:
        sys.exit('the rendered plan has no quota finding for: %s' % ', '.join(absent))
    areas = {row[1] for row in parsed.rows if len(row) >= 2}
    missing = [a for a in ('addresses', 'hosts', 'capacity') if a not in areas]
    if missing:
        sys.exit('the rendered plan has no %s findings (it has %s)' % (', '.join(missing), ', '.join(sorted(areas))))
    chromium('--window-size=1280,1600', '--screenshot=' + os.path.abspath(png), 'file://' + page)
    print('Chromium rendered %s: %s; %d findings; screenshot %s' % (page, parsed.headings[0], len(parsed.rows), png))


if __name__ == '__main__':
    main()
