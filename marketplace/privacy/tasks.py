"""Building a person's export in the background. The task's name is what queued
messages use: it stays the same wherever the code lives."""

from celery import shared_task

from marketplace.privacy.services import personal_export_build, personal_exports_expire


@shared_task(name="marketplace.tasks.build_personal_export", acks_late=True)
def build_personal_export(request_id: int) -> bool:
    return personal_export_build(request_id=request_id)


@shared_task(name="marketplace.tasks.expire_personal_exports")
def expire_personal_exports() -> int:
    return personal_exports_expire()
