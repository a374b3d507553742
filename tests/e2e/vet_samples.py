"""tollgate vet on inert malicious samples and archive attacks.

Builds every sample of tests/data/vet/samples.py as a real archive, runs
the CLI on it and checks the verdict and that each expected rule id is
among the reasons (with a file, and a line and an excerpt for text rules).
"""
import json
import os
import subprocess
import sys
import tempfile

SRC = os.environ.get("TG_SOURCE_DIR", os.getcwd())
BIN = os.environ["TG_BIN"]
sys.path.insert(0, os.path.join(SRC, "tests", "data", "vet"))
import samples  # noqa: E402

# Rules that read text report file:line and an excerpt.
TEXT_RULES = {"install-hook", "setup-network", "setup-subprocess", "curl-pipe-shell",
              "obfuscated-exec", "import-trick", "reversed-string", "exfil-webhook",
              "paste-site", "tunnel-service", "raw-ip-url", "powershell-download-exec",
              "choco-download-no-checksum", "credential-theft", "wallet-theft",
              "env-exfil", "pth-exec", "npm-install-script"}

passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


def vet(*args):
    p = subprocess.run([BIN, "vet", "--format", "json", *args], capture_output=True,
                       text=True, timeout=300)
    try:
        doc = json.loads(p.stdout) if p.stdout.strip() else None
    except json.JSONDecodeError:
        doc = None
    return p.returncode, doc, p.stderr


with tempfile.TemporaryDirectory() as d:
    built = samples.build_all(d)
    check(len(built) >= 30, f"at least 30 samples (got {len(built)})")
    covered = set()
    for fn, kind, rules, verdict in built:
        args = (["--artifact", kind] if kind else []) + [os.path.join(d, fn)]
        rc, doc, err = vet(*args)
        if not doc or len(doc.get("results", [])) != 1:
            check(False, f"{fn}: no JSON result (exit {rc}): {err.strip()[:300]}")
            continue
        r = doc["results"][0]
        got = {x["rule"] for x in r["reasons"]}
        covered |= rules
        check(r["verdict"] == verdict, f"{fn}: verdict {r['verdict']}, wanted {verdict}; reasons {sorted(got)}")
        check(rc == (1 if verdict == "block" else 0), f"{fn}: exit {rc}")
        for rule in rules:
            check(rule in got, f"{fn}: rule {rule} missing; got {sorted(got)}")
        for x in r["reasons"]:
            if x["rule"] in rules and x["rule"] in TEXT_RULES and x["level"] != "info":
                check(x.get("file") and x.get("line", 0) >= 1 and x.get("excerpt"),
                      f"{fn}: {x['rule']} lacks file/line/excerpt: {x}")
                check(len(x.get("excerpt", "")) <= 120, f"{fn}: excerpt longer than 120")
                break
    print(f"{len(built)} samples cover {len(covered)} rule ids: {' '.join(sorted(covered))}")

    # Every sample in one run: jsonl keeps input order, one line each.
    paths = [os.path.join(d, fn) for fn, kind, _, _ in built if not kind]
    p = subprocess.run([BIN, "vet", "--format", "jsonl", *paths], capture_output=True,
                       text=True, timeout=600)
    lines = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    check([x["subject"] for x in lines] == paths, "jsonl: one object per input, in order")
    check(p.returncode == 1, f"jsonl run exit {p.returncode}")

    # Benign controls come out ok.
    for fn, kind in samples.build_benign(d):
        rc, doc, err = vet(os.path.join(d, fn))
        r = doc["results"][0] if doc and doc.get("results") else {}
        check(rc == 0 and r.get("verdict") == "ok",
              f"benign {fn}: exit {rc} verdict {r.get('verdict')} reasons {r.get('reasons')}")

    # --fail-on warn turns a warning into a failed run.
    rc, _, _ = vet("--fail-on", "warn", os.path.join(d, "cfghook-0.4.tar.gz"))
    check(rc == 1, f"--fail-on warn: exit {rc}")

    # A truncated archive is unreadable input (exit 3), named in the message.
    bad = os.path.join(d, "broken-1.0.tar.gz")
    with open(os.path.join(d, "hookdrop-0.1.tar.gz"), "rb") as f:
        data = f.read()
    with open(bad, "wb") as f:
        f.write(data[: len(data) // 2])
    rc, _, err = vet(bad)
    check(rc == 3 and "broken-1.0.tar.gz" in err, f"truncated archive: exit {rc}, {err.strip()[:200]}")

    # A missing rules directory is reported, not ignored.
    p = subprocess.run([BIN, "vet", "--rules", os.path.join(d, "nope"), os.path.join(d, "plain-1.0-py3-none-any.whl")],
                       capture_output=True, text=True)
    check(p.returncode == 3 and "rules" in p.stderr, f"missing rules dir: exit {p.returncode}")

    # Rules can come from TOLLGATE_RULES_DIR.
    env = dict(os.environ, TOLLGATE_RULES_DIR=os.path.join(SRC, "rules"))
    p = subprocess.run([BIN, "vet", "--format", "json", os.path.join(d, "hookdrop-0.1.tar.gz")],
                       capture_output=True, text=True, env=env)
    check(p.returncode == 1, f"TOLLGATE_RULES_DIR: exit {p.returncode}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
