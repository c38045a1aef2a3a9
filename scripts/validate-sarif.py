#!/usr/bin/env python3
"""Validate every samples/*/expected/check.sarif (kept equal to the real output by
the golden tests) against the SARIF 2.1.0 JSON schema with a real validator."""
import glob
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate-sarif: python3 module jsonschema missing (pip install jsonschema)")

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(root, "Tests/Fixtures/sarif-schema-2.1.0.json")) as f:
    schema = json.load(f)
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema)

files = sorted(glob.glob(os.path.join(root, "samples/*/expected/check.sarif")))
if not files:
    sys.exit("validate-sarif: no samples/*/expected/check.sarif found")
failed = 0
for path in files:
    with open(path) as f:
        document = json.load(f)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    results = sum(len(run.get("results", [])) for run in document.get("runs", []))
    rel = os.path.relpath(path, root)
    if errors:
        failed += 1
        print(f"FAIL {rel}: {len(errors)} schema error(s)")
        for error in errors[:10]:
            print(f"  at /{'/'.join(map(str, error.path))}: {error.message}")
    else:
        print(f"ok   {rel} ({results} results)")
print(f"sarif validation: {len(files)} files, {len(files) - failed} valid, {failed} invalid")
sys.exit(1 if failed else 0)
