#!/usr/bin/env python3
"""Differential test of `tollgate pep508` against the packaging library of
/usr/bin/python3 (Debian 12 ships packaging 23.0).

Inputs: every case of tests/data/pep508/*.jsonl and generated variants
(a deterministic random grammar of requirements and markers, with odd
whitespace, escapes, operators and junk), each parsed, printed and -- for
markers -- evaluated in generated environments.

tollgate follows current packaging and the current dependency-specifier
text, which differ from packaging 23.0 in a few documented ways. So each
answer is compared with an oracle of the current rules built on
packaging 23.0's own parse tree and Specifier class, and every
disagreement with packaging 23.0 itself must be explained by one of those
changes; they are counted by cause:

  url-validation   23.0 rejects URLs without scheme and host; current
                   packaging accepts any (packaging PR #684, 23.2)
  set-variables    'extras' and 'dependency_groups' (lock files) are
                   unknown to 23.0
  trailing-text    23.0's Marker() ignores text after a complete marker
  at-spacing       str(): 23.0 writes "name@ url", current "name @ url"
  extra-printing   23.0 normalises extra values only in the first term
  string-rules     comparisons of string variables: 23.0 tries PEP 440
                   and falls back to Python string ordering; the current
                   rule compares strings (<, > false; <=, >= equality)
  version-errors   23.0 raises InvalidVersion when a version variable's
                   value is no version; current rules answer false
  full-version-plus  "3.11.1+" is repaired to "3.11.1+local" now
  extra-vs-variable  23.0 turns a variable compared with extra (in the
                   first term) into a string literal
  specifier-dedupe of equivalent specifiers (">=v1.0", ">=1.0") 23.0 prints
                   the first written, current packaging the first in
                   sorted order
Anything else fails the test."""
import ast
import json
import os
import random
import subprocess
import sys

try:
    import packaging
    from packaging import markers as pm
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version
    from packaging._parser import Value, Variable
    from packaging._parser import parse_marker as raw_marker
    from packaging._parser import parse_requirement as raw_requirement
except ImportError as e:  # not Debian's python3
    print(f"skipped: packaging is not available ({e})")
    print("0 passed, 0 failed")
    sys.exit(0)

src = os.environ.get("TG_SOURCE_DIR", ".")
tg = os.environ["TG_BIN"]
N = int(os.environ.get("TG_PEP508_DIFF_CASES", "6000"))

VERSION_KEYS = {"implementation_version", "platform_release", "python_full_version",
                "python_version"}
SET_KEYS = {"extras", "dependency_groups"}


# ---- the oracle: current rules on packaging's parse tree -----------------

def norm_tree(m):
    """Current packaging normalises every extra literal (23.0: the first)."""
    if isinstance(m, list):
        return [norm_tree(x) for x in m]
    if not isinstance(m, tuple):
        return m
    l, op, r = m
    if isinstance(l, Variable) and l.value == "extra" and isinstance(r, Value):
        r = Value(canonicalize_name(r.value))
    elif isinstance(r, Variable) and r.value == "extra" and isinstance(l, Value):
        l = Value(canonicalize_name(l.value))
    return (l, op, r)


def fmt(m, first=True):
    return pm._format_marker(m, first)


class Undefined(Exception):
    pass


def eval_op_now(lhs, op, rhs, key):
    if key in VERSION_KEYS and isinstance(rhs, str):
        try:
            spec = Specifier(f"{op}{rhs}")
        except InvalidSpecifier:
            pass
        else:
            if spec.operator == "===":
                return lhs.lower() == spec.version.lower()
            try:
                v = Version(lhs)
            except InvalidVersion:
                return False
            return spec.contains(v, prereleases=True)
    if op == "in":
        return lhs in rhs
    if op == "not in":
        return lhs not in rhs
    if op in ("<", ">"):
        return False
    if op in ("<=", "==", ">="):
        return lhs == rhs
    if op == "!=":
        return lhs != rhs
    raise Undefined(f"undefined {op}")


def lookup(env, key):
    if key not in env:
        raise Undefined(f"no {key}")
    return env[key]


def atom_now(atom, env):
    l, op, r = atom
    if isinstance(l, Variable):
        key = l.value
        lv = lookup(env, key)
        rv = r.value
    else:
        lv = l.value
        key = r.value
        rv = lookup(env, key)
    if not isinstance(lv, str):
        raise Undefined("set on the left")
    if key == "python_full_version" and isinstance(lv, str) and isinstance(l, Variable) \
            and lv.endswith("+"):
        lv += "local"
    if key == "python_full_version" and isinstance(rv, str) and not isinstance(l, Variable) \
            and rv.endswith("+"):
        rv += "local"
    if key in SET_KEYS:
        lv = canonicalize_name(lv)
        rv = {canonicalize_name(x) for x in rv} if not isinstance(rv, str) else canonicalize_name(rv)
    return eval_op_now(lv, op.value, rv, key)


def eval_now(tree, env):
    groups = [[]]
    for m in tree:
        if isinstance(m, list):
            groups[-1].append(eval_now(m, env))
        elif isinstance(m, tuple):
            groups[-1].append(atom_now(m, env))
        elif m == "or":
            groups.append([])
    return any(all(g) for g in groups)


def env_now(env):
    e = dict(env)
    e["extra"] = canonicalize_name(e["extra"]) if e.get("extra") else ""
    return e


def atom_then(atom, env):
    """packaging 23.0's own evaluation of one comparison."""
    l, op, r = atom
    if isinstance(l, Variable):
        key, lv, rv = l.value, env[l.value], r.value
    else:
        key, lv, rv = r.value, l.value, env[r.value]
    lv, rv = pm._normalize(lv, rv, key=key)
    return pm._eval_op(lv, op, rv)


def atoms(tree):
    for m in tree:
        if isinstance(m, list):
            yield from atoms(m)
        elif isinstance(m, tuple):
            yield m


def outcome(f):
    try:
        return f()
    except Exception as e:  # noqa: BLE001 - any failure is "an error"
        return ("error", type(e).__name__)


def explain_eval(tree, env):
    """Why 23.0's evaluation differs: the first comparison whose old and
    new answers differ names the rule."""
    e = dict(env)
    e["extra"] = e.get("extra") or ""
    for a in atoms(tree):
        old = outcome(lambda: atom_then(a, e))
        new = outcome(lambda: atom_now(a, env_now(env)))
        if old != new:
            l, op, r = a
            key = l.value if isinstance(l, Variable) else r.value
            if isinstance(old, tuple) and old[1] == "InvalidVersion":
                return "version-errors"
            if key == "python_full_version" and str(e.get(key, "")).endswith("+"):
                return "full-version-plus"
            return "string-rules"
    return None


# ---- generated inputs -------------------------------------------------------

VARS = ["python_version", "python_full_version", "os_name", "os.name", "sys_platform",
        "sys.platform", "platform_release", "platform_system", "platform_version",
        "platform.version", "platform_machine", "platform.machine",
        "platform_python_implementation", "platform.python_implementation",
        "python_implementation", "implementation_name", "implementation_version", "extra"]
ODD_VARS = ["extras", "dependency_groups", "python_versions", "Python_version", "os",
            "extra_", "platform"]
OPS = ["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in"]
ODD_OPS = ["=", "~", "notin", "not  in", "not\tin", "<>", "=>"]
VALUES = ["3.8", "3.11", "3.12", "2.7", "3.6.2", "2.7.9", "3.11.0a5", "1.0", "5.6a0", "3",
          "3.8.*", "6.1.0-13-amd64", "5.15", "posix", "nt", "linux", "win32", "darwin",
          "CPython", "PyPy", "cpython", "Foo_Bar", "security", "SECURITY", "v2", "", "a b",
          "x86_64", "#1 SMP", "Linux", "3.8 ", " 3.8", "1!2.0", "3.11.1+", "dog",
          "things @#4 dsfd (((", "Windows"]
ESCAPED = ["\\x41", "\\n", "\\t", "\\u00e9", "\\\\", "\\q", "\\101", "\\x4", "\\N{DASH}",
           "\\U0001F600"]
NAMES = ["package", "pAcKaGe", "foo-bar.quux_bAz", "android12", "A", "a1", "foo_", "foo.",
         "x-", "_x", "1", "requests", "zope.interface", "a..b", "Django"]
EXTRAS = ["security", "tests", "a", "B", "CDEF123", "foo_bar", "x.y-z", "9"]
SPECS = [">=1.0", "==1.0", "== 1.0", "!=1.0.*", "==1.0.*", ">=1.0.*", "~=1.0", "~=1",
         "===foo", "=== foo", "<=1!3.0.0.rc2", ">2.2", "<3", "==1.0+local", ">=1.0+local",
         "==1.0-alpha", ">=v1.0", ">=V1.0", "==1.0.post1.dev2", "<1.0a1", "~=1.0.0",
         "==2.*", "!=2.0", ">= 1.0", ">=1.0.org1", "==", ">=1.0a", "<=1.0-1", ">1.0_rc1"]
URLS = ["https://example.com/p.zip", "git+https://github.com/a/b.git@v1.0",
        "file:///abs/path", "file:.", "gopher:/foo/com", "https://example.com/name;v=1.1/?q=1#f",
        "https://example.com/x.whl;", "ssh://user@host:22/p"]


def ws(rng):
    return rng.choice(["", "", " ", " ", "  ", "\t"])


def quoted(rng):
    v = rng.choice(VALUES)
    if rng.random() < 0.08:
        v += rng.choice(ESCAPED)
    q = rng.choice(["'", '"'])
    return q + v.replace(q, "") + q


def comparison(rng):
    var = rng.choice(ODD_VARS) if rng.random() < 0.03 else rng.choice(VARS)
    op = rng.choice(ODD_OPS) if rng.random() < 0.03 else rng.choice(OPS)
    val = quoted(rng)
    r = rng.random()
    if r < 0.25:
        left, right = val, var
    elif r < 0.28:
        left, right = val, rng.choice(["'python_version'", "'os_name'", "'a'", quoted(rng)])
    elif r < 0.31:
        left, right = var, rng.choice(VARS)
    else:
        left, right = var, val
    sep = " " if op[0].isalpha() else ws(rng)
    sep2 = " " if op[-1].isalpha() else ws(rng)
    return f"{left}{sep}{op}{sep2}{right}"


def marker(rng, depth=0):
    n = rng.choice([1, 1, 1, 2, 2, 3])
    out = []
    for i in range(n):
        if i:
            out.append(rng.choice([" and ", " or ", " and ", " or ", "and ", " or(", ")and "]))
        if depth < 3 and rng.random() < 0.2:
            out.append("(" + ws(rng) + marker(rng, depth + 1) + ws(rng) + ")")
        else:
            out.append(comparison(rng))
    text = "".join(out)
    if rng.random() < 0.03:
        text += rng.choice([" junk", ")", " and", "\n", " "])
    return text


def requirement(rng):
    parts = [ws(rng) if rng.random() < 0.2 else "", rng.choice(NAMES), ws(rng)]
    if rng.random() < 0.3:
        ex = [rng.choice(EXTRAS) for _ in range(rng.choice([0, 1, 2, 3]))]
        sep = "," + ws(rng) if rng.random() < 0.9 else " "
        parts.append("[" + ws(rng) + sep.join(ex) + (",]" if rng.random() < 0.05 else ws(rng) + "]"))
        parts.append(ws(rng))
    has_url = rng.random() < 0.2
    if has_url:
        parts.append("@" + ws(rng) + rng.choice(URLS))
        if rng.random() < 0.4:
            parts.append(rng.choice([" ", "  ", "\t", ""]) + ";" + ws(rng) + marker(rng))
    else:
        specs = [rng.choice(SPECS) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        text = (ws(rng) + "," + ws(rng)).join(specs)
        if rng.random() < 0.05:
            text += ","
        if rng.random() < 0.25:
            text = "(" + ws(rng) + text + ws(rng) + (")" if rng.random() < 0.95 else "")
        parts.append(text)
        if rng.random() < 0.4:
            parts.append(ws(rng) + ";" + ws(rng) + marker(rng))
    if rng.random() < 0.04:
        parts.append(rng.choice([" #", "\n", " ", "!", " 1.0"]))
    return "".join(parts)


def environment(rng):
    env = {
        "python_version": rng.choice(["3.8", "3.11", "3.12", "2.7", "3.10", "foo", ""]),
        "python_full_version": rng.choice(["3.11.4", "3.11.1+", "3.12.0a1", "3.8.0", "2.7.9",
                                           "bar"]),
        "platform_release": rng.choice(["5.15.0-91-generic", "6.1.0", "10", "NT", "", "5.15"]),
        "implementation_version": rng.choice(["3.11.4", "7.3.13", "3.8.0"]),
        "os_name": rng.choice(["posix", "nt", "java"]),
        "sys_platform": rng.choice(["linux", "win32", "darwin", "linux2"]),
        "platform_system": rng.choice(["Linux", "Windows", "Darwin", ""]),
        "platform_machine": rng.choice(["x86_64", "AMD64", "arm64"]),
        "platform_version": rng.choice(["#1 SMP", "10.0.19041", "1.0", "3.8"]),
        "implementation_name": rng.choice(["cpython", "pypy"]),
        "platform_python_implementation": rng.choice(["CPython", "PyPy", "Jython"]),
        "extra": rng.choice([None, "", "security", "Foo_Bar", "v2", "3.8", "foo-bar"]),
    }
    if rng.random() < 0.3:
        env["a"] = rng.choice(["a", "b"])
    return env


# ---- running ----------------------------------------------------------------

def extra_vs_variable(tree):
    """23.0 rewrites the first term when it compares extra with another
    variable (current packaging leaves it alone)."""
    if tree and isinstance(tree[0], tuple):
        l, _, r = tree[0]
        return isinstance(l, Variable) and isinstance(r, Variable) and \
            "extra" in (l.value, r.value)
    return False


def then_requirement(text):
    try:
        r = Requirement(text)
        raw = raw_requirement(text)
    except Exception as e:  # noqa: BLE001
        return {"valid": False, "why": str(e)}
    tree = raw.marker
    out = {"valid": True, "name": r.name, "extras": sorted(r.extras), "url": r.url,
           "specifier": str(r.specifier), "tree": tree, "str": str(r),
           "old_marker": str(r.marker) if r.marker else None}
    out["marker"] = fmt(norm_tree(tree)) if tree is not None else None
    now = r.name
    if r.extras:
        now += "[" + ",".join(sorted(r.extras)) + "]"
    now += str(r.specifier)
    if r.url:
        now += f" @ {r.url}" + (" " if tree is not None else "")
    if tree is not None:
        now += "; " + out["marker"]
    out["str_now"] = now
    return out


def then_marker(text):
    try:
        m = Marker(text)
        tree = raw_marker(text)
    except Exception as e:  # noqa: BLE001
        return {"valid": False, "why": str(e)}
    return {"valid": True, "tree": tree, "str": fmt(norm_tree(tree)), "old_str": str(m)}


def cause_of_parse_difference(op, text, old, ours):
    if old["valid"] and not ours["valid"]:
        if op == "marker" and "end of marker" in ours.get("error", ""):
            return "trailing-text"
        return None
    if ours["valid"] and not old["valid"]:
        if "Invalid URL" in old["why"]:
            return "url-validation"
        if "extras" in text or "dependency_groups" in text:
            return "set-variables"
        return None
    return None


def main():
    rng = random.Random(508)
    reqs, marks = [], []
    for line in open(os.path.join(src, "tests/data/pep508/requirements.jsonl"), encoding="utf-8"):
        reqs.append(json.loads(line)["a"])
    for line in open(os.path.join(src, "tests/data/pep508/markers.jsonl"), encoding="utf-8"):
        c = json.loads(line)
        marks.append(c["a"])
    for _ in range(N):
        reqs.append(requirement(rng))
        marks.append(marker(rng))
    envs = [environment(rng) for _ in range(8)]

    batch = [{"op": "requirement", "a": t} for t in reqs]
    batch += [{"op": "evaluate", "a": t, "env": e} for t in marks for e in envs[:2]]
    batch += [{"op": "evaluate", "a": t, "env": e} for t in marks[-N // 4:] for e in envs[2:]]
    proc = subprocess.run([tg, "pep508", "batch"],
                          input="".join(json.dumps(r) + "\n" for r in batch).encode(),
                          capture_output=True, timeout=900)
    if proc.returncode:
        print("FAIL: tollgate pep508 batch:", proc.stderr.decode()[:300])
        return 1
    answers = [json.loads(l) for l in proc.stdout.decode().splitlines()]
    assert len(answers) == len(batch)

    causes = {}
    agree = failed = 0
    fails = []

    def note(cause):
        causes[cause] = causes.get(cause, 0) + 1

    parsed_markers = {}
    for q, ours in zip(batch, answers):
        text = q["a"]
        if q["op"] == "requirement":
            old = then_requirement(text)
            if old["valid"] != ours["valid"]:
                cause = cause_of_parse_difference("requirement", text, old, ours)
                if cause:
                    note(cause)
                    continue
                failed += 1
                fails.append((q, ours, old))
                continue
            if not old["valid"]:
                agree += 1
                continue
            dedupe = False
            if old["specifier"] != ours.get("specifier") and \
                    SpecifierSet(old["specifier"]) == SpecifierSet(ours.get("specifier")) and \
                    len(str(SpecifierSet(old["specifier"]))) > 0:
                # same set; only which of two equal items is shown differs
                old["str_now"] = old["str_now"].replace(old["specifier"], ours["specifier"], 1)
                old["str"] = old["str"].replace(old["specifier"], ours["specifier"], 1)
                old["specifier"] = ours["specifier"]
                dedupe = True
            bad = [k for k in ("name", "extras", "url", "specifier", "marker")
                   if old[k] != ours.get(k)]
            if old["str_now"] != ours.get("str"):
                bad.append("str_now")
            if bad:
                failed += 1
                fails.append((q, ours, {k: old[k] for k in bad}))
                continue
            if dedupe:
                note("specifier-dedupe")
            elif old["str"] == ours["str"]:
                agree += 1
            elif old["old_marker"] != old["marker"]:
                note("extra-vs-variable" if extra_vs_variable(old["tree"]) else "extra-printing")
            elif old["url"] and old["str"].replace("@ ", " @ ", 1) == ours["str"]:
                note("at-spacing")
            else:
                failed += 1
                fails.append((q, ours, {"str": old["str"]}))
            continue
        # evaluate (parse first)
        if text not in parsed_markers:
            parsed_markers[text] = then_marker(text)
        old = parsed_markers[text]
        if old["valid"] != ours["valid"]:
            cause = cause_of_parse_difference("marker", text, old, ours)
            if cause:
                note(cause)
            else:
                failed += 1
                fails.append((q, ours, old))
            continue
        if not old["valid"]:
            agree += 1
            continue
        if old["str"] != ours["str"]:
            failed += 1
            fails.append((q, ours, {"str": old["str"]}))
            continue
        tree, env = old["tree"], q["env"]
        now = outcome(lambda: eval_now(norm_tree(tree), env_now(env)))
        mine = ("error", "") if ours.get("result") is None else ours["result"]
        if (isinstance(now, tuple)) != (isinstance(mine, tuple)) or \
                (not isinstance(now, tuple) and now != mine):
            failed += 1
            fails.append((q, ours, {"oracle": str(now)}))
            continue
        e = dict(env)
        e["extra"] = e.get("extra") or ""
        then = outcome(lambda: Marker(text).evaluate(e))
        same_then = (isinstance(then, tuple) and isinstance(mine, tuple)) or then == mine
        if same_then:
            agree += 1
        elif extra_vs_variable(tree):
            note("extra-vs-variable")
        else:
            cause = explain_eval(tree, env)
            if cause:
                note(cause)
            else:
                failed += 1
                fails.append((q, ours, {"packaging 23.0": str(then)}))

    for q, ours, old in fails[:40]:
        print(f"DIFF: {json.dumps(q)}\n  tollgate: {json.dumps(ours)}\n  expected: {old}")
    total = agree + sum(causes.values()) + failed
    print(f"packaging {packaging.__version__}: {total} comparisons: {agree} agree, "
          f"{sum(causes.values())} differ by a documented rule change, {failed} unexplained")
    for k in sorted(causes):
        print(f"  {k}: {causes[k]}")
    print(f"{agree + sum(causes.values())} passed, {failed} failed")
    return 1 if failed else 0


sys.exit(main())
