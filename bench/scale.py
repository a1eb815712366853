#!/usr/bin/env python3
"""dlayer lint at scale: 1k, 10k and 100k files built from the corpora, against `cat`, in one run.

The files are the corpus Dockerfiles copied round-robin into directories of 1,000 files each
(names `NNNNN.Dockerfile`, found by directory discovery as a CI run would). For each size it
prints the wall time and peak memory (max RSS from GNU time) of:
  - `find DIR -type f -exec cat {} +` (reading every byte once: the floor),
  - `dlayer lint --no-config --format json DIR`,
  - `dlayer lint --no-config --color never DIR` (the tty format),
  - with RUNS naming them: `dlayer fix --no-config --check DIR` (fix) and
    `dlayer fmt --no-config --check DIR` (fmt), which write nothing,
with output discarded (wall time, CPU time, peak memory), and the ratios the issue targets: peak memory <= 150 MB at 100k files
in JSON and tty, time <= 4x cat. Not a test: figures, reported in the README.

Usage: bench/scale.py [DLAYER_BINARY] [CORPUS_DIRS (colon-separated)] [SIZES (comma-separated)]
                      [RUNS (comma-separated, of json, tty, fix, fmt; default json,tty)]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time


def corpus_files(dirs):
    files = []
    for corpus in dirs:
        for root, _, names in os.walk(corpus):
            files.extend(os.path.join(root, name) for name in names
                         if not name.endswith((".tsv", ".md", ".json")))
    return sorted(files)


def build_tree(sources, count, into):
    """`count` files copied round-robin from `sources`, 1,000 per directory."""
    for index in range(count):
        directory = os.path.join(into, f"d{index // 1000:03d}")
        if index % 1000 == 0:
            os.makedirs(directory, exist_ok=True)
        shutil.copyfile(sources[index % len(sources)],
                        os.path.join(directory, f"{index:06d}.Dockerfile"))


def measure(argv):
    """(wall seconds, CPU seconds (user + system), max RSS KiB) of one run, output discarded."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", report.name, *argv],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        user, system, peak = report.read().split()[-3:]
    return elapsed, float(user) + float(system), int(peak)


def main():
    dlayer = sys.argv[1] if len(sys.argv) > 1 else "target/release/dlayer"
    corpora = (sys.argv[2] if len(sys.argv) > 2 else
               "../shared/corpus/official:../shared/corpus/heavy:../shared/corpus/wild").split(":")
    sizes = [int(size) for size in (sys.argv[3] if len(sys.argv) > 3 else "1000,10000,100000").split(",")]
    wanted = (sys.argv[4] if len(sys.argv) > 4 else "json,tty").split(",")
    sources = corpus_files(corpora)
    print(f"{len(sources)} corpus files from {', '.join(corpora)}; {os.cpu_count()} cores; {dlayer}")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} at the start (wall times are only comparable on an idle machine)")
    print(f"{'files':>7} {'run':<12} {'wall (s)':>9} {'CPU (s)':>8} {'max RSS (MiB)':>14} {'x cat':>6}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="dlayer-scale-") as tree:
            build_tree(sources, size, tree)
            # Warm the page cache so every run reads from memory.
            measure(["find", tree, "-type", "f", "-exec", "cat", "{}", "+"])
            cat = measure(["find", tree, "-type", "f", "-exec", "cat", "{}", "+"])
            cat_t = cat[0]
            commands = {
                "json": ("lint json", [dlayer, "lint", "--no-config", "--format", "json", tree]),
                "tty": ("lint tty", [dlayer, "lint", "--no-config", "--color", "never", tree]),
                "fix": ("fix --check", [dlayer, "fix", "--no-config", "--check", tree]),
                "fmt": ("fmt --check", [dlayer, "fmt", "--no-config", "--check", tree]),
            }
            runs = {"cat": cat}
            for run in wanted:
                name, argv = commands[run]
                runs[name] = measure(argv)
            for name, (wall, cpu, peak) in runs.items():
                print(f"{size:>7} {name:<12} {wall:>9.2f} {cpu:>8.2f} {peak / 1024:>14.1f} {wall / cat_t:>6.1f}")


if __name__ == "__main__":
    main()
