#!/usr/bin/env python3
"""Differential test of the ProsodyConfig model against Prosody's own configmanager.

For every config in $SHARED/corpus/configs and $SHARED/corpus/templates (plus our
edge-case probes in Tests/Fixtures/config/edge and the oracle's own examples), run

    $SHARED/tools/prosody-oracle --sorted-files --short-link FILE
    $BIN config show --format oracle-json FILE

and compare:

* oracle loads the config (ok: true): ours must load it too and `sections` must be
  equal (names, kinds, modules, every raw option value, integers and floats kept
  apart);
* oracle rejects it: ours must report an error at the same file and line.

Normalisation (documented here, applied to both sides):
* file paths are compared after os.path.realpath;
* when Prosody's error is located in Prosody's own source (e.g. a wildcard Include
  of a missing directory raises from configmanager.lua:226), the error *text* is
  compared instead of file/line;
* `files` and `warnings` are reported but only `sections`/errors decide agreement;
* values are compared strictly: ints vs floats, arrays vs objects; our
  `{"<dynamic>": reason}` never equals an oracle value.

Deliberate deviations: scripts/model-conformance-deviations.txt, one per line,
`<file name><TAB><explanation>`; '#' starts a comment.

Environment: SHARED (default: $(git rev-parse --show-toplevel)/../shared),
BIN (default: .build/release/prosody-doctor). Python 3 standard library only.
Exit status 1 when anything differs.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def toplevel():
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=HERE,
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except Exception:
        return os.path.dirname(HERE)


TOP = toplevel()
SHARED = os.environ.get("SHARED") or os.path.join(TOP, "..", "shared")
BIN = os.environ.get("BIN") or os.path.join(TOP, ".build", "release", "prosody-doctor")
ORACLE = os.path.join(SHARED, "tools", "prosody-oracle")
EXAMPLES = os.path.join(SHARED, "tools", "prosody-oracle-examples")
DEVIATIONS = os.path.join(HERE, "model-conformance-deviations.txt")


def typed_load(text):
    """JSON with ints and floats kept apart."""
    return json.loads(text, parse_int=lambda s: ("int", int(s)),
                      parse_float=lambda s: ("float", float(s)))


def run(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="surrogateescape", timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {timeout}s"
    return p.returncode, p.stdout, p.stderr


def load_deviations():
    devs = {}
    if os.path.exists(DEVIATIONS):
        with open(DEVIATIONS, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                name, _, why = line.partition("\t")
                devs[name.strip()] = why.strip()
    return devs


def real(p):
    return os.path.realpath(p) if isinstance(p, str) else p


def diff_values(a, b, path, out, limit=8):
    """Collect human-readable differences between two typed JSON values."""
    if len(out) >= limit:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}/{k}: missing in ours (oracle: {short(b[k])})")
            elif k not in b:
                out.append(f"{path}/{k}: extra in ours ({short(a[k])})")
            else:
                diff_values(a[k], b[k], f"{path}/{k}", out, limit)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items in ours, {len(b)} in oracle: ours {short(a)} oracle {short(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            diff_values(x, y, f"{path}[{i}]", out, limit)
    elif a != b:
        out.append(f"{path}: ours {short(a)} oracle {short(b)}")


def short(v):
    s = json.dumps(v, default=str)
    return s if len(s) < 160 else s[:157] + "..."


def sections_map(doc):
    return {s["name"]: s for s in doc.get("sections", [])}


def compare(path, ours_text, oracle_text):
    """Returns (agrees, notes)."""
    try:
        oracle = typed_load(oracle_text)
    except ValueError as e:
        return False, [f"oracle output is not JSON: {e}"]
    try:
        ours = typed_load(ours_text)
    except ValueError as e:
        return False, [f"our output is not JSON: {e}: {ours_text[:200]!r}"]
    notes = []
    if oracle["ok"]:
        if not ours.get("ok"):
            err = ours.get("error") or {}
            return False, [f"oracle loads it; we report an error: {err.get('message')}"]
        diffs = []
        diff_values(sections_map(ours), sections_map(oracle), "sections", diffs)
        if diffs:
            return False, diffs
        if sorted(map(real, ours.get("files", []))) != sorted(map(real, oracle.get("files", []))):
            notes.append(f"files differ: ours {ours.get('files')} oracle {oracle.get('files')}")
        ow = [(real(w["file"]), w["line"], w["text"]) for w in ours.get("warnings", [])]
        rw = [(real(w["file"]), w["line"], w["text"]) for w in oracle.get("warnings", [])]
        if ow != rw:
            notes.append(f"warnings differ: ours {ow} oracle {rw}")
        return True, notes
    oerr = oracle["error"]
    if ours.get("ok"):
        return False, [f"oracle rejects it ({oerr['message']!r}); we load it"]
    uerr = ours["error"]
    config_dir = os.path.dirname(os.path.realpath(path))
    ofile = real(oerr.get("file"))
    if isinstance(ofile, str) and not ofile.startswith(os.path.realpath(SHARED)) and not ofile.startswith(config_dir):
        # Raised inside Prosody's own source: compare the text.
        if (uerr.get("text") or "").strip() != (oerr.get("text") or "").strip():
            return False, [f"error text: ours {uerr.get('text')!r} oracle {oerr.get('text')!r}"]
        return True, notes
    if (real(uerr.get("file")), uerr.get("line")) != (ofile, oerr.get("line")):
        return False, [f"error location: ours {uerr.get('file')}:{uerr.get('line')} ({uerr.get('text')!r}) "
                       f"oracle {oerr.get('file')}:{oerr.get('line')} ({oerr.get('text')!r})"]
    if (uerr.get("text") or "") != (oerr.get("text") or ""):
        notes.append(f"error text differs: ours {uerr.get('text')!r} oracle {oerr.get('text')!r}")
    return True, notes


def example_checks():
    """The oracle's recorded examples (recorded with --strip-dir)."""
    results = []
    for cfg in ["syntax-error.cfg.lua", "glob-include/prosody.cfg.lua", "jitsi-like.cfg.lua"]:
        path = os.path.join(EXAMPLES, cfg)
        expected_path = os.path.join(EXAMPLES, cfg[: -len(".cfg.lua")] + ".expected.json")
        if not os.path.exists(path) or not os.path.exists(expected_path):
            continue
        with open(expected_path, encoding="utf-8") as f:
            expected = f.read()
        code, out, err = run([BIN, "config", "show", "--show-secrets", "--format", "oracle-json", path])
        # make our paths relative like --strip-dir
        base = os.path.dirname(path) + "/"
        out = out.replace(json.dumps(base)[1:-1], "")
        ok, notes = compare_relative(out, expected)
        results.append((path, ok, notes))
    return results


def compare_relative(ours_text, expected_text):
    try:
        ours, exp = typed_load(ours_text), typed_load(expected_text)
    except ValueError as e:
        return False, [f"bad JSON: {e}"]
    diffs = []
    for key in ["ok", "files", "warnings"]:
        diff_values(ours.get(key), exp.get(key), key, diffs)
    diff_values(sections_map(ours), sections_map(exp), "sections", diffs)
    if not exp["ok"]:
        e, u = exp["error"], ours.get("error") or {}
        for k in ["kind", "file", "line", "text"]:
            if e.get(k) != u.get(k):
                diffs.append(f"error.{k}: ours {u.get(k)!r} expected {e.get(k)!r}")
    return not diffs, diffs


def main(argv):
    verbose = "-v" in argv or "--verbose" in argv
    only = [a for a in argv if not a.startswith("-")]
    if not os.access(BIN, os.X_OK):
        print(f"model-conformance: {BIN} not found; build it with: swift build -c release --product prosody-doctor",
              file=sys.stderr)
        return 2
    deviations = load_deviations()
    files = []
    for sub in ["configs", "templates"]:
        d = os.path.join(SHARED, "corpus", sub)
        if os.path.isdir(d):
            files += [os.path.join(d, n) for n in sorted(os.listdir(d))]
    # our own edge-case fixtures (semantics probes), compared the same way
    edge = os.path.join(TOP, "Tests", "Fixtures", "config", "edge")
    if os.path.isdir(edge):
        files += [os.path.join(edge, n) for n in sorted(os.listdir(edge)) if n.endswith(".cfg.lua")]
    if only:
        files = [f for f in files if any(o in f for o in only)]
    agree = differ = deliberate = oracle_ok = 0
    used = set()
    for path in files:
        name = os.path.basename(path)
        _, oracle_out, oracle_err = run([ORACLE, "--sorted-files", "--short-link", path])
        _, ours_out, ours_err = run([BIN, "config", "show", "--show-secrets", "--format", "oracle-json", path])
        try:
            if json.loads(oracle_out)["ok"]:
                oracle_ok += 1
        except Exception:
            pass
        ok, notes = compare(path, ours_out, oracle_out)
        if ok:
            agree += 1
            if name in deviations:
                print(f"note  {name}: listed as a deviation but agrees")
                used.add(name)
            if verbose:
                for n in notes:
                    print(f"      {name}: {n}")
        elif name in deviations:
            deliberate += 1
            used.add(name)
            if verbose:
                print(f"dev   {name}: {deviations[name]}")
                for n in notes:
                    print(f"        {n}")
        else:
            differ += 1
            print(f"DIFF  {name}")
            for n in notes:
                print(f"        {n}")
    for name in sorted(set(deviations) - used):
        if not only:
            print(f"note  deviation listed for {name!r}, which is not in the corpus")
    ex_total = ex_ok = 0
    if not only:
        for path, ok, notes in example_checks():
            ex_total += 1
            if ok:
                ex_ok += 1
            else:
                differ += 1
                print(f"DIFF  example {os.path.relpath(path, EXAMPLES)}")
                for n in notes:
                    print(f"        {n}")
    total = len(files) + ex_total
    print(f"(the oracle loads {oracle_ok} of {len(files)} configs; {ex_ok}/{ex_total} oracle examples agree)")
    print(f"model conformance: {total} configs, {agree + ex_ok} agree, {deliberate} deliberate deviations, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
