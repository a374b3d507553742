"""tollgate audit's SARIF, CycloneDX and JSON reports validate against
their schemas: SARIF 2.1.0 (OASIS), CycloneDX 1.6 with format assertions
on and the referenced SPDX / JSF schemas resolved from the local copies,
and tollgate's own docs/audit-report.schema.json.

The CycloneDX validator is first checked against the specification's own
test BOMs (every valid-* must pass, every invalid-* must fail), so that a
pass on our output means something.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
from jsonschema import Draft4Validator, Draft7Validator, FormatChecker, RefResolver

TG = os.environ["TG_BIN"]
SRC = os.environ.get("TG_SOURCE_DIR", os.getcwd())
SCHEMAS = os.path.join(SRC, "tests/data/third_party/schemas")

failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# RFC 3339 date-time (jsonschema only checks it with an optional package).
DATE_TIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")


def format_checker():
    fc = FormatChecker()

    @fc.checks("date-time")
    def is_date_time(value):
        return not isinstance(value, str) or bool(DATE_TIME.match(value))

    return fc


def cyclonedx_validator():
    d = os.path.join(SCHEMAS, "cyclonedx-1.6")
    bom = load(os.path.join(d, "bom-1.6.schema.json"))
    store = {}
    for name in ("spdx.schema.json", "jsf-0.82.schema.json"):
        s = load(os.path.join(d, name))
        store[s["$id"]] = s
        store["http://cyclonedx.org/schema/" + name] = s
    resolver = RefResolver.from_schema(bom, store=store)
    return Draft7Validator(bom, resolver=resolver, format_checker=format_checker())


class Unsortable:
    """An error jsonschema found but could not describe (its message code
    sorts the offending items, which fails for objects)."""
    path = ["?"]
    message = "additionalItems error (message not available)"


def errors(validator, doc):
    out = []
    try:
        for e in validator.iter_errors(doc):
            out.append(e)
    except TypeError:
        out.append(Unsortable())
    return out


def run(cmd, ok=(0, 1), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in ok:
        sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
    return p


def main():
    cdx = cyclonedx_validator()
    tests = os.path.join(SCHEMAS, "cyclonedx-1.6/tests")
    n_suite = 0
    for name in sorted(os.listdir(tests)):
        doc = load(os.path.join(tests, name))
        bad = errors(cdx, doc)
        n_suite += 1
        if name.startswith("valid-"):
            check(not bad, "CycloneDX suite: %s should validate: %s" % (name, bad[:1]))
        else:
            check(bad, "CycloneDX suite: %s should be rejected" % name)
    print("CycloneDX validator agrees with the specification's %d test BOMs" % n_suite)

    sarif = Draft4Validator(load(os.path.join(SCHEMAS, "sarif-2.1.0/sarif-schema-2.1.0.json")),
                            format_checker=format_checker())
    ours = Draft7Validator(load(os.path.join(SRC, "docs/audit-report.schema.json")),
                           format_checker=format_checker())

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "t.db")
        run([TG, "--db", db, "db", "update", "--source", os.path.join(SRC, "data/feeds"),
             "--only", "osv,kev"], ok=(0,))
        proj = os.path.join(tmp, "my project")
        os.makedirs(proj)
        with open(os.path.join(proj, "requirements.txt"), "w") as f:
            f.write("# web app\n"
                    "django==3.2.0\n"
                    "jinja2==2.10\n"
                    "requests>=2.0\n"
                    "pyyaml==5.3\n"
                    "legacy-thing===1.0-final\n"
                    "salt==3000\n")
        with open(os.path.join(proj, "package-lock.json"), "w") as f:
            json.dump({"name": "web", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
                       "packages": {
                           "": {"name": "web", "version": "1.0.0",
                                "dependencies": {"lodash": "4.17.4", "marked": "0.3.0"}},
                           "node_modules/lodash": {"version": "4.17.4"},
                           "node_modules/marked": {"version": "0.3.0"}}}, f, indent=2)
        with open(os.path.join(proj, "tollgate.toml"), "w") as f:
            f.write('[[ignore]]\nid = "CVE-2019-10906"\nreason = "sandbox not used"\n'
                    'expires = 2099-01-01\n\n'
                    '[[ignore]]\nid = "CVE-2020-1747"\nreason = "old call"\nexpires = 2020-01-01\n')
        inputs = [os.path.join(proj, "requirements.txt"), os.path.join(proj, "package-lock.json")]
        outs = {}
        for fmt in ("sarif", "cyclonedx", "json"):
            out = os.path.join(tmp, "report." + fmt)
            p = run([TG, "--db", db, "audit"] + inputs + ["--python-version", "3.11",
                    "--format", fmt, "-o", out], env=dict(os.environ, TOLLGATE_TODAY="2024-06-01"))
            check(p.returncode == 1, "%s run fails the gate (vulnerable pins)" % fmt)
            outs[fmt] = load(out)

        bad = errors(sarif, outs["sarif"])
        check(not bad, "SARIF validates: %s" % [(list(e.path), e.message) for e in bad[:3]])
        bad = errors(cdx, outs["cyclonedx"])
        check(not bad, "CycloneDX validates: %s" % [(list(e.path), e.message) for e in bad[:3]])
        bad = errors(ours, outs["json"])
        check(not bad, "JSON report validates: %s" % [(list(e.path), e.message) for e in bad[:3]])

        # SARIF results point at the pinning line.
        lines = {}
        with open(inputs[0]) as f:
            for i, line in enumerate(f, 1):
                name = re.split(r"[=<>]", line.strip())[0]
                if name and not name.startswith("#"):
                    lines[name] = i
        results = outs["sarif"]["runs"][0]["results"]
        rules = outs["sarif"]["runs"][0]["tool"]["driver"]["rules"]
        check(len(results) > 10, "SARIF has results")
        for r in results:
            pkg = r["properties"]["package"]
            loc = r["locations"][0]["physicalLocation"]
            if pkg in lines:
                check(loc["region"]["startLine"] == lines[pkg],
                      "SARIF result for %s at line %s" % (pkg, loc.get("region")))
                check(loc["artifactLocation"]["uri"].endswith("my%20project/requirements.txt"),
                      "SARIF uri %s" % loc["artifactLocation"]["uri"])
            check(rules[r["ruleIndex"]]["id"] == r["ruleId"], "ruleIndex points at the rule")
        check(len({x["id"] for x in rules}) == len(rules), "one rule per advisory")
        suppressed = [r for r in results if r.get("suppressions")]
        check(len(suppressed) == 1 and suppressed[0]["ruleId"] == "CVE-2019-10906",
              "the ignored advisory is a suppressed result")
        check(any(r["ruleId"] == "TG-NOT-CHECKED-UNPINNED" and r["properties"]["package"] == "requests"
                  for r in results), "the unpinned package is a SARIF result")

        # CycloneDX: components with purls; affects point at them.
        comps = {c["bom-ref"]: c for c in outs["cyclonedx"]["components"]}
        check(len(comps) == 8, "8 components (6 PyPI, 2 npm)")
        for v in outs["cyclonedx"]["vulnerabilities"]:
            for a in v["affects"]:
                check(a["ref"] in comps, "affects ref %s is a component" % a["ref"])
        check("pkg:npm/lodash@4.17.4" in comps, "npm component purl")
        req = [c for c in comps.values() if c["name"] == "requests"][0]
        check("version" not in req and any(p["value"] == "unpinned" for p in req["properties"]),
              "the unpinned component says so")

        # JSON: the expired ignore is reported and stops applying.
        rep = outs["json"]
        ign = {i["id"]: i for i in rep["ignores"]}
        check(ign["CVE-2020-1747"]["expired"] and not ign["CVE-2019-10906"]["expired"],
              "expiry of ignores")
        check(any("expired on 2020-01-01" in w for w in rep["warnings"]), "expired ignore warned")
        by_id = {f["id"]: f for f in rep["findings"]}
        check(by_id["CVE-2019-10906"]["ignored"] and not by_id["CVE-2020-1747"]["ignored"],
              "ignores applied by alias and expiry")
        check(any(f["kev"] for f in rep["findings"] if f["package"]["name"] == "salt"),
              "salt 3000 carries a CISA KEV advisory")
        eco = {f["package"]["ecosystem"] for f in rep["findings"]}
        check(eco == {"PyPI", "npm"}, "findings from both ecosystems: %s" % eco)
    print("%d passed, %d failed" % (checks - failures, failures))
    sys.exit(1 if failures else 0)


main()
