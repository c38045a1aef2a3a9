#!/usr/bin/env python3
"""Differential test: every complaint of `prosodyctl check config` must map to one of
prosody-doctor's findings.

For each file in $SHARED/corpus/configs (SHARED defaults to <repo>/../shared):

* copy it to a short temporary path ending in `.lua` (Prosody 0.12 crashes on
  warnings for paths of 60 bytes or more, and refuses main configs whose name does
  not end in `lua`), creating the directories of relative wildcard Includes so
  that a missing conf.d does not abort the load;
* run `prosodyctl --config <copy> check config` (timeout), and keep the configs
  Prosody could load (`Checking config...` printed);
* parse its complaints (research/prosody-semantics.md §2.2, §2.6, §2.7, plus the
  `Duplicate option` start-up warning);
* run `$BIN check --format json --ignore-inline <copy>` (BIN defaults to
  .build/release/prosody-doctor; inline suppressions are ignored so that every
  finding is seen);
* map every complaint to a finding through MAPPING (complaint -> rule ids, and the
  names the finding's message must mention).

Prints `prosodyctl parity: N configs loaded by Prosody, N complaints, N mapped, N missing`
and exits 1 when a complaint is missing (2 on a setup problem).

`--self-test` checks the complaint parser and the matcher on a canned output.

Environment: SHARED, BIN, PROSODYCTL (default `prosodyctl`), PARITY_TIMEOUT (seconds,
default 60), PARITY_VERBOSE=1 to list every complaint. prosodyctl may need root to
read its data directory; run the script as root (or as the prosody user).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# ---------------------------------------------------------------------------
# Mapping table: complaint kind -> (rule ids that may report it, description).
# The names a complaint carries (option, host, module) must appear in the
# finding's message.
# ---------------------------------------------------------------------------
MAPPING = {
    "no-global-options": (["OPT201"], "No global options defined. Perhaps you have put a host definition at the top"),
    "no-hosts": (["OPT202"], "No hosts are defined / No hosts are enabled / All hosts are disabled"),
    "no-global-modules": (["OPT203"], "No global modules_enabled is set?"),
    "component-module-global": (["OPT204"], "mod_<m> is enabled both in modules_enabled and as Component \"<h>\" \"<m>\""),
    # 0.12.3 lists cross_domain_* as obsolete; we report them as deprecated (0.12.4+).
    "obsolete": (["OPT205", "OPT206"], "You have some obsolete options you can remove from the global section:"),
    "deprecated": (["OPT206"], "You have some deprecated options in the global section: '<o>' -- ..."),
    "misplaced": (["OPT207"], "You have N option(s) set under <h> that should be ... You need to move the following option(s): ..."),
    "host-prefix": (["OPT208"], "Suggestion: If <h> is a new host with no real users yet, consider renaming it"),
    "mod-prefix": (["OPT209"], "Change 'mod_<x>' to '<x>'."),
    "auth-module": (["OPT210"], "Remove 'auth_<x>' from modules_enabled"),
    "storage-module": (["OPT211"], "Remove 'storage_<x>' from modules_enabled"),
    "conflict": (["OPT212"], "Both mod_<a> and mod_<b> are enabled but they conflict"),
    "default-storage": (["OPT213"], "The 'default_storage' option is not needed if 'storage' is set to a string."),
    "tls-missing": (["OPT214"], "You require encryption but mod_tls is not enabled."),
    "public-registration": (["OPT215", "SEC304"], "Public registration is enabled on: <h>"),
    "unreferenced-component": (["OPT216"], "Your configuration contains the following unreferenced components: <c>"),
    "module-list-type": (["OPT217"], "The modules_enabled in the <h> section should not be a ... (0.12.4+)"),
    "invalid-host": (["OPT218"], "Your configuration contains invalid host names / incorrectly-encoded hostnames (0.12.4+)"),
    "posix": (["OPT219"], "mod_posix is loaded in your configuration file, but it has been deprecated (13)"),
    "admin-telnet": (["OPT220"], "mod_admin_telnet is being replaced by mod_admin_shell (13)"),
    "disco-items": (["OPT221"], "Some hosts in your configuration file have an invalid 'disco_items' option (13)"),
    "duplicate-option": (["CFG103"], "startup warn Configuration warning: <file>:<line>: Duplicate option '<o>'"),
}

# Complaints about the machine, not the config: counted apart, never "missing".
ENVIRONMENT = [
    re.compile(r"You require encryption but LuaSec is not available"),
    re.compile(r"You have set s2s_secure_(auth|domains) but your version of LuaSec"),
    re.compile(r"The following modules failed to load:"),
    re.compile(r"Some of your hosts may be missing features"),
]


def deliberate_difference(kind, names):
    """Complaints prosody-doctor does not reproduce on purpose, with the reason."""
    if kind == "host-prefix" and names and names[0].count(".") == 1:
        # prosodyctl suggests renaming "xmpp.is" to "is", a top-level domain.
        return "prosodyctl would rename a two-label host to a bare top-level domain"
    return None


def repo_root():
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                             cwd=os.path.dirname(os.path.abspath(__file__)))
        if out.returncode == 0:
            return out.stdout.strip()
    except OSError:
        pass
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def split_list(text):
    return [x.strip().strip("'\"") for x in re.split(r",\s*", text.strip()) if x.strip()]


def parse_complaints(output):
    """Returns (complaints, environment_notes). A complaint is (kind, names, text)."""
    lines = [l.rstrip("\n") for l in output.splitlines()]
    stripped = [l.strip() for l in lines]
    complaints = []
    env_notes = []
    i = 0
    n = len(stripped)

    def add(kind, names, text):
        complaints.append((kind, [x for x in names if x], text))

    while i < n:
        s = stripped[i]
        m = re.search(r"Configuration warning: .*:(\d+): Duplicate option '([^']+)'", s)
        if m:
            add("duplicate-option", [m.group(2)], s)
        elif any(p.search(s) for p in ENVIRONMENT):
            env_notes.append(s)
        elif s.startswith("No global options defined"):
            add("no-global-options", [], s)
        elif s.startswith("No hosts are defined") or s.startswith("No hosts are enabled") \
                or s.startswith("All hosts are disabled"):
            add("no-hosts", [], s)
        elif s.startswith("No global modules_enabled is set"):
            add("no-global-modules", [], s)
        else:
            m = re.match(r'mod_(\S+) is enabled both in modules_enabled and as Component "([^"]+)" "([^"]+)"', s)
            if m:
                add("component-module-global", [m.group(1), m.group(2)], s)
            elif s.startswith("You have some obsolete options you can remove from the global section"):
                names = split_list(stripped[i + 1]) if i + 1 < n else []
                for name in names:
                    add("obsolete", [name], s + " " + name)
                i += 1
            elif s.startswith("You have some deprecated options in the global section"):
                j = i + 1
                while j < n:
                    m2 = re.match(r"'([^']+)' -- ", stripped[j])
                    if not m2:
                        break
                    add("deprecated", [m2.group(1)], stripped[j])
                    j += 1
                i = j - 1
            else:
                m = re.match(r"You have \d+ options? set under (.+) that should be$", s)
                if m:
                    host = m.group(1)
                    j = i + 1
                    while j < n and not stripped[j].startswith("You need to move the following option"):
                        j += 1
                    if j < n:
                        names = split_list(stripped[j].split(":", 1)[1])
                        for name in names:
                            add("misplaced", [name, host], "%s under %s" % (name, host))
                        i = j
                else:
                    m = re.match(r"Suggestion: If (\S+) is a new host", s)
                    if m:
                        add("host-prefix", [m.group(1)], s)
                    elif re.match(r"Change 'mod_[^']+' to '[^']+'", s):
                        add("mod-prefix", [re.match(r"Change '([^']+)'", s).group(1)], s)
                    elif re.match(r"Remove 'auth_[^']+' from modules_enabled", s):
                        add("auth-module", [re.match(r"Remove '([^']+)'", s).group(1)], s)
                    elif re.match(r"Remove 'storage_[^']+' from modules_enabled", s):
                        add("storage-module", [re.match(r"Remove '([^']+)'", s).group(1)], s)
                    elif re.match(r"Both mod_(\S+) and mod_(\S+) are enabled but they conflict", s):
                        m = re.match(r"Both mod_(\S+) and mod_(\S+) are enabled", s)
                        add("conflict", [m.group(1), m.group(2)], s)
                    elif s.startswith("The 'default_storage' option is not needed"):
                        add("default-storage", [], s)
                    elif s.startswith("You require encryption but mod_tls is not enabled"):
                        add("tls-missing", [], s)
                    elif s.startswith("Public registration is enabled on:"):
                        hosts = split_list(stripped[i + 1]) if i + 1 < n else []
                        for host in hosts:
                            add("public-registration", [host], "Public registration is enabled on " + host)
                        i += 1
                    elif s.startswith("Your configuration contains the following unreferenced components"):
                        j = i + 1
                        while j < n and stripped[j] == "":
                            j += 1
                        while j < n and stripped[j] != "":
                            add("unreferenced-component", [stripped[j]], "unreferenced component " + stripped[j])
                            j += 1
                        i = j
                    elif re.match(r"The (modules_enabled|modules_disabled) in the (\S+) section should", s):
                        m = re.match(r"The (modules_enabled|modules_disabled) in the (\S+) section", s)
                        add("module-list-type", [m.group(1)], s)
                    elif s.startswith("Your configuration contains invalid host names") \
                            or s.startswith("Your configuration contains incorrectly-encoded hostnames"):
                        j = i + 1
                        while j < n and stripped[j] and not stripped[j].startswith(("Clients may", "To correct")):
                            host = stripped[j].split()[0].strip("'")
                            add("invalid-host", [host], "invalid host " + host)
                            j += 1
                        i = j - 1
                    elif s.startswith("mod_posix is loaded in your configuration file"):
                        add("posix", ["posix"], s)
                    elif s.startswith("mod_admin_telnet is being replaced"):
                        add("admin-telnet", ["admin_telnet"], s)
                    elif s.startswith("Some hosts in your configuration file have an invalid 'disco_items'"):
                        j = i + 1
                        while j < n and not stripped[j].startswith("- "):
                            j += 1
                        while j < n and stripped[j].startswith("- "):
                            add("disco-items", [stripped[j][2:].strip()], "invalid disco_items on " + stripped[j][2:])
                            j += 1
                        i = j - 1
        i += 1
    return complaints, env_notes


def mentions(message, name):
    """`name` appears in `message` as a whole word (hosts, options, modules)."""
    pattern = r"(?<![\w.@-])" + re.escape(name) + r"(?![\w-])"
    return re.search(pattern, message) is not None


def complaint_mapped(kind, names, findings):
    rules, _ = MAPPING[kind]
    for f in findings:
        if f.get("rule") not in rules:
            continue
        message = f.get("message", "")
        if kind == "mod-prefix" or kind == "auth-module" or kind == "storage-module":
            names_to_check = names  # the module as written
        elif kind == "component-module-global":
            names_to_check = ["mod_" + names[0], names[1]]
        elif kind == "conflict":
            names_to_check = ["mod_" + n for n in names]
        elif kind == "posix":
            names_to_check = ["mod_posix"]
        elif kind == "admin-telnet":
            names_to_check = ["mod_admin_telnet"]
        else:
            names_to_check = names
        if all(mentions(message, n) for n in names_to_check):
            return True
    return False


def prepare_copy(source, directory):
    # prosodyctl (as root) checks that the prosody user can read the config.
    os.chmod(directory, 0o755)
    target = os.path.join(directory, "c.cfg.lua")
    shutil.copyfile(source, target)
    os.chmod(target, 0o644)
    try:
        text = open(source, encoding="utf-8", errors="replace").read()
    except OSError:
        text = ""
    for pattern in re.findall(r"""Include\s*\(?\s*["']([^"']+)["']""", text):
        if "*" in pattern and not pattern.startswith("/"):
            sub = os.path.join(directory, os.path.dirname(pattern.lstrip("./")))
            os.makedirs(sub, exist_ok=True)
            os.chmod(sub, 0o755)
    return target


SAMPLE_OUTPUT = """startup             warn	Configuration warning: /tmp/pp1/c.cfg.lua:75: Duplicate option 'muc_room_locking'
Checking config...
    The following configuration files have been loaded:
      -  /tmp/pp1/c.cfg.lua

    You have 1 option set under example.net that should be
    in the global section of the config file, above any VirtualHost or Component definitions,
    see https://prosody.im/doc/configure#overview for more information.

    You need to move the following option: limits

    You have 2 options set under example.com that should be
    in the global section of the config file, above any VirtualHost or Component definitions,
    see https://prosody.im/doc/configure#overview for more information.

    You need to move the following options: use_ipv6, c2s_ports
    You have some obsolete options you can remove from the global section:
    cross_domain_websocket, cross_domain_bosh
    You have some deprecated options in the global section:
    'daemonize' -- instead, use the --daemonize/-D or --foreground/-F command line flags
    'use_libevent' -- instead, use 'network_backend = "event"'

    mod_muc is enabled both in modules_enabled and as Component "conference.example.com" "muc"
    This means the service is enabled on all VirtualHosts as well as the Component.
    Are you sure this what you want? It may cause unexpected behaviour.
    Modules in modules_enabled should not have the 'mod_' prefix included.
    Change 'mod_carbons' to 'carbons'.
    Public registration is enabled on:
        example.com, example.org

    Your configuration contains the following unreferenced components:

        rooms.example.net

    Clients may not be able to discover these services because they are not linked to
Done.

Problems found, see above.
"""


def self_test():
    complaints, _ = parse_complaints(SAMPLE_OUTPUT)
    got = [(k, n) for k, n, _ in complaints]
    expected = [
        ("duplicate-option", ["muc_room_locking"]),
        ("misplaced", ["limits", "example.net"]),
        ("misplaced", ["use_ipv6", "example.com"]), ("misplaced", ["c2s_ports", "example.com"]),
        ("obsolete", ["cross_domain_websocket"]), ("obsolete", ["cross_domain_bosh"]),
        ("deprecated", ["daemonize"]), ("deprecated", ["use_libevent"]),
        ("component-module-global", ["muc", "conference.example.com"]),
        ("mod-prefix", ["mod_carbons"]),
        ("public-registration", ["example.com"]), ("public-registration", ["example.org"]),
        ("unreferenced-component", ["rooms.example.net"]),
    ]
    assert got == expected, "parse mismatch:\n%s" % "\n".join(map(str, got))
    findings = [{"rule": "OPT207", "message": "c2s_ports is set under VirtualHost \"example.com\", but ..."},
                {"rule": "OPT207", "message": "limits is set under VirtualHost \"sub.example.net\", but ..."}]
    assert complaint_mapped("misplaced", ["c2s_ports", "example.com"], findings)
    assert not complaint_mapped("misplaced", ["limits", "example.net"], findings), "host must match as a whole name"
    print("self-test passed")
    return 0


def main():
    if "--self-test" in sys.argv[1:]:
        return self_test()
    root = repo_root()
    shared = os.environ.get("SHARED", os.path.join(root, "..", "shared"))
    binary = os.path.abspath(os.environ.get("BIN", os.path.join(root, ".build", "release", "prosody-doctor")))
    prosodyctl = os.environ.get("PROSODYCTL", "prosodyctl")
    timeout = float(os.environ.get("PARITY_TIMEOUT", "60"))
    verbose = os.environ.get("PARITY_VERBOSE") == "1"
    configs_dir = os.path.join(shared, "corpus", "configs")

    if not os.path.isdir(configs_dir):
        print("no corpus at %s (set SHARED)" % configs_dir, file=sys.stderr)
        return 2
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print("prosody-doctor binary not found at %s (set BIN, or run swift build -c release)" % binary,
              file=sys.stderr)
        return 2
    if shutil.which(prosodyctl) is None:
        print("prosodyctl not found (set PROSODYCTL)", file=sys.stderr)
        return 2

    loaded = complaints_total = mapped = 0
    missing = []
    deliberate = []
    environment = 0
    for name in sorted(os.listdir(configs_dir)):
        source = os.path.join(configs_dir, name)
        if not os.path.isfile(source):
            continue
        directory = tempfile.mkdtemp(prefix="pp", dir="/tmp")
        try:
            copy = prepare_copy(source, directory)
            try:
                run = subprocess.run([prosodyctl, "--config", copy, "check", "config"], cwd=directory,
                                     capture_output=True, text=True, timeout=timeout,
                                     env=dict(os.environ, PROSODYCTL_LOG_LEVEL="warn"))
            except subprocess.TimeoutExpired:
                print("%s: prosodyctl timed out, skipped" % name, file=sys.stderr)
                continue
            output = run.stdout + run.stderr
            if "Checking config..." not in output:
                continue  # Prosody could not load this config
            loaded += 1
            complaints, env_notes = parse_complaints(output)
            environment += len(env_notes)
            if not complaints:
                continue
            doctor = subprocess.run([binary, "check", "--format", "json", "--min-severity", "hint", "--ignore-inline", copy],
                                    cwd=directory, capture_output=True, text=True, timeout=timeout)
            try:
                findings = json.loads(doctor.stdout).get("findings", [])
            except ValueError:
                print("%s: prosody-doctor gave no JSON (exit %d): %s" % (name, doctor.returncode,
                                                                         doctor.stderr.strip()[:300]),
                      file=sys.stderr)
                findings = []
            for kind, names, text in complaints:
                complaints_total += 1
                reason = deliberate_difference(kind, names)
                if reason:
                    deliberate.append((name, text, reason))
                    print("  skipped  %s: %s (%s)" % (name, text, reason))
                elif complaint_mapped(kind, names, findings):
                    mapped += 1
                    if verbose:
                        print("  ok       %s: %s" % (name, text))
                else:
                    missing.append((name, kind, names, text))
                    print("  MISSING  %s: [%s -> %s] %s" % (name, kind, "/".join(MAPPING[kind][0]), text))
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    print("prosodyctl parity: %d configs loaded by Prosody, %d complaints, %d mapped, %d missing"
          % (loaded, complaints_total, mapped, len(missing)))
    if deliberate:
        print("(%d complaints deliberately not reproduced, listed as 'skipped' above)" % len(deliberate))
    if environment:
        print("(%d complaints about the machine itself, e.g. LuaSec, were not counted)" % environment)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
