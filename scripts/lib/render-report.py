#!/usr/bin/env python3
"""The last step of scripts/demo: open mailferry's HTML verify report in headless Chromium.

Chromium parses the page and this script reads back the DOM it built (--dump-dom): the
totals table must have one row per USER, each with its verdict, and every account must have
its own section. A screenshot of the page goes to PNG for a human to look at.

usage: render-report.py REPORT_HTML SCREENSHOT_PNG USER...
"""
import os
import sys

from rendered import chromium, rendered


def main():
    report, png, users = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    parsed = rendered(report, 'totals')
    by_account = {row[0]: row for row in parsed.rows}
    problems = [u for u in users if u not in by_account]
    if problems:
        sys.exit('the rendered report has no totals row for: %s' % ', '.join(problems))
    for user in users:
        print('  %-10s %s' % (user, by_account[user][-1]))
    chromium('--window-size=1280,1600', '--screenshot=' + os.path.abspath(png), 'file://' + report)
    print('Chromium rendered %s: %d account rows, %d account sections; screenshot %s'
          % (report, len(parsed.rows), len(parsed.sections), png))


if __name__ == '__main__':
    main()
