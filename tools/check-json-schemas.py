#!/usr/bin/env python3
"""Checks felisc JSON documents against their JSON Schemas in docs/json-schemas/.

Usage: tools/check-json-schemas.py SCHEMAS_DIR FILE...

Each document names its structure in its "format" key (felisc-plan,
felisc-model, felisc-validate, felisc-verify, felisc-drift); the schema is
SCHEMAS_DIR/<format without "felisc-">.schema.json. Prints one line per invalid
document (file: path in the document: what is wrong) and exits 1 if any is
invalid or names no known format, 0 otherwise.
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    schemas_dir = pathlib.Path(sys.argv[1])
    validators = {}
    for path in sorted(schemas_dir.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        validators["felisc-" + path.name[: -len(".schema.json")]] = jsonschema.Draft202012Validator(schema)
    failed = 0
    for name in sys.argv[2:]:
        try:
            document = json.loads(pathlib.Path(name).read_text())
        except (OSError, ValueError) as error:
            print(f"{name}: not JSON: {error}")
            failed += 1
            continue
        kind = document.get("format") if isinstance(document, dict) else None
        validator = validators.get(kind)
        if validator is None:
            print(f"{name}: no schema for format {kind!r}")
            failed += 1
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors[:5]:
            where = "/".join(str(part) for part in error.absolute_path) or "(top)"
            print(f"{name}: {where}: {error.message}")
        failed += 1 if errors else 0
    print(f"check-json-schemas: {len(sys.argv) - 2 - failed} of {len(sys.argv) - 2} documents valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
