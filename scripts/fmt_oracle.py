#!/usr/bin/env python3
"""`dlayer fmt` judged by BuildKit's own parser: every formatted corpus file parses, with
BuildKit v0.12.5 (PyPI `dockerfile`, through shared/tools/oracle_dump.py), to the dump of the
original file.

Two differences are allowed: the case of a FROM's `AS`, and the amount of blanks between the words of a shell-form
command (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK CMD), where the formatter re-indents
continuation lines: BuildKit hands that text to the shell, which splits it into the same
words. It is checked here independently of dlayer: the two dumps must be equal once every run
of blanks in a quoted dump value is made one space, and the words of those values (blanks
outside quotes) must be the same. Each formatted file is named `<corpus dir>__<file name>` (as
tests/fmt_corpus.rs writes them).

Usage: fmt_oracle.py ORACLE_DUMP_PY CORPUS_ROOT FORMATTED_DIR
Exit 0 when every file parses the same.
"""
import importlib.util
import os
import re
import sys

BLANKS = re.compile(r"[ \t]+")


def load_oracle(path):
    """Loads a Python file as a module (the oracle, or differential.py's Go-string helpers)."""
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shell_words(command):
    """Words of a shell command line: blanks outside quotes and backquotes separate them."""
    words, word, quote, i = [], "", None, 0
    while i < len(command):
        ch = command[i]
        if quote is None and ch in " \t":
            if word:
                words.append(word)
            word = ""
        elif ch == "\\" and quote != "'" and i + 1 < len(command):
            word += command[i:i + 2]
            i += 1
        else:
            if quote is None and ch in "'\"`":
                quote = ch
            elif ch == quote:
                quote = None
            word += ch
        i += 1
    if word:
        words.append(word)
    return words


SHELL_FORM = ("(run ", "(cmd ", "(entrypoint ", "(shell ", "(healthcheck ", "(onbuild ")


def same_from(before, after):
    """`FROM image as name` and `FROM image AS name`: BuildKit reads `AS` in any case."""
    as_word = re.compile(r'^(\(from (?:\[[^\]]*\] )?"[^"]*") "as" ', re.I)
    return before.startswith("(from ") and as_word.sub(r'\1 "as" ', before) == as_word.sub(
        r'\1 "as" ', after)


def same_up_to_shell_blanks(differential, before, after):
    """Two dump lines of a shell-form instruction: the same keyword and flags, and values
    with the same shell words."""
    if not before.startswith(SHELL_FORM) or before.split(" ", 1)[0] != after.split(" ", 1)[0]:
        return False
    head_before, values_before = differential.split_values(before)
    head_after, values_after = differential.split_values(after)
    if head_before != head_after or len(values_before) != len(values_after):
        return False
    for a, b in zip(values_before, values_after):
        a, b = differential.go_unquote(a), differential.go_unquote(b)
        if BLANKS.sub(" ", a) != BLANKS.sub(" ", b) or shell_words(a) != shell_words(b):
            return False
    return True


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    oracle = load_oracle(sys.argv[1])
    differential = load_oracle(os.path.join(os.path.dirname(__file__), "differential.py"))
    root, formatted_dir = sys.argv[2], sys.argv[3]
    counts = {"files": 0, "identical": 0, "shell blanks or AS case": 0}
    failures = []
    for name in sorted(os.listdir(formatted_dir)):
        corpus, _, original_name = name.partition("__")
        original = os.path.join(root, corpus, original_name)
        with open(original, encoding="utf-8") as handle:
            before_text = handle.read()
        with open(os.path.join(formatted_dir, name), encoding="utf-8") as handle:
            after_text = handle.read()
        counts["files"] += 1
        try:
            before = oracle.dump_asottile(before_text)
            after = oracle.dump_asottile(after_text)
        except Exception as error:  # the oracle rejects what BuildKit v0.12.5 rejects
            try:
                oracle.dump_asottile(before_text)
            except Exception:
                counts["files"] -= 1
                continue
            failures.append(f"{name}: the formatted file does not parse: {error}")
            continue
        if before == after:
            counts["identical"] += 1
            continue
        before_lines, after_lines = before.splitlines(), after.splitlines()
        if len(before_lines) == len(after_lines) and all(
                a == b or same_from(a, b) or same_up_to_shell_blanks(differential, a, b)
                for a, b in zip(before_lines, after_lines)):
            counts["shell blanks or AS case"] += 1
            continue
        diff = [f"  - {a}\n  + {b}" for a, b in zip(before_lines, after_lines) if a != b]
        failures.append(f"{name}: the parse changed\n" + "\n".join(diff[:3]))
    print("fmt oracle:", ", ".join(f"{key}: {value}" for key, value in counts.items()))
    for failure in failures:
        print(failure)
    if failures:
        print(f"{len(failures)} file(s) parse differently after formatting")
        sys.exit(1)


if __name__ == "__main__":
    main()
