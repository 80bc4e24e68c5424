"""Photos of a fault report (S-1): what an uploaded file really is, judged by its content
and never by its name or declared type, and the clean copy that is kept — re-encoded
from the pixels, so EXIF (GPS position, camera serial …) and any other metadata or
trailing bytes are gone, with the camera's orientation applied first so the photo still
stands the right way up. Stored as files under one directory (SERVICEDESK_MEDIA_DIR)."""

from __future__ import annotations

import io
import os
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .domain import MAX_PHOTO_BYTES, InvalidRequest

if TYPE_CHECKING:
    from PIL import Image

# Pillow's name for the format → (content type, file extension).
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
# More pixels than any phone camera makes; a decompression bomb stops here.
MAX_PIXELS = 50_000_000
MAX_NAME = 120


@dataclass(frozen=True)
class CleanPhoto:
    filename: str
    content_type: str
    extension: str
    data: bytes
    width: int
    height: int


def display_name(filename: str | None) -> str:
    """The uploaded file's name as shown back to the person (no path, printable, short)."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "photo")[:MAX_NAME]


def _refuse(name: str, reason: str) -> InvalidRequest:
    # "Photo <name>: …", never "<name>: …", which reads like a field's error to clients.
    return InvalidRequest(f"Photo {name}: {reason}")


def clean(filename: str | None, data: bytes) -> CleanPhoto:
    """The photo as it is kept, or 422 naming the file and what is wrong with it."""
    # Pillow is imported with the first photo, not when the service starts (issue 16:
    # several MB of every API process that has not received a photo yet).
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = display_name(filename)
    if not data:
        raise _refuse(name, "the file is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise _refuse(name, f"the file is {len(data) / 1024 / 1024:.1f} MB; a photo may be "
                            f"at most {MAX_PHOTO_BYTES // 1024 // 1024} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if kind not in FORMATS:
                    raise _refuse(name, f"{kind or 'this'} images are not accepted; "
                                        "use a JPEG, PNG or WebP photo")
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refuse(name, "the image has too many pixels")
                probe.verify()
            # verify() leaves the image unusable: open again to decode the pixels.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                content_type, extension = FORMATS[kind]
                out = io.BytesIO()
                _save(upright, kind, out)
    except InvalidRequest:
        raise
    except UnidentifiedImageError as exc:
        raise _refuse(name, "the file is not a JPEG, PNG or WebP image") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(name, "the image has too many pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # truncated or corrupt data: Pillow's verify/load raise these
        raise _refuse(name, "the image is damaged or incomplete") from exc
    return CleanPhoto(filename=name, content_type=content_type, extension=extension,
                      data=out.getvalue(), width=upright.width, height=upright.height)


def _save(image: Image.Image, kind: str, out: io.BytesIO) -> None:
    """Re-encode the pixels only: no `exif=`, `icc_profile=` or text chunks are passed,
    so none is written."""
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, optimize=True)
    elif kind == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=88)


class PhotoStore:
    """Photo files under one directory: `<request id>/<photo id>.<ext>`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key

    def save(self, request_id: uuid.UUID, photo_id: uuid.UUID, photo: CleanPhoto) -> str:
        key = f"{request_id}/{photo_id}.{photo.extension}"
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(photo.data)
        partial.replace(target)  # a reader never sees half a file
        return key

    def read(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
