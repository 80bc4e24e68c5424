"""Subscribers outside the platform. Their durable queues are part of our topology so that
an event they want is kept for them even while they are offline (I-4, N-2)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExternalSubscriber:
    name: str
    queue: str
    binding_keys: tuple[str, ...]
    description: str


EXTERNAL_SUBSCRIBERS: tuple[ExternalSubscriber, ...] = (
    ExternalSubscriber(
        name="finance",
        queue="finance.invoice-events",
        binding_keys=("invoice.#",),
        description="The finance system: every invoice event (I-4).",
    ),
    ExternalSubscriber(
        name="notifier",
        queue="notifier.reminders",
        binding_keys=("order.payment_due", "customer.ordering_cycle_due",
                      "notify.delivery_requested"),
        description="The SMS/WeChat notifier: reminder events (N-2) and deliveries the "
                    "notify service asks for, such as password-reset codes (C-8).",
    ),
)
