"""The dashboard: numbers on hand-made data, targets from kpi_targets, SVG charts, access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.console import charts
from bot.console.views_dashboard import parse_period
from bot.db import queries
from bot.db.models import FaqQuery
from bot.db.models_campaigns import Campaign, CampaignOutbox, KpiTarget, Subscription
from bot.db.models_pakn import Pakn
from bot.keys import services_key, sessionmaker_key
from tests.console.helpers import UNIT, other_unit, signed_in, soup

# The clock (tests/console/helpers.T0) is 2 March 2026, 10:00 in Hà Nội.
FEB = dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC)
MAR = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)


async def _seed(client: Any) -> None:
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="web", external_id="dash01", now=FEB
        )
        other = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="web", external_id="dash02", now=FEB
        )
        # February: 4 answered (3 on time), ratings 5, 4, 2; March: 1 answered on time.
        specs = [
            (FEB, FEB + dt.timedelta(days=1), FEB + dt.timedelta(days=2), 5),
            (FEB, FEB + dt.timedelta(days=1), FEB + dt.timedelta(days=2), 4),
            (FEB, FEB + dt.timedelta(days=1), FEB + dt.timedelta(days=2), 2),
            (FEB, FEB + dt.timedelta(days=5), FEB + dt.timedelta(days=2), None),  # late
            (MAR, MAR + dt.timedelta(hours=5), MAR + dt.timedelta(days=2), None),
        ]
        for i, (received, answered, due, rating) in enumerate(specs):
            sess.add(
                Pakn(
                    unit=UNIT, code=f"PA-{i}", channel="web", category="khac", content="x",
                    state="answered", received_at=received, due_at=due, answered_at=answered,
                    rating=rating, rated_at=answered if rating else None,
                    idempotency_key=f"k{i}",
                )
            )  # fmt: skip
        for decision, n in (("answer", 6), ("clarify", 2), ("fallback", 1)):
            for _ in range(n):
                sess.add(
                    FaqQuery(
                        unit=UNIT, text="q", normalized="q", decision=decision, created_at=FEB
                    )
                )
        sess.add(FaqQuery(unit=other_unit(client), text="q", normalized="q", decision="answer",
                          created_at=FEB))  # fmt: skip
        sess.add(
            Subscription(contact_id=contact.id, unit=UNIT, kind="topic", key="a", created_at=FEB)
        )
        sess.add(
            Subscription(contact_id=contact.id, unit=UNIT, kind="area", key="b", created_at=FEB)
        )
        sess.add(Subscription(contact_id=other.id, unit=UNIT, kind="topic", key="a",
                              created_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC)))  # fmt: skip
        camp = Campaign(unit=UNIT, title="t", template="x", author="lan", status="sent")
        sess.add(camp)
        await sess.flush()
        for c in (contact, other):
            sess.add(CampaignOutbox(campaign_id=camp.id, contact_id=c.id, unit=UNIT,
                                    channel="web", status="sent", sent_at=FEB))  # fmt: skip
        sess.add(
            KpiTarget(
                unit=UNIT, year=2026, comparator="min", source_plan="KH 12/KH-UBND",
                indicator="Phản ánh kiến nghị của người dân được xử lý đúng thời gian quy định",
                target_percent=98.0,
            )
        )  # fmt: skip
        sess.add(
            KpiTarget(
                unit=UNIT, year=2026, comparator="min", source_plan="KH 12/KH-UBND",
                indicator="Tỷ lệ hồ sơ trực tuyến toàn trình", target_percent=80.0,
            )
        )  # fmt: skip


def _cards(html: str) -> dict[str, str]:
    page = soup(html)
    return {c.h3.get_text(): " ".join(c.get_text(" ").split()) for c in page.select("section.kpi")}


async def test_numbers_targets_and_charts_for_february(client: Any) -> None:
    await _seed(client)
    await signed_in(client, "lan", "staff")
    resp = await client.get(f"/console/stats/?unit={UNIT}&period=month&year=2026&month=2")
    assert resp.status == 200
    html = await resp.text()
    cards = _cards(html)
    on_time = cards["PAKN giải quyết đúng hạn"]
    assert "75,0 %" in on_time and "3/4 PAKN" in on_time
    assert "Chỉ tiêu ≥ 98 % (kế hoạch KH 12/KH-UBND): Chưa đạt" in on_time
    satisfied = cards["Người dân hài lòng"]
    assert "66,7 %" in satisfied and "2/3" in satisfied
    assert "Chỉ tiêu" not in satisfied and "Mức" not in satisfied  # the plan sets none
    assert "66,7 %" in cards["Câu hỏi được trả lời ngay"]  # 6 of 9
    faq = cards["Câu hỏi được trả lời ngay"]
    assert "6/9 trả lời ngay; hỏi lại 2" in faq and "chưa trả lời được 1;" in faq
    assert cards["Người đăng ký nhận tin"].startswith("Người đăng ký nhận tin 2 1 người mới")
    assert "Chiến dịch: người nhận 2 2 tin" in cards["Chiến dịch: người nhận"]
    page = soup(html)
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình" in page.select_one("table").get_text()
    svgs = page.select("svg.chart")
    assert len(svgs) == 2
    bars = svgs[0].get_text(" ")
    assert "Tỷ lệ (%)" in bars and "Ngày trong tháng" in bars
    assert "Đúng hạn, 8–14: 100%" in bars and "Hài lòng, 8–14: 66,7%" in bars
    assert "Đúng hạn, 15–21: 0%" in bars  # the late answer of 15 February
    lines = svgs[1].get_text(" ")
    assert "Số câu hỏi" in lines and "Trả lời ngay" in lines


async def test_year_and_quarter_periods(client: Any) -> None:
    await _seed(client)
    await signed_in(client, "tnv", "volunteer")  # volunteers see statistics (read-only)
    html = await (await client.get("/console/stats/?period=quarter&year=2026&quarter=1")).text()
    assert "Quý 1/2026" in html
    on_time = _cards(html)["PAKN giải quyết đúng hạn"]
    assert "80,0 %" in on_time and "4/5" in on_time  # February and March
    svg = soup(html).select("svg.chart")[0].get_text(" ")
    assert "T1" in svg and "T3" in svg and "Tháng" in svg
    html = await (await client.get("/console/stats/?period=year&year=2026")).text()
    assert "Năm 2026" in html and "T12" in html
    assert '<form method="post"' not in html.split("<main>")[1]  # nothing to change here


async def test_rejections(client: Any) -> None:
    resp = await client.get("/console/stats/", allow_redirects=False)
    assert resp.status == 302 and "/console/login" in resp.headers["Location"]
    await signed_in(client, "lan", "staff")
    assert (await client.get(f"/console/stats/?unit={other_unit(client)}")).status == 404
    assert (await client.get("/console/stats/?unit=khong-co")).status == 404
    html = await (await client.get("/console/stats/")).text()
    options = [o["value"] for o in soup(html).select("#unit option")]
    assert options == [UNIT]


def test_periods() -> None:
    today = dt.date(2026, 8, 15)
    p = parse_period({"period": "9m", "year": "2026"}, today)
    assert (p.start, p.end, p.label) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 10, 1),
        "9 tháng đầu năm 2026",
    )
    assert [b[0] for b in p.buckets()] == [f"T{m}" for m in range(1, 10)]
    p = parse_period({"period": "6m"}, today)
    assert p.end == dt.date(2026, 7, 1)
    p = parse_period({}, today)
    assert (p.kind, p.index, p.start, p.end) == (
        "month",
        8,
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
    )
    assert p.buckets()[-1][0] == "22–31"
    p = parse_period({"period": "quarter", "quarter": "4", "year": "2025"}, today)
    assert (p.start, p.end) == (dt.date(2025, 10, 1), dt.date(2026, 1, 1))
    p = parse_period({"period": "nonsense", "month": "99", "year": "x"}, today)
    assert (p.kind, p.index, p.year) == ("month", 12, 2026)  # fmt: skip


def test_svg_contains_values_labels_and_escapes_text() -> None:
    svg = str(
        charts.bar_chart(
            "Tỷ lệ <đúng hạn>", ["T1", "T2"], [charts.Series("A&B", [97.5, None])],
            y_label="Tỷ lệ (%)", x_label="Tháng", y_max=100, suffix="%", target=97,
            target_label="Chỉ tiêu ≥ 97 %",
        )
    )  # fmt: skip
    assert "97,5%" in svg and "Tỷ lệ &lt;đúng hạn&gt;" in svg and "A&amp;B" in svg
    assert "stroke-dasharray" in svg and "style=" not in svg and "<script" not in svg
    assert svg.count("<rect") == 2  # one bar (None is not drawn) and one legend swatch
    line = str(charts.line_chart("Câu hỏi", ["T1", "T2", "T3"], [charts.Series("Đã trả lời", [3, 0, 12])],
                                 y_label="Số câu hỏi", x_label="Tháng"))  # fmt: skip
    assert "<polyline" in line and ">12<" in line and ">0<" in line and "Số câu hỏi" in line


@pytest.mark.parametrize("role", ["volunteer", "staff", "admin"])
async def test_every_role_may_open_the_dashboard(client: Any, role: str) -> None:
    await signed_in(client, "nguoi", role, units=(UNIT,))
    resp = await client.get("/console/stats/")
    assert resp.status == 200 and "Thống kê" in await resp.text()
    assert client.app[services_key].units
