"""Dinghuo's reference finance subscriber (I-4): an external subscriber of the
`dinghuo.events` exchange that takes every invoice event from its queue
`finance.invoice-events` and appends one row per event to a ledger CSV, deduplicating by
the envelope id, acking only after the row is on disk."""
