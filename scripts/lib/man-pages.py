#!/usr/bin/env python3
"""man-pages.py MAILFERRY GENERATED SECTIONS OUT: finishes generate-manual's pages.

GENERATED holds swift-argument-parser's multi-page output (mailferry.1, mailferry.mirror.purge.1,
...). For each command page this writes OUT/mailferry-mirror-purge.1 (Debian's names, as git's
pages are named) with
- NAME the page's own name (what apropos and lexgrog read), SYNOPSIS the command as typed;
- the discussion as mdoc: blank lines as paragraphs, indented lines (command lists, shell
  examples) as literal blocks, a leading '.' or "'" escaped, and the exit-code table left out
  of it;
- EXIT STATUS from the table `mailferry --help` prints (ExitStatus in Sources/Migration, the
  one table), instead of the generator's "0 on success, >0 on error";
- the hand-written sections of SECTIONS/NAME.mdoc: FILES goes before EXIT STATUS, EXAMPLES
  after it, as mdoc orders them;
- SEE ALSO with the parent command's page and the configuration file's page added.
`mailferry help` gets no page: it prints what --help prints.
"""
import os
import re
import subprocess
import sys

EXIT_HEADING = "Exit codes (the same for every command):"


def exit_table(binary):
    """[(code, meaning)] from the root --help, continuation lines joined."""
    help_text = subprocess.run([binary, "--help"], check=True, capture_output=True, text=True,
                               env={**os.environ, "COLUMNS": "200"}).stdout.splitlines()
    start = help_text.index(EXIT_HEADING) + 1
    rows = []
    for line in help_text[start:]:
        match = re.match(r"^  (\d+)\s+(.*)$", line)
        if match:
            rows.append([match.group(1), match.group(2).strip()])
        elif line.startswith("      ") and rows:
            rows[-1][1] += " " + line.strip()
        else:
            break
    if not rows:
        sys.exit("man-pages.py: no exit-code table in mailferry --help")
    return rows


def escape_line(line):
    return "\\&" + line if line.startswith((".", "'")) else line


def discussion_to_mdoc(lines):
    """Discussion text -> mdoc: paragraphs, literal blocks, no exit table."""
    out, literal, skipping = [], False, False
    for line in lines:
        if line == EXIT_HEADING:
            skipping = True
            continue
        if skipping:
            if line.startswith("  ") or not line.strip():
                continue
            skipping = False
        indented = line.startswith("  ")
        if indented and not literal:
            if out and out[-1] == ".Pp":
                out.pop()
            out.append(".Bd -literal -offset indent")
            literal = True
        elif not indented and literal:
            out.append(".Ed")
            literal = False
        if not line.strip():
            if out and out[-1] not in (".Pp", ".Ed"):
                out.append(".Pp")
            continue
        if not literal and out and out[-1] == ".Ed":
            out.append(".Pp")
        out.append(escape_line(line[2:] if literal else line))
    if literal:
        out.append(".Ed")
    while out and out[-1] == ".Pp":
        out.pop()
    return out


def sections_of(path):
    """A hand-written file's .Sh blocks: {TITLE: [lines]}."""
    blocks, title = {}, None
    if not os.path.exists(path):
        return blocks
    for line in open(path, encoding="utf-8").read().splitlines():
        if line.startswith(".\\\""):
            continue
        if line.startswith(".Sh "):
            title = line[4:].strip().strip('"')
            blocks[title] = [f".Sh {title}"]
        elif title:
            blocks[title].append(line)
    return blocks


def config_page(words):
    if words[:1] in (["sync"], ["verify"]):
        return ["mailferry.toml 5"]
    if words[:1] == ["mirror"] or words == ["postfix", "mirror"]:
        return ["mailferry-mirror.toml 5"]
    if words[:1] == ["config"]:
        return ["mailferry.toml 5", "mailferry-mirror.toml 5"]
    return []


def finish(page_path, words, table, sections_dir, pages):
    name = "-".join(["mailferry"] + words)
    command = " ".join(["mailferry"] + words)
    text = open(page_path, encoding="utf-8").read().replace(".Ex -std", ".Ex -std\n")
    lines = text.splitlines()
    desc = lines.index(".Sh DESCRIPTION")
    exit_at = lines.index('.Sh "EXIT STATUS"')
    see_at = next((i for i, l in enumerate(lines) if l.startswith('.Sh "SEE ALSO"')), None)

    head = []
    in_synopsis = False
    for line in lines[:desc]:
        if line.startswith(".Dt "):
            line = f".Dt {name.upper()} 1"
        elif line.startswith(".Nm ") and not in_synopsis:
            line = f".Nm {name}"
        elif line == ".Sh SYNOPSIS":
            in_synopsis = True
        elif line == ".Nm" and in_synopsis:
            line = f'.Nm "{command}"'
        head.append(line)

    body = lines[desc + 1:exit_at]
    first_list = next((i for i, l in enumerate(body) if l.startswith(".Bl ")), len(body))
    description = [".Sh DESCRIPTION"] + discussion_to_mdoc(body[:first_list])
    if first_list < len(body):
        description += ([".Pp"] if len(description) > 1 else []) + body[first_list:]

    written = sections_of(os.path.join(sections_dir, name + ".mdoc"))
    unknown = set(written) - {"FILES", "EXAMPLES", "ENVIRONMENT"}
    if unknown:
        sys.exit(f"man-pages.py: {name}.mdoc: unexpected sections {sorted(unknown)}")

    exit_status = [".Sh EXIT STATUS", "The codes are the same for every mailferry command:",
                   ".Bl -tag -width Ds"]
    for code, meaning in table:
        exit_status += [f".It {code}", escape_line(meaning)]
    exit_status.append(".El")

    references = []
    if see_at is not None:
        for line in lines[see_at + 1:]:
            match = re.match(r"^\.Xr (\S+) (\d)", line)
            if match:
                reference = match.group(1).replace(".", "-")
                if reference in pages:
                    references.append(f"{reference} {match.group(2)}")
    parent = "-".join(["mailferry"] + words[:-1])
    if words and f"{parent} 1" not in references:
        references.insert(0, f"{parent} 1")
    references += config_page(words)
    see_also = [".Sh SEE ALSO"]
    for i, ref in enumerate(references):
        see_also.append(f".Xr {ref}" + (" ," if i < len(references) - 1 else ""))

    out = head + description + written.get("ENVIRONMENT", []) + written.get("FILES", []) + exit_status \
        + written.get("EXAMPLES", []) + (see_also if references else [])
    return name, "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    binary, generated, sections_dir, out_dir = sys.argv[1:]
    table = exit_table(binary)
    commands = {}
    for file in sorted(os.listdir(generated)):
        match = re.match(r"^mailferry((?:\.[a-z0-9-]+)*)\.1$", file)
        words = [w for w in match.group(1).split(".") if w] if match else None
        if words is not None and words != ["help"]:
            commands[file] = words
    pages = {"-".join(["mailferry"] + words) for words in commands.values()}
    names = []
    for file, words in commands.items():
        name, page = finish(os.path.join(generated, file), words, table, sections_dir, pages)
        with open(os.path.join(out_dir, name + ".1"), "w", encoding="utf-8") as f:
            f.write(page)
        names.append(name)
    unused = {f[:-5] for f in os.listdir(sections_dir) if f.endswith(".mdoc")} - set(names)
    if unused:
        sys.exit(f"man-pages.py: hand-written sections for pages that do not exist: {sorted(unused)}")
    print(" ".join(names))


if __name__ == "__main__":
    main()
