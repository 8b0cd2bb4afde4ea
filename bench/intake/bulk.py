"""Bulk import of N rows through the same service the background task runs; prints JSON.

Rows are children with frequency-weighted names: a third are real registry persons (from the
setup's sample file, so they link), the rest new. Progress is sampled while the import runs,
from the job row the upload page polls.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

from ochag.access.models import Agency, AgencyType, Role, User  # noqa: E402
from ochag.demo.names import father_name, first_names, patronymic_of, surnames  # noqa: E402
from ochag.signals import bulk  # noqa: E402
from ochag.signals.models import ImportJob  # noqa: E402

INDICATORS = ["persistent_truancy", "persistent_truancy", "housing_debt;low_income", "cruelty"]


def rows(n: int, rng: random.Random) -> list[str]:
    sample_path = os.environ.get("BENCH_SAMPLE_FILE", "/tmp/bench_intake_sample.json")
    known = json.loads(Path(sample_path).read_text(encoding="utf-8"))
    sn, fm, ff = surnames(), first_names("M"), first_names("F")
    lines = ["Фамилия;Имя;Отчество;Дата рождения;Муниципалитет;Показатели;Описание"]
    for i in range(n):
        if rng.random() < 1 / 3:
            last, first, patr, iso = rng.choice(known)
            y, m, d = iso.split("-")
        else:
            sex = rng.choice("MF")
            last = sn.pick(rng)[0 if sex == "M" else 1]
            first = (fm if sex == "M" else ff).pick(rng)[0]
            patr = patronymic_of(father_name(rng), sex)
            y, m, d = (
                str(rng.randint(2008, 2020)),
                f"{rng.randint(1, 12):02d}",
                f"{rng.randint(1, 28):02d}",
            )
        lines.append(
            f"{last};{first};{patr};{d}.{m}.{y};Район {rng.randrange(10)};{rng.choice(INDICATORS)};"
            f"Пропуски занятий, строка {i}"
        )
    return lines


def main(n: int) -> None:
    school = Agency.objects.filter(type=AgencyType.EDUCATION).order_by("pk").first()
    user, _ = User.objects.get_or_create(
        username="bench.school", defaults={"agency": school, "role": Role.SCHOOL_SOCIAL_PEDAGOGUE}
    )
    data = "\n".join(rows(n, random.Random(time.time_ns()))).encode("utf-8")
    job, _ = bulk.import_job_create(actor=user, upload=SimpleUploadedFile(f"bench-{n}.csv", data))
    progress: list[tuple[float, int]] = []
    done = threading.Event()
    started = time.monotonic()

    def watch() -> None:
        while not done.wait(10):
            processed = ImportJob.objects.filter(pk=job.pk).values_list("processed", flat=True)
            progress.append((round(time.monotonic() - started), processed[0]))
        connection.close()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    job = bulk.import_job_run(job_id=job.pk)
    elapsed = time.monotonic() - started
    done.set()
    watcher.join()
    print(
        json.dumps(
            {
                "rows": n,
                "seconds": round(elapsed, 1),
                "created": job.created,
                "duplicates": job.duplicates,
                "errors": len(job.errors),
                "rows_per_s": round(n / elapsed, 1),
                "progress_seconds_processed": progress,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
