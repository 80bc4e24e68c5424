import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from servicekit.auth import StaffPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import MarkedRead, PromptOut
from .service import PromptService

router = APIRouter(prefix="/api/console/prompts", tags=["console: prompts"])

UNREAD_HEADER = "X-Unread-Count"
Kind = Literal["new_order", "customer_registered", "customer_updated", "invoice_requested",
               "service_request"]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("", response_model=list[PromptOut], responses=error_responses(401, 403, 422))
async def list_prompts(session: Session, _staff: StaffPrincipal, response: Response,
                       unread: bool | None = None, kind: Kind | None = None,
                       limit: Limit = 50, offset: Offset = 0) -> list[PromptOut]:
    """Staff prompts, newest first: `unread=true` only unread ones, `unread=false` only
    read ones. X-Total-Count holds the count of all matching, X-Unread-Count the number
    of unread prompts."""
    items, total, unread_count = await PromptService(session).list(
        unread=unread, kind=kind, limit=limit, offset=offset)
    set_total(response, total)
    response.headers[UNREAD_HEADER] = str(unread_count)
    return [views.prompt(p) for p in items]


@router.post("/read-all", response_model=MarkedRead, responses=error_responses(401, 403))
async def read_all(session: Session, staff: StaffPrincipal) -> MarkedRead:
    """Mark every unread prompt read."""
    return MarkedRead(marked=await PromptService(session).mark_all_read(staff))


@router.post("/{prompt_id}/read", response_model=PromptOut,
             responses=error_responses(401, 403, 404, 422))
async def read_prompt(prompt_id: uuid.UUID, session: Session,
                      staff: StaffPrincipal) -> PromptOut:
    """Mark one prompt read (reading it again changes nothing)."""
    return views.prompt(await PromptService(session).mark_read(staff, prompt_id))
