#!/usr/bin/env python3
"""A big Prosody debug log for `make bench`, built from the shapes of a real one.

    scripts/gen-bench-log.py --size 1G --seed 42 --source ../shared/corpus/logs/real-prosody-0.12 --out FILE

The real log (debug.log of a Prosody 0.12 run) is read as records: a header line
`Mon DD HH:MM:SS source<TAB>level<TAB>message` and its continuation lines. The output replays
stretches of consecutive records (so a session's lines stay together) picked at random, with
every identifier made fresh for each stretch and kept consistent inside it: session sources
(c2s…, s2sin…, bosh<uuid>, conn…), UUIDs, hex stanza ids, table addresses and ports. Timestamps go forward by small random steps. Jitsi token-verification
exchanges (the lines of an empty-token guest joining a room) are mixed in at --token-rate.
The lab's domain becomes --domain. Same seed, size and source: the same bytes (sizes count
characters; the real lines are ASCII).
"""
import argparse
import calendar
import os
import random
import re
import sys
import time

HEADER = re.compile(r"^[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d (.*)$")
# Identifiers that differ from one session or stanza to the next, as (pattern, kind).
SLOTS = re.compile(
    r"(?P<session>\b(?:c2s|s2sin|s2sout|jcp|admin)[0-9a-f]{6,16}\b)"
    r"|(?P<bosh>\bbosh[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)"
    r"|(?P<b64>\b(?:conn|serv|runner|fdwatch)[A-Za-z0-9_-]{12}\b)"
    r"|(?P<uuid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)"
    r"|(?P<addr>\b0x[0-9a-f]{6,16}\b)"
    r"|(?P<hexid>\b[0-9a-f]{16,40}\b)"
    r"|(?P<port>(?<=, )\d{4,5}(?=\)))"
)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
SIZES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_size(text):
    text = text.strip().upper()
    return int(text[:-1]) * SIZES[text[-1]] if text[-1] in SIZES else int(text)


def read_records(paths, domain):
    """Records (header rest + continuation lines) of the real logs, each split into literal parts and slots."""
    records = []
    for path in paths:
        current = None
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = HEADER.match(line)
                if m:
                    current = [m.group(1) + "\n"]
                    records.append(current)
                elif current is not None:
                    current.append(line)
    compiled = []
    for lines in records:
        text = "".join(lines).replace("lab.example", domain).replace("@LAB@", "/etc/prosody")
        parts, last = [], 0
        for m in SLOTS.finditer(text):
            parts.append(text[last:m.start()])
            parts.append((m.lastgroup, m.group(0)))
            last = m.end()
        parts.append(text[last:])
        compiled.append(parts)
    return compiled


def fresh(kind, original, rng):
    if kind == "session":
        prefix = original.rstrip("0123456789abcdef")
        return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(len(original) - len(prefix)))
    if kind == "bosh":
        return "bosh" + fresh("uuid", original[4:], rng)
    if kind == "b64":
        return original[:-12] + "".join(rng.choice(B64) for _ in range(12))
    if kind == "uuid":
        return "-".join("".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12))
    if kind == "addr":
        return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(len(original) - 2))
    if kind == "hexid":
        return "".join(rng.choice("0123456789abcdef") for _ in range(len(original)))
    if kind == "port":
        return str(rng.randint(32768, 60999))
    return original


def token_exchange(rng, domain):
    room = rng.choice(["standup", "planning", "retro", "allhands", "support", "classroom"]) + str(rng.randint(1, 40))
    guest = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24))
    resource = "".join(rng.choice(B64) for _ in range(8))
    muc = "conference." + domain
    return [
        f"{muc}:token_verification\tdebug\tSession token: nil, session room: nil\n",
        f"{muc}:token_verification\tdebug\tWill verify token for user: {guest}@guest.{domain}/{resource}, room: {room}@{muc}\n",
        f"{muc}:token_verification\tdebug\tSkipped room token verification - empty tokens are allowed\n",
        f"{muc}:token_affiliation\tdebug\tskip affiliation, no token\n",
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="1G")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--source", required=True, help="directory with the debug.log of a real run")
    ap.add_argument("--domain", default="meet.example.com")
    ap.add_argument("--token-rate", type=float, default=0.002)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    limit = parse_size(args.size)
    rng = random.Random(args.seed)
    # debug.log holds every record of the run (info.log is the same run above debug: not added twice).
    paths = [os.path.join(args.source, "debug.log")]
    records = read_records(paths, args.domain)
    if not records:
        sys.exit(f"no Prosody records in {args.source}")
    clock = float(calendar.timegm((2026, 3, 3, 6, 0, 0)))  # UTC: the same bytes in every time zone
    stamp_second, stamp = None, ""
    written = 0
    with open(args.out, "w", encoding="utf-8") as out:
        buffer = []
        while written < limit:
            start = rng.randrange(len(records))
            length = rng.randint(20, 200)
            names = {}
            for parts in records[start:start + length]:
                clock += rng.expovariate(40.0)
                second = int(clock)
                if second != stamp_second:
                    stamp_second, stamp = second, time.strftime("%b %d %H:%M:%S ", time.gmtime(second))
                pieces = [stamp]
                for p in parts:
                    if isinstance(p, str):
                        pieces.append(p)
                    else:
                        if p not in names:
                            names[p] = fresh(p[0], p[1], rng)
                        pieces.append(names[p])
                entry = "".join(pieces)
                if rng.random() < args.token_rate:
                    entry += "".join(stamp + line for line in token_exchange(rng, args.domain))
                if written + len(entry) > limit:
                    written = limit
                    break
                buffer.append(entry)
                written += len(entry)
            if len(buffer) > 4096:
                out.write("".join(buffer))
                buffer.clear()
        out.write("".join(buffer))


if __name__ == "__main__":
    main()
