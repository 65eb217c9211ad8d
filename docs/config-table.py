#!/usr/bin/env python3
"""Prints the README's configuration reference table from the configuration metadata.

Usage: ./mvnw -q -pl hotreload-autoconfigure compile && python3 docs/config-table.py [--write]
With --write, replaces the table between the config-table markers of README.md.
"""
import sys
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
metadata = root / "hotreload-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json"
properties = json.loads(metadata.read_text())["properties"]
lines = ["| Property | Default | Description |", "|---|---|---|"]
for p in sorted(properties, key=lambda p: p["name"]):
    default = p.get("defaultValue")
    if isinstance(default, bool):
        default = str(default).lower()
    default = "" if default is None or default == [] else f"`{default}`"
    description = " ".join(p.get("description", "").split()).replace("|", "\\|")
    lines.append(f"| `{p['name']}` | {default} | {description} |")
table = "\n".join(lines)
if "--write" in sys.argv:
    readme = root / "README.md"
    text = readme.read_text()
    start, end = "<!-- config-table:start -->", "<!-- config-table:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(head + start + "\n" + table + "\n" + end + tail)
else:
    print(table)
