"""Realistic inbound Telegram ``Update`` JSON, as the Bot API would deliver it.

:class:`UpdateBuilder` is the part of :class:`~.telegram_server.FakeTelegram` that owns the
ids (``update_id`` is global, ``message_id`` counts per chat for both sides of the chat, as in
a private chat on Telegram) and remembers every message, so that callback queries carry the
bot's message they were pressed on. The ``make_*_update`` methods only build the JSON; queue it
with ``queue_update`` (getUpdates) or deliver it with ``push_update`` (webhook).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

JSON = dict[str, Any]

DEFAULT_FIRST_NAME = "Minh"
DEFAULT_GROUP_USER_ID = 4242


def make_user(
    user_id: int,
    first_name: str = DEFAULT_FIRST_NAME,
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str = "vi",
) -> JSON:
    """A Telegram ``User`` object for a (human) citizen."""
    user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    user["language_code"] = language_code
    return user


class UpdateBuilder:
    """Builds Update JSON with consistent ids; mixed into ``FakeTelegram``."""

    files: dict[str, tuple[str, bytes]]  # BotApi's: file_id -> (file_path, bytes)

    def __init__(self, bot_user: JSON) -> None:
        self.bot_user = bot_user
        self._update_ids = itertools.count(100_001)
        self._file_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        # Latest state of every message in every chat, keyed by (chat_id, message_id).
        self._messages: dict[tuple[int, int], JSON] = {}
        self._users: dict[int, JSON] = {}
        self._query_ids = itertools.count(4_000_000_000_000_001)
        self._open_callback_ids: set[str] = set()

    # -- ids and shared objects ------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def chat(self, chat_id: int) -> JSON:
        """The ``Chat`` object for an id: private if positive, (super)group if negative."""
        if chat_id > 0:
            user = self._users.get(chat_id) or make_user(chat_id)
            chat: JSON = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Nhóm {-chat_id}"}

    def _user_for(self, chat_id: int, user: JSON | None) -> JSON:
        if user is None:
            user_id = chat_id if chat_id > 0 else DEFAULT_GROUP_USER_ID
            user = self._users.get(user_id) or make_user(user_id)
        self._users[user["id"]] = user
        return user

    def _file(self, prefix: str) -> JSON:
        n = next(self._file_ids)
        return {"file_id": f"{prefix}-file-{n}", "file_unique_id": f"{prefix}-uniq-{n}"}

    def _photo_sizes(self, file_size: int = 0) -> list[JSON]:
        small = {**self._file("photo"), "width": 90, "height": 67, "file_size": 1_200}
        large = {**self._file("photo"), "width": 1280, "height": 960}
        large["file_size"] = file_size or 98_000
        return [small, large]

    def _message(self, chat_id: int, sender: JSON, **content: Any) -> JSON:
        message: JSON = {
            "message_id": self.next_message_id(chat_id),
            "from": sender,
            "chat": self.chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _message_update(self, chat_id: int, user: JSON | None, **content: Any) -> JSON:
        sender = self._user_for(chat_id, user)
        message = self._message(chat_id, sender, **content)
        return {"update_id": next(self._update_ids), "message": message}

    # -- public builders --------------------------------------------------------------------

    def make_text_update(self, chat_id: int, text: str, *, user: JSON | None = None) -> JSON:
        """A text message; a leading ``/command`` gets its ``bot_command`` entity."""
        content: JSON = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._message_update(chat_id, user, **content)

    def make_callback_update(
        self, chat_id: int, data: str, message_id: int, *, user: JSON | None = None
    ) -> JSON:
        """A press on an inline button of the bot's message ``message_id`` in ``chat_id``."""
        sender = self._user_for(chat_id, user)
        message = self._messages.get((chat_id, message_id)) or {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": self.chat(chat_id),
            "date": int(time.time()),
        }
        query_id = str(next(self._query_ids))
        self._open_callback_ids.add(query_id)
        query = {
            "id": query_id,
            "from": sender,
            "message": message,
            "chat_instance": f"-{abs(chat_id) * 31 + 17}",
            "data": data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def add_file(self, data: bytes, prefix: str = "photo", suffix: str = "jpg") -> JSON:
        """Make `data` downloadable (getFile, then GET /file/bot<token>/<file_path>)."""
        info = self._file(prefix)
        path = f"{prefix}s/file_{info['file_id'].rsplit('-', 1)[-1]}.{suffix}"
        self.files[info["file_id"]] = (path, data)
        return {**info, "file_size": len(data)}

    def make_photo_update(
        self,
        chat_id: int,
        *,
        caption: str | None = None,
        user: JSON | None = None,
        data: bytes | None = None,
    ) -> JSON:
        """A photo; with `data`, its largest size is those bytes, served by getFile."""
        sizes = self._photo_sizes()
        if data is not None:
            sizes[-1] = {**sizes[-1], **self.add_file(data)}
        content: JSON = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return self._message_update(chat_id, user, **content)

    def make_sticker_update(
        self, chat_id: int, *, emoji: str = "👍", user: JSON | None = None
    ) -> JSON:
        sticker = {
            **self._file("sticker"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "LoaXaTest",
            "file_size": 24_000,
        }
        return self._message_update(chat_id, user, sticker=sticker)

    def make_voice_update(
        self, chat_id: int, *, duration: int = 3, user: JSON | None = None
    ) -> JSON:
        voice = {
            **self._file("voice"),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 4_000 * duration,
        }
        return self._message_update(chat_id, user, voice=voice)

    def make_location_update(
        self,
        chat_id: int,
        latitude: float = 10.9574,
        longitude: float = 106.8427,
        *,
        user: JSON | None = None,
        horizontal_accuracy: float | None = None,
    ) -> JSON:
        location: JSON = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        return self._message_update(chat_id, user, location=location)
