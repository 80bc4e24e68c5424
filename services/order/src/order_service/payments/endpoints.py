"""Payments over HTTP (O-6, B-2): staff record payments received (several per order, up
to its total), read an order's ledger, reverse a wrongly recorded payment (asked for by
one, approved or rejected by another) and record refunds; the customer pays an
approved order online (/api/portal/orders/{id}/pay, then polls the intent); the providers
notify /api/payments/callbacks/{provider} (no login: the provider's signature is the
authentication); in development /api/payments/sandbox/{out_trade_no} plays the provider's
payment page."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import AppError, error_responses
from servicekit.timeutil import utcnow

from . import sandbox_page
from .domain import shown_status
from .schemas import (
    LedgerOut,
    OnlineProvider,
    PayIn,
    PaymentIn,
    PaymentIntentOut,
    PaymentProviderOut,
    PaymentRecorded,
    RefundIn,
    ReversalIn,
    ReversalRejectIn,
)
from .service import LedgerService, OnlinePaymentService, PaymentService

router = APIRouter(tags=["payments"])
portal = APIRouter(tags=["portal: online payment"])
# Public: no internal token (the gateway forwards /api/payments/* without a login).
public = APIRouter(prefix="/api/payments", tags=["payment providers"])

PaymentsEntry = require_permission("payments:entry")
PaymentsQuery = require_permission("payments:query")
PaymentsReview = require_permission("payments:review")
OutTradeNo = Annotated[str, Path(min_length=1, max_length=64,
                                 description="The intent's out_trade_no")]


def online(request: Request, session: Session) -> OnlinePaymentService:
    return OnlinePaymentService(session, request.app.state.settings,
                                request.app.state.payment_providers)


@router.post("/api/console/orders/{order_id}/payments", status_code=201,
             response_model=PaymentRecorded,
             responses=error_responses(401, 403, 404, 409, 422))
async def record_payment(order_id: uuid.UUID, body: PaymentIn, session: Session,
                         staff: PaymentsEntry) -> PaymentRecorded:
    """Record a payment against an order; the one that completes it emits
    order.payment_received."""
    return await PaymentService(session).record(staff, order_id, body)


@router.get("/api/console/orders/{order_id}/payments", response_model=LedgerOut,
            responses=error_responses(401, 403, 404))
async def order_ledger(order_id: uuid.UUID, session: Session,
                       staff: PaymentsQuery) -> LedgerOut:
    """The order's ledger (O-6): payments, reversals and refunds, oldest first, with the
    paid and refunded totals, what is outstanding and what may still be refunded."""
    return await LedgerService(session).ledger(staff, order_id)


@router.post("/api/console/orders/{order_id}/payments/{payment_id}/reversal",
             status_code=201, response_model=LedgerOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def request_reversal(order_id: uuid.UUID, payment_id: uuid.UUID, body: ReversalIn,
                           session: Session, staff: PaymentsEntry) -> LedgerOut:
    """Ask for a wrongly recorded payment to be reversed (O-6): a pending reversal of
    its whole amount, reviewed by another staff member. Payments are never edited. 409
    when it is reversed already or a reversal waits. Answers the ledger."""
    return await LedgerService(session).request_reversal(staff, order_id, payment_id,
                                                         body.reason)


@router.post("/api/console/orders/{order_id}/payments/{payment_id}/reversal/approve",
             response_model=LedgerOut, responses=error_responses(401, 403, 404, 409))
async def approve_reversal(order_id: uuid.UUID, payment_id: uuid.UUID, session: Session,
                           staff: PaymentsReview) -> LedgerOut:
    """Approve the payment's pending reversal (O-6): its amount comes off the paid total
    (a counter-entry; the payment row stays). 409 for the staff member who asked for it,
    or when nothing waits; an order no longer fully paid emits order.payment_reversed."""
    return await LedgerService(session).approve_reversal(staff, order_id, payment_id)


@router.post("/api/console/orders/{order_id}/payments/{payment_id}/reversal/reject",
             response_model=LedgerOut, responses=error_responses(401, 403, 404, 409, 422))
async def reject_reversal(order_id: uuid.UUID, payment_id: uuid.UUID,
                          body: ReversalRejectIn, session: Session,
                          staff: PaymentsReview) -> LedgerOut:
    """Refuse the payment's pending reversal (O-6); the payment keeps counting. 409 for
    the staff member who asked for it, or when nothing waits."""
    return await LedgerService(session).reject_reversal(staff, order_id, payment_id,
                                                        body.reason)


@router.post("/api/console/orders/{order_id}/refunds", status_code=201,
             response_model=LedgerOut, responses=error_responses(401, 403, 404, 409, 422))
async def record_refund(order_id: uuid.UUID, body: RefundIn, session: Session,
                        staff: PaymentsEntry) -> LedgerOut:
    """Record money paid back to the customer (O-6): up to the approved returns' refund
    amounts (for a cancelled order everything paid) less refunds already recorded, never
    more than paid; 409 naming the refundable amount otherwise. Answers the ledger."""
    return await LedgerService(session).refund(staff, order_id, body)


# ==================================================================== portal (B-2)
@portal.get("/api/portal/payment-providers", response_model=list[PaymentProviderOut],
            responses=error_responses(401, 403))
async def payment_providers(request: Request, session: Session,
                            customer: CustomerPrincipal) -> list[PaymentProviderOut]:
    """The online payment providers this platform offers (B-2); empty when online
    payment is off."""
    return online(request, session).enabled()


@portal.get("/api/portal/orders/{order_id}/payments", response_model=LedgerOut,
            responses=error_responses(401, 403, 404))
async def my_order_ledger(order_id: uuid.UUID, session: Session,
                          customer: CustomerPrincipal) -> LedgerOut:
    """Your order's payments, reversals and refunds (O-6) with what is paid, refunded
    and outstanding."""
    return await LedgerService(session).ledger(customer, order_id)


@portal.post("/api/portal/orders/{order_id}/pay", response_model=PaymentIntentOut,
             responses=error_responses(401, 403, 404, 409, 422, 502, 503))
async def pay_order(order_id: uuid.UUID, body: PayIn, request: Request, session: Session,
                    customer: CustomerPrincipal) -> PaymentIntentOut:
    """Pay one of your approved orders online (B-2, O-6): everything outstanding, with
    the provider you choose. Answers the QR code's content (`code_url`) and until when it
    can be paid; an unexpired one for the same provider and amount is given again. Poll
    the intent until it is `paid`. 409 when the order owes nothing (not approved, paid,
    cancelled); 422 when the provider is not enabled; 502/503 when the provider refused
    or could not be reached."""
    return await online(request, session).pay(customer, order_id, body.provider)


@portal.get("/api/portal/orders/{order_id}/payment-intents/{intent_id}",
            response_model=PaymentIntentOut, responses=error_responses(401, 403, 404))
async def payment_intent(order_id: uuid.UUID, intent_id: uuid.UUID, request: Request,
                         session: Session, customer: CustomerPrincipal) -> PaymentIntentOut:
    """One online payment of your order and whether it is paid yet (the portal polls it)."""
    return await online(request, session).intent(customer, order_id, intent_id)


# ==================================================================== providers (public)
ACK_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Acknowledged in the provider's format (WeChat Pay and the "
                         "sandbox: {\"code\": \"SUCCESS\"}; Alipay: `success`)"},
    400: {"description": "A notification that cannot be used, or does not match its "
                         "intent's amount and currency; nothing is recorded"},
    401: {"description": "The signature does not verify; nothing is recorded"},
    404: {"description": "The provider is not enabled, or the intent is unknown"},
}
CALLBACK_BODY = {"requestBody": {"required": False, "description": (
    "The provider's notification exactly as it sends it (WeChat Pay: JSON with an "
    "encrypted resource; Alipay: a signed form; sandbox: signed JSON)"), "content": {
        "application/json": {"schema": {"type": "object"}},
        "application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}}


@public.post("/callbacks/{provider}", responses=ACK_RESPONSES, openapi_extra=CALLBACK_BODY,
             response_class=Response)
async def payment_callback(provider: OnlineProvider, request: Request,
                           session: Session) -> Response:
    """A payment provider's notification (B-2, O-6). No login: the provider's signature
    is the authentication. A verified notification of a payment records it on the order
    once (the same notification again changes nothing) and the payment that completes
    the order emits order.payment_received."""
    ack = await online(request, session).notification(provider, request.headers,
                                                      await request.body())
    return Response(ack.body, status_code=ack.status, media_type=ack.content_type)


HTML_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "The page"},
    404: {"content": {"text/html": {}}, "description": "The sandbox is not enabled or "
                                                       "the payment is unknown"},
    409: {"content": {"text/html": {}}, "description": "The QR code has expired"},
}


REFUSED = {404: "未找到这笔沙箱支付：沙箱支付未启用，或支付单号不存在。",
           409: "支付二维码已失效，请回到订单重新发起支付。"}


def _refused(exc: AppError, order_id: object | None = None) -> HTMLResponse:
    return HTMLResponse(sandbox_page.refused(REFUSED.get(exc.status_code, exc.message),
                                             order_id=order_id),
                        status_code=exc.status_code)


@public.get("/sandbox/{out_trade_no}", response_class=HTMLResponse,
            responses=HTML_RESPONSES)
async def sandbox_checkout(out_trade_no: OutTradeNo, request: Request,
                           session: Session) -> HTMLResponse:
    """The development sandbox's payment page (the sandbox intent's code_url): amount
    and order number, 确认支付 or 取消. Only while the sandbox is the enabled provider."""
    service = online(request, session)
    try:
        intent, order = await service.sandbox_intent(out_trade_no)
    except AppError as exc:
        return _refused(exc)
    return HTMLResponse(sandbox_page.checkout(
        out_trade_no=intent.out_trade_no, order_id=order.id, order_number=order.number,
        amount=intent.amount, expires_at=intent.expires_at,
        status=shown_status(intent.status, intent.expires_at, utcnow()).value))


@public.post("/sandbox/{out_trade_no}/pay", response_class=HTMLResponse,
             responses=HTML_RESPONSES)
async def sandbox_confirm(out_trade_no: OutTradeNo, request: Request,
                          session: Session) -> HTMLResponse:
    """The sandbox's 确认支付: it signs the notification a provider would send and runs
    it through the same path as /api/payments/callbacks/sandbox, then says 支付成功."""
    service = online(request, session)
    try:
        ack, intent, order = await service.sandbox_pay(out_trade_no)
    except AppError as exc:
        return _refused(exc)
    if ack.status != 200:
        return HTMLResponse(sandbox_page.refused(ack.body.decode(errors="replace"),
                                                 order_id=order.id), status_code=ack.status)
    return HTMLResponse(sandbox_page.paid(order_id=order.id, order_number=order.number,
                                          amount=intent.amount))
