#!/usr/bin/env python3
"""How long after a change the diagnostics of a 1,000-line Dockerfile arrive from `dlayer lsp`.

Starts the language server as an editor does (stdio, a client without pull diagnostics, so
the server pushes them), opens a Dockerfile of at least 1,000 lines made of the given corpus
files (each kept whole; the stages follow one another), then sends CHANGES edits one at a
time, each an incremental change of one line, and measures the time from writing the
`didChange` to reading the `publishDiagnostics` of that version. Runs once with the default
debounce (10 ms) and once with `debounceMs: 0` (the time spent linting and talking).

Usage: lsp_latency.py DLAYER_BINARY CORPUS_DIR [CHANGES]
"""
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import queue


def build_document(corpus, wanted_lines=1000):
    lines = []
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        if not os.path.isfile(path) or name.endswith((".tsv", ".md")):
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        if "<<" in text or "\r" in text:
            continue
        lines.extend(text.rstrip("\n").split("\n"))
        lines.append("")
        if len(lines) >= wanted_lines:
            break
    return "\n".join(lines) + "\n"


class Server:
    def __init__(self, binary, options):
        self.process = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        self.messages = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()
        self.next_id = 0
        self.request("initialize", {"capabilities": {}, "initializationOptions": options})
        self.notify("initialized", {})

    def read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = stream.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            _, message = self.messages.get(timeout=30)
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def diagnostics(self, uri, version):
        while True:
            at, message = self.messages.get(timeout=30)
            params = message.get("params") or {}
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri and params.get("version") == version):
                return at, params["diagnostics"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=10)


def measure(binary, text, changes, options):
    server = Server(binary, options)
    uri = "file:///tmp/dlayer-bench/Dockerfile"
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
    _, first = server.diagnostics(uri, 1)
    lines = text.split("\n")
    latencies = []
    for version in range(2, changes + 2):
        line = (version * 37) % (len(lines) - 1)
        old = lines[line]
        new = old + " " if not old.endswith(" ") else old.rstrip(" ")
        lines[line] = new
        change = {"range": {"start": {"line": line, "character": 0},
                            "end": {"line": line, "character": len(old.encode("utf-16-le")) // 2}},
                  "text": new}
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        arrived, _ = server.diagnostics(uri, version)
        latencies.append((arrived - sent) * 1000)
    server.close()
    return len(first), latencies


def report(label, latencies):
    latencies = sorted(latencies)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(f"{label}: median {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
          f"max {latencies[-1]:.1f} ms over {len(latencies)} changes")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, corpus = sys.argv[1], sys.argv[2]
    changes = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    text = build_document(corpus)
    line_count = text.count("\n")
    found, default = measure(binary, text, changes, {})
    _, undebounced = measure(binary, text, changes, {"debounceMs": 0})
    print(f"document: {line_count} lines, {len(text)} bytes, {found} diagnostics")
    report("change -> diagnostics (default 10 ms debounce)", default)
    report("change -> diagnostics (no debounce: lint + transport)", undebounced)
    budget = 50
    verdict = "within" if statistics.median(default) <= budget else "over"
    print(f"median {verdict} the {budget} ms budget (a measurement, not a test: nothing fails)")


if __name__ == "__main__":
    main()
