from __future__ import annotations

import json
import logging

from bot import observability
from bot.app import build_app
from bot.observability import JsonFormatter, ScrubFilter, scrub


def test_scrub_masks_phone_numbers_and_emails() -> None:
    text = "gọi 0912 345 678 hoặc +84912345678 hay 0912.345.678, mail an@vd.vn; mã PA-7KM"
    out = scrub(text)
    assert "912" not in out and "an@vd.vn" not in out
    assert out.count("<phone>") == 3 and "<email>" in out and "PA-7KM" in out


def test_json_log_line_has_fields_and_no_phone() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent to %s", ("0987654321",), None)
    record.unit = "xa-binh-minh"
    ScrubFilter().filter(record)
    data = json.loads(JsonFormatter().format(record))
    assert data["unit"] == "xa-binh-minh"
    assert data["msg"] == "sent to <phone>"


async def test_metrics_count_messages_and_rejections(settings, services, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    client = await aiohttp_client(build_app(settings, services=services, environ={}))
    await client.get("/chat/xa-binh-minh/")
    resp = await client.post(
        "/chat/api/xa-binh-minh/send", json={"id": "m0000001", "text": "menu"}
    )
    assert resp.status == 200
    body = await (await client.get("/metrics")).text()
    assert 'loaxa_messages_in_total{channel="web",kind="text",unit="xa-binh-minh"} 1.0' in body
    assert 'loaxa_messages_out_total{channel="web",outcome="sent",unit="xa-binh-minh"} 1.0' in body
    assert "loaxa_inbox_pending 0.0" in body


async def test_metrics_need_the_bearer_token_when_one_is_set(
    settings, services, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    s = dataclasses.replace(settings, metrics_token="prometheus-token-0123456789")
    client = await aiohttp_client(build_app(s, services=services, environ={}))
    assert (await client.get("/metrics")).status == 401  # even from this machine
    wrong = {"Authorization": "Bearer prometheus-token-wrong"}
    assert (await client.get("/metrics", headers=wrong)).status == 401
    right = {"Authorization": "Bearer prometheus-token-0123456789"}
    resp = await client.get("/metrics", headers=right)
    assert resp.status == 200 and "loaxa_inbox_pending" in await resp.text()


async def test_metrics_without_a_token_only_answer_direct_local_requests(
    settings, services, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    client = await aiohttp_client(build_app(settings, services=services, environ={}))
    assert (await client.get("/metrics")).status == 200  # Prometheus on this machine
    proxied = {"X-Forwarded-For": "203.0.113.9"}  # through the reverse proxy: from outside
    assert (await client.get("/metrics", headers=proxied)).status == 403
    assert (await client.get("/metrics", headers={"Forwarded": "for=203.0.113.9"})).status == 403


def test_access_log_masks_the_client_address() -> None:
    from bot.observability import masked_address

    assert masked_address("203.0.113.77") == "203.0.113.0"
    assert masked_address("2001:db8:1234:5678::9") == "2001:db8:1234::"
    assert masked_address(None) == masked_address("not-an-ip") == "-"


async def test_access_log_has_no_query_strings(settings, services, aiohttp_client, caplog) -> None:  # type: ignore[no-untyped-def]
    from aiohttp.test_utils import TestServer

    from bot.observability import AccessLog

    caplog.set_level(logging.INFO, logger="aiohttp.access")
    app = build_app(settings, services=services, environ={})
    server = TestServer(app)
    await server.start_server(access_log_class=AccessLog)  # as `loaxa run` serves it
    client = await aiohttp_client(server)
    await client.get("/console/login", params={"next": "/console/pakn?q=Nguyễn Văn Bảo"})
    await client.get("/chat/api/xa-binh-minh/messages", params={"after": "0", "q": "Trần Thị"})
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert any('"GET /console/login"' in line for line in lines)
    assert all(line.startswith(("127.0.0.0 ", "- ", ":: ")) for line in lines), lines
    assert not any("Bảo" in line or "B%E1" in line or "Tr%E1" in line for line in lines)
    assert not any("/messages" in line for line in lines)  # the chat's poll: no line each time
    await client.get("/chat/api/khong-co/messages")  # a failing poll is still logged
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert any('"GET /chat/api/khong-co/messages" 404' in line for line in lines)


def test_start_up_is_quiet_about_migrations() -> None:
    root, alembic = logging.getLogger(), logging.getLogger("alembic")
    saved = (root.handlers[:], root.level, alembic.level)
    try:
        observability.configure_logging("info", "text")
        assert not logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], _, _ = saved
        root.setLevel(saved[1])
        alembic.setLevel(saved[2])


def test_loaxa_run_serves_with_the_private_access_log(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from aiohttp import web

    from bot import cli, observability

    seen: dict[str, object] = {}
    monkeypatch.setattr(web, "run_app", lambda app, **kwargs: seen.update(kwargs))
    monkeypatch.setattr(observability, "configure_logging", lambda *a, **k: None)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert cli.main(["run"]) == 0
    assert seen["access_log_class"] is observability.AccessLog
