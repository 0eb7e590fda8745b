#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check wfqtool --json output against its schema in Documentation/schemas.

    validate_json.py COMMAND [FILE...]

COMMAND names the schema (list, show, report, events, watch, simulate,
simulate-trace). Each FILE (standard input without one) holds JSON
lines, one document each, as wfqtool writes them. Prints one line per
document that does not conform and exits 1 if any; exits 2 if
python3-jsonschema is missing. Used by tools/tests/cli_test.sh on the
host and selftests/wfqtool_test.sh in the test VM.
"""
import json
import os
import sys

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "Documentation", "schemas")


def load(name):
    with open(os.path.join(SCHEMAS, name)) as f:
        return json.load(f)


def inline(node, doc):
    """The schema with every $ref replaced by what it points to, so the
    schema files need no URI resolver (whose API differs between the
    jsonschema versions of Debian and elsewhere)."""
    if isinstance(node, list):
        return [inline(x, doc) for x in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        path, _, frag = node["$ref"].partition("#")
        target_doc = load(path) if path else doc
        target = target_doc
        for part in filter(None, frag.split("/")):
            target = target[part]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        resolved = inline(target, target_doc)
        return {"allOf": [resolved, inline(rest, doc)]} if rest else resolved
    return {k: inline(v, doc) for k, v in node.items()
            if k not in ("$id", "$defs")}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    try:
        import jsonschema
    except ImportError:
        print("validate_json.py: python3-jsonschema is not installed "
              "(vm/deps.sh installs it)", file=sys.stderr)
        sys.exit(2)
    name = sys.argv[1] + ".schema.json"
    top = load(name)
    validator = jsonschema.Draft202012Validator(inline(top, top))
    bad = docs = 0
    for path in sys.argv[2:] or ["-"]:
        f = sys.stdin if path == "-" else open(path)
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            docs += 1
            try:
                doc = json.loads(line)
            except ValueError as e:
                print(f"{path}:{n}: not JSON: {e}")
                bad += 1
                continue
            for e in validator.iter_errors(doc):
                where = "/".join(str(p) for p in e.absolute_path) or "(top)"
                print(f"{path}:{n}: {where}: {e.message[:300]}")
                bad += 1
    if not docs:
        print(f"validate_json.py: no document to check against {name}")
        bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
