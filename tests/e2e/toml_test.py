"""Run build/toml-decoder over the toml-test suite (TOML 1.0.0 cases).

valid/X.toml must decode and its tagged JSON must equal valid/X.json under
toml-test's comparison rules (floats numerically with nan == nan,
date-times as instants, everything else as exact strings); invalid/X.toml
must be rejected with a non-zero exit, without crashing or hanging.
Prints per-category counts and a closing "N passed, M failed" line.
"""

import collections
import json
import math
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal

SRC = os.environ.get("TG_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
BUILD = os.environ.get("TG_BUILD_DIR") or os.path.join(SRC, "build")
SUITE = os.path.join(SRC, "tests", "data", "third_party", "toml-test")
DECODER = os.path.join(BUILD, "toml-decoder")
TIMEOUT = 20

DT_RE = re.compile(
    r"^(?:(\d{4})-(\d{2})-(\d{2}))?"
    r"(?:T?(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?"
    r"(Z|[+-]\d{2}:\d{2})?$"
)


def parse_dt(kind, text):
    """A comparable form of a toml-test date/time value: offset date-times
    become a UTC instant; local ones keep their fields. Fractions compare
    as decimals so that trailing zeros do not matter."""
    text = text.upper()
    if kind in ("datetime", "datetime-local") and len(text) > 10 and text[10] == " ":
        text = text[:10] + "T" + text[11:]
    m = DT_RE.match(text)
    if not m:
        raise ValueError(f"unparsable {kind} {text!r}")
    y, mo, d, h, mi, s, frac, off = m.groups()
    frac = Decimal("0." + frac) if frac else Decimal(0)
    if kind == "date-local":
        return (int(y), int(mo), int(d))
    if kind == "time-local":
        return (int(h), int(mi), int(s), frac)
    base = datetime(int(y), int(mo), int(d), int(h), int(mi), 0)
    secs = int(s)  # may be 60 (leap second): add, do not construct
    if kind == "datetime-local":
        return (base + timedelta(seconds=secs), frac)
    if off is None:
        raise ValueError(f"offset date-time without offset: {text!r}")
    if off == "Z":
        delta = timedelta(0)
    else:
        sign = -1 if off[0] == "-" else 1
        delta = sign * timedelta(hours=int(off[1:3]), minutes=int(off[4:6]))
    instant = base.replace(tzinfo=timezone(delta)) + timedelta(seconds=secs)
    return (instant.astimezone(timezone.utc), frac)


def float_eq(a, b):
    def norm(x):
        x = x.strip()
        if x.lstrip("+-") == "nan":
            return "nan"
        return x

    a, b = norm(a), norm(b)
    if a == "nan" or b == "nan":
        return a == b
    try:
        fa, fb = float(a.replace("_", "")), float(b.replace("_", ""))
    except ValueError:
        return False
    if math.isinf(fa) or math.isinf(fb):
        return fa == fb
    return fa == fb


def same(want, got, path="$"):
    """None when equal, else a description of the first difference."""
    if isinstance(want, dict) and set(want) == {"type", "value"} and \
            isinstance(want.get("value"), str) and isinstance(want.get("type"), str):
        if not (isinstance(got, dict) and set(got) == {"type", "value"}):
            return f"{path}: wanted {want['type']} value, got {json.dumps(got)[:80]}"
        if want["type"] != got["type"]:
            return f"{path}: type {got['type']!r}, wanted {want['type']!r}"
        kind, w, g = want["type"], want["value"], got["value"]
        if kind == "float":
            ok = float_eq(w, g)
        elif kind in ("datetime", "datetime-local", "date-local", "time-local"):
            try:
                ok = parse_dt(kind, w) == parse_dt(kind, g)
            except (ValueError, TypeError) as e:
                return f"{path}: {kind} {g!r} vs {w!r}: {e}"
        else:
            ok = w == g
        return None if ok else f"{path}: {kind} {g!r}, wanted {w!r}"
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: wanted a table, got {type(got).__name__}"
        if set(want) != set(got):
            return (f"{path}: keys differ: missing {sorted(set(want) - set(got))}, "
                    f"extra {sorted(set(got) - set(want))}")
        for k in want:
            d = same(want[k], got[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(want) != len(got):
            return f"{path}: wanted an array of {len(want)}, got {json.dumps(got)[:80]}"
        for i, (w, g) in enumerate(zip(want, got)):
            d = same(w, g, f"{path}[{i}]")
            if d:
                return d
        return None
    return f"{path}: unexpected {json.dumps(want)[:80]} in expected output"


def run(path):
    with open(path, "rb") as f:
        data = f.read()
    return subprocess.run([DECODER], input=data, capture_output=True, timeout=TIMEOUT)


def main():
    if not os.access(DECODER, os.X_OK):
        print(f"toml-decoder not built at {DECODER}")
        print("0 passed, 1 failed")
        return 1
    with open(os.path.join(SUITE, "files-toml-1.0.0"), encoding="utf-8") as f:
        listed = [line.strip() for line in f if line.strip()]
    cases = [p for p in listed if p.endswith(".toml")]
    counts = collections.defaultdict(lambda: [0, 0])
    failures = []
    for rel in cases:
        kind = rel.split("/")[0]
        category = kind + "/" + (rel.split("/")[1] if rel.count("/") > 1 else "(top)")
        path = os.path.join(SUITE, rel)
        problem = None
        try:
            proc = run(path)
        except subprocess.TimeoutExpired:
            proc, problem = None, f"timed out after {TIMEOUT}s"
        if proc is not None and proc.returncode < 0:
            problem = f"killed by signal {-proc.returncode}"
        elif proc is not None and kind == "valid":
            if proc.returncode != 0:
                problem = "rejected: " + proc.stderr.decode("utf-8", "replace").strip()
            else:
                with open(path[:-5] + ".json", "rb") as f:
                    want = json.loads(f.read().decode("utf-8"))
                try:
                    got = json.loads(proc.stdout.decode("utf-8"))
                except ValueError as e:
                    problem = f"decoder printed invalid JSON: {e}"
                else:
                    problem = same(want, got)
        elif proc is not None and kind == "invalid":
            if proc.returncode == 0:
                problem = "accepted invalid input"
            elif not proc.stderr.strip():
                problem = "rejected without an error message"
        counts[category][0 if problem is None else 1] += 1
        if problem:
            failures.append(f"{rel}: {problem}")
    for cat in sorted(counts):
        p, f = counts[cat]
        print(f"{cat:32s} {p:4d} passed {f:3d} failed")
    for kind in ("valid", "invalid"):
        p = sum(v[0] for c, v in counts.items() if c.startswith(kind + "/"))
        f = sum(v[1] for c, v in counts.items() if c.startswith(kind + "/"))
        print(f"{kind:32s} {p:4d} passed {f:3d} failed")
    for line in failures:
        print("FAIL", line)
    passed = sum(v[0] for v in counts.values())
    failed = sum(v[1] for v in counts.values())
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
