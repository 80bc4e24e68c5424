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
    # Keys the queue was bound to once and no longer is: removed when the topology is
    # declared, so a broker set up by an older version stops routing them.
    retired_binding_keys: tuple[str, ...] = ()


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
        binding_keys=("notify.delivery_requested",),
        description="The SMS/WeChat notifier (B-4): one delivery request per message and "
                    "channel from the notify service — payment and ordering-cycle "
                    "reminders, staff messages (N-1, N-2), password-reset codes (C-8). It "
                    "answers each with notify.delivery_reported.",
        # until issue 9 the raw reminders went to the notifier as well
        retired_binding_keys=("order.payment_due", "customer.ordering_cycle_due"),
    ),
)
