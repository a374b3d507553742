"""Load with hostile clients against a running `tollgate proxy`.

For SECONDS: well-formed clients fetch a cached project page on keep-alive
connections and count every request that is not answered 200; alongside
them, slow clients trickle header bytes, others send malformed request
lines, oversized headers, unknown methods, bad paths, or hang up half way.
RSS of the proxy is sampled every second. Prints one JSON object:
good requests, failures, hostile connections made, RSS samples (kB), and
whether the proxy was still alive."""
import http.client
import json
import os
import random
import socket
import sys
import threading
import time


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return -1
    return -1


def run(port, pid, seconds, path, headers, good_clients=4, slow_clients=20, bad_clients=4):
    stop = time.time() + seconds
    stats = {"good": 0, "fail": 0, "fail_detail": [], "hostile": 0}
    lock = threading.Lock()

    def good():
        conn = None
        while time.time() < stop:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path, headers=headers)
                r = conn.getresponse()
                r.read()
                with lock:
                    if r.status == 200:
                        stats["good"] += 1
                    else:
                        stats["fail"] += 1
                        stats["fail_detail"].append(r.status)
                if r.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except Exception as e:  # a dropped well-formed request is a failure
                with lock:
                    stats["fail"] += 1
                    stats["fail_detail"].append(repr(e)[:80])
                conn = None

    def slow():
        while time.time() < stop:
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                req = b"GET %s HTTP/1.1\r\nHost: x\r\n" % path.encode()
                for b in req:
                    if time.time() >= stop:
                        break
                    s.send(bytes([b]))
                    time.sleep(0.2)
                s.close()
            except OSError:
                time.sleep(0.1)
            with lock:
                stats["hostile"] += 1

    def bad():
        rnd = random.Random(1)
        payloads = [
            b"\x00\x01garbage\r\n\r\n",
            b"GET /simple/ HTTP/9.9\r\n\r\n",
            b"BREW /simple/ HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /simple/%s/ HTTP/1.1\r\nHost: x\r\n\r\n" % (b"a" * 5000),
            b"GET /simple/x/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 100000 + b"\r\n\r\n",
            b"GET /files/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /simple/x/ HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(500)) + b"\r\n",
            b"GET /simple/",  # hang up half way
            b"POST /simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nabc",
        ]
        while time.time() < stop:
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(rnd.choice(payloads))
                s.settimeout(2)
                try:
                    s.recv(4096)
                except OSError:
                    pass
                s.close()
            except OSError:
                time.sleep(0.05)
            with lock:
                stats["hostile"] += 1

    threads = [threading.Thread(target=good) for _ in range(good_clients)]
    threads += [threading.Thread(target=slow) for _ in range(slow_clients)]
    threads += [threading.Thread(target=bad) for _ in range(bad_clients)]
    for t in threads:
        t.start()
    samples = []
    while time.time() < stop:
        samples.append(rss_kb(pid))
        time.sleep(1)
    for t in threads:
        t.join()
    alive = True
    try:
        os.kill(pid, 0)
    except OSError:
        alive = False
    stats["fail_detail"] = stats["fail_detail"][:10]
    stats["rss_kb"] = samples
    stats["alive"] = alive
    return stats


if __name__ == "__main__":
    port, pid, seconds, path = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    hdrs = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
    print(json.dumps(run(port, pid, seconds, path, hdrs)))
