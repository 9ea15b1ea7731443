#!/usr/bin/env python3
"""check-docs.py MAILFERRY [FILE.md...]: the README and docs/ say nothing that is not there.

- Every relative link resolves: the file exists, and a #fragment names a heading of the
  target Markdown file (GitHub's anchors).
- Every command named in code (`mailferry mirror purge ...` in a code span or block) exists
  in the command tree of the MAILFERRY executable (its --experimental-dump-help, the
  structured form of --help).
- docs/dev/architecture.md's module graph is the package's (module_graph.py).

Without FILE arguments it checks README.md and docs/**/*.md of the repository. Prints one
line per problem ("FILE:LINE: ...") and exits 1 when there is any, 0 otherwise.
"""
import glob
import json
import os
import re
import subprocess
import sys

import module_graph

LINK = re.compile(r"(?<!\!)\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"`([^`]+)`")
COMMAND = re.compile(r"(?<![\w./-])mailferry((?:[ \t]+[^\s`|;&)]+)+)")
WORD = re.compile(r"^[a-z][a-z0-9-]*$")
# In a code block only a command line counts: mailferry first (after VAR=value prefixes), or
# after &&, ; or |. A diagram's "L6  mailferry  the executable" is not a command.
SHELL_COMMAND = re.compile(r"(?:^|&&|;|\|)\s*(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(mailferry(?:[ \t]+[^\s`|;&)]+)+)")


def command_tree(binary):
    out = subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout
    def walk(node):
        return {sub["commandName"]: walk(sub) for sub in node.get("subcommands", []) or []}
    return walk(json.loads(out)["command"])


def anchors(path, cache={}):
    if path not in cache:
        found, fenced = set(), False
        counts = {}
        for line in open(path, encoding="utf-8"):
            if line.startswith("```"):
                fenced = not fenced
            if fenced or not line.startswith("#"):
                continue
            title = line.lstrip("#").strip()
            slug = re.sub(r"[^\w\- ]", "", title.lower().replace("`", "")).replace(" ", "-")
            n = counts.get(slug, 0)
            counts[slug] = n + 1
            found.add(slug if n == 0 else f"{slug}-{n}")
        cache[path] = found
    return cache[path]


def check_links(path, lineno, line, problems):
    for target in LINK.findall(line):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # http:, mailto:, man: ...
        file_part, _, fragment = target.partition("#")
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
        if not os.path.exists(resolved):
            problems.append(f"{path}:{lineno}: link to {target}: {resolved} does not exist")
        elif fragment and resolved.endswith(".md") and fragment not in anchors(resolved):
            problems.append(f"{path}:{lineno}: link to {target}: no heading #{fragment} in {resolved}")


def check_commands(path, lineno, text, tree, problems):
    for match in COMMAND.finditer(text):
        words = match.group(1).split()
        node, named = tree, ["mailferry"]
        for word in words:
            if not node or not WORD.match(word):
                break  # a leaf command's arguments, an option, a placeholder
            if word not in node:
                problems.append(f"{path}:{lineno}: `{' '.join(named + [word])}`: no such command in mailferry --help")
                break
            named.append(word)
            node = node[word]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tree = command_tree(sys.argv[1])
    files = sys.argv[2:] or ["README.md"] + sorted(glob.glob("docs/**/*.md", recursive=True))
    problems = []
    for path in files:
        fenced = False
        for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            if fenced:
                # Shell lines in a code block; comments after # are prose.
                for command in SHELL_COMMAND.findall(line.split(" #")[0]):
                    check_commands(path, lineno, command, tree, problems)
                continue
            check_links(path, lineno, line, problems)
            # A code span names a command when it is one: `mailferry sync ...` at its start (or
            # after &&, ;, |), not text that happens to hold the word, as a Postfix table's
            # `HOLD mailferry cutover hold` or `discard:mailferry cutover dropped a copy`.
            for span in CODE_SPAN.findall(line):
                for command in SHELL_COMMAND.findall(span):
                    check_commands(path, lineno, command, tree, problems)
    for path in files:
        if os.path.normpath(path) == os.path.join("docs", "dev", "architecture.md"):
            problems += module_graph.check(path, ".")
    for problem in problems:
        print(problem)
    print(f"check-docs: {len(files)} files, {len(problems)} problems", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
