#!/usr/bin/env python3
"""The last step of scripts/demo: open mailferry's HTML verify report in headless Chromium.

Chromium parses the page and this script reads back the DOM it built (--dump-dom): the
totals table must have one row per USER, each with its verdict, and every account must have
its own section. A screenshot of the page goes to PNG for a human to look at.

usage: render-report.py REPORT_HTML SCREENSHOT_PNG USER...
"""
import html.parser
import os
import sys

from chromium import chromium


class Totals(html.parser.HTMLParser):
    """Rows of <table class="totals"> as lists of cell texts, and the ids of <section>s."""

    def __init__(self):
        super().__init__()
        self.rows, self.sections = [], []
        self._table_depth = 0
        self._in_totals = False
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'section' and 'id' in attrs:
            self.sections.append(attrs['id'])
        if tag == 'table':
            self._table_depth += 1
            if 'totals' in (attrs.get('class') or '').split():
                self._in_totals = True
        if self._in_totals and tag == 'tr':
            self._row = []
        if self._row is not None and tag == 'td':
            self._cell = ''

    def handle_endtag(self, tag):
        if tag == 'td' and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        if tag == 'tr' and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None
        if tag == 'table':
            self._table_depth -= 1
            self._in_totals = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def main():
    report, png, users = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    dom = chromium('--dump-dom', 'file://' + report)
    parsed = Totals()
    parsed.feed(dom)
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
