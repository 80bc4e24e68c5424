import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from ..prompts.endpoints import UNREAD_HEADER
from ..prompts.schemas import MarkedRead
from . import views
from .schemas import MessageOut
from .service import MessageService

router = APIRouter(prefix="/api/portal/messages", tags=["portal: messages"])

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("", response_model=list[MessageOut], responses=error_responses(401, 403, 422))
async def my_messages(session: Session, customer: CustomerPrincipal, response: Response,
                      unread: bool | None = None, limit: Limit = 50,
                      offset: Offset = 0) -> list[MessageOut]:
    """Your messages, newest first (X-Total-Count: all matching; X-Unread-Count: unread)."""
    items, total, unread_count = await MessageService(session).list(
        customer, unread=unread, limit=limit, offset=offset)
    set_total(response, total)
    response.headers[UNREAD_HEADER] = str(unread_count)
    return [views.message(m) for m in items]


@router.post("/read-all", response_model=MarkedRead, responses=error_responses(401, 403))
async def read_all(session: Session, customer: CustomerPrincipal) -> MarkedRead:
    """Mark all your unread messages read."""
    return MarkedRead(marked=await MessageService(session).mark_all_read(customer))


@router.post("/{message_id}/read", response_model=MessageOut,
             responses=error_responses(401, 403, 404, 422))
async def read_message(message_id: uuid.UUID, session: Session,
                       customer: CustomerPrincipal) -> MessageOut:
    """Mark one of your messages read."""
    return views.message(await MessageService(session).mark_read(customer, message_id))
