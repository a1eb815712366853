#!/usr/bin/env python3
"""Differential test: `dlayer dump --format buildkit` against BuildKit v0.12.5's parser.

The oracle is PyPI `dockerfile` (it embeds BuildKit v0.12.5's Go parser), driven through
`shared/tools/oracle_dump.py`. dlayer follows current BuildKit, so the documented format and
behaviour changes between v0.12.5 and current BuildKit (reference/buildkit.md §3, §6, §7, §15)
are normalized, and only those; every file excused is listed with its reason.

Usage: differential.py DLAYER_BINARY ORACLE_DUMP_PY DIR_OR_FILE_OR_PROBES_JSON...
Exit 0 when there is no unexplained difference.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile

SPACED_HEREDOC = re.compile(r"(^|\s)\d*<<-?[ \t]+\S")
PATTERN_SUBSTITUTION = re.compile(r"\$\{\w+(#|%|/)")
ESCAPE_BACKTICK = re.compile(r"^\s*#\s*escape\s*=\s*`\s*$", re.I | re.M)


def load_oracle(path):
    spec = importlib.util.spec_from_file_location("oracle_dump", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files_under(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, _, names in os.walk(path):
            for name in sorted(names):
                if name.endswith((".tsv", ".json", ".md")) or ".dump." in name:
                    continue
                yield os.path.join(root, name)


def dlayer_dumps(binary, files):
    """Runs dlayer once over all files; returns {path: dump or None when it rejected the file}."""
    result = subprocess.run([binary, "dump", "--format", "buildkit", *files],
                            capture_output=True, text=True, encoding="utf-8", errors="surrogateescape")
    dumps, current, lines = {}, None, []
    for line in result.stdout.splitlines(keepends=True):
        if line.startswith("==> ") and line.rstrip("\n").endswith(" <=="):
            if current is not None:
                dumps[current] = "".join(lines)
            current, lines = line[4:-5], []
        else:
            lines.append(line)
    if current is not None:
        dumps[current] = "".join(lines)
    if len(files) == 1:
        dumps[files[0]] = result.stdout
    # A file dlayer rejects prints its header and no tree.
    return {path: (dumps.get(path) or None) for path in files}


GO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


GO_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
              "\\": "\\", '"': '"'}


def go_unquote(quoted):
    """Inverse of Go's strconv.Quote."""
    out, i, body = [], 0, quoted[1:-1]
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        kind = body[i + 1]
        width = {"x": 2, "u": 4, "U": 8}.get(kind)
        if width:
            out.append(chr(int(body[i + 2:i + 2 + width], 16)))
            i += 2 + width
        else:
            out.append(GO_ESCAPES[kind])
            i += 2
    return "".join(out)


def split_values(line):
    """(keyword with its flags, [quoted values]) of one dump line `(kw ["--f"] "v1" "v2")`."""
    body = line[1:-1]
    keyword = body.split(" ", 1)[0]
    pos = len(keyword)
    if body.startswith(" [", pos):
        pos += 2
        while body[pos] != "]":
            pos = GO_STRING.match(body, pos).end()
            if body[pos] == " ":
                pos += 1
        pos += 1
    return body[:pos], GO_STRING.findall(body, pos)


def to_v0125(dump):
    """Current BuildKit dump -> v0.12.5 shape: ENV/LABEL lose the third (delimiter) value."""
    out = []
    for line in dump.splitlines():
        if line.startswith(("(env ", "(label ")):
            head, values = split_values(line)
            kept = [v for i, v in enumerate(values) if i % 3 != 2]
            line = "(" + " ".join([head] + kept) + ")"
        elif line.startswith(("(onbuild (env ", "(onbuild (label ")) and line.endswith("))"):
            line = "(onbuild " + to_v0125(line[len("(onbuild "):-1]).rstrip("\n") + ")"
        out.append(line)
    return "\n".join(out) + "\n"


def strip_onbuild_child_flags(dump):
    """The oracle binding does not expose an ONBUILD trigger's own flags."""
    dump = re.sub(r'^\(onbuild (\[[^\n]*?\] )?\(([^\s\[]+) \[(?:"(?:[^"\\]|\\.)*" ?)+\]',
                  lambda m: "(onbuild " + (m.group(1) or "") + "(" + m.group(2), dump, flags=re.M)
    # Nor a nested trigger (`ONBUILD ONBUILD RUN x`, rejected later by BuildKit anyway).
    return re.sub(r'^\(onbuild (\[[^\n]*?\] )?\(onbuild \(.*\)\)\)$',
                  lambda m: "(onbuild " + (m.group(1) or "") + '(onbuild ""))', dump, flags=re.M)


def excuse(text, ours, oracle, oracle_error=None, valid_utf8=True):
    """The documented v0.12.5 difference (or oracle-binding limit) behind a mismatch, or None.

    `ours` is dlayer's dump already normalized to the v0.12.5 shape."""
    if not valid_utf8:
        return "invalid UTF-8: dlayer reports it with its offset, BuildKit passes the bytes through"
    if oracle_error is not None and oracle_error.startswith("UnicodeDecodeError"):
        return ("BuildKit split a character byte-wise (U+00A0/U+0085 end in a byte Go's loops take "
                "for a space) and produced invalid UTF-8")
    if oracle_error is not None and "'NoneType' object has no attribute 'lower'" in oracle_error:
        return ("the oracle binding cannot represent an instruction with an empty keyword "
                "(a lone escape-token line)")
    if "\0" in text or (ours and "\\x00" in ours):
        return "NUL byte: the oracle binding truncates at NUL (C string)"
    if SPACED_HEREDOC.search(re.sub(r"[\\`][ \t]*\r?\n", "", text)):
        return "heredoc with space after << (heredoc since frontend 1.16, not in v0.12.5)"
    if re.search(r"^\s*#\s*check\s*=", text, re.I | re.M) and ESCAPE_BACKTICK.search(text):
        return "escape directive after check directive (check known since frontend 1.8)"
    if ESCAPE_BACKTICK.search(text) and re.search(r"--\S*[\\`]", text):
        return "escape token in flags (honoured since frontend 1.15; v0.12.5 hard-codes \\)"
    if PATTERN_SUBSTITUTION.search(text) and "<<" in text:
        return ("${VAR#pattern}-style substitution on a heredoc line (frontend 1.7; v0.12.5's lexer "
                "fails on it and then ignores the line's heredoc markers)")
    if ours and oracle and json_trailing_difference(ours, oracle):
        return "JSON array with trailing text (shell form since frontend 1.9; v0.12.5 took the array)"
    return None


def json_trailing_difference(ours, oracle):
    """True when every differing line is an instruction whose text is a JSON array followed
    by more text: v0.12.5 decoded the array and ignored the rest, current BuildKit does not."""
    ours_lines, oracle_lines = ours.splitlines(), oracle.splitlines()
    if len(ours_lines) != len(oracle_lines):
        return False
    decoder = json.JSONDecoder()
    for mine, theirs in zip(ours_lines, oracle_lines):
        if mine == theirs:
            continue
        _, values = split_values(mine)
        joined = " ".join(go_unquote(v) for v in values)
        rest = joined[joined.find("["):] if "[" in joined else joined
        try:
            array, end = decoder.raw_decode(rest)
        except ValueError:
            return False
        if not isinstance(array, list) or not rest[end:].strip():
            return False
    return True


def is_utf8(raw):
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def materialize_probes(probes_json):
    """Writes each edge probe of conformance/buildkit/edge-probes/probes.json to a file."""
    directory = tempfile.mkdtemp(prefix="dlayer-probes-")
    with open(probes_json, encoding="utf-8") as handle:
        for probe in json.load(handle):
            path = os.path.join(directory, probe["name"] + ".Dockerfile")
            with open(path, "w", encoding="utf-8", newline="") as out:
                out.write(probe["dockerfile"])
    return directory


def main():
    binary, oracle_path, *paths = sys.argv[1:]
    oracle = load_oracle(oracle_path)
    paths = [materialize_probes(p) if p.endswith("probes.json") else p for p in paths]
    files = list(files_under(paths))
    ours_by_file = {}
    for start in range(0, len(files), 200):
        ours_by_file.update(dlayer_dumps(binary, files[start:start + 200]))
    same, excused, differences = 0, [], []
    for path in files:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8", errors="replace")
        ours = ours_by_file[path]
        oracle_error = None
        try:
            theirs = oracle.dump_asottile(text)
        except Exception as error:  # BuildKit rejects the file, or the binding fails on it
            theirs = None
            oracle_error = f"{type(error).__name__}: {error}"
        ours_cmp = strip_onbuild_child_flags(to_v0125(ours)) if ours else None
        if ours_cmp == theirs or (ours_cmp is None and theirs is None):
            same += 1
            continue
        reason = excuse(text, ours_cmp, theirs, oracle_error, is_utf8(raw))
        if reason:
            excused.append((path, reason))
            continue
        detail = oracle_error if theirs is None else "dlayer rejected the file" if ours is None else None
        differences.append((path, ours_cmp, theirs, detail))
    for path, reason in excused:
        print(f"excused: {path}: {reason}")
    for path, ours, theirs, detail in differences:
        print(f"DIFFERENT: {path}" + (f" ({detail})" if detail else ""))
        if ours and theirs:
            for mine, other in zip(ours.splitlines(), theirs.splitlines()):
                if mine != other:
                    print(f"  dlayer: {mine}\n  oracle: {other}")
                    break
    print(f"differential: {len(files)} files, {same} identical, {len(excused)} excused, "
          f"{len(differences)} different")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
