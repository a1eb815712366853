#!/usr/bin/env python3
"""How much of hadolint's findings `dlayer fix` removes on a corpus, and whether it breaks anything.

usage: fix_effect.py DLAYER CORPUS_DIR [--gate SAFE_PCT UNSAFE_PCT] [--table]

For every Dockerfile of CORPUS_DIR: hadolint 2.15.1's findings (the version-pin rules left out:
pinning needs versions no fix can know) on the original, after `dlayer fix` (safe fixes) and after
`dlayer fix --unsafe-fixes`. Also counted, for each fixed output:
  - parses worse: hadolint or dlayer reports a parse error (DL1000) the original did not have;
  - not settled: dlayer warned that fixes did not settle (or dropped an unparsable fix);
  - lists removed before an install: a safe output where an `apt-get install` (or another
    command reading the apt lists) runs after the lists were removed and not refreshed, where the
    original ran it with lists. This check is a plain text simulation of the RUNs, independent of
    dlayer's own analysis.
With --table, prints per rule the findings before, after safe and after unsafe fixes (the rules
with the most findings left after safe fixes first).
FIX_EFFECT_JOBS=N runs N hadolint batches at a time (default 1); HADOLINT_CACHE: see hadolint_runs.py.
With --gate, exits 1 unless the reductions reach the percentages and every count above is 0.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import hadolint_runs

PIN_RULES = {"DL3006", "DL3007", "DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033",
             "DL3037", "DL3041"}
BATCH = 100


def hadolint(paths):
    """{path: [codes]} of hadolint's findings, FIX_EFFECT_JOBS hadolint runs at a time; a
    content already linted (a file the fix left as it was) is not linted again."""
    jobs = int(os.environ.get("FIX_EFFECT_JOBS", "1"))
    return {path: [result["code"] for result in results]
            for path, results in hadolint_runs.findings(paths, jobs=jobs).items()}


def counted(codes):
    return [code for code in codes if code not in PIN_RULES]


def dlayer_parse_errors(dlayer, paths):
    """The paths dlayer reports a DL1000 syntax error for."""
    broken = set()
    for start in range(0, len(paths), BATCH):
        batch = paths[start:start + BATCH]
        run = subprocess.run([dlayer, "lint", "--no-config", "--select", "DL1000", "--format", "json",
                              "--exit-zero", *batch], capture_output=True, text=True, check=False)
        for file in json.loads(run.stdout or "{}").get("files", []):
            if any(d.get("code") == "DL1000" for d in file.get("diagnostics", [])):
                broken.add(file["path"])
    return broken


def fix_copy(dlayer, corpus, names, unsafe):
    """Copies the corpus to a temporary directory, fixes it there; returns (dir, stderr)."""
    out = tempfile.mkdtemp(prefix="fix-effect-")
    for name in names:
        shutil.copy(os.path.join(corpus, name), os.path.join(out, name))
    args = [dlayer, "fix", "--no-config", "--exit-zero"] + (["--unsafe-fixes"] if unsafe else [])
    stderr = []
    for start in range(0, len(names), BATCH):
        batch = [os.path.join(out, name) for name in names[start:start + BATCH]]
        run = subprocess.run(args + batch, capture_output=True, text=True, check=False)
        if run.returncode == 2 and "syntax errors" not in run.stderr:
            sys.exit(f"dlayer fix failed: {run.stderr[-2000:]}")
        stderr.append(run.stderr)
    return out, "\n".join(stderr)


# --- the lists simulation -------------------------------------------------------------------

APT_READERS = re.compile(
    r"^(?:sudo\s+(?:-\S+\s+)*)?(?:\w+=\S*\s+)*(apt-get|apt|aptitude)\s+(?:-\S+\s+|-o\s+\S+\s+)*"
    r"(install|reinstall|build-dep|source|download|upgrade|dist-upgrade|full-upgrade)\b")
APT_CACHE = re.compile(r"^(?:sudo\s+)?(?:\w+=\S*\s+)*apt-cache\b")
APT_UPDATE = re.compile(
    r"^(?:sudo\s+(?:-\S+\s+)*)?(?:\w+=\S*\s+)*(apt-get|apt|aptitude)\s+(?:-\S+\s+)*update\b")
LISTS_REMOVED = re.compile(r"^(?:sudo\s+)?rm\s+(?:-\S+\s+)*.*?/var/lib/apt(?:/lists)?(?:/\*?)?(?:\s|$)")


def instructions(text):
    """(keyword, arguments) of each instruction, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        logical.append(current)
        current = ""
    if current:
        logical.append(current)
    for line in logical:
        parts = line.strip().split(None, 1)
        if parts:
            yield parts[0].upper(), parts[1] if len(parts) > 1 else ""


def commands(script):
    """The simple commands of a script, split at `&&`, `||`, `;`, `|` and newlines (outside quotes
    only roughly: good enough for apt lines)."""
    for piece in re.split(r"&&|\|\||;|\||\n", script):
        piece = piece.strip().lstrip("({!").strip()
        piece = re.sub(r"^(?:(?:then|do|else|if|while|until)\s+)+", "", piece)
        if piece:
            yield piece


def starved_installs(text):
    """Where a command reads the apt lists while they are removed: (stage, n) for the n-th
    reader of the stage (numbering readers, not RUNs, so that merged RUNs compare)."""
    state_of = {}  # stage name -> lists present at its end (None: unknown)
    found = set()
    stage, present, readers = None, None, 0
    for keyword, arguments in instructions(text):
        if keyword == "FROM":
            words = arguments.split()
            words = [w for w in words if not w.startswith("--")]
            base = words[0].lower() if words else ""
            name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            present = state_of.get(base)
            stage, readers = name or f"#{len(state_of)}", 0
            state_of[stage] = present
            continue
        if keyword != "RUN" or "--mount=type=cache" in arguments:
            continue
        for command in commands(arguments):
            if APT_UPDATE.search(command):
                present = True
            elif LISTS_REMOVED.search(command):
                present = False
            elif APT_READERS.search(command) or APT_CACHE.search(command):
                readers += 1
                if present is False:
                    found.add((stage, readers))
        state_of[stage] = present
    return found


def rule_counts(findings):
    """{code: count} over the files' findings (version-pin rules left out)."""
    counts = {}
    for codes in findings:
        for code in counted(codes):
            counts[code] = counts.get(code, 0) + 1
    return counts


def print_table(remaining):
    """Findings per rule: before, after safe fixes, after unsafe fixes."""
    codes = sorted(set().union(*remaining.values()),
                   key=lambda c: (-remaining["safe"].get(c, 0), -remaining["before"].get(c, 0), c))
    print(f"{'rule':<8}{'before':>8}{'safe':>8}{'unsafe':>8}")
    for code in codes:
        row = [remaining[label].get(code, 0) for label in ("before", "safe", "unsafe")]
        print(f"{code:<8}{row[0]:>8}{row[1]:>8}{row[2]:>8}")


def main():
    args = sys.argv[1:]
    gate = None
    if "--gate" in args:
        at = args.index("--gate")
        gate = (float(args[at + 1]), float(args[at + 2]))
        del args[at:at + 3]
    table = "--table" in args
    if table:
        args.remove("--table")
    if len(args) != 2:
        sys.exit(__doc__)
    dlayer, corpus = os.path.abspath(args[0]), args[1]
    names = sorted(n for n in os.listdir(corpus) if n.endswith("Dockerfile") or "Dockerfile" in n)
    originals = [os.path.join(corpus, n) for n in names]
    before = hadolint(originals)
    broken_before = dlayer_parse_errors(dlayer, originals)
    texts = {n: open(os.path.join(corpus, n), encoding="utf-8", errors="replace").read() for n in names}
    total_before = sum(len(counted(before[p])) for p in originals)
    ok = True
    remaining = {"before": rule_counts(before[p] for p in originals)}
    print(f"fix effect on {corpus}: {len(names)} files, {total_before} hadolint findings "
          f"(version-pin rules {', '.join(sorted(PIN_RULES))} left out)")
    for label, unsafe, target in (("safe", False, gate and gate[0]), ("unsafe", True, gate and gate[1])):
        out, stderr = fix_copy(dlayer, corpus, names, unsafe)
        fixed = [os.path.join(out, n) for n in names]
        after = hadolint(fixed)
        broken_after = dlayer_parse_errors(dlayer, fixed)
        total_after = sum(len(counted(after[p])) for p in fixed)
        worse = [n for n, o, f in zip(names, originals, fixed)
                 if ("DL1000" in after[f] and "DL1000" not in before[o])
                 or (f in broken_after and o not in broken_before)]
        unsettled = sorted({line.split(":")[0] for line in stderr.splitlines()
                            if "internal warning" in line})
        starved = []
        if not unsafe:
            for n, f in zip(names, fixed):
                fixed_text = open(f, encoding="utf-8", errors="replace").read()
                if starved_installs(fixed_text) - starved_installs(texts[n]):
                    starved.append(n)
        remaining[label] = rule_counts(after[q] for q in fixed)
        down = 100.0 * (total_before - total_after) / max(total_before, 1)
        per_rule = {}
        for p, q in zip(originals, fixed):
            for code in counted(before[p]):
                per_rule[code] = per_rule.get(code, 0) + 1
            for code in counted(after[q]):
                per_rule[code] = per_rule.get(code, 0) - 1
        top = sorted(per_rule.items(), key=lambda item: -item[1])[:8]
        print(f"{label:>6}: {total_after} findings left, {down:.1f}% down; "
              f"parse worse {len(worse)}, not settled {len(unsettled)}"
              + ("" if unsafe else f", install after lists removed {len(starved)}"))
        print(f"        most removed: {', '.join(f'{c} {n}' for c, n in top)}")
        for name in worse[:5] + unsettled[:5] + starved[:5]:
            print(f"        see {name}")
        if gate and (down < target or worse or unsettled or starved):
            ok = False
        shutil.rmtree(out)
    if table:
        print_table(remaining)
    if gate:
        print("fix effect gate:", "passed" if ok else "FAILED")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
