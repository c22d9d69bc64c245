"""Slow work of the logistics app, as tasks that call services."""

from django.tasks import task

from regie.logistics import services


@task
def round_plan_task(plan_id: int) -> None:
    services.round_plan_run(plan_id=plan_id)
