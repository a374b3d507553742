"""tollgate vet --online: repojacking through a loopback stand-in for the
GitHub API (TOLLGATE_GITHUB_API), and the note offline runs print."""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

SRC = os.path.abspath(os.environ.get("TG_SOURCE_DIR", os.getcwd()))
BIN = os.environ["TG_BIN"]
sys.path.insert(0, os.path.join(SRC, "tests", "data", "vet"))
import samples  # noqa: E402

passed = failed = 0


def check(cond, label):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", label, file=sys.stderr)


class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/repos/gone-owner/fastjsonx":
            self.send_response(404)
        elif self.path == "/repos/old-owner/movedpkg":
            self.send_response(301)
            self.send_header("Location", "https://api.github.com/repos/new-owner/movedpkg")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Api)
threading.Thread(target=server.serve_forever, daemon=True).start()
api = f"http://127.0.0.1:{server.server_address[1]}"

with tempfile.TemporaryDirectory() as d:
    gone = os.path.join(d, "fastjsonx-0.1-py3-none-any.whl")
    samples.wheel(gone, "fastjsonx", "0.1", {"fastjsonx/__init__.py": ""},
                  extra_meta="Project-URL: Source, https://github.com/gone-owner/fastjsonx\n")
    moved = os.path.join(d, "movedpkg-1.0-py3-none-any.whl")
    samples.wheel(moved, "movedpkg", "1.0", {"movedpkg/__init__.py": ""},
                  extra_meta="Project-URL: Source, https://github.com/old-owner/movedpkg\n")
    fine = os.path.join(d, "finepkg-1.0-py3-none-any.whl")
    samples.wheel(fine, "finepkg", "1.0", {"finepkg/__init__.py": ""},
                  extra_meta="Project-URL: Source, https://github.com/fine/finepkg\n")
    env = dict(os.environ, TOLLGATE_GITHUB_API=api)

    p = subprocess.run([BIN, "vet", "--online", "--format", "json", gone, moved, fine],
                       capture_output=True, text=True, env=env, timeout=120)
    doc = json.loads(p.stdout)
    res = {os.path.basename(r["subject"]): r for r in doc["results"]}

    def rule(name, rid):
        return [x for x in res[name]["reasons"] if x["rule"] == rid]

    g = rule("fastjsonx-0.1-py3-none-any.whl", "repojacking")
    check(g and g[0]["level"] == "block" and "404" in g[0]["explanation"], f"missing repo: {g}")
    m = rule("movedpkg-1.0-py3-none-any.whl", "repojacking")
    check(m and m[0]["level"] == "warn" and "new-owner/movedpkg" in m[0]["explanation"],
          f"moved repo: {m}")
    check(not rule("finepkg-1.0-py3-none-any.whl", "repojacking"), "existing repo: no reason")
    check(res["fastjsonx-0.1-py3-none-any.whl"]["repository"] ==
          "https://github.com/gone-owner/fastjsonx", "repository recorded")
    check(p.returncode == 1, f"--online with a missing repository: exit {p.returncode}")
    check(doc["online"] is True and not any("repojacking not checked" in n for n in doc["notes"]),
          "online runs do not print the offline note")

    p = subprocess.run([BIN, "vet", "--format", "json", gone], capture_output=True,
                       text=True, env=env, timeout=120)
    doc = json.loads(p.stdout)
    check(not any(x["rule"] == "repojacking" for x in doc["results"][0]["reasons"]),
          "offline: no repojacking reason")
    check(any("repojacking not checked" in n for n in doc["notes"]), "offline note")
server.shutdown()

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
