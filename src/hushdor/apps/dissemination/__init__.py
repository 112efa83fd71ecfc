"""Dissemination: subscriptions, and one attempt-tracked delivery per recipient and channel (the outbox)."""
