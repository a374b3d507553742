"""Runs pypa/packaging's own PEP 440 test vectors (tests/data/pep440/, see its
README) through `tollgate pep440 ... -` in batch mode and reports, per suite,
how many cases agree. Every case must agree.

How packaging's arguments map to tollgate's pre-release modes (packaging 26
semantics, the version the vectors come from):
  contains: the effective prereleases value is the call's, else the set's;
            installed=True accepts pre-releases; None and True -> 'pre',
            False -> 'nopre'.
  filter:   same, except that None -> 'auto' (keep pre-releases when the set
            names one or when no final release matches).
A version string packaging cannot parse is "not contained" for any
specifier but "==="; tollgate reports it as invalid input instead, which
counts as agreeing with packaging's False.
"""
import json
import os
import subprocess
import sys

BIN = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "tests", "data", "pep440")


def load(name):
    rows, header = [], None
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if header is None:
                header = line.split("\t")
                continue
            fields = [json.loads(x) for x in line.split("\t")]
            assert len(fields) == len(header), (name, line)
            rows.append(dict(zip(header, fields)))
    return rows


def text(item):
    """A version as tollgate receives it: Version objects by their str()."""
    return item["str"] if isinstance(item, dict) else item


def single(action, fields):
    """One case through argv (for fields holding a tab or a newline)."""
    mode = []
    if action in ("contains", "filter"):
        mode = {"pre": ["--pre"], "nopre": ["--no-pre"], "auto": []}[fields.pop(1 if action == "filter" else 2)]
    p = subprocess.run([BIN, "pep440", action, *mode, "--", *fields],
                       capture_output=True, text=True)
    if p.returncode == 0:
        out = p.stdout[:-1] if p.stdout.endswith("\n") else p.stdout
        return ("ok", "\t".join(out.split("\n")) if action == "filter" else out)
    if p.returncode == 3:
        return ("error", p.stderr.strip())
    raise SystemExit(f"unexpected exit {p.returncode} for {action} {fields!r}: {p.stderr}")


def run(action, cases):
    """Answers for a list of cases (each a list of field strings)."""
    answers = [None] * len(cases)
    batch_idx = [i for i, c in enumerate(cases) if not any("\t" in f or "\n" in f for f in c)]
    stdin = "".join("\t".join(cases[i]) + "\n" for i in batch_idx)
    p = subprocess.run([BIN, "pep440", action, "-"], input=stdin, capture_output=True, text=True)
    if p.returncode not in (0, 3):
        raise SystemExit(f"batch {action} exited {p.returncode}: {p.stderr}")
    lines = p.stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(batch_idx):
        raise SystemExit(f"batch {action}: {len(lines)} answers for {len(batch_idx)} cases")
    for i, line in zip(batch_idx, lines):
        answers[i] = ("error", line) if line.startswith("error: ") else ("ok", line)
    for i, c in enumerate(cases):
        if answers[i] is None:
            answers[i] = single(action, list(c))
    return answers


RESULTS = []


def report(suite, checks):
    """checks: list of (ok, description)."""
    bad = [d for ok, d in checks if not ok]
    RESULTS.append((suite, len(checks) - len(bad), len(checks)))
    for d in bad[:10]:
        print(f"  FAIL {suite}: {d}")


def contains_mode(set_pre, pre, installed):
    eff = pre if pre is not None else set_pre
    if installed:
        return "pre"
    return "nopre" if eff is False else "pre"


def filter_mode(set_pre, pre):
    eff = pre if pre is not None else set_pre
    return "auto" if eff is None else ("pre" if eff else "nopre")


def main():
    order = [r["version"] for r in load("version_order.tsv")]
    pairs = [(a, b) for a in order for b in order]
    ans = run("compare", [[a, b] for a, b in pairs])
    report("version ordering (all pairs of VERSIONS)",
           [(x == ("ok", "<" if order.index(a) < order.index(b) else "=" if a == b else ">"),
             f"{a} vs {b}: {x}") for (a, b), x in zip(pairs, ans)])

    rows = load("version_compare.tsv")
    ans = run("compare", [[r["a"], r["b"]] for r in rows])
    report("version comparisons", [(x == ("ok", r["expected"]), f"{r}: {x}") for r, x in zip(rows, ans)])

    rows = load("version_valid.tsv")
    ans = run("normalize", [[r["version"]] for r in rows])
    report("valid versions", [(x[0] == "ok", f"{r['version']!r}: {x}") for r, x in zip(rows, ans)])

    rows = load("version_invalid.tsv")
    ans = run("normalize", [[r["version"]] for r in rows])
    report("invalid versions", [(x[0] == "error", f"{r['version']!r}: {x}") for r, x in zip(rows, ans)])

    rows = load("version_normalize.tsv")
    ans = run("normalize", [[r["version"]] for r in rows])
    report("normalisation", [(x == ("ok", r["expected"]), f"{r['version']!r}: {x}") for r, x in zip(rows, ans)])

    # is_prerelease is what an empty set with prereleases=False filters out
    rows = load("version_prerelease.tsv")
    ans = run("contains", [["", r["version"], "nopre"] for r in rows])
    report("is_prerelease", [(x == ("ok", "false" if r["expected"] else "true"), f"{r}: {x}")
                             for r, x in zip(rows, ans)])

    rows = load("specifier_valid.tsv")
    ans = run("spec", [[r["specifier"]] for r in rows])
    report("valid specifiers", [(x[0] == "ok", f"{r['specifier']!r}: {x}") for r, x in zip(rows, ans)])

    rows = load("specifier_invalid.tsv")
    ans = run("spec", [[r["specifier"]] for r in rows])
    report("invalid specifiers", [(x[0] == "error", f"{r['specifier']!r}: {x}") for r, x in zip(rows, ans)])

    rows = load("specifier_str.tsv")
    ans = run("spec", [[r["specifier"]] for r in rows])
    report("specifier set str()", [(x == ("ok", r["expected"]), f"{r['specifier']!r}: {x}")
                                   for r, x in zip(rows, ans)])

    rows = load("contains.tsv")
    cases = [[r["specifier"], text(r["version"]),
              contains_mode(r["set_prereleases"], r["prereleases"], r["installed"])] for r in rows]
    ans = run("contains", cases)
    checks = []
    for r, c, x in zip(rows, cases, ans):
        want = "true" if r["expected"] else "false"
        ok = x == ("ok", want) or (want == "false" and x[0] == "error" and "invalid version" in x[1])
        checks.append((ok, f"{r['source']}: {c}: wanted {want}, got {x}"))
    report("contains", checks)

    rows = load("filter.tsv")
    cases = [[r["specifier"], filter_mode(r["set_prereleases"], r["prereleases"])] +
             [text(v) for v in r["input"]] for r in rows]
    ans = run("filter", cases)
    checks = []
    for r, c, x in zip(rows, cases, ans):
        want = [text(v) for v in r["expected"]]
        got = x[1].split("\t") if x[0] == "ok" and x[1] != "" else []
        checks.append((x[0] == "ok" and got == want, f"{r['source']}: {c}: wanted {want}, got {x}"))
    report("filter", checks)

    samples = [r["version"] for r in load("sample_versions.tsv")]
    rows = load("satisfiable.tsv")
    cases = [[r["specifier"], filter_mode(r["set_prereleases"], r["prereleases"])] + samples for r in rows]
    ans = run("filter", cases)
    checks = []
    for r, x in zip(rows, ans):
        got = "none" if x == ("ok", "") else "some" if x[0] == "ok" else x
        checks.append((got == r["matches"], f"{r['source']}: {r['specifier']!r}: wanted {r['matches']}, got {x[1][:200]}"))
    report("satisfiable / unsatisfiable sets over the sample versions", checks)

    total_ok = sum(r[1] for r in RESULTS)
    total = sum(r[2] for r in RESULTS)
    for suite, ok, n in RESULTS:
        print(f"{suite}: {ok}/{n}")
    print(f"{total_ok} passed, {total - total_ok} failed")
    return 0 if total_ok == total else 1


if __name__ == "__main__":
    sys.exit(main())
