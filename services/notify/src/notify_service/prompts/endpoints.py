import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from servicekit.auth import StaffPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import MarkedRead, PromptOut
from .service import PromptService
from .stream import PromptStream
from .templates import PromptKind

router = APIRouter(prefix="/api/console/prompts", tags=["console: prompts"])

UNREAD_HEADER = "X-Unread-Count"
# Every kind of prompt there is (templates.PromptKind): a filter for any of them.
Kind = PromptKind
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("", response_model=list[PromptOut], responses=error_responses(401, 403, 422))
async def list_prompts(session: Session, staff: StaffPrincipal, response: Response,
                       unread: bool | None = None, kind: Kind | None = None,
                       limit: Limit = 50, offset: Offset = 0) -> list[PromptOut]:
    """Staff prompts, newest first: `unread=true` only unread ones, `unread=false` only
    read ones. X-Total-Count holds the count of all matching, X-Unread-Count the number
    of unread prompts. Staff bound to areas see the prompts of their areas' customers
    and those about no customer (C-7)."""
    items, total, unread_count = await PromptService(session).list(
        staff, unread=unread, kind=kind, limit=limit, offset=offset)
    set_total(response, total)
    response.headers[UNREAD_HEADER] = str(unread_count)
    return [views.prompt(p) for p in items]


@router.get("/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
                             "description": "A stream of `prompt` events"},
                       **error_responses(401, 403)})
async def stream_prompts(request: Request, staff: StaffPrincipal,
                         last_event_id: Annotated[str | None, Header(max_length=100)] = None,
                         ) -> StreamingResponse:
    """New prompts as they are created, as server-sent events (N-3): each is an event
    `prompt` whose id is the prompt's id and whose data is the prompt (as in the list).
    A reconnecting client sends `Last-Event-ID` and gets what it missed; comment lines
    keep the connection alive. Staff bound to areas get only the prompts they may see
    (C-7)."""
    settings = request.app.state.settings
    stream = PromptStream(request.app.state.db.sessionmaker,
                          poll_seconds=settings.prompt_stream_poll_seconds,
                          heartbeat_seconds=settings.prompt_stream_heartbeat_seconds,
                          areas=staff.areas)
    await stream.start(last_event_id)
    return StreamingResponse(
        stream.events(request.is_disconnected), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/read-all", response_model=MarkedRead, responses=error_responses(401, 403))
async def read_all(session: Session, staff: StaffPrincipal) -> MarkedRead:
    """Mark every unread prompt read (staff bound to areas: those they see, C-7)."""
    return MarkedRead(marked=await PromptService(session).mark_all_read(staff))


@router.post("/{prompt_id}/read", response_model=PromptOut,
             responses=error_responses(401, 403, 404, 422))
async def read_prompt(prompt_id: uuid.UUID, session: Session,
                      staff: StaffPrincipal) -> PromptOut:
    """Mark one prompt read (reading it again changes nothing); a prompt outside the
    staff member's areas is not found (C-7)."""
    return views.prompt(await PromptService(session).mark_read(staff, prompt_id))
