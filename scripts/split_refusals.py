#!/usr/bin/env python3
"""Tabulates `dlayer fix --split` outcomes over a directory of Dockerfiles.

Usage: split_refusals.py DLAYER_BINARY DIR [DIR...]

Runs `dlayer fix --split --diff` on each file (`--diff` writes nothing) and prints, per
directory, how many files split, stayed unchanged or were refused, and the refusal reasons
grouped by their wording (file-specific parts such as line numbers and package lists masked).
"""
import collections
import os
import re
import subprocess
import sys


def reason_class(message):
    """The reason with its specifics masked, so that refusals of one kind group together."""
    reason = message.split("not split: ", 1)[-1]
    reason = re.sub(r"`[^`]*`", "`X`", reason)
    reason = re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*\)", "(…)", reason, count=1)
    reason = re.sub(r"\d+", "N", reason)
    return reason.split(";")[0].strip()


def outcome(binary, path):
    run = subprocess.run([binary, "fix", "--split", "--diff", path],
                         capture_output=True, text=True, timeout=120)
    text = (run.stderr + run.stdout).strip()
    for line in text.splitlines():
        if ": not split: " in line:
            return "refused", reason_class(line)
        if line.startswith(path + ": unchanged"):
            return "unchanged", None
        if line.startswith(path + ": split into"):
            return "split", None
    return "error", text[:200]


def main():
    binary, dirs = sys.argv[1], sys.argv[2:]
    for directory in dirs:
        counts = collections.Counter()
        reasons = collections.Counter()
        files = sorted(f for f in os.listdir(directory)
                       if not f.endswith((".tsv", ".md", ".json")))
        for name in files:
            kind, reason = outcome(binary, os.path.join(directory, name))
            counts[kind] += 1
            if reason:
                reasons[(kind, reason)] += 1
        total = sum(counts.values())
        refused = counts["refused"]
        print(f"{directory}: {total} files, {counts['split']} split, "
              f"{counts['unchanged']} unchanged, {refused} refused "
              f"({100.0 * refused / max(total, 1):.1f}%), {counts['error']} errors")
        for (kind, reason), count in reasons.most_common(25):
            print(f"  {count:5d} {kind}: {reason}")


if __name__ == "__main__":
    main()
