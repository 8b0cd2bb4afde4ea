"""Background work of the signals app (run by `python manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task
def run_import(job_id: int) -> int:
    """Process an uploaded signal file; returns the number of signals created."""
    from ochag.signals import bulk

    return bulk.import_job_run(job_id=job_id).created
