"""Stripe's requirement codes in words a winner understands, each thing once; codes we
do not know are shown as Stripe wrote them."""

from django.utils import translation

from payouts.connect_texts import disabled_reason_label, requirements_text


def test_requirements_in_words_each_once():
    codes = [
        "external_account",
        "individual.verification.document",
        "individual.verification.additional_document",
        "tos_acceptance.date",
        "settings.payments.statement_descriptor",
    ]
    assert requirements_text(codes) == (
        "a bank account to pay the money into, an identity document, acceptance of "
        "Stripe's terms, settings.payments.statement_descriptor"
    )


def test_reasons_in_words_and_in_spanish():
    assert disabled_reason_label("requirements.past_due") == "some information is overdue"
    assert disabled_reason_label("something.new") == "something.new"
    with translation.override("es"):
        assert requirements_text(["external_account"]) == (
            "una cuenta bancaria en la que ingresar el dinero"
        )
