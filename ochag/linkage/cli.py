"""Command line: `python -m ochag.linkage dedupe|match ...` (see --help)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .batch import dedupe
from .matcher import Matcher
from .model import Params
from .records import PersonRecord, parse_date

HEADER = [
    "record_id", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils",
    "region", "municipality", "source",
]  # fmt: skip


class InputError(Exception):
    pass


def read_records(path: str) -> list[PersonRecord]:
    """Read and validate a person CSV; raises InputError naming file and line."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte {exc.start})") from exc
    return list(_parse(path, text))


def _parse(path: str, text: str) -> Iterator[PersonRecord]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"{path}:1: malformed CSV: {exc}") from exc
    if header is None:
        raise InputError(f"{path}:1: empty file, expected header {','.join(HEADER)}")
    if [h.strip() for h in header] != HEADER:
        raise InputError(f"{path}:1: bad header {','.join(header)!r}; expected {','.join(HEADER)}")
    seen: set[str] = set()
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from exc
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(HEADER):
            raise InputError(f"{path}:{line}: expected {len(HEADER)} columns, found {len(row)}")
        vals = [v.strip() for v in row]
        rid = vals[0]
        if not rid:
            raise InputError(f"{path}:{line}: empty record_id")
        if rid in seen:
            raise InputError(f"{path}:{line}: duplicate record_id {rid!r}")
        seen.add(rid)
        sex = vals[4]
        if sex not in ("", "M", "F"):
            raise InputError(f"{path}:{line}: bad sex {sex!r} (expected M, F or empty)")
        if vals[5]:
            try:
                parse_date(vals[5])
            except ValueError:
                raise InputError(
                    f"{path}:{line}: bad birth_date {vals[5]!r} "
                    "(expected YYYY-MM-DD, YYYY-MM or YYYY)"
                ) from None
            if "." in vals[5]:
                raise InputError(f"{path}:{line}: bad birth_date {vals[5]!r} (use YYYY-MM-DD)")
        yield PersonRecord(*(v or None for v in vals))  # type: ignore[arg-type]


def _write_csv(path: str, header: list[str], rows: list[list[str]]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return 0.0
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def cmd_dedupe(args: argparse.Namespace) -> int:
    recs = read_records(args.input)
    params = Params.load(args.params) if args.params else None
    clusters = dedupe(recs, params=params, threshold=args.threshold)
    _write_csv(
        args.out, ["record_id", "cluster_id"], [[r.record_id, clusters[r.record_id]] for r in recs]
    )
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    registry = read_records(args.registry)
    queries = read_records(args.queries)
    params = Params.load(args.params) if args.params else None
    t0 = time.perf_counter()
    m = Matcher(params)
    m.add_many(registry)
    build = time.perf_counter() - t0
    rows: list[list[str]] = []
    lat: list[float] = []
    for q in queries:
        t = time.perf_counter()
        res = m.match(q, top=args.top)
        lat.append((time.perf_counter() - t) * 1000.0)
        if not res.candidates:
            rows.append([q.record_id, "", "", "", res.decision])
        for rank, c in enumerate(res.candidates, 1):
            rows.append([q.record_id, str(rank), c.record_id, f"{c.score:.4f}", res.decision])
    _write_csv(args.out, ["query_id", "rank", "record_id", "score", "decision"], rows)
    if args.timings:
        Path(args.timings).write_text(
            json.dumps(
                {
                    "registry_rows": len(registry),
                    "queries": len(queries),
                    "index_build_seconds": round(build, 3),
                    "latency_ms": {
                        "p50": round(_pct(lat, 50), 3),
                        "p95": round(_pct(lat, 95), 3),
                        "p99": round(_pct(lat, 99), 3),
                        "mean": round(sum(lat) / len(lat), 3) if lat else 0.0,
                    },
                },
                indent=1,
            ),
            "utf-8",
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ochag.linkage", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dedupe", help="cluster the records of one CSV")
    d.add_argument("input")
    d.add_argument("--out", required=True)
    d.add_argument("--threshold", type=float, default=None, help="merge probability")
    d.add_argument("--params", help="parameters JSON (default: shipped)")
    d.set_defaults(func=cmd_dedupe)
    m = sub.add_parser("match", help="match query records against a registry")
    m.add_argument("--registry", required=True)
    m.add_argument("--queries", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--top", type=int, default=10)
    m.add_argument("--timings")
    m.add_argument("--params", help="parameters JSON (default: shipped)")
    m.set_defaults(func=cmd_match)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
