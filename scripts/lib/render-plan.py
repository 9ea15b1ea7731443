#!/usr/bin/env python3
"""scripts/demo's check of mailferry plan's HTML page, opened in headless Chromium.

Chromium parses the page and this script reads back the DOM it built (--dump-dom): the
page must have its title heading and the Freeze and Findings sections, and the findings
table a row for every USER's account. A screenshot goes to PNG for a human to look at.

usage: render-plan.py PLAN_HTML SCREENSHOT_PNG USER...
"""
import html.parser
import os
import sys

from chromium import chromium


class Page(html.parser.HTMLParser):
    """The texts of <h1> and <h2>, and the cells of <table class="findings"> rows."""

    def __init__(self):
        super().__init__()
        self.headings, self.rows = [], []
        self._heading = None
        self._in_findings = False
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ('h1', 'h2'):
            self._heading = ''
        if tag == 'table':
            self._in_findings = 'findings' in (attrs.get('class') or '').split()
        if self._in_findings and tag == 'tr':
            self._row = []
        if self._row is not None and tag == 'td':
            self._cell = ''

    def handle_endtag(self, tag):
        if tag in ('h1', 'h2') and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None
        if tag == 'td' and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        if tag == 'tr' and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None
        if tag == 'table':
            self._in_findings = False

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data
        if self._cell is not None:
            self._cell += data


def main():
    page, png, users = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    parsed = Page()
    parsed.feed(chromium('--dump-dom', 'file://' + page))
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
    chromium('--window-size=1280,1600', '--screenshot=' + os.path.abspath(png), 'file://' + page)
    print('Chromium rendered %s: %s; %d findings; screenshot %s' % (page, parsed.headings[0], len(parsed.rows), png))


if __name__ == '__main__':
    main()
