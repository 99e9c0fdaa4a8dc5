"""Writes. Each public function is one action: keyword-only, typed, one durable
transaction, an audit row where the action changes a challenge's life, side effects
queued with `transaction.on_commit`."""
