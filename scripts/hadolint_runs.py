"""hadolint's JSON findings for many files, with hadolint run once per distinct file content.

hadolint takes about a tenth of a second per file, and the CI suites hand it the same content
more than once (fix_effect: every file a fix leaves as it was, and the safe and unsafe fixes of a
file that agree). Findings do not depend on a file's name, so each content is linted once, under
the first name it comes with, and its findings are given to every file with that content.

HADOLINT_CACHE=DIR keeps each content's findings in DIR (one JSON file per SHA-256, written
whole before it is renamed into place), so that suites running side by side in one CI run
share them; without it they are kept for the process only.
"""

import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys
import tempfile

BATCH = 100
_known = {}


def _digest(path):
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def _cached(digest):
    if digest in _known:
        return _known[digest]
    directory = os.environ.get("HADOLINT_CACHE")
    if directory:
        try:
            with open(os.path.join(directory, digest + ".json"), encoding="utf-8") as file:
                _known[digest] = json.load(file)
                return _known[digest]
        except FileNotFoundError:
            pass
    return None


def _keep(digest, findings):
    _known[digest] = findings
    directory = os.environ.get("HADOLINT_CACHE")
    if directory:
        os.makedirs(directory, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=directory, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(findings, file)
        os.replace(partial, os.path.join(directory, digest + ".json"))


def _run(hadolint, batch):
    run = subprocess.run([hadolint, "--no-fail", "--format", "json", *batch],
                         capture_output=True, text=True, check=False)
    try:
        return json.loads(run.stdout or "[]")
    except json.JSONDecodeError:
        sys.exit(f"hadolint gave no JSON: {run.stderr[:500]}")


def findings(paths, hadolint="hadolint", jobs=1):
    """{path: [hadolint's JSON findings of it, "file" set to path]}, `jobs` batches at a time."""
    digests = {path: _digest(path) for path in paths}
    first_with = {}
    for path in paths:
        if _cached(digests[path]) is None:
            first_with.setdefault(digests[path], path)
    todo = list(first_with.values())
    batches = [todo[start:start + BATCH] for start in range(0, len(todo), BATCH)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        for batch, results in zip(batches, pool.map(lambda batch: _run(hadolint, batch), batches)):
            found = {path: [] for path in batch}
            for result in results:
                found[result["file"]].append({key: value for key, value in result.items() if key != "file"})
            for path, of_path in found.items():
                _keep(digests[path], of_path)
    return {path: [dict(result, file=path) for result in _cached(digests[path])] for path in paths}
