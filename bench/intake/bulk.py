"""Bulk import of N rows through the same service the background task runs; prints JSON."""

from __future__ import annotations

import json
import os
import random
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from ochag.access.models import AgencyType, User  # noqa: E402
from ochag.signals import services  # noqa: E402
from ochag.signals.models import ImportJob  # noqa: E402

rows = int(sys.argv[1])
rng = random.Random(7)
lines = ["Фамилия;Имя;Отчество;Дата рождения;Муниципалитет;Показатели"]
for i in range(rows):
    lines.append(f"Учеников{i};Иван;Петрович;{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}."
                 f"{rng.randint(2008, 2018)};Район 0;persistent_truancy")
from ochag.access.models import Agency  # noqa: E402

school = Agency.objects.filter(type=AgencyType.EDUCATION).order_by("pk").first()
user, _ = User.objects.get_or_create(username="bench.school", defaults={"agency": school, "role": "school_social_pedagogue"})
upload = SimpleUploadedFile(f"bench-{rows}.csv", "\n".join(lines).encode("utf-8"))
job, _ = services.import_job_create(actor=user, upload=upload)
started = time.monotonic()
job = services.import_job_run(job_id=job.pk)
elapsed = time.monotonic() - started
print(json.dumps({"rows": rows, "seconds": round(elapsed, 1), "created": job.created, "errors": len(job.errors),
                  "rows_per_s": round(rows / elapsed, 1)}))
ImportJob.objects.filter(pk=job.pk).update(status=job.status)
