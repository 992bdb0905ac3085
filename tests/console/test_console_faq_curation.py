"""FAQ curation: unanswered questions, the editor (validation, versions, restore), layering into
the running bot, `loaxa ask`, export."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import faq_edits
from bot.cli import main as cli_main
from bot.content.faq import load_faq_dir
from bot.db.models import FaqQuery
from bot.db.models_console import AuditEntry
from bot.db.models_faq_edits import FaqEdit
from bot.keys import services_key, sessionmaker_key
from bot.settings import REPO_ROOT
from tests.console.helpers import UNIT, csrf, other_unit, signed_in, soup
from tests.conversations.drivers import WebDriver

NEW_Q = "Xin giấy phép bắn pháo hoa đám cưới"
NEW_ENTRY = {
    "id": "phao-hoa-dam-cuoi",
    "topic": "ho_tro_truc_tiep",
    "title": "Bắn pháo hoa trong đám cưới",
    "questions": "\n".join(
        [
            NEW_Q,
            "Đám cưới có được bắn pháo hoa không?",
            "Bắn pháo hoa ngày cưới có phải xin phép không?",
            "Pháo hoa đám cưới xin phép ở đâu?",
        ]
    ),
    "keywords": "pháo hoa, bắn pháo hoa",
    "answer": "Việc dùng pháo hoa có quy định riêng. Hãy gọi {{ unit.hotline }} để được hướng dẫn.",
    "level": "Công an cấp xã",
    "source": "Nghị định 137/2020/NĐ-CP về quản lý, sử dụng pháo",
    "checked": "2026-11-01",
}


async def _seed_queries(client: Any) -> None:
    now = client.app[services_key].clock()
    rows = [
        ("pháo hoa đám cưới", NEW_Q, "fallback", None, None, [], 3),
        ("khai sinh con", "khai sinh con", "answer", "khai-sinh-dung-han", -1, [], 1),
        ("lam giay to", "làm giấy tờ", "clarify", None, None, [["khai-tu", "khai_tu", 0.5]], 2),
        ("khai sinh", "khai sinh", "answer", "khai-sinh-dung-han", None, [], 5),  # answered
    ]
    async with client.app[sessionmaker_key].begin() as sess:
        for normalized, text, decision, entry, feedback, cands, n in rows:
            for i in range(n):
                sess.add(
                    FaqQuery(
                        unit=UNIT,
                        text=text,
                        normalized=normalized,
                        decision=decision,
                        entry_id=entry,
                        feedback=feedback,
                        candidates=cands,
                        created_at=now - dt.timedelta(hours=i + 1),
                    )
                )
        sess.add(
            FaqQuery(
                unit=other_unit(client),
                text="câu hỏi xã khác",
                normalized="cau hoi xa khac",
                decision="fallback",
                created_at=now,
            )
        )


async def _edits(client: Any) -> list[FaqEdit]:
    async with client.app[sessionmaker_key]() as sess:
        return list((await sess.execute(select(FaqEdit).order_by(FaqEdit.id))).scalars())


async def _post(client: Any, path: str, data: dict[str, str]) -> Any:
    form = {"_csrf": await csrf(client, "/console/account"), **data}
    return await client.post(path, data=form, allow_redirects=False)


async def test_unanswered_questions_grouped_with_counts_and_links(client: Any) -> None:
    await _seed_queries(client)
    await signed_in(client, "lan", "staff")
    page = soup(await (await client.get("/console/faq/")).text())
    cards = page.select("section.unanswered")
    assert [c.h3.get_text() for c in cards] == [NEW_Q, "làm giấy tờ", "khai sinh con"]
    assert "3 lần" in cards[0].get_text() and "không biết 3" in cards[0].get_text()
    assert "👎 1" in cards[2].get_text() and "câu hỏi xã khác" not in page.get_text()
    new_link = cards[0].find("a", string="Tạo mục mới từ câu hỏi này")["href"]
    assert new_link.startswith(f"/console/faq/new?unit={UNIT}&q=")
    form = soup(await (await client.get(new_link)).text())
    assert form.find("textarea", id="questions").get_text().strip() == NEW_Q
    offered = cards[1].find("a", string="sửa trước khi thêm")["href"]
    assert offered.startswith(f"/console/faq/entries/khai-tu/?unit={UNIT}&q=")
    edit = soup(await (await client.get(offered)).text())
    lines = edit.find("textarea", id="questions").get_text().strip().splitlines()
    keywords = edit.find("input", id="keywords")["value"].split(", ")
    assert "làm giấy tờ" in (lines[-1], keywords[-1]) and len(lines) > 1


async def test_a_citizens_choice_is_accepted_as_a_question_in_one_click(client: Any) -> None:
    """A clarify the citizen answered ("I meant X") is a labelled example: one click adds the
    wording to X, the bot is rebuilt and answers that wording with X directly."""
    services = client.app[services_key]
    wording = "xin lại giấy tờ ông mất để làm sổ tiết kiệm"
    now = services.clock()
    async with client.app[sessionmaker_key].begin() as sess:
        sess.add(
            FaqQuery(
                unit=UNIT, text=wording, normalized=wording, decision="clarify",
                candidates=[["trich-luc-khai-tu", "trich_luc_ho_tich", 0.6],
                            ["khai-tu", "khai_tu", 0.58]],
                chosen_entry="khai-tu", created_at=now,
            )
        )  # fmt: skip
    assert services.faq.understand(wording, UNIT).answered is None
    await signed_in(client, "lan", "staff")
    page = soup(await (await client.get("/console/faq/")).text())
    [card] = [c for c in page.select("section.unanswered") if c.h3.get_text() == wording]
    first = card.select("ul.offered li")[0]
    assert "người dân đã chọn" in first.get_text()
    form = first.find("form")
    assert form["action"] == f"/console/faq/entries/khai-tu/accept?unit={UNIT}"
    resp = await client.post(
        form["action"],
        data={i["name"]: i["value"] for i in form.find_all("input")},
        allow_redirects=False,
    )
    assert resp.status == 302, await resp.text()
    [row] = await _edits(client)
    assert row.entry_id == "khai-tu"
    # Appended to the questions, or to the keywords when the entry already has ten questions.
    assert wording in (row.data["questions"][-1], row.data["keywords"][-1])
    answered = client.app[services_key].faq.understand(wording, UNIT).answered
    assert answered is not None and answered.entry == "khai-tu"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"questions": NEW_Q}, "questions", "need 4–10 questions, got 1"),
        ({"answer": "Gọi {{ unit.hotlien }}"}, "answer", "fails to render"),
        ({"url": "http://example.vn"}, "url", "not an https URL"),
        ({"title": ""}, "title", "chưa điền"),
        ({"topic": "khong_co"}, "topic", "unknown topic"),
        ({"checked": "2099-01-01"}, "checked", "in the future"),
        ({"id": "khai-sinh-dung-han"}, "id", "duplicate id"),
        ({"questions": "Đi khai sinh cho đứa nhỏ thì đem theo giấy gì?\na b\nc d\ne f"}, "questions",
         "also a question of entry khai-sinh-dung-han"),
    ],
)  # fmt: skip
async def test_invalid_entry_is_not_saved_and_errors_name_the_field(
    client: Any, change: dict[str, str], field: str, words: str
) -> None:
    await signed_in(client, "lan", "staff")
    resp = await _post(client, f"/console/faq/new?unit={UNIT}", {**NEW_ENTRY, **change})
    assert resp.status == 400
    page = soup(await resp.text())
    error = page.find(id=f"err-{field}")
    assert error is not None and words in error.get_text() and f"({field}" in error.get_text()
    assert "Chưa lưu" in page.find(class_="alert").get_text()
    assert await _edits(client) == []


async def test_new_entry_changes_the_running_bot_and_loaxa_ask(
    client: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    services = client.app[services_key]
    assert services.faq.match(NEW_Q, UNIT).decision != "answer"
    await signed_in(client, "lan", "staff")
    preview = await _post(client, f"/console/faq/new?unit={UNIT}", {**NEW_ENTRY, "op": "preview"})
    assert preview.status == 200 and await _edits(client) == []
    shown = soup(await preview.text()).find(id="preview").get_text()
    assert services.units[UNIT].hotline in shown and "{{" not in shown

    resp = await _post(client, "/console/faq/new", {**NEW_ENTRY, "comment": "từ câu hỏi"})
    assert resp.status == 403  # every unit: only for accounts that see every unit
    resp = await _post(client, f"/console/faq/new?unit={UNIT}", {**NEW_ENTRY, "comment": "mới"})
    assert resp.status == 302, await resp.text()
    assert resp.headers["Location"] == f"/console/faq/entries/phao-hoa-dam-cuoi/?unit={UNIT}&ok=1"
    [row] = await _edits(client)
    assert (row.entry_id, row.unit, row.version, row.author) == (
        "phao-hoa-dam-cuoi",
        UNIT,
        1,
        "lan",
    )
    assert row.data["questions"][0] == NEW_Q and row.data["checked"] == "2026-11-01"
    async with client.app[sessionmaker_key]() as sess:
        [entry] = (
            await sess.execute(select(AuditEntry).where(AuditEntry.action == "faq.edit"))
        ).scalars()
    assert entry.target == "faq:phao-hoa-dam-cuoi" and entry.unit == UNIT

    # The running bot: this unit answers with the new entry, the other unit does not.
    match = client.app[services_key].faq.match(NEW_Q, UNIT)
    assert match.decision == "answer" and match.best and match.best.entry == "phao-hoa-dam-cuoi"
    assert client.app[services_key].faq.match(NEW_Q, other_unit(client)).best.entry != (
        "phao-hoa-dam-cuoi"
    )
    chat = WebDriver(client, UNIT)
    await chat.start()
    replies = await chat.say(NEW_Q)
    assert "Việc dùng pháo hoa có quy định riêng" in replies[0].text

    # `loaxa ask` reads the same database (in a thread: it runs its own event loop).
    settings = services.settings
    monkeypatch.setenv("DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("CONTENT_DIR", str(REPO_ROOT / "content"))
    capsys.readouterr()
    code = await asyncio.to_thread(cli_main, ["ask", NEW_Q, "--unit", UNIT, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["decision"] == "answer" and out["entry"] == "phao-hoa-dam-cuoi"
    assert set(out) == {
        "intent", "decision", "topic", "entry", "confidence", "candidates", "code", "reply"
    }  # fmt: skip
    assert out["intent"] == "faq" and out["code"] is None
    assert "Việc dùng pháo hoa có quy định riêng" in out["reply"]


async def test_edit_history_diff_and_restore(client: Any) -> None:
    await signed_in(client, "qt", "admin", units=())
    page = soup(await (await client.get("/console/faq/entries/khai-tu/")).text())
    form = {
        el["name"]: (el.get_text() if el.name == "textarea" else el.get("value", ""))
        for el in page.select("form.card [name]")
        if el.name != "select" and el["name"] not in ("_csrf", "op")
    }
    form["topic"], form["online"] = "khai_tu", ""
    original_title = form["title"]
    for n, title in enumerate(["Đăng ký khai tử (sửa 1)", "Đăng ký khai tử (sửa 2)"], 1):
        resp = await _post(client, "/console/faq/entries/khai-tu/", {**form, "title": title})
        assert resp.status == 302 and resp.headers["Location"].endswith(f"ok={n}")
    assert client.app[services_key].faq.title("khai-tu") == "Đăng ký khai tử (sửa 2)"
    history = soup(await (await client.get("/console/faq/entries/khai-tu/history")).text())
    versions = history.select("section.version")
    assert "Phiên bản 2" in versions[0].h2.get_text() and "qt" in versions[0].get_text()
    assert "+ title: Đăng ký khai tử (sửa 2)" in versions[0].select_one(".diff").get_text()
    assert f"- title: {original_title}" in versions[1].select_one(".diff").get_text()
    resp = await _post(client, "/console/faq/entries/khai-tu/restore", {"version": "1"})
    assert resp.status == 302
    assert client.app[services_key].faq.title("khai-tu") == "Đăng ký khai tử (sửa 1)"
    resp = await _post(client, "/console/faq/entries/khai-tu/restore", {"version": "0"})
    assert client.app[services_key].faq.title("khai-tu") == original_title
    rows = await _edits(client)
    assert [r.version for r in rows] == [1, 2, 3, 4] and rows[-1].unit is None
    assert rows[2].comment == "Khôi phục phiên bản 1"


async def test_export_yaml_round_trips_through_the_content_loader(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await signed_in(client, "qt", "admin", units=())
    resp = await _post(client, "/console/faq/new", NEW_ENTRY)
    assert resp.status == 302
    export = await client.get("/console/faq/export.yaml")
    assert export.status == 200 and "attachment" in export.headers["Content-Disposition"]
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "console.yaml").write_text(await export.text(), encoding="utf-8")
    loaded = load_faq_dir(tmp_path / "one", REPO_ROOT / "content" / "topics.yaml")
    [entry] = loaded.entries
    live = client.app[services_key].faq.entry("phao-hoa-dam-cuoi")
    assert dataclasses.replace(entry, file=live.file) == live

    # `loaxa faq export --out DIR`: the whole content/faq with the edits, loadable as it is.
    monkeypatch.setenv("DATABASE_URL", client.app[services_key].settings.resolved_database_url)
    out = tmp_path / "all"
    assert await asyncio.to_thread(cli_main, ["faq", "export", "--out", str(out)]) == 0
    full = load_faq_dir(out, REPO_ROOT / "content" / "topics.yaml")
    assert dataclasses.replace(full.by_id()["phao-hoa-dam-cuoi"], file=entry.file) == entry
    assert len(full.entries) == len(client.app[services_key].faq.entries)
    assert (out / "ho_tich.yaml").read_bytes() == (
        REPO_ROOT / "content" / "faq" / "ho_tich.yaml"
    ).read_bytes()  # files without edits are copied unchanged


def test_layers_rebuild_and_invalid_layers_are_skipped(services: Any) -> None:
    faq = services.faq
    data = faq_edits.entry_data(faq.entry("khai-tu"))
    good = faq_edits.FaqLayer("khai-tu", None, {**data, "title": "Khai tử (mới)"}, 2)
    bad = faq_edits.FaqLayer("ket-hon", UNIT, {**data, "id": "ket-hon", "url": "ftp://x"}, 1)
    layered = faq.with_layers([good, bad])
    assert layered.title("khai-tu") == "Khai tử (mới)" and faq.title("khai-tu") != "Khai tử (mới)"
    assert layered.title("ket-hon", UNIT) == faq.title("ket-hon")
    assert any("ket-hon" in e and ".url" in e for e in layered.layer_errors)
    assert set(faq_edits.FIELD_ORDER) >= set(data)


async def test_rejections(client: Any) -> None:
    other = other_unit(client)
    for path in ("/console/faq/", "/console/faq/entries/", "/console/faq/new"):
        resp = await client.get(path, allow_redirects=False)
        assert resp.status == 302 and "/console/login" in resp.headers["Location"]
    await signed_in(client, "tnv", "volunteer")
    for path in (
        "/console/faq/",
        "/console/faq/entries/",
        f"/console/faq/new?unit={UNIT}",
        f"/console/faq/entries/khai-tu/?unit={UNIT}",
        "/console/faq/export.yaml",
    ):
        assert (await client.get(path)).status == 403, path  # fmt: skip
    assert (await _post(client, f"/console/faq/new?unit={UNIT}", NEW_ENTRY)).status == 403
    await client.post("/console/logout", data={"_csrf": await csrf(client, "/console/account")})

    await signed_in(client, "lan", "staff")
    for path in (
        f"/console/faq/?unit={other}",
        f"/console/faq/entries/khai-tu/?unit={other}",
        f"/console/faq/export.yaml?unit={other}",
        "/console/faq/?unit=khong-co",
    ):
        assert (await client.get(path)).status == 404, path  # fmt: skip
    assert (await client.get("/console/faq/entries/khai-tu/")).status == 403  # every unit
    assert (await client.get(f"/console/faq/entries/khong-co/?unit={UNIT}")).status == 404
    assert (await _post(client, f"/console/faq/new?unit={other}", NEW_ENTRY)).status == 404
    restore = f"/console/faq/entries/khai-tu/restore?unit={other}"
    assert (await _post(client, restore, {"version": "1"})).status == 404
    # No CSRF token: refused before anything is read.
    no_csrf = await client.post(f"/console/faq/new?unit={UNIT}", data=NEW_ENTRY)
    assert no_csrf.status == 403 and "Biểu mẫu đã hết hạn" in await no_csrf.text()
    assert await _edits(client) == []


async def test_the_editor_keeps_and_edits_dated_facts(client: Any) -> None:
    """An entry with a fee waiver that ends: the editor shows it, a save keeps it, and a
    changed line is stored with its dates; a line that doesn't fit is refused by name."""
    await signed_in(client, "lan", "staff")
    entry_id = "thuong-tru-nha-minh"
    page = soup(await (await client.get(f"/console/faq/entries/{entry_id}/?unit={UNIT}")).text())
    shown = page.find(id="dated").get_text()
    assert "15/08/2026 – 28/02/2027 | Từ 15/8/2026 đến 28/02/2027" in shown
    form = {
        el["name"]: (el.get_text() if el.name == "textarea" else el.get("value", ""))
        for el in page.select("form.card [name]")
        if el.name != "select" and el["name"] not in ("_csrf", "op")
    }
    base = client.app[services_key].faq.entry(entry_id, UNIT)
    form["topic"], form["online"] = base.topic, base.online or ""
    form["dated"] = shown.replace("28/02/2027 |", "31/03/2027 |", 1)
    resp = await _post(client, f"/console/faq/entries/{entry_id}/?unit={UNIT}", form)
    assert resp.status in (302, 303), await resp.text()
    saved = client.app[services_key].faq.entry(entry_id, UNIT)
    assert [f.valid_until for f in saved.dated] == [dt.date(2027, 3, 31)]
    form["dated"] = "hết hạn cuối năm | miễn phí"
    resp = await _post(client, f"/console/faq/entries/{entry_id}/?unit={UNIT}", form)
    assert resp.status == 400
    assert "dated[0]" in soup(await resp.text()).find(id="err-dated").get_text()
