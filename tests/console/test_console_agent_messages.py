"""The console shows a staff member's answer written in the Zalo OA chat as staff's, not the bot's."""

from __future__ import annotations

from typing import Any

from bot.db import queries
from bot.db.models import Contact
from bot.keys import services_key, sessionmaker_key
from tests.console.helpers import signed_in
from tests.console.test_console_pakn_actions import make


async def test_an_answer_from_the_oa_chat_is_shown_as_staff(client: Any) -> None:
    pakn = await make(client)
    now = client.app[services_key].clock()
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await sess.get(Contact, pakn.contact_id)
        assert contact is not None
        await queries.log_agent(sess, contact, "Chiều nay cán bộ xuống kiểm tra.", now, "m-1")
    await signed_in(client, "lan")
    html = await (await client.get(f"/console/pakn/{pakn.id}")).text()
    assert "Cán bộ (trong Zalo OA)" in html
    assert "Chiều nay cán bộ xuống kiểm tra." in html
