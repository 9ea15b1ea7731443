"""The module graph in docs/dev/architecture.md against the package itself (check-docs.py runs it).

- Every target but the tests has an entry, and its entry lists exactly the mailferry targets it
  depends on in `swift package describe --type json`.
- Layers: a target depends only on targets of lower layers, and a `// Ln:` label in the comment
  just above a target in Package.swift says the layer the document gives it.
- Every target, tests included, declares each module it imports, and imports each target or
  product it declares (a dependency nothing imports goes).

The document's entries are the lines of its fenced blocks that hold a target's name at column
5, after "Ln  " (a new layer) or four spaces; lines indented further continue the entry, and
the names after its last "─►" are its dependencies (none without one).
"""
import glob
import json
import os
import re
import subprocess

ENTRY = re.compile(r"^(?:L(\d+)  |    )(\S+)")
LABEL = re.compile(r"^\s*// L(\d+):")
DECLARATION = re.compile(r"\.(?:target|executableTarget)\(\s*name:\s*\"([^\"]+)\"")
IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?"
    r"import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)")
# Modules of the toolchain and the system: no target declares them.
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "CoreFoundation", "Glibc", "Musl", "Darwin",
          "Dispatch", "Synchronization", "Testing", "XCTest", "PackagePlugin", "_Concurrency", "os"}


def describe(root):
    path = os.environ.get("MAILFERRY_PACKAGE_DESCRIPTION")  # a saved `swift package describe --type json`
    if path:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    out = subprocess.run(["swift", "package", "describe", "--type", "json"], cwd=root, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def entries(doc):
    """{name: (line number, layer or None, [dependencies])} of the document's fenced blocks."""
    found, fenced, current, layer = {}, False, None, None
    for lineno, line in enumerate(open(doc, encoding="utf-8"), 1):
        if line.startswith("```"):
            fenced, current, layer = not fenced, None, None
            continue
        if not fenced:
            continue
        match = ENTRY.match(line)
        if match:
            if match.group(1):
                layer = int(match.group(1))
            current = match.group(2)
            found[current] = [lineno, layer, line]
        elif current and line[:5].strip() == "" and line.strip():
            found[current][2] += line
    result = {}
    for name, (lineno, layer, text) in found.items():
        listed = text.split("─►")[-1] if "─►" in text else ""
        result[name] = (lineno, layer, [part.strip() for part in listed.replace("\n", " ").split(",") if part.strip()])
    return result


def labels(package):
    """{target: (line number, layer)} of the `// Ln:` labels just above a target in Package.swift."""
    text = open(package, encoding="utf-8").read()
    lines = text.split("\n")
    found = {}
    for match in DECLARATION.finditer(text):
        index = text.count("\n", 0, match.start()) - 1
        while index >= 0 and lines[index].strip().startswith("//"):
            label = LABEL.match(lines[index])
            if label:
                found[match.group(1)] = (index + 1, int(label.group(1)))
            index -= 1
    return found


def imports(path):
    """The modules a Swift file imports (not lines inside a multi-line string: test scripts)."""
    found, in_string = set(), False
    for line in open(path, encoding="utf-8"):
        if line.count('"""') % 2 == 1:
            in_string = not in_string
            continue
        match = None if in_string else IMPORT.match(line)
        if match:
            found.add(match.group(1))
    return found


def check(doc, root):
    problems = []
    described = describe(root)["targets"]
    plugins = {t["name"] for t in described if t["type"] == "plugin"}
    targets = {t["name"]: t for t in described if t["type"] != "plugin"}
    documented = entries(doc)
    for name, target in sorted(targets.items()):
        depends = sorted(set(target.get("target_dependencies", [])) - plugins)
        if target["type"] != "test":
            if name not in documented:
                problems.append(f"{doc}: no entry for the target {name} (depends on {', '.join(depends) or 'nothing'})")
                continue
            lineno, layer, listed = documented[name]
            for dependency in sorted(set(depends) - set(listed)):
                problems.append(f"{doc}:{lineno}: {name} depends on {dependency}, which its entry does not list")
            for dependency in sorted(set(listed) - set(depends)):
                problems.append(f"{doc}:{lineno}: {name}'s entry lists {dependency}, which is not among its dependencies")
            for dependency in depends:
                below = documented.get(dependency, (0, None, []))[1]
                if layer is not None and (below is None or below >= layer):
                    problems.append(f"{doc}:{lineno}: {name} (L{layer}) depends on {dependency} (L{below}): not a lower layer")
        modules = set()
        for path in glob.glob(os.path.join(root, target["path"], "**", "*.swift"), recursive=True):
            modules |= imports(path)
        declared = {d.replace("-", "_") for d in target.get("target_dependencies", []) + target.get("product_dependencies", [])}
        own = name.replace("-", "_")
        for module in sorted(modules - SYSTEM - declared - {own}):
            problems.append(f"{target['path']}: imports {module}, which Package.swift does not declare for {name}")
        for dependency in sorted(declared - modules - plugins):
            problems.append(f"{target['path']}: {name} declares {dependency} in Package.swift and imports it nowhere")
    for name in sorted(set(documented) - set(targets)):
        problems.append(f"{doc}:{documented[name][0]}: {name} is not a target of the package")
    for name, (lineno, layer) in sorted(labels(os.path.join(root, "Package.swift")).items()):
        if name in documented and documented[name][1] != layer:
            problems.append(f"Package.swift:{lineno}: {name} is labelled L{layer}, {doc} says L{documented[name][1]}")
    return problems
