"""Headless Chromium for the demo's report checks (render-report.py, render-plan.py)."""
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
