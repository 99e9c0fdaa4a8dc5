"""Certificates are rendered and e-mails written from queues of their own, so that a
worker busy drawing PDFs or rendering mail never delays a payment; money and every other
task stay on the default queue."""

import pytest

from config.celery import app

MONEY_AND_THE_REST = [
    "marketplace.tasks.pay_award",
    "marketplace.tasks.settle_challenge",
    "marketplace.tasks.settle_released_awards",
    "payouts.tasks.send_payout",
    "payouts.tasks.execute_refund",
    "payouts.tasks.process_gateway_event",
]


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_certificate_task_goes_to_the_certificates_queue():
    assert queue_of("marketplace.tasks.generate_certificate") == "certificates"


MAIL = [
    "marketplace.tasks.send_notification_emails",
    "marketplace.tasks.send_event_emails",
    "marketplace.tasks.send_submission_receipt",
]


@pytest.mark.parametrize("task_name", MAIL)
def test_e_mail_tasks_go_to_the_mail_queue(task_name):
    assert task_name in app.tasks
    assert queue_of(task_name) == "mail"


@pytest.mark.parametrize("task_name", MONEY_AND_THE_REST)
def test_money_tasks_stay_on_the_default_queue(task_name):
    assert task_name in app.tasks
    assert queue_of(task_name) == app.conf.task_default_queue == "celery"


def test_a_worker_started_without_queues_consumes_all_three():
    assert set(app.amqp.queues) == {"celery", "certificates", "mail"}
