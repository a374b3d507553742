"""Differential test: tollgate's PEP 440 answers against the system's
python3-packaging (Debian's, run with /usr/bin/python3) on a few thousand
generated versions and specifiers (fixed seed, so every run is the same).

Versions (validity, canonical form, ordering) and specifier validity must
agree exactly. Specifier matching follows packaging 26, whose own test
vectors run in pep440_vectors.py; where an older packaging answers
differently, the disagreement must be accounted for, specifier by
specifier, by one of the precisely stated rules in ITEM_RULES and SET_RULES
below (each is a place where newer packaging changed its answer), or the
test fails. The counts per rule are printed.
"""
import os
import random
import subprocess
import sys

# Older packaging evaluates a set's specifiers in frozenset order, which
# depends on string hashing; fix it so every run sees the same answers.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import packaging  # noqa: E402
from packaging.specifiers import InvalidSpecifier, SpecifierSet  # noqa: E402
from packaging.version import InvalidVersion, Version  # noqa: E402

BIN = os.environ["TG_BIN"]
RNG = random.Random(440)


# ---- generation ----

def num():
    r = RNG.random()
    if r < 0.55:
        return str(RNG.randint(0, 3))
    if r < 0.8:
        return str(RNG.randint(0, 20))
    if r < 0.9:
        return "0" * RNG.randint(1, 2) + str(RNG.randint(0, 9))
    if r < 0.96:
        return str(RNG.randint(100, 99999))
    return str(RNG.randint(10**19, 10**25))  # beyond 64 bits


def case(s):
    r = RNG.random()
    return s.upper() if r < 0.1 else s.capitalize() if r < 0.15 else s


def sep():
    return RNG.choice(["", "", "", ".", "-", "_"])


def version(canonical=False):
    parts = []
    if not canonical and RNG.random() < 0.05:
        parts.append(RNG.choice(["v", "V"]))
    if RNG.random() < 0.12:
        parts.append(RNG.choice(["0", "1", "2", "00"]) + "!")
    parts.append(".".join(num() for _ in range(RNG.choice([1, 2, 2, 3, 3, 3, 4, 5]))))
    if RNG.random() < 0.3:
        if canonical:
            parts.append(RNG.choice(["a", "b", "rc"]) + num())
        else:
            w = RNG.choice(["a", "b", "rc", "c", "alpha", "beta", "pre", "preview"])
            parts.append(sep() + case(w) + sep() + (num() if RNG.random() < 0.8 else ""))
    if RNG.random() < 0.25:
        if canonical:
            parts.append(".post" + num())
        elif RNG.random() < 0.2:
            parts.append("-" + num())
        else:
            w = RNG.choice(["post", "post", "rev", "r"])
            parts.append(sep() + case(w) + sep() + (num() if RNG.random() < 0.8 else ""))
    if RNG.random() < 0.2:
        if canonical:
            parts.append(".dev" + num())
        else:
            parts.append(sep() + case("dev") + sep() + (num() if RNG.random() < 0.8 else ""))
    if RNG.random() < 0.15:
        segs = [RNG.choice(["ubuntu", "abc", "1", "01", "deadbeef", "x1", "2a", "local"]) for _ in range(RNG.randint(1, 3))]
        joiners = "." if canonical else ".-_"
        s = segs[0]
        for seg in segs[1:]:
            s += RNG.choice(joiners) + seg
        parts.append("+" + s)
    s = "".join(parts)
    if not canonical and RNG.random() < 0.05:
        s = RNG.choice([" ", "\t", "\u00a0", "\u3000"]) + s + RNG.choice(["", " ", "\n", "\u2029"])
    return s


def mutate(s):
    """A nearby string that is often not a version."""
    i = RNG.randint(0, len(s))
    r = RNG.random()
    if r < 0.4:
        return s[:i] + RNG.choice(list(".-_+!*a z0~")) + s[i:]
    if r < 0.7 and s:
        return s[:i] + s[i + 1:]
    return s + RNG.choice(["..", ".", "+", "-", "!", "foo", "+a+b", ".*"])


def family(v):
    """Versions around v: its pre/post/dev/local neighbours and the next release."""
    try:
        p = Version(v)
    except InvalidVersion:
        return [v]
    b = p.base_version
    rel = list(p.release)
    nxt = ".".join(str(x) for x in rel[:-1] + [rel[-1] + 1])
    ep = f"{p.epoch}!" if p.epoch else ""
    out = [str(p), b, b + ".dev0", b + "a1", b + "rc1", b + ".post1", b + ".post1.dev1", b + "+local",
           str(p) + "+1", ep + nxt, ep + nxt + ".dev0", ep + nxt + "a1", b + ".0", ep + ".".join(str(x) for x in rel[:-1] or [0])]
    if p.pre:
        out += [b + p.pre[0] + str(p.pre[1] + 1), b + p.pre[0] + str(p.pre[1]) + ".post1"]
    if p.post is not None:
        out += [b + f".post{p.post}.dev0", b + f".post{p.post + 1}", b + (f".post{p.post - 1}" if p.post else ".dev5")]
    if p.dev is not None:
        out += [str(p).replace(f"dev{p.dev}", f"dev{p.dev + 1}")]
    return out


def specifier():
    op = RNG.choice(["==", "==", "!=", "<=", ">=", "<", ">", "~=", "==="])
    v = version(canonical=RNG.random() < 0.5)
    v = v.strip()
    if op in ("==", "!=") and RNG.random() < 0.3:
        v = v.split("+")[0]
        if RNG.random() < 0.8:
            try:
                p = Version(v)
                v = (f"{p.epoch}!" if p.epoch and RNG.random() < 0.7 else "") + ".".join(str(x) for x in p.release)
            except InvalidVersion:
                pass
        v += ".*"
    if op in ("<=", ">=", "<", ">", "~=") and RNG.random() < 0.85:
        v = v.split("+")[0]
    if op == "===":
        v = v.split()[0] if v.split() else "1.0"
    if RNG.random() < 0.1:
        v = mutate(v)
    return op + RNG.choice(["", "", " "]) + v


def specset():
    return RNG.choice([",", ", ", " ,"]).join(specifier() for _ in range(RNG.choice([1, 1, 2, 2, 3])))


# ---- tollgate in batch mode ----

def tollgate(action, cases):
    stdin = "".join("\t".join(c) + "\n" for c in cases)
    p = subprocess.run([BIN, "pep440", action, "-"], input=stdin, capture_output=True, text=True)
    if p.returncode not in (0, 3):
        raise SystemExit(f"{action}: exit {p.returncode}: {p.stderr}")
    out = p.stdout.split("\n")[:-1]
    assert len(out) == len(cases), (action, len(out), len(cases))
    return [None if line.startswith("error: ") else line for line in out]


def batchable(*fields):
    return not any("\t" in f or "\n" in f for f in fields)


# ---- known differences of older packaging (see module docstring) ----

def old_spec_items(spec):
    return sorted(((s.operator, s.version, s) for s in SpecifierSet(spec)), key=lambda t: str(t[2]))


def base_eq(a, b):
    return Version(a.base_version) == Version(b.base_version)


# Rules about one specifier and one candidate: where older packaging's answer
# for that specifier alone (prereleases=True) differs from newer packaging's.

def k_gt_base_version(op, v, cand):
    """Older '>V' rejects any candidate above V that shares V's base version
    (epoch and release) and is a post-release (when V is not one) or has a
    local label; newer packaging only rejects V's own post-releases and
    local variants (so '>1.0.dev1' admits 1.0.post0 and 1.0+local)."""
    if op != ">":
        return False
    p, w = Version(cand), Version(v)
    return p > w and base_eq(p, w) and ((p.is_postrelease and not w.is_postrelease) or p.local is not None)


def k_lt_base_version(op, v, cand):
    """Older '<V' (V not a pre-release) rejects every pre-release sharing V's
    base version; newer packaging rejects only those at or above V.dev0, so
    '<1.0.post1' admits 1.0a1."""
    if op != "<":
        return False
    p, w = Version(cand), Version(v)
    return not w.is_prerelease and p.is_prerelease and base_eq(p, w) and p < w


def k_wildcard_epoch(op, v, cand):
    """Older '==V.*' / '!=V.*' match by comparing dotted strings and skip the
    zero-padding of the candidate's release when V has a non-zero epoch
    ('2!1.0.0' is then not in '==2!1.0.0.0.*')."""
    return v.endswith(".*") and Version(v[:-2]).epoch != 0


def k_compatible_raw_text(op, v, cand):
    """Older '~=V' derives its prefix from V as written, so a non-canonical V
    ('~=1.0.r1', '~=1.0c1', '~=1.0.RC1') gets the wrong prefix."""
    return op == "~=" and v != str(Version(v))


def k_arbitrary_parsed(op, v, cand):
    """Older SpecifierSet.contains parses the candidate first, so '===' sees
    its canonical form, not the string as written (newer packaging compares
    the string: '1.01' is not '===1.1')."""
    return op == "===" and cand != str(Version(cand))


ITEM_RULES = [k_gt_base_version, k_lt_base_version, k_wildcard_epoch, k_compatible_raw_text,
              k_arbitrary_parsed]


# Rules about the pre-release gate of a whole set (prereleases=None).

def k_lt_gt_name_prerelease(spec, cand, mode):
    """packaging 23 does not count '<V' / '>V' with a pre-release V as naming
    a pre-release, so with prereleases=None it excludes pre-release
    candidates that newer packaging's rule admits."""
    if mode != "auto" or not Version(cand).is_prerelease:
        return False
    items = old_spec_items(spec)
    return (not any(s.prereleases for _, _, s in items) and
            any(op in ("<", ">") and Version(v).is_prerelease for op, v, _ in items))


def k_arbitrary_unparsable_raises(spec, cand, mode):
    """Older packaging parses the value of every '===' to decide whether the
    set names a pre-release, and raises InvalidVersion when it is not a
    version (newer packaging treats it as naming none)."""
    return mode == "auto" and any(op == "===" and not g_ok(v) for op, v, _ in old_spec_items(spec))


SET_RULES = [k_arbitrary_unparsable_raises, k_lt_gt_name_prerelease]


def old_contains(spec, cand, mode):
    try:
        r = SpecifierSet(spec).contains(cand, prereleases={"auto": None, "pre": True, "nopre": False}[mode])
        return "true" if r else "false"
    except InvalidVersion:
        return None


def explain(spec, cand, mode, item_answers):
    """Name the rule that accounts for a disagreement, or None.
    item_answers: for each item of the set, (old, tollgate) answers for the
    item alone with pre-releases allowed."""
    differing = [(op, v) for (op, v, _), (o, t) in zip(old_spec_items(spec), item_answers) if o != t]
    if differing:
        names = []
        for op, v in differing:
            rule = next((r for r in ITEM_RULES if r(op, v, cand)), None)
            if rule is None:
                return None
            names.append(rule.__name__)
        return names[0]
    return next((r.__name__ for r in SET_RULES if r(spec, cand, mode)), None)


# ---- main ----

def main():
    failures = []
    counts = {}

    def check(suite, ok, what):
        n, bad = counts.get(suite, (0, 0))
        counts[suite] = (n + 1, bad + (0 if ok else 1))
        if not ok and len(failures) < 30:
            failures.append(f"{suite}: {what}")

    pool = []
    for _ in range(3000):
        v = version()
        pool.append(mutate(v) if RNG.random() < 0.15 else v)
    pool = [v for v in pool if batchable(v)]

    # validity and canonical form
    got = tollgate("normalize", [[v] for v in pool])
    for v, g in zip(pool, got):
        try:
            want = str(Version(v))
        except InvalidVersion:
            want = None
        check("normalize", g == want, f"{v!r}: packaging {want!r}, tollgate {g!r}")

    # ordering: random pairs, and pairs of close relatives
    valid = [v for v in pool if g_ok(v)]
    pairs = [(RNG.choice(valid), RNG.choice(valid)) for _ in range(3000)]
    for _ in range(2000):
        a = RNG.choice(valid)
        pairs.append((a, RNG.choice(family(a))))
    got = tollgate("compare", [[a, b] for a, b in pairs])
    for (a, b), g in zip(pairs, got):
        if g_ok(a) and g_ok(b):
            x, y = Version(a), Version(b)
            want = "<" if x < y else ">" if x > y else "="
        else:
            want = None
        check("compare", g == want, f"{a!r} vs {b!r}: packaging {want}, tollgate {g}")

    # specifier validity
    specs = [s for s in (specset() for _ in range(2500)) if batchable(s)]
    got = tollgate("spec", [[s] for s in specs])
    good_specs = []
    for s, g in zip(specs, got):
        try:
            SpecifierSet(s)
            ok = True
        except InvalidSpecifier:
            ok = False
        check("specifier validity", (g is not None) == ok,
              f"{s!r}: packaging {'valid' if ok else 'invalid'}, tollgate {g!r}")
        if ok and g is not None:
            good_specs.append(s)

    # matching, in the three pre-release modes
    cases = []
    for s in good_specs:
        vs = [v for _, v, _ in old_spec_items(s)]
        cands = []
        for v in vs:
            cands += family(v[:-2] if v.endswith(".*") else v)
        cands += [RNG.choice(valid) for _ in range(3)]
        for c in RNG.sample(cands, min(len(cands), 4)):
            if not g_ok(c) or not batchable(c):
                continue
            cases.append((s, c, RNG.choice(["auto", "pre", "nopre"])))
    got = tollgate("contains", [[s, c, m] for s, c, m in cases])
    mismatched = [(i, s, c, m) for i, ((s, c, m), g) in enumerate(zip(cases, got)) if g != old_contains(s, c, m)]
    # each item of a disagreeing set, alone, with pre-releases allowed
    item_cases = [(str(sp), c) for _, s, c, _ in mismatched for _, _, sp in old_spec_items(s)]
    item_got = iter(tollgate("contains", [[sp, c, "pre"] for sp, c in item_cases]))
    known = {r.__name__: 0 for r in ITEM_RULES + SET_RULES}
    for _ in range(len(cases) - len(mismatched)):
        check("contains", True, "")
    for i, s, c, m in mismatched:
        answers = []
        for op, v, sp in old_spec_items(s):
            o = old_contains(str(sp), c, "pre")
            answers.append((o, next(item_got)))
        why = explain(s, c, m, answers)
        if why:
            known[why] += 1
        check("contains", why is not None,
              f"{s!r} contains {c!r} ({m}): packaging {old_contains(s, c, m)}, tollgate {got[i]}")

    print(f"oracle: packaging {packaging.__version__} from {os.path.dirname(packaging.__file__)}")
    for suite, (n, bad) in counts.items():
        print(f"{suite}: {n - bad}/{n} agree")
    for name, n in known.items():
        print(f"  contains answers where packaging {packaging.__version__} differs by a known rule ({name}): {n}")
    for f in failures:
        print("FAIL " + f)
    total = sum(n for n, _ in counts.values())
    bad = sum(b for _, b in counts.values())
    print(f"{total - bad} passed, {bad} failed")
    return 1 if bad else 0


def g_ok(v):
    try:
        Version(v)
        return True
    except InvalidVersion:
        return False


if __name__ == "__main__":
    sys.exit(main())
