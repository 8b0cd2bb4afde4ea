#!/usr/bin/env python3
"""Sort the rows of `scripts/duplicates-app.sh REV --most 200` by kind, a keyword rule over the
lines of both sides read at REV: a place to start reading, not a verdict (the first rule that
matches wins, so a row of mixed kinds counts once, under the earlier kind).

Usage: ONLY='views|forms|services|selectors\\.py|tables\\.py|exports\\.py' \\
       scripts/duplicates-app.sh REV --most 200 | scripts/duplicates-kinds.py REV [-v]
(-v lists the rows no rule matched.)
"""

from __future__ import annotations

import collections
import re
import subprocess
import sys

RULES = [
    (
        "calls of the shared helpers (submit, versioned_submit, post_action, edit_page, "
        "_record_*, form_page, table_export…) and the lambdas they take",
        r"\b(submit|versioned_submit|post_action|edit_page|_record_edit|_record_view|"
        r"_record_create|form_page|form_flow|table_export|managed_record|person_sub_form)\(|"
        r"^\s*(save=)?lambda \w+: |=d(ata)?\[\"|success=|make_form",
    ),
    ("audit_record(...) keyword calls", r"audit_record\("),
    ("Table / Column / Filter declarations", r"\b(Table|Column|Filter)\("),
    ("form field declarations", r"forms\.\w+Field|Field\(|widget="),
    (
        "keyword-only service signatures and model constructions",
        r"@transaction\.atomic|def \w+\(\s*\*,|\*, actor|objects\.create\(|full_clean\(\)|"
        r"^\s*\w+: [\w.| ]+( = .+)?,$|=\w+\.strip\(\),$|^\s*\w+ = [A-Z]\w+\($",
    ),
    ("render(...) contexts", r"render\("),
    ("import lists", r"^\s*(from|import) "),
]
ROW = re.compile(r"D\d+ (\S+?):(\d+)-(\d+) ~ (\S+?):(\d+)-(\d+)")


def main() -> None:
    rev = sys.argv[1]
    files: dict[str, list[str]] = {}

    def lines(path: str, first: int, last: int) -> str:
        if path not in files:
            shown = subprocess.run(["git", "show", f"{rev}:ochag/{path}"], capture_output=True,
                                   text=True, check=True)  # fmt: skip
            files[path] = shown.stdout.splitlines()
        return "\n".join(files[path][first - 1 : last])

    counts: collections.Counter[str] = collections.Counter()
    unmatched = []
    for row in sys.stdin:
        m = ROW.match(row)
        if not m:
            continue
        text = lines(m[1], int(m[2]), int(m[3])) + "\n" + lines(m[4], int(m[5]), int(m[6]))
        kind = next((k for k, rx in RULES if re.search(rx, text, re.M)), "other (read by hand)")
        counts[kind] += 1
        if kind.startswith("other"):
            unmatched.append(row.strip())
    for kind, n in counts.most_common():
        print(f"{n:4} {kind}")
    if "-v" in sys.argv:
        print("\n".join(unmatched))


if __name__ == "__main__":
    main()
