"""A loopback HTTP server for feed mirrors, for tests.

Serves files under a root directory with ETag and Last-Modified, answers
If-None-Match / If-Modified-Since with 304, and logs every request
(path, status, body bytes) so that a test can prove what was downloaded.
Paths under /flaky/ fail with 503 the first `flaky_failures` times each
file is asked for, then are served like the rest."""
import email.utils
import http.server
import os
import threading


class FeedServer:
    def __init__(self, root, flaky_failures=2):
        self.root = os.path.abspath(root)
        self.log = []  # (method, path, status, bytes)
        self.flaky_failures = flaky_failures
        self._flaky_seen = {}
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def _send(self, status, body=b"", headers=None):
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body and self.command != "HEAD":
                    self.wfile.write(body)
                with server._lock:
                    server.log.append((self.command, self.path, status,
                                       len(body) if self.command != "HEAD" else 0))

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                if path.startswith("/flaky/"):
                    with server._lock:
                        n = server._flaky_seen.get(path, 0)
                        server._flaky_seen[path] = n + 1
                    if n < server.flaky_failures:
                        self._send(503, b"try again\n")
                        return
                    path = path[len("/flaky"):]
                rel = os.path.normpath(path.lstrip("/"))
                full = os.path.join(server.root, rel)
                if rel.startswith("..") or not os.path.isfile(full):
                    self._send(404, b"not found\n")
                    return
                st = os.stat(full)
                etag = '"%x-%x"' % (st.st_size, st.st_mtime_ns)
                lastmod = email.utils.formatdate(st.st_mtime, usegmt=True)
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                not_modified = False
                if inm is not None:
                    not_modified = etag in [t.strip() for t in inm.split(",")]
                elif ims is not None:
                    try:
                        when = email.utils.parsedate_to_datetime(ims).timestamp()
                        not_modified = int(st.st_mtime) <= int(when)
                    except (TypeError, ValueError):
                        pass
                hdrs = {"ETag": etag, "Last-Modified": lastmod}
                if not_modified:
                    self._send(304, b"", hdrs)
                    return
                with open(full, "rb") as f:
                    body = f.read()
                hdrs["Content-Type"] = "application/octet-stream"
                self._send(200, body, hdrs)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def take_log(self):
        with self._lock:
            log, self.log = self.log, []
        return log
