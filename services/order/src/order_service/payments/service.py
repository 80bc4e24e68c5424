"""Recording payments; the payment that completes an order emits PaymentReceived (O-6).
The ledger (O-6): an order's payments, their reviewed reversals and refunds
(`LedgerService`).

Two ways in, one way to record (`record_payment`): staff enter a payment received by
transfer or in cash (`PaymentService`), or the customer pays online (B-2,
`OnlinePaymentService`): the portal asks for an intent (the provider's QR code) and the
provider's verified notification records the payment."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from dinghuo_contracts import PaymentReceived, PaymentReversed
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound, Unprocessable
from servicekit.logging import get_logger
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from ..models import Order, Payment, PaymentIntent, PaymentReversal, Refund
from ..orders.domain import OrderStatus, amount_outstanding
from ..orders.repository import OrderRepository
from ..orders.transitions import Transitions, log
from . import domain
from .providers import (
    CallbackAck,
    CallbackError,
    IntentRequest,
    InvalidSignature,
    PaymentNotice,
    PaymentProvider,
)
from .providers.sandbox import Sandbox
from .repository import IntentRepository, LedgerRepository
from .schemas import (
    LedgerEntryOut,
    LedgerOut,
    PaymentIn,
    PaymentIntentOut,
    PaymentProviderOut,
    PaymentRecorded,
    RefundIn,
)

logger = get_logger(__name__)


async def record_payment(session: AsyncSession, orders: OrderRepository, order: Order, *,
                         amount: Decimal, paid_on: date, method: str,
                         reference: str | None, recorded_by: str, actor: Principal | None,
                         extra: dict[str, Any] | None = None,
                         ) -> tuple[Payment, domain.PaymentOutcome]:
    """Record `amount` against the (locked) order: the payment row, the new paid total,
    the timeline entry and — on the payment that completes the order —
    `order.payment_received` in the outbox, all in the caller's transaction. The domain
    refuses a payment on a rejected or cancelled order and (409) more than is
    outstanding; an order takes any number of payments up to its total."""
    domain.check_payment_amount(OrderStatus(order.status), order.payable,
                                order.paid_total, amount)
    outcome = domain.apply_payment(OrderStatus(order.status), order.payable,
                                   order.paid_total, amount)
    payment = Payment(id=uuid.uuid4(), order_id=order.id, amount=amount, paid_on=paid_on,
                      method=method, reference=reference, recorded_by=recorded_by)
    LedgerRepository(session).add(payment)
    order.paid_total = outcome.paid_total
    await session.flush()
    # A payment leaves the order's status alone (payment is tracked beside it).
    await Transitions(session, orders).record(
        order, "payment_recorded", actor, data={
            "payment_id": str(payment.id), "amount": f"{payment.amount}",
            "paid_on": payment.paid_on.isoformat(), "method": payment.method,
            "reference": payment.reference, "paid_total": f"{outcome.paid_total}",
            **(extra or {})},
        event=PaymentReceived(
            order_id=order.id, number=order.number, customer_id=order.customer_id,
            total=order.total, amount_paid=outcome.paid_total, paid_on=paid_on,
            source=order.source) if outcome.fully_paid_now else None)
    return payment, outcome


class PaymentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)

    async def record(self, principal: Principal, order_id: uuid.UUID,
                     data: PaymentIn) -> PaymentRecorded:
        if data.paid_on > business_date():
            raise Unprocessable("paid_on must not be in the future")
        order = await self.orders.get(order_id, for_update=True, areas=principal.areas)
        if order is None:
            raise NotFound("Order not found")
        payment, outcome = await record_payment(
            self.session, self.orders, order, amount=data.amount, paid_on=data.paid_on,
            method=data.method, reference=data.reference, recorded_by=principal.display,
            actor=principal)
        return PaymentRecorded(
            id=payment.id, order_id=order.id, amount=payment.amount, paid_on=payment.paid_on,
            method=payment.method, paid_total=outcome.paid_total,
            outstanding=outcome.outstanding,
            payment_status=domain.payment_status(order.payable, outcome.paid_total).value)


class LedgerService:
    """An order's ledger (O-6): payments, their reversals — asked for by one staff
    member, approved or rejected by another; an approved one is the counter-entry that
    takes the payment off the paid total — and refunds. Every change locks the order
    first, so two of them on one order run one after the other."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)
        self.rows = LedgerRepository(session)
        self.transitions = Transitions(session, self.orders)

    async def _order(self, principal: Principal, order_id: uuid.UUID, *,
                     for_update: bool = False) -> Order:
        if principal.kind == "customer":
            order = await self.orders.get(order_id, customer_id=principal.customer_id)
        else:
            order = await self.orders.get(order_id, for_update=for_update,
                                          areas=principal.areas)
        if order is None:
            raise NotFound("Order not found")
        return order

    async def _refunded(self, order_id: uuid.UUID) -> Decimal:
        return sum((r.amount for r in await self.rows.refunds(order_id)), Decimal("0.00"))

    async def ledger(self, principal: Principal, order_id: uuid.UUID) -> LedgerOut:
        """The ledger as staff (area limits, C-7) or the order's customer see it; a
        customer sees neither pending nor rejected reversals, nor staff names."""
        return await self._ledger(await self._order(principal, order_id),
                                  customer=principal.kind == "customer")

    async def _ledger(self, order: Order, *, customer: bool = False) -> LedgerOut:
        await self.session.flush()
        payments = await self.rows.payments(order.id)
        reversals = await self.rows.reversals(order.id)
        refunds = await self.rows.refunds(order.id)
        open_of = {r.payment_id: r for r in reversals if r.status != "rejected"}
        entries: list[LedgerEntryOut] = []
        for p in payments:
            rev = open_of.get(p.id)
            state = domain.payment_state(p.reversed_by, rev is not None
                                         and rev.status == "pending")
            if customer and state is domain.PaymentState.REVERSAL_PENDING:
                state, rev = domain.PaymentState.RECORDED, None
            entries.append(LedgerEntryOut(
                id=p.id, kind="payment", amount=p.amount, entry_date=p.paid_on,
                method=p.method, reference=p.reference,
                recorded_by=None if customer else p.recorded_by, created_at=p.created_at,
                status=state.value, reversal_id=rev.id if rev else None))
        for r in reversals:
            if customer and r.status != "approved":
                continue
            entries.append(LedgerEntryOut(
                id=r.id, kind="reversal", amount=r.amount,
                entry_date=business_date(r.decided_at or r.requested_at),
                recorded_by=None if customer else r.requested_by,
                created_at=r.decided_at or r.requested_at, status=r.status,
                reason=r.reason, payment_id=r.payment_id,
                decided_by=None if customer else r.decided_by, decided_at=r.decided_at,
                decision_reason=None if customer else r.decision_reason))
        for f in refunds:
            entries.append(LedgerEntryOut(
                id=f.id, kind="refund", amount=f.amount, entry_date=f.refunded_on,
                method=f.method, reference=f.reference,
                recorded_by=None if customer else f.recorded_by, created_at=f.created_at,
                status="recorded", reason=f.reason))
        entries.sort(key=lambda e: e.created_at)
        refunded = sum((f.amount for f in refunds), Decimal("0.00"))
        can_refund = domain.refundable(
            OrderStatus(order.status), order.paid_total, refunded,
            await self.rows.approved_return_refunds(order.id))
        return LedgerOut(
            order_id=order.id, number=order.number, total=order.total,
            paid_total=order.paid_total, refunded_total=refunded,
            outstanding=amount_outstanding(order.payable, order.paid_total,
                                           OrderStatus(order.status)),
            refundable=can_refund,
            payment_status=domain.payment_status(order.payable, order.paid_total).value,
            entries=entries)

    # ---------------------------------------------------------------- reversals
    async def request_reversal(self, principal: Principal, order_id: uuid.UUID,
                               payment_id: uuid.UUID, reason: str) -> LedgerOut:
        """Ask for a payment to be reversed: a pending reversal for its whole amount; the
        payment keeps counting until another staff member approves it."""
        order = await self._order(principal, order_id, for_update=True)
        payment = await self.rows.payment(order.id, payment_id)
        if payment is None:
            raise NotFound("Payment not found")
        pending = await self.rows.pending_reversal(payment.id)
        domain.check_reversal_request(domain.payment_state(payment.reversed_by,
                                                           pending is not None))
        reversal = PaymentReversal(
            id=uuid.uuid4(), order_id=order.id, payment_id=payment.id, amount=payment.amount,
            status=domain.ReversalStatus.PENDING.value, reason=reason,
            requested_by=principal.display, requested_by_subject=principal.subject,
            requested_at=utcnow())
        self.rows.add(reversal)
        await self.session.flush()
        log(self.orders, order, "payment_reversal_requested", principal, note=reason,
            data={"payment_id": str(payment.id), "reversal_id": str(reversal.id),
                  "amount": f"{payment.amount}"})
        return await self._ledger(order)

    async def _pending(self, principal: Principal, order_id: uuid.UUID,
                       payment_id: uuid.UUID) -> tuple[Order, Payment, PaymentReversal]:
        order = await self._order(principal, order_id, for_update=True)
        payment = await self.rows.payment(order.id, payment_id)
        if payment is None:
            raise NotFound("Payment not found")
        reversal = await self.rows.pending_reversal(payment.id)
        if reversal is None:
            raise domain.ReversalNotAllowed(
                "the payment has already been reversed" if payment.reversed_by
                else "no reversal of this payment is waiting for review")
        return order, payment, reversal

    async def approve_reversal(self, principal: Principal, order_id: uuid.UUID,
                               payment_id: uuid.UUID) -> LedgerOut:
        """Approve a pending reversal (another staff member than who asked): the
        payment's amount comes off the paid total, the payment links to its reversal,
        and an order that is no longer fully paid emits order.payment_reversed."""
        order, payment, reversal = await self._pending(principal, order_id, payment_id)
        domain.decide_reversal(domain.ReversalStatus(reversal.status),
                               reversal.requested_by_subject, principal.subject,
                               approve=True)
        outcome = domain.apply_reversal(order.payable, order.paid_total,
                                        await self._refunded(order.id), reversal.amount)
        now = utcnow()
        reversal.status = domain.ReversalStatus.APPROVED.value
        reversal.decided_by, reversal.decided_at = principal.display, now
        await self.session.flush()
        payment.reversed_by = reversal.id
        order.paid_total = outcome.paid_total
        await self.session.flush()
        await self.transitions.record(
            order, "payment_reversed", principal, note=reversal.reason,
            data={"payment_id": str(payment.id), "reversal_id": str(reversal.id),
                  "amount": f"{reversal.amount}", "paid_total": f"{outcome.paid_total}",
                  "requested_by": reversal.requested_by},
            event=PaymentReversed(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                amount=reversal.amount, paid_total=outcome.paid_total,
                reason=reversal.reason, reversed_by=principal.display,
                reversed_on=business_date(now)) if outcome.no_longer_paid else None)
        return await self._ledger(order)

    async def reject_reversal(self, principal: Principal, order_id: uuid.UUID,
                              payment_id: uuid.UUID, reason: str) -> LedgerOut:
        """Refuse a pending reversal (another staff member than who asked): the payment
        keeps counting; a new reversal may be asked for."""
        order, payment, reversal = await self._pending(principal, order_id, payment_id)
        domain.decide_reversal(domain.ReversalStatus(reversal.status),
                               reversal.requested_by_subject, principal.subject,
                               approve=False)
        reversal.status = domain.ReversalStatus.REJECTED.value
        reversal.decided_by, reversal.decided_at = principal.display, utcnow()
        reversal.decision_reason = reason
        await self.session.flush()
        log(self.orders, order, "payment_reversal_rejected", principal, note=reason,
            data={"payment_id": str(payment.id), "reversal_id": str(reversal.id),
                  "amount": f"{reversal.amount}"})
        return await self._ledger(order)

    # ---------------------------------------------------------------- refunds
    async def refund(self, principal: Principal, order_id: uuid.UUID,
                     data: RefundIn) -> LedgerOut:
        """Record money paid back: at most the approved returns' refund amounts (for a
        cancelled order everything paid) less the refunds recorded, never more than
        paid (409 naming the refundable amount)."""
        if data.refunded_on > business_date():
            raise Unprocessable("refunded_on must not be in the future")
        order = await self._order(principal, order_id, for_update=True)
        refunded = await self._refunded(order.id)
        can_refund = domain.refundable(
            OrderStatus(order.status), order.paid_total, refunded,
            await self.rows.approved_return_refunds(order.id))
        domain.check_refund(data.amount, can_refund)
        refund = Refund(id=uuid.uuid4(), order_id=order.id, amount=data.amount,
                        refunded_on=data.refunded_on, method=data.method,
                        reference=data.reference, reason=data.reason,
                        recorded_by=principal.display, created_at=utcnow())
        self.rows.add(refund)
        await self.session.flush()
        log(self.orders, order, "refund_recorded", principal, note=data.reason,
            data={"refund_id": str(refund.id), "amount": f"{refund.amount}",
                  "refunded_on": refund.refunded_on.isoformat(), "method": refund.method,
                  "reference": refund.reference,
                  "refunded_total": f"{refunded + refund.amount}"})
        return await self._ledger(order)


def intent_out(intent: PaymentIntent, now: datetime | None = None) -> PaymentIntentOut:
    return PaymentIntentOut(
        intent_id=intent.id, order_id=intent.order_id, provider=intent.provider,
        code_url=intent.code_url, amount=intent.amount, currency=intent.currency,
        expires_at=intent.expires_at,
        status=domain.shown_status(intent.status, intent.expires_at, now or utcnow()).value,
        paid_at=intent.paid_at)


class OnlinePaymentService:
    """Online payment (B-2, O-6): intents for the portal, the providers' notifications.

    `providers` are the enabled providers by name (app.state.payment_providers, built
    from the settings at start-up)."""

    def __init__(self, session: AsyncSession, settings: Settings,
                 providers: Mapping[str, PaymentProvider]) -> None:
        self.session = session
        self.settings = settings
        self.providers = providers
        self.orders = OrderRepository(session)
        self.intents = IntentRepository(session)

    def enabled(self) -> list[PaymentProviderOut]:
        return [PaymentProviderOut(provider=name, method=domain.METHODS[name])
                for name in self.settings.payment_providers_enabled]

    def notify_url(self, provider: str) -> str:
        return (f"{self.settings.payment_public_base_url.strip().rstrip('/')}"
                f"/api/payments/callbacks/{provider}")

    # ---------------------------------------------------------------- the portal
    async def pay(self, customer: Principal, order_id: uuid.UUID,
                  provider_name: str) -> PaymentIntentOut:
        """An intent for everything the customer's approved order still owes: an open one
        for the same provider and amount is shown again; otherwise the provider is asked
        for a new QR code. The order stays locked meanwhile, so two clicks make one."""
        name = domain.check_provider(provider_name, self.settings.payment_providers_enabled)
        provider = self.providers[name]
        order = await self.orders.get(order_id, customer_id=customer.customer_id,
                                      for_update=True)
        if order is None:
            raise NotFound("Order not found")
        amount = domain.payable_amount(OrderStatus(order.status), order.due_date,
                                       order.payable, order.paid_total)
        now = utcnow()
        for intent in await self.intents.open_of(order.id):
            if domain.reusable(intent.status, intent.provider, intent.amount,
                               intent.expires_at, want_provider=name, want_amount=amount,
                               now=now):
                return intent_out(intent, now)
            if intent.expires_at <= now:
                intent.status = domain.IntentStatus.EXPIRED.value
        number = domain.out_trade_no(order.number)
        expires_at = now + timedelta(minutes=self.settings.payment_intent_minutes)
        # A provider that refuses or cannot be reached is a 502/503 (ProviderError);
        # nothing is recorded then.
        created = await provider.create_intent(IntentRequest(
            out_trade_no=number, amount=amount,
            description=domain.DESCRIPTION.format(number=order.number),
            notify_url=self.notify_url(name), expires_at=expires_at))
        intent = PaymentIntent(
            id=uuid.uuid4(), order_id=order.id, customer_id=order.customer_id, provider=name,
            out_trade_no=number, amount=amount, currency="CNY",
            status=domain.IntentStatus.CREATED.value, code_url=created.code_url,
            expires_at=expires_at, created_at=now, updated_at=now)
        self.intents.add(intent)
        await self.session.flush()
        logger.info("payment_intent_created", order_id=str(order.id), provider=name,
                    out_trade_no=number, amount=f"{amount}")
        return intent_out(intent, now)

    async def intent(self, customer: Principal, order_id: uuid.UUID,
                     intent_id: uuid.UUID) -> PaymentIntentOut:
        assert customer.customer_id is not None
        intent = await self.intents.get(intent_id, order_id=order_id,
                                        customer_id=customer.customer_id)
        if intent is None:
            raise NotFound("Payment intent not found")
        return intent_out(intent)

    # ---------------------------------------------------------------- notifications
    async def notification(self, provider_name: str, headers: Mapping[str, str],
                           body: bytes) -> CallbackAck:
        """A provider's notification, exactly as received. Its signature is the only
        authentication: a forged one is a 401 and records nothing; one that does not fit
        its intent (unknown number, another amount or currency) a 400/404 and records
        nothing. A paid notification makes the intent `paid` and records the payment
        once; the same notification again is acknowledged and changes nothing."""
        provider = self.providers.get(provider_name)
        if provider is None:
            raise NotFound(f"Online payment with {provider_name} is not enabled")
        try:
            notice = provider.verify_callback(headers, body)
        except InvalidSignature as exc:
            logger.warning("payment_callback_refused", provider=provider_name,
                           reason=exc.message, status=401)
            return provider.callback_ack(False, exc.message, 401)
        except CallbackError as exc:
            logger.warning("payment_callback_refused", provider=provider_name,
                           reason=exc.message, status=400)
            return provider.callback_ack(False, exc.message, 400)
        return await self._apply(provider, notice)

    async def _apply(self, provider: PaymentProvider, notice: PaymentNotice) -> CallbackAck:
        found = await self.intents.by_out_trade_no(notice.out_trade_no)
        if found is None:
            logger.warning("payment_callback_refused", provider=provider.name,
                           out_trade_no=notice.out_trade_no, reason="unknown out_trade_no",
                           status=404)
            return provider.callback_ack(False, "unknown out_trade_no", 404)
        # The order first, then the intent: the same order as `pay`, so no deadlock, and
        # a second copy of the notification waits here and then finds the intent paid.
        order = await self.orders.get(found.order_id, for_update=True)
        intent = await self.intents.by_out_trade_no(notice.out_trade_no, for_update=True)
        assert order is not None and intent is not None  # rows are never deleted
        context = {"provider": provider.name, "out_trade_no": intent.out_trade_no,
                   "order_id": str(order.id), "transaction_id": notice.transaction_id}
        wrong = domain.mismatch(intent.provider, intent.amount, intent.currency,
                                provider=notice.provider, amount=notice.amount,
                                currency=notice.currency)
        if wrong is not None:
            logger.error("payment_callback_mismatch", reason=wrong.reason,
                         notice_amount=f"{notice.amount}", notice_currency=notice.currency,
                         **context)
            return provider.callback_ack(False, wrong.reason, 400)
        if not notice.paid:
            if (notice.trade_state in domain.FAILED_TRADE_STATES
                    and intent.status == domain.IntentStatus.CREATED):
                intent.status = domain.IntentStatus.FAILED.value
            logger.info("payment_callback_not_paid", trade_state=notice.trade_state,
                        **context)
            return provider.callback_ack(True)
        if intent.status == domain.IntentStatus.PAID:
            # Providers resend until acknowledged: the payment is recorded already.
            logger.info("payment_callback_repeated", recorded_transaction_id=(
                intent.provider_transaction_id), **context)
            return provider.callback_ack(True)
        paid_at = notice.paid_at or utcnow()
        intent.status = domain.IntentStatus.PAID.value
        intent.provider_transaction_id = notice.transaction_id
        intent.paid_at = paid_at
        outcome = domain.settle(OrderStatus(order.status), order.payable,
                                order.paid_total, intent.amount)
        extra = {"intent_id": str(intent.id), "out_trade_no": intent.out_trade_no,
                 "provider": provider.name}
        if outcome.settlement is domain.Settlement.RECORD:
            payment, _ = await record_payment(
                self.session, self.orders, order, amount=intent.amount,
                paid_on=business_date(paid_at), method=domain.METHODS[provider.name],
                reference=notice.transaction_id or intent.out_trade_no,
                recorded_by=f"online:{provider.name}", actor=None, extra=extra)
            intent.payment_id = payment.id
            logger.info("payment_recorded_online", amount=f"{intent.amount}", **context)
        else:
            # Paid meanwhile by other means (or cancelled): the money is not recorded
            # against the order; the intent and the timeline say so for staff.
            intent.note = outcome.note
            log(self.orders, order, "online_payment_unapplied", None, note=outcome.note,
                data={**extra, "amount": f"{intent.amount}",
                      "transaction_id": notice.transaction_id})
            logger.warning("payment_online_unapplied", note=outcome.note, **context)
        await self.session.flush()
        return provider.callback_ack(True)

    # ---------------------------------------------------------------- the sandbox
    def sandbox(self) -> Sandbox:
        """The sandbox provider when it is enabled, else a 404 (its pages do not exist)."""
        provider = self.providers.get("sandbox")
        if not isinstance(provider, Sandbox):
            raise NotFound("The payment sandbox is not enabled")
        return provider

    async def sandbox_intent(self, out_trade_no: str) -> tuple[PaymentIntent, Order]:
        self.sandbox()
        intent = await self.intents.by_out_trade_no(out_trade_no)
        if intent is None or intent.provider != "sandbox":
            raise NotFound("No such sandbox payment")
        order = await self.orders.get(intent.order_id)
        assert order is not None
        return intent, order

    async def sandbox_pay(self, out_trade_no: str) -> tuple[CallbackAck, PaymentIntent, Order]:
        """The sandbox's 确认支付: the signed notification a provider would send, through the
        same path as /api/payments/callbacks/sandbox."""
        sandbox = self.sandbox()
        intent, _ = await self.sandbox_intent(out_trade_no)
        shown = domain.shown_status(intent.status, intent.expires_at, utcnow())
        if shown in (domain.IntentStatus.EXPIRED, domain.IntentStatus.FAILED):
            # Like a real provider: a QR code past its time cannot be paid.
            raise Conflict("This payment QR code has expired: start the payment again "
                           "from the order")
        headers, body = sandbox.notification(intent.out_trade_no, intent.amount)
        ack = await self.notification("sandbox", headers, body)
        intent, order = await self.sandbox_intent(out_trade_no)
        return ack, intent, order
