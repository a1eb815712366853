#!/usr/bin/env python3
"""Fuzzes `dlayer fix --split -` with mutated Dockerfiles (lines deleted, duplicated, cut,
swapped, or heavy-container lines inserted).

Every run must end with exit 0 (split or unchanged) or 1 (refused) and never panic; a refusal
because the planner's own output failed the verifier counts as a failure too (the planner must
refuse up front, with a reason, what it cannot split). Failing inputs are kept in $TMPDIR.

Usage: fuzz_split.py DLAYER_BINARY CASES SEED DIR...
"""
import os
import random
import subprocess
import sys
import tempfile

INSERTED = [
    "RUN apt-get install -y vim gcc", "WORKDIR /x", "USER nobody", "ENV A=é$B", "EXPOSE 22",
    "RUN mkdir -p /var/run/sshd /x", "COPY a /etc/ssh/", "FROM ubuntu AS app", "ARG B=1",
    "RUN yum install -y openssh-server && make", "RUN if true; then apk add gdb; fi",
    "ENV PATH=/opt/bin:$PATH", "SHELL [\"/bin/bash\", \"-c\"]", "RUN apt-get install -y git && git clone x",
]


def mutate(lines, rng):
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(lines)) if lines else 0
        roll = rng.random()
        if roll < 0.3 and lines:
            del lines[at]
        elif roll < 0.5 and lines:
            lines.insert(at, rng.choice(lines))
        elif roll < 0.7 and lines:
            lines[at] = lines[at][:rng.randint(0, len(lines[at]))]
        elif roll < 0.85 or len(lines) < 2:
            lines.insert(at, rng.choice(INSERTED))
        else:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
    return "\n".join(lines).encode()


def main():
    binary, cases, seed, dirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    files = sorted(os.path.join(d, f) for d in dirs for f in os.listdir(d)
                   if not f.endswith((".tsv", ".md", ".json")) and os.path.isfile(os.path.join(d, f)))
    failures = 0
    for _ in range(cases):
        with open(rng.choice(files), encoding="utf-8", errors="replace") as f:
            data = mutate(f.read().split("\n"), rng)
        run = subprocess.run([binary, "fix", "--split", "-"], input=data, capture_output=True)
        if run.returncode not in (0, 1) or b"panicked" in run.stderr or b"failed verification" in run.stderr:
            failures += 1
            kept = tempfile.NamedTemporaryFile(prefix="dlayer-split-", suffix=".Dockerfile", delete=False)
            kept.write(data)
            print(f"FAIL ({run.returncode}) {kept.name}: {run.stderr.decode(errors='replace')[-300:]}")
    print(f"split fuzz: {cases} cases, {failures} failures")
    sys.exit(1 if failures else 0)


main()
