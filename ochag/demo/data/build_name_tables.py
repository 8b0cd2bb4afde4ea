"""Rebuild the demo's name frequency tables from the `russiannames` package (BSD-3).

Run: .venv/bin/python ochag/demo/data/build_name_tables.py
The tables are committed so the demo generator needs neither DuckDB nor Parquet at run time.
"""

import csv
from importlib import resources
from pathlib import Path

import duckdb

OUT = Path(__file__).parent
DATA = resources.files("russiannames").joinpath("data")


def main() -> None:
    con = duckdb.connect()
    first = con.execute(
        f"""select text, gender, count from read_parquet('{DATA}/names.parquet')
            where list_contains(ethnic, 'slav') and gender in ('m', 'f') and count >= 200
            order by count desc limit 700"""
    ).fetchall()
    with (OUT / "first_names.tsv").open("w", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(["name", "sex", "count"])
        for text, gender, count in first:
            writer.writerow([text, gender.upper(), count])
    surnames = con.execute(
        f"""select text, f_form, count from read_parquet('{DATA}/surnames.parquet')
            where gender = 'm' and f_form is not null and count >= 20
            order by count desc limit 5000"""
    ).fetchall()
    with (OUT / "surnames.tsv").open("w", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(["male", "female", "count"])
        writer.writerows(surnames)
    males = [t for t, g, _ in first if g == "m"]
    patronymics = con.execute(
        f"""select fname, gender, arg_max(text, count) from read_parquet('{DATA}/midnames.parquet')
            where gender in ('m', 'f') and fname in (select unnest(?)) group by fname, gender""",
        [males],
    ).fetchall()
    table: dict[str, dict[str, str]] = {}
    for fname, gender, text in patronymics:
        table.setdefault(fname, {})[gender] = text
    with (OUT / "patronymics.tsv").open("w", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(["father", "male", "female"])
        for fname in males:
            forms = table.get(fname, {})
            if "m" in forms and "f" in forms:
                writer.writerow([fname, forms["m"], forms["f"]])


if __name__ == "__main__":
    main()
