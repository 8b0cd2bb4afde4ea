"""Benchmark the peer: Splink 5 on DuckDB (2 threads), trained without labels.

Preprocessing a typical Splink user would do: lower case, ё→е, trimmed strings; partial
dates are kept as strings (Levenshtein on the date string) plus a birth-year column.
Training as in Splink's docs: prior by deterministic rules, u by random sampling, m by EM
with blocking. Real-time: Linker.inference.predict_between(new record, registry).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import common
import duckdb
import pandas as pd
import splink.comparison_library as cl
from evaluate import evaluate, load_hardneg, load_truth
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def prep(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = pd.DataFrame({"unique_id": df["record_id"]})
    for src, dst in (("last_name", "surname"), ("first_name", "first_name"),
                     ("patronymic", "patronymic"), ("municipality", "municipality")):  # fmt: skip
        s = df[src].str.strip().str.lower().str.replace("ё", "е")
        out[dst] = s.where(s != "", None).astype("string")
    out["sex"] = df["sex"].where(df["sex"] != "", None).astype("string")
    out["dob"] = df["birth_date"].where(df["birth_date"] != "", None).astype("string")
    out["year"] = df["birth_date"].str[:4].where(df["birth_date"] != "", None).astype("string")
    sn = df["snils"].str.replace(r"[^0-9]", "", regex=True)
    out["snils"] = sn.where(sn.str.len() == 11, None).astype("string")
    return out


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("surname"),
            cl.NameComparison("first_name"),
            cl.NameComparison("patronymic"),
            cl.LevenshteinAtThresholds("dob", [1, 2]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("snils"),
            cl.ExactMatch("municipality"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "year"),
            block_on("first_name", "patronymic", "year"),
            block_on("snils"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--threshold", type=float, default=0.95)
    ap.add_argument("--no-batch", action="store_true")
    ap.add_argument("--memory-limit", default="6GB", help="DuckDB memory_limit (shared machine)")
    a = ap.parse_args()
    df = prep(a.data + ".csv")
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(f"SET memory_limit = '{a.memory_limit}'")
    con.execute("SET temp_directory = 'bench/data/duckdb_tmp'")
    db = DuckDBAPI(con)
    res: dict[str, object] = {"system": "splink", "data": a.data, "rows": len(df)}
    qidx = common.split_queries(len(df), a.queries) if a.queries else set()

    def trained(frame: pd.DataFrame, name: str) -> tuple[Linker, object, float]:
        t = time.perf_counter()
        sdf = db.register(frame, table_name=name)
        linker = Linker(sdf, settings())
        linker.training.estimate_probability_two_random_records_match(
            [block_on("surname", "first_name", "dob")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("surname", "first_name")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
        return linker, sdf, time.perf_counter() - t

    if not a.no_batch:
        t0 = time.perf_counter()
        linker, sdf, train_s = trained(df, "people")
        t1 = time.perf_counter()
        pred = linker.inference.predict(threshold_match_probability=0.01)
        t2 = time.perf_counter()
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            pred, threshold_match_probability=a.threshold
        )
        cdf = clusters.as_pandas_dataframe()
        t3 = time.perf_counter()
        n_cmp = None
        try:
            from splink.blocking_analysis import count_comparisons_from_blocking_rules

            cc = count_comparisons_from_blocking_rules(
                sdf,
                blocking_rules=settings().blocking_rules_to_generate_predictions,
                link_type="dedupe_only",
                record_sample_proportion=0.2 if len(df) > 200_000 else 1.0,
            )
            n_cmp = int(cc[-1]["cumulative_comparison_count"])
        except Exception as exc:
            print("comparison count failed:", exc, file=sys.stderr)
        p = dict(zip(cdf["unique_id"].astype(str), cdf["cluster_id"].astype(str), strict=True))
        res["batch"] = {
            "wall_seconds": round(t3 - t0, 2),
            "train_seconds": round(train_s, 2),
            "predict_seconds": round(t2 - t1, 2),
            "cluster_seconds": round(t3 - t2, 2),
            "comparisons": n_cmp,
            "comparisons_per_second": round(n_cmp / (t2 - t1)) if n_cmp else None,
            "threshold": a.threshold,
        }
        res["accuracy"] = evaluate(p, load_truth(a.data + ".truth.csv"),
                                   load_hardneg(a.data + ".hardneg.csv"))  # fmt: skip
    model: dict | None = None
    if not a.no_batch:
        model = linker.misc.save_model_to_json()
    if a.queries:
        reg = df[~df.index.isin(qidx)].reset_index(drop=True)
        qs = df[df.index.isin(qidx)].reset_index(drop=True)
        if model is None:
            linker, reg_sdf, train_s = trained(reg, "registry")
        else:  # reuse the model trained (without labels) in the batch step
            train_s = 0.0
            reg_sdf = db.register(reg, table_name="registry")
            linker = Linker(reg_sdf, model)
        truth = load_truth(a.data + ".truth.csv")
        reg_ents = set(truth[r] for r in reg["unique_id"])
        lat, hit, found = [], 0, 0
        for k in range(len(qs)):
            row = qs.iloc[[k]]
            t = time.perf_counter()
            q_sdf = db.register(row, table_name=f"q_{k}")
            out = linker.inference.predict_between(q_sdf, reg_sdf).as_pandas_dataframe()
            lat.append((time.perf_counter() - t) * 1000)
            e = truth[row["unique_id"].iloc[0]]
            if e in reg_ents:
                found += 1
                if len(out):
                    top = out.sort_values("match_weight", ascending=False).head(10)
                    ids = set(top["unique_id_r"].astype(str)) | set(top["unique_id_l"].astype(str))
                    hit += any(truth.get(i) == e for i in ids if i != row["unique_id"].iloc[0])
            q_sdf.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
        res["realtime"] = {
            "registry_rows": len(reg),
            "queries": len(qs),
            "train_seconds": round(train_s, 2),
            "p50_ms": round(pct(lat, 50), 3),
            "p95_ms": round(pct(lat, 95), 3),
            "p99_ms": round(pct(lat, 99), 3),
            "mean_ms": round(statistics.mean(lat), 3),
            "recall_at_10": round(hit / max(found, 1), 4),
        }
    res["peak_rss_mb"] = round(common.peak_rss_mb(), 1)
    res["load_average_at_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(res, fh, ensure_ascii=False, indent=1)
    print(json.dumps(res, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
