"""Lists are plain JSON arrays; the count of all matching rows is in X-Total-Count."""

from fastapi import Response

TOTAL_HEADER = "X-Total-Count"


def set_total(response: Response, total: int) -> None:
    response.headers[TOTAL_HEADER] = str(total)
