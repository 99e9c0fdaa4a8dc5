"""Writes for money: the ledger, payments and refunds. Nothing here knows what a
challenge is; callers pass opaque subjects such as "challenge:12"."""
