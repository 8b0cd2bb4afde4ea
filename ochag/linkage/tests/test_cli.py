from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

HEADER = (
    "record_id,last_name,first_name,patronymic,sex,birth_date,snils,region,municipality,source\n"
)
ROWS = [
    "r1,Иванов,Александр,Сергеевич,M,2015-03-04,112-233-445 95,обл,район,school\n",
    "r2,ИВАНОВ,Саша,Сергеевич,,2015-03-04,,обл,район,helpline\n",
    "r3,Petrova,Mariia,Ivanovna,F,2012,,обл,район,clinic\n",
    "r4,Петрова,Маша,Ивановна,F,2012-07-01,,обл,район,police\n",
    "r5,Сидоров,Олег,,M,,,обл,район,school\n",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ochag.linkage", *args],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def write(p: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, "utf-8")
    return p


def test_dedupe_happy_path_with_bom(tmp_path: Path) -> None:
    inp = write(tmp_path / "in.csv", "\ufeff" + HEADER + "".join(ROWS))
    out = tmp_path / "out.csv"
    r = run("dedupe", str(inp), "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [x["record_id"] for x in rows] == ["r1", "r2", "r3", "r4", "r5"]
    cl = {x["record_id"]: x["cluster_id"] for x in rows}
    assert cl["r1"] == cl["r2"]
    assert cl["r5"] not in (cl["r1"], cl["r3"])


def test_match_happy_path_with_timings(tmp_path: Path) -> None:
    reg = write(tmp_path / "reg.csv", HEADER + "".join(ROWS))
    q = write(tmp_path / "q.csv", HEADER
              + "q1,Иванову,Саше,Сергеевичу,,2015-04-03,,обл,район,police\n"
              + "q2,Кошкин,Фёдор,Ильич,M,2001-01-01,,обл,район,police\n")  # fmt: skip
    out, tm = tmp_path / "res.csv", tmp_path / "t.json"
    r = run("match", "--registry", str(reg), "--queries", str(q), "--out", str(out),
            "--top", "3", "--timings", str(tm))  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["query_id", "rank", "record_id", "score", "decision"]
    q1 = [x for x in rows if x["query_id"] == "q1"]
    assert q1[0]["rank"] == "1" and q1[0]["record_id"] in ("r1", "r2")
    assert q1[0]["decision"] in ("link", "review")
    assert len(q1) <= 3
    q2 = [x for x in rows if x["query_id"] == "q2"]
    assert q2 and q2[0]["decision"] == "new"
    t = json.loads(tm.read_text())
    assert t["index_build_seconds"] >= 0
    assert set(t["latency_ms"]) >= {"p50", "p95", "p99"}


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("record_id,last_name\nr1,x\n", ":1: bad header"),
        (HEADER + ROWS[0] + "r9,Петров,Пётр,,M,2015-13-01,,,,\n", ":3: bad birth_date"),
        (HEADER + "r9,Петров,Пётр,,X,2015-01-01,,,,\n", ":2: bad sex"),
        (HEADER + ROWS[0] + ROWS[1] + "r9,Петров,Пётр\n", ":4: expected 10 columns, found 3"),
        (HEADER + "r9,Петров,Пётр,,M,01.02.2015,,,,\n", ":2: bad birth_date"),
        ("", ":1: empty file"),
    ],
)
def test_malformed_input_names_file_and_line(tmp_path: Path, content: str, needle: str) -> None:
    inp = write(tmp_path / "bad.csv", content)
    r = run("dedupe", str(inp), "--out", str(tmp_path / "o.csv"))
    assert r.returncode == 2
    assert needle in r.stderr and "bad.csv" in r.stderr
    assert "Traceback" not in r.stderr


def test_non_utf8_input(tmp_path: Path) -> None:
    inp = write(tmp_path / "cp.csv", (HEADER + "r1,Иванов,Иван,,M,,,,,\n").encode("cp1251"))
    good = write(tmp_path / "good.csv", HEADER + ROWS[0])
    r = run(
        "match", "--registry", str(good), "--queries", str(inp), "--out", str(tmp_path / "o.csv")
    )
    assert r.returncode == 2
    assert "cp.csv:2: not valid UTF-8" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_file(tmp_path: Path) -> None:
    r = run("dedupe", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv"))
    assert r.returncode == 2 and "nope.csv" in r.stderr and "Traceback" not in r.stderr
