#!/usr/bin/env python3
"""Mutation-based differential test: mutated Dockerfiles through dlayer and BuildKit v0.12.5.

Seeds are Dockerfiles from the given paths; each round inserts, deletes or truncates pieces
that stress the grammar (escapes, heredoc markers, quotes, brackets, flags, newlines). The
comparison and the documented v0.12.5 excuses are those of differential.py.

Usage: fuzz_differential.py DLAYER_BINARY ORACLE_DUMP_PY COUNT SEED DIR...
"""
import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential  # noqa: E402

PIECES = ["\\", "\\\n", "`", "<<", "<<-", "<<EOF", "\nEOF\n", "'", '"', "[", "]", '["a"]', "\n",
          "\r\n", "# escape=`\n", "#", "--", "--x=", "=", "${", "}", "\t", " ", "  \\  \n", "ONBUILD ",
          "ENV ", "RUN ", "COPY ", "HEALTHCHECK ", "LABEL a=b ", "é", "\u00a0", "\x0b", ",", "1"]


def mutate(rng, text):
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        choice = rng.random()
        if choice < 0.6:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif choice < 0.9:
            text = text[:at] + text[at + rng.randint(1, 12):]
        else:
            text = text[:at]
    return text


def main():
    binary, oracle_path, count, seed, *paths = sys.argv[1:]
    rng = random.Random(int(seed))
    oracle = differential.load_oracle(oracle_path)
    seeds = []
    for path in differential.files_under(paths):
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            text = handle.read()
        if len(text) < 4000:
            seeds.append(text)
    directory = tempfile.mkdtemp(prefix="dlayer-fuzz-")
    files = []
    for i in range(int(count)):
        path = os.path.join(directory, f"case{i:05}.Dockerfile")
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(mutate(rng, rng.choice(seeds)))
        files.append(path)
    ours_by_file = {}
    for start in range(0, len(files), 200):
        ours_by_file.update(differential.dlayer_dumps(binary, files[start:start + 200]))
    same = 0
    excused = {}
    different = []
    for path in files:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
        ours = ours_by_file[path]
        oracle_error = None
        try:
            theirs = oracle.dump_asottile(text)
        except Exception as error:
            theirs = None
            oracle_error = f"{type(error).__name__}: {error}"
        normalized = differential.strip_onbuild_child_flags(differential.to_v0125(ours)) if ours else None
        if normalized == theirs:
            same += 1
        elif reason := differential.excuse(text, normalized, theirs, oracle_error):
            key = reason.split(" (")[0]
            excused[key] = excused.get(key, 0) + 1
        else:
            different.append((path, normalized, theirs))
    for path, ours, theirs in different[:20]:
        print(f"DIFFERENT: {path}")
        print(f"  dlayer: {ours!r}"[:400])
        print(f"  oracle: {theirs!r}"[:400])
    for reason, count in sorted(excused.items()):
        print(f"excused {count}: {reason}")
    print(f"fuzz differential: {len(files)} cases, {same} identical, {sum(excused.values())} excused, "
          f"{len(different)} different (kept in {directory})")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
