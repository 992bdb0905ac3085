"""Photos end to end: sent from Telegram, the fake Zalo OA and the web chat in the PAKN form,
downloaded by the media worker, shown in the console and posted to the staff group."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import func, select

from bot.db.models_media import MediaFile
from bot.db.models_pakn import Pakn
from bot.keys import media_worker_key, pipeline_key, sessionmaker_key, settings_key
from tests.console.helpers import add_user, login
from tests.conversations.drivers import TG_SECRET
from tests.media import samples
from tests.media.conftest import STAFF_CHAT

UNIT = "xa-binh-minh"
CONTENT = "Đèn đường trước nhà văn hóa ấp 3 bị hỏng đã hai tuần, buổi tối rất tối và nguy hiểm."


async def rows(client: Any) -> list[MediaFile]:
    async with client.app[sessionmaker_key]() as sess:
        return list((await sess.execute(select(MediaFile).order_by(MediaFile.id))).scalars())


async def pakn(client: Any) -> Pakn:
    async with client.app[sessionmaker_key]() as sess:
        return (await sess.execute(select(Pakn))).scalar_one()


def media_files_on_disk(client: Any) -> list[Path]:
    root = client.app[settings_key].data_dir / "media"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def settle(client: Any) -> None:
    """What the background loops do: process updates, fetch files, deliver replies."""
    await client.app[pipeline_key].process_pending()
    await client.app[media_worker_key].run_once()
    await client.app[pipeline_key].process_pending()
    await client.app[pipeline_key].deliver()


async def check_console(client: Any, record: Pakn, caption: str) -> bytes:
    """The petition page shows the thumbnail; the full image is served safely."""
    await add_user(client, "lan")
    await login(client, "lan")
    page = await client.get(f"/console/pakn/{record.id}")
    html = await page.text()
    assert page.status == 200
    assert f"/console/pakn/{record.id}/files/" in html and "/thumb" in html
    assert caption in html
    [row] = [r for r in await rows(client) if r.pakn_id == record.id]
    thumb = await client.get(f"/console/pakn/{record.id}/files/{row.id}/thumb")
    assert thumb.status == 200 and thumb.content_type == "image/jpeg"
    full = await client.get(f"/console/pakn/{record.id}/files/{row.id}")
    assert full.status == 200 and full.content_type == "image/jpeg"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in full.headers["Content-Security-Policy"]
    data = await full.read()
    assert not Image.open(io.BytesIO(data)).getexif()  # no GPS left
    other = await client.get(f"/console/pakn/{record.id}/files/{row.id + 999}")
    assert other.status == 404
    client.session.cookie_jar.clear()  # signed out
    anonymous = await client.get(
        f"/console/pakn/{record.id}/files/{row.id}", allow_redirects=False
    )
    assert anonymous.status in (302, 303, 401)
    return data


def staff_photos(fake: Any) -> list[dict[str, Any]]:
    return [u for u in fake.uploads if u["chat_id"] == STAFF_CHAT]


# --- Telegram ------------------------------------------------------------------------------
CHAT = 7001


async def tg_say(client: Any, fake: Any, update: dict[str, Any]) -> None:
    url = str(client.make_url(f"/webhooks/telegram/{UNIT}"))
    assert await fake.push_update(update, url=url, secret=TG_SECRET) == 200
    await settle(client)


async def test_a_photo_from_telegram_reaches_the_console_and_the_staff_group(
    media_app: Any, fake_telegram: Any
) -> None:
    client, fake = media_app, fake_telegram
    for text in ("gửi phản ánh", "1", CONTENT):
        await tg_say(client, fake, fake.make_text_update(CHAT, text))
    photo = fake.make_photo_update(
        CHAT, caption="Cột đèn số 12", data=samples.photo_with_gps((1200, 900))
    )
    await tg_say(client, fake, photo)
    assert "Đã nhận 1 tệp" in fake.sent(CHAT)[-1]["text"]
    [row] = await rows(client)
    assert (row.status, row.caption, row.source_ref) == ("stored", "Cột đèn số 12", None)
    assert fake.calls("getFile") and fake.calls("download")
    for text in ("xong", "Nguyễn Văn An", "0912345678", "gửi"):
        await tg_say(client, fake, fake.make_text_update(CHAT, text))
    record = await pakn(client)
    assert record.code in fake.sent(CHAT)[-1]["text"]
    [posted] = staff_photos(fake)
    assert record.code in posted["caption"] and "Cột đèn số 12" in posted["caption"]
    assert Image.open(io.BytesIO(posted["data"])).size == (1200, 900)
    card = next(m for m in fake.sent(STAFF_CHAT) if "Phản ánh, kiến nghị mới" in m.get("text", ""))
    assert "Tệp đính kèm: 1" in card["text"]
    await check_console(client, record, "Cột đèn số 12")


async def test_a_script_named_jpg_from_telegram_is_refused_and_not_stored(
    media_app: Any, fake_telegram: Any
) -> None:
    client, fake = media_app, fake_telegram
    for text in ("gửi phản ánh", "1", CONTENT):
        await tg_say(client, fake, fake.make_text_update(CHAT, text))
    await tg_say(client, fake, fake.make_photo_update(CHAT, data=samples.script_named_jpg()))
    [row] = await rows(client)
    assert (row.status, row.sha256) == ("refused", None)
    assert "chỉ nhận ảnh" in fake.sent(CHAT)[-1]["text"]
    assert media_files_on_disk(client) == []


# --- Zalo OA -------------------------------------------------------------------------------
ZUSER = "2468458835296197922"


async def zalo_say(client: Any, oa: Any, event: dict[str, Any]) -> None:
    assert await oa.push_event(str(client.make_url(f"/webhooks/zalo/{UNIT}")), event) == 200
    await settle(client)


async def test_a_photo_from_zalo_is_downloaded_before_its_link_expires(
    media_app: Any, fake_zalo: Any, fake_telegram: Any
) -> None:
    client, oa = media_app, fake_zalo.oa
    for text in ("gửi phản ánh", "1", CONTENT):
        await zalo_say(client, oa, oa.text_event(ZUSER, text))
    await zalo_say(client, oa, oa.image_event(ZUSER, "Ổ gà", data=samples.photo_with_gps()))
    oa.expire_media()  # stored already: the expired link no longer matters
    [row] = await rows(client)
    assert row.status == "stored" and row.caption == "Ổ gà"
    for text in ("xong", "Trần Thị Bình", "0912345678", "gửi"):
        await zalo_say(client, oa, oa.text_event(ZUSER, text))
    record = await pakn(client)
    assert record.channel == "zalo"
    [posted] = staff_photos(fake_telegram)
    assert "Ổ gà" in posted["caption"]
    await check_console(client, record, "Ổ gà")


async def test_an_expired_zalo_link_is_given_up_and_the_citizen_told(
    media_app: Any, fake_zalo: Any
) -> None:
    client, oa = media_app, fake_zalo.oa
    for text in ("gửi phản ánh", "1", CONTENT):
        await zalo_say(client, oa, oa.text_event(ZUSER, text))
    event = oa.image_event(ZUSER, data=samples.photo_with_gps())
    oa.expire_media()
    await zalo_say(client, oa, event)
    [row] = await rows(client)
    assert row.status == "failed" and row.sha256 is None
    assert any("không tải được" in m["message"].get("text", "") for m in oa.messages)


# --- web chat ------------------------------------------------------------------------------
async def web_say(client: Any, text: str, n: list[int] = [0]) -> dict[str, Any]:  # noqa: B006
    n[0] += 1
    resp = await client.post(
        f"/chat/api/{UNIT}/send", json={"id": f"msg-{n[0]:08d}", "text": text, "after": 0}
    )
    assert resp.status == 200
    return dict(await resp.json())


async def web_upload(
    client: Any,
    data: bytes,
    name: str = "anh.jpg",
    caption: str = "",
    n: list[int] = [0],  # noqa: B006
) -> Any:
    import aiohttp

    n[0] += 1
    form = aiohttp.FormData()
    form.add_field("id", f"upload-{n[0]:08d}")
    form.add_field("after", "0")
    form.add_field("caption", caption)
    form.add_field("file", io.BytesIO(data), filename=name, content_type="image/jpeg")
    return await client.post(f"/chat/api/{UNIT}/upload", data=form)


async def start_web_pakn(client: Any) -> None:
    await client.get(f"/chat/{UNIT}/")  # the session cookie
    for text in ("gửi phản ánh", "1", CONTENT):
        await web_say(client, text)


async def test_a_photo_from_the_web_chat_reaches_the_console_and_the_staff_group(
    media_app: Any, fake_telegram: Any
) -> None:
    client = media_app
    await client.get(f"/chat/{UNIT}/")
    early = await web_upload(client, samples.photo_with_gps())
    assert early.status == 409 and "bước 3" in (await early.json())["error"]
    await start_web_pakn(client)
    resp = await web_upload(client, samples.photo_with_gps(), caption="Cống bị tắc")
    assert resp.status == 200
    shown = (await resp.json())["messages"]
    assert any("Đã nhận 1 tệp" in m.get("text", "") for m in shown)
    assert any(m.get("kind") == "attachment" for m in shown)
    for text in ("xong", "Lê Văn Cường", "0912345678", "gửi"):
        await web_say(client, text)
    await settle(client)
    record = await pakn(client)
    [posted] = staff_photos(fake_telegram)
    assert "Cống bị tắc" in posted["caption"]
    await check_console(client, record, "Cống bị tắc")


async def test_hostile_uploads_are_refused_politely_and_nothing_is_stored(
    media_app: Any,
) -> None:
    client = media_app
    await start_web_pakn(client)
    cases = [
        (samples.script_named_jpg(), "photo.jpg", 415, "chỉ nhận ảnh"),
        (samples.svg_image(), "icon.jpg", 415, "chỉ nhận ảnh"),
        (samples.huge_upload(50), "big.jpg", 413, "tối đa 10 MB"),
        (samples.decompression_bomb_png(), "bomb.png", 415, "kích thước quá lớn"),
    ]
    for data, name, status, words in cases:
        resp = await web_upload(client, data, name)
        assert resp.status == status, name
        assert words in (await resp.json())["error"], name
    assert await rows(client) == []
    assert media_files_on_disk(client) == []
    async with client.app[sessionmaker_key]() as sess:
        from bot.db.models import InboxItem

        count = (await sess.execute(select(func.count()).select_from(InboxItem))).scalar_one()
    assert count == 3  # the form's three messages; no upload reached the pipeline


async def test_five_photos_per_pakn_then_polite_refusal_and_one_album_for_staff(
    media_app: Any, fake_telegram: Any
) -> None:
    client = media_app
    await start_web_pakn(client)
    for i in range(5):
        photo = samples.photo_with_gps((640 + i, 480))
        resp = await web_upload(client, photo, f"anh{i}.jpg", caption=f"Ảnh số {i + 1}")
        assert resp.status == 200
    sixth = await web_upload(client, samples.photo_with_gps((700, 500)))
    assert sixth.status == 409 and "Đã đủ 5 tệp" in (await sixth.json())["error"]
    assert len(await rows(client)) == 5
    for text in ("xong", "Lê Văn Cường", "0912345678", "gửi"):
        await web_say(client, text)
    await settle(client)
    [album] = fake_telegram.calls("sendMediaGroup")
    assert len(album["media"]) == 5
    captions = [u["caption"] for u in staff_photos(fake_telegram)]
    assert [c.splitlines()[-1] for c in captions] == [f"Ảnh số {i}" for i in range(1, 6)]
    assert "5 ảnh, tệp" in captions[0]  # the post's text leads the first caption


async def test_a_large_pdf_under_the_limit_is_accepted_from_the_web_chat(media_app: Any) -> None:
    client = media_app
    await start_web_pakn(client)
    big = samples.pdf() + b"%" * (7 * 1024 * 1024)  # over the app's 6 MB body limit for forms
    resp = await web_upload(client, big, "don.pdf")
    assert resp.status == 200
    [row] = await rows(client)
    assert (row.kind, row.mime, row.size) == ("document", "application/pdf", len(big))
