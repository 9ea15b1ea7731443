"""Headless Chromium for the demo's report checks (render-report.py, render-plan.py), and
what those checks read back from the DOM it built."""
import html.parser
import shutil
import subprocess
import sys
import tempfile


def chromium(*args):
    """Runs headless Chromium with ARGS in a throw-away profile; its standard output."""
    binary = shutil.which('chromium') or shutil.which('chromium-browser')
    if binary is None:
        sys.exit('chromium is not installed (apt-get install chromium)')
    with tempfile.TemporaryDirectory() as profile:
        # --no-sandbox: the demo runs as root, where Chromium's sandbox refuses to start.
        cmd = [binary, '--headless', '--no-sandbox', '--disable-gpu', '--user-data-dir=' + profile, *args]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        sys.exit('chromium failed (exit %d): %s' % (done.returncode, done.stderr[-2000:]))
    return done.stdout


class Page(html.parser.HTMLParser):
    """The texts of <h1> and <h2>, the ids of <section>s, and the rows of the tables of
    class TABLE_CLASS as lists of cell texts."""

    def __init__(self, table_class):
        super().__init__()
        self.table_class = table_class
        self.headings, self.sections, self.rows = [], [], []
        self._heading = None
        self._in_table = False
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ('h1', 'h2'):
            self._heading = ''
        if tag == 'section' and 'id' in attrs:
            self.sections.append(attrs['id'])
        if tag == 'table':
            self._in_table = self.table_class in (attrs.get('class') or '').split()
        if self._in_table and tag == 'tr':
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
            self._in_table = False

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data
        if self._cell is not None:
            self._cell += data


def rendered(path, table_class):
    """PATH as Chromium parsed it."""
    page = Page(table_class)
    page.feed(chromium('--dump-dom', 'file://' + path))
    return page
