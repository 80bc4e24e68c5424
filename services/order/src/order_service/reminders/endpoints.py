"""Reminders over HTTP: the operator's "run now" (O-6, C-6, N-2)."""

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from servicekit.auth import require_permission
from servicekit.errors import error_responses

from . import service
from .tasks import jobs

router = APIRouter(prefix="/api/console/reminders", tags=["console: reminders"])

MessagesEntry = require_permission("messages:entry")


class RunOut(BaseModel):
    jobs: dict[str, int] = Field(description=(
        "Per job, how many reminders this run emitted: `payment_due_reminders` "
        "(order.payment_due events) and `ordering_cycle_reminders` "
        "(customer.ordering_cycle_due events); 0 when everything due today had already "
        "been sent"))


@router.post("/run", response_model=RunOut, responses=error_responses(401, 403, 503))
async def run_reminders(request: Request, staff: MessagesEntry) -> RunOut:
    """Run the reminder jobs now, whether due or not (the worker runs them daily at
    09:00 Asia/Shanghai): payment-due reminders for approved orders with something
    outstanding, a few days before the due date (3 by default), on it, and every week
    (by default) while overdue; and ordering-cycle reminders for approved customers whose
    next ordering date (C-6) is today. A reminder already sent (same order, due date,
    stage and overdue week; same customer and ordering date) is not sent again, so a
    second run on the same day emits nothing new. Waits while the worker is running a
    job. A failed job is rolled back and recorded: 503.

    Needs `messages:entry` and no area limit: the run reminds the customers of every
    area, and staff bound to areas may act for their own customers only (C-7), so they
    get 403. A run limited to one area is not offered: the jobs run once a day for
    everyone, shared with the worker."""
    state = request.app.state
    return RunOut(jobs=await service.run_now(staff, state.db.sessionmaker,
                                             jobs(state.settings)))
