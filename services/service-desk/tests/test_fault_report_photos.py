"""Integration: photos of fault reports (S-1) on the real database and a temporary media
directory — checked by content, re-encoded without EXIF with the orientation applied, at
most 6 of at most 5 MB each, served only to the report's customer and to staff of its
area (C-7)."""

import io
import uuid
from pathlib import Path

from PIL import Image
from servicekit.testing import helpers as h

from .test_service_requests_api import FAULT, approved_customer

PORTAL = "/api/portal/service-requests"
CONSOLE = "/api/console/service-requests"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(width=40, height=20, *, exif: bool = False, orientation: int | None = None,
         color=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    if exif or orientation:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x0131] = "secret-camera 1.0"  # Software
        if orientation:
            tags[ORIENTATION] = orientation
        if exif:
            tags.get_ifd(GPS_IFD)[2] = (31.0, 14.0, 0.0)  # GPSLatitude
        image.save(out, "JPEG", exif=tags.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png(width=16, height=16) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 255, 200)).save(out, "PNG")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 255, 0)).save(out, "WEBP")
    return out.getvalue()


def media_dir(app) -> Path:
    return Path(app.state.settings.media_dir)


async def new_report(app, db, cid=None) -> tuple[uuid.UUID, str]:
    cid = cid or await approved_customer(db)
    async with h.client(app, h.customer(cid)) as c:
        r = await c.post(PORTAL, json=FAULT)
        assert r.status_code == 201, r.text
        return cid, r.json()["id"]


class TestUpload:
    async def test_jpeg_png_webp_are_kept_and_listed_S1(self, servicedesk_app, servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid, username="buyer1")) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos", files=[
                ("files", ("nozzle.jpg", jpeg(), "image/jpeg")),
                ("files", ("board.png", png(), "image/png")),
                ("files", ("ink.webp", webp(), "image/webp"))])
            assert r.status_code == 201, r.text
            photos = r.json()["photos"]
            assert [(p["filename"], p["content_type"]) for p in photos] == [
                ("nozzle.jpg", "image/jpeg"), ("board.png", "image/png"),
                ("ink.webp", "image/webp")]
            first = photos[0]
            assert first["url"] == f"{PORTAL}/{rid}/photos/{first['id']}"
            assert first["size"] > 0 and (first["width"], first["height"]) == (40, 20)
            assert first["uploaded_by_kind"] == "customer"
            assert first["created_at"].endswith(("Z", "+00:00"))
            served = await c.get(first["url"])
            assert served.status_code == 200
            assert served.headers["content-type"] == "image/jpeg"
            assert served.headers["cache-control"].startswith("private")
            assert len(served.content) == first["size"]
            assert Image.open(io.BytesIO(served.content)).format == "JPEG"
            listed = (await c.get(PORTAL)).json()
            assert [x["photo_count"] for x in listed if x["id"] == rid] == [3]
        files = list((media_dir(servicedesk_app) / rid).iterdir())
        assert len(files) == 3
        async with h.client(servicedesk_app, h.staff("service_desk:query")) as s:
            detail = (await s.get(f"{CONSOLE}/{rid}")).json()
            url = detail["photos"][1]["url"]
            assert url == f"{CONSOLE}/{rid}/photos/{detail['photos'][1]['id']}"
            served = await s.get(url)
            assert served.status_code == 200 and served.headers["content-type"] == "image/png"

    async def test_exif_is_stripped_and_orientation_applied_S1(self, servicedesk_app,
                                                               servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        original = jpeg(40, 20, exif=True, orientation=6)  # 6: turn 90° clockwise to show
        assert Image.open(io.BytesIO(original)).getexif()[0x0131] == "secret-camera 1.0"
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("IMG_0001.JPG", original, "image/jpeg")})
            assert r.status_code == 201, r.text
            [photo] = r.json()["photos"]
            data = (await c.get(photo["url"])).content
        kept = Image.open(io.BytesIO(data))
        assert dict(kept.getexif()) == {}
        assert "exif" not in kept.info and b"secret-camera" not in data
        assert b"PhoneMaker" not in data
        assert kept.size == (20, 40) and (photo["width"], photo["height"]) == (20, 40)

    async def test_text_file_named_jpg_is_422_naming_the_file_S1(self, servicedesk_app,
                                                                 servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("notes.jpg", b"just some text\n", "image/jpeg")})
            assert r.status_code == 422, r.text
            assert r.json() == {"error": "InvalidRequest",
                                "detail": "Photo notes.jpg: the file is not a JPEG, PNG or WebP "
                                          "image"}
            gif = io.BytesIO()
            Image.new("RGB", (4, 4)).save(gif, "GIF")
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("anim.png", gif.getvalue(), "image/png")})
            assert r.status_code == 422
            assert r.json()["detail"].startswith("Photo anim.png: GIF images are not accepted")
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("cut.jpg", jpeg(200, 200)[:300], "image/jpeg")})
            assert r.status_code == 422
            assert r.json()["detail"] == "Photo cut.jpg: the image is damaged or incomplete"
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("empty.png", b"", "image/png")})
            assert r.status_code == 422
            assert "Photo empty.png: the file is empty" in r.json()["detail"]
            # a good photo beside a bad one: nothing is kept
            r = await c.post(f"{PORTAL}/{rid}/photos", files=[
                ("files", ("ok.jpg", jpeg(), "image/jpeg")),
                ("files", ("../../etc/passwd", b"root:x:0:0", "image/jpeg"))])
            assert r.status_code == 422 and r.json()["detail"].startswith("Photo passwd:")
            assert (await c.get(f"{PORTAL}/{rid}")).json()["photos"] == []
            r = await c.post(f"{PORTAL}/{rid}/photos")
            assert r.status_code == 422 and "files" in r.json()["detail"]
        assert not (media_dir(servicedesk_app) / rid).exists()

    async def test_larger_than_5_mb_is_422_S1(self, servicedesk_app, servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        big = jpeg() + b"\0" * (5 * 1024 * 1024)  # a JPEG with trailing bytes
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("huge.jpg", big, "image/jpeg")})
        assert r.status_code == 422
        assert r.json()["detail"] == ("Photo huge.jpg: the file is larger than 5 MB, the limit for "
                                      "a photo")

    async def test_seventh_photo_is_422_S1(self, servicedesk_app, servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos", files=[
                ("files", (f"p{i}.jpg", jpeg(color=(i * 30, 0, 0)), "image/jpeg"))
                for i in range(5)])
            assert r.status_code == 201 and len(r.json()["photos"]) == 5
            r = await c.post(f"{PORTAL}/{rid}/photos", files=[
                ("files", ("p5.png", png(), "image/png")),
                ("files", ("p6.png", png(), "image/png"))])
            assert r.status_code == 422
            assert r.json()["detail"] == ("A fault report takes at most 6 photos; this one "
                                          "has 5, so 1 more can be added (not 2)")
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("p5.png", png(), "image/png")})
            assert r.status_code == 201 and len(r.json()["photos"]) == 6
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("p7.png", png(), "image/png")})
            assert r.status_code == 422 and "at most 6 photos" in r.json()["detail"]
            r = await c.post(f"{PORTAL}/{rid}/photos", files=[
                ("files", (f"q{i}.png", png(), "image/png")) for i in range(7)])
            assert r.status_code == 422 and "7 were sent" in r.json()["detail"]
        assert len(list((media_dir(servicedesk_app) / rid).iterdir())) == 6

    async def test_no_photos_on_a_closed_report_409(self, servicedesk_app, servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        async with h.client(servicedesk_app, h.staff()) as s:
            await s.post(f"{CONSOLE}/{rid}/replies", json={"message": "好了", "status": "resolved"})
            assert (await s.post(f"{CONSOLE}/{rid}/close")).status_code == 200
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("late.jpg", jpeg(), "image/jpeg")})
        assert r.status_code == 409 and "closed" in r.json()["detail"]


class TestPhotoAccess:
    async def test_another_customers_photo_is_404_S1(self, servicedesk_app, servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        other = await approved_customer(servicedesk_db, name="别家公司")
        _, other_rid = await new_report(servicedesk_app, servicedesk_db, other)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("a.jpg", jpeg(), "image/jpeg")})
            photo_id = r.json()["photos"][0]["id"]
        async with h.client(servicedesk_app, h.customer(other)) as o:
            r = await o.get(f"{PORTAL}/{rid}/photos/{photo_id}")
            assert r.status_code == 404
            assert r.json() == {"error": "NotFound", "detail": "Photo not found"}
            # naming its own report with the other's photo id changes nothing
            assert (await o.get(f"{PORTAL}/{other_rid}/photos/{photo_id}")).status_code == 404
            r = await o.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("b.jpg", jpeg(), "image/jpeg")})
            assert r.status_code == 404
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            assert (await c.get(f"{PORTAL}/{rid}/photos/{uuid.uuid4()}")).status_code == 404
            r = await c.get(f"{PORTAL}/{rid}/photos/not-a-uuid")
            assert r.status_code == 422 and "photo_id" in r.json()["detail"]

    async def test_area_bound_staff_see_only_their_areas_photos_C7(self, servicedesk_app,
                                                                  servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)  # 华东
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("a.jpg", jpeg(), "image/jpeg")})
            url = r.json()["photos"][0]["url"].replace("/portal/", "/console/")
        async with h.client(servicedesk_app, h.staff(areas=("华南",))) as s:
            assert (await s.get(url)).status_code == 404
            assert (await s.get(f"{CONSOLE}/{rid}")).status_code == 404
            r = await s.post(f"{CONSOLE}/{rid}/close")
            assert r.status_code == 404
        async with h.client(servicedesk_app, h.staff(areas=("华东",))) as s:
            assert (await s.get(url)).status_code == 200
        async with h.client(servicedesk_app, h.staff("service_desk:entry")) as s:
            assert (await s.get(url)).status_code == 403

    async def test_missing_file_on_disk_is_404_not_500(self, servicedesk_app, servicedesk_db):
        cid, rid = await new_report(servicedesk_app, servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post(f"{PORTAL}/{rid}/photos",
                             files={"files": ("a.jpg", jpeg(), "image/jpeg")})
            photo = r.json()["photos"][0]
            for f in (media_dir(servicedesk_app) / rid).iterdir():
                f.unlink()
            assert (await c.get(photo["url"])).status_code == 404

