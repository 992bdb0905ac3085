"""The Bot API methods the fake Telegram server implements, with the real API's semantics.

``BotApi`` holds the server-side state (messages per chat, webhook, pending updates) and
answers one method call with its ``result`` or raises ``ApiError``; HTTP, recording and fault
injection live in ``telegram_server.FakeTelegram``, which extends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .telegram_checks import JSON, ApiError, bad_request, check_reply_markup, check_text
from .telegram_updates import UpdateBuilder

Handler = Callable[[JSON], Awaitable[Any]]
MAX_DOWNLOAD = 20 * 1024 * 1024  # what getFile lets a bot download

CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class BotApi(UpdateBuilder):
    """Method implementations; ``methods`` maps lower-case names to (name, handler)."""

    def __init__(self, bot_user: JSON) -> None:
        super().__init__(bot_user)
        self.webhook: JSON = {}  # the parameters of the last setWebhook
        self.commands: list[JSON] = []  # the last setMyCommands (default scope)
        self._sent: list[JSON] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, bytes)
        self.uploads: list[JSON] = []  # photos the bot uploaded: chat_id, data, caption
        self._updates: list[JSON] = []
        self._wakeup = asyncio.Event()
        self._poll_generation = 0
        self._closing = False
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "setWebhook": self._set_webhook,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getUpdates": self._get_updates,
            "getFile": self._get_file,
            "sendMediaGroup": self._send_media_group,
        }
        # The Bot API matches method names case-insensitively.
        self.methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    def _notify(self) -> None:
        """Wake every waiting long poll (they re-check their condition)."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def _get_me(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _chat_id(self, params: JSON) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        return chat_id

    def _markup(self, params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup)
        return markup

    def _record(self, message: JSON, markup: JSON | None) -> JSON:
        """Store the message, record it in ``sent`` and return the API's answer for it."""
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(message["chat"]["id"], message["message_id"])] = message
        self._sent.append(
            {**copy.deepcopy(message), **({"reply_markup": markup} if markup else {})}
        )
        return message

    def _new_message(self, params: JSON, **content: Any) -> JSON:
        chat_id = self._chat_id(params)
        markup = self._markup(params)
        replied = self._replied(chat_id, params)
        message = self._message(chat_id, self.bot_user, **content)
        if replied is not None:  # the API returns the message with the one it answers
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        return self._record(message, markup)

    def _replied(self, chat_id: int, params: JSON) -> JSON | None:
        """reply_parameters {message_id, allow_sending_without_reply} or the older
        reply_to_message_id: the message must exist in the chat unless sending without it."""
        parameters = params.get("reply_parameters")
        if isinstance(parameters, dict):
            message_id, lenient = (
                parameters.get("message_id"),
                parameters.get("allow_sending_without_reply", False),
            )
        elif "reply_to_message_id" in params:
            message_id = params["reply_to_message_id"]
            lenient = params.get("allow_sending_without_reply", False)
        else:
            return None
        if not isinstance(message_id, int):
            raise bad_request("message to be replied not found")
        replied = self._messages.get((chat_id, message_id))
        if replied is None and not lenient:
            raise bad_request("message to be replied not found")
        return replied

    async def _send_message(self, params: JSON) -> JSON:
        self._chat_id(params)
        text = check_text(params.get("text"), params.get("parse_mode"))
        return self._new_message(params, text=text)

    async def _send_photo(self, params: JSON) -> JSON:
        photo = params.get("photo")
        if not photo:
            raise bad_request("there is no photo in the request")
        size = len(photo["data"]) if isinstance(photo, dict) else 0
        content: JSON = {"photo": self._photo_sizes(size)}
        if caption := check_text(params.get("caption"), params.get("parse_mode"), caption=True):
            content["caption"] = caption
        if isinstance(photo, dict):
            self.uploads.append(
                {"chat_id": params.get("chat_id"), "data": photo["data"], **content}
            )
        return self._new_message(params, **content)

    async def _send_document(self, params: JSON) -> JSON:
        document = params.get("document")
        if not document:
            raise bad_request("there is no document in the request")
        info: JSON = self._file("document")
        if isinstance(document, dict):
            info.update(
                file_name=document["file_name"],
                mime_type=document["mime_type"],
                file_size=len(document["data"]),
            )
        content: JSON = {"document": info}
        if caption := check_text(params.get("caption"), params.get("parse_mode"), caption=True):
            content["caption"] = caption
        return self._new_message(params, **content)

    def _editable(self, params: JSON) -> JSON:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the fake")
        chat_id, message_id = self._chat_id(params), params.get("message_id")
        if not isinstance(message_id, int):
            raise bad_request("message identifier is not specified")
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return message

    def _edit(self, message: JSON, markup: JSON | None, **changes: Any) -> JSON:
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        edited.update(changes, edit_date=int(time.time()))
        old_markup = message.get("reply_markup")
        new_markup = markup if markup is not None and "inline_keyboard" in markup else None
        if all(message.get(k) == v for k, v in changes.items()) and old_markup == new_markup:
            raise bad_request(_NOT_MODIFIED)
        return self._record(edited, markup)

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        text = check_text(params.get("text"), params.get("parse_mode"))
        return self._edit(message, self._markup(params), text=text)

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._editable(params)
        return self._edit(message, self._markup(params))

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_callback_ids:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(params.get("text") or "") > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_callback_ids.discard(query_id)
        return True

    async def _send_chat_action(self, params: JSON) -> bool:
        self._chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _get_chat(self, params: JSON) -> JSON:
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return {
            **self.chat(self._chat_id(params)),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {key: False for key in (*gifts, "gifts_from_channels")},
        }

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if isinstance(commands, str):  # sent as a JSON-serialised field
            commands = json.loads(commands)
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        for c in commands:
            name, text = c.get("command", ""), c.get("description", "")
            if not (
                1 <= len(name) <= 32
                and all(ch.islower() or ch.isdigit() or ch == "_" for ch in name)
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(text) <= 256:
                raise bad_request("command description must be 1-256 characters")
        self.commands = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return list(self.commands)

    async def _set_webhook(self, params: JSON) -> bool:
        url = params.get("url") or ""
        if not url:
            return await self._delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = params.get("secret_token")
        if secret is not None and not (
            1 <= len(secret) <= 256
            and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
        ):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {k: v for k, v in params.items() if k != "drop_pending_updates"}
        self._notify()  # a long poll in progress now conflicts with the webhook
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {}
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if "allowed_updates" in self.webhook:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout") or 0), 0.0)
        if offset > 0:  # confirms every update before the offset
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll is now terminated with 409
        while True:
            if self.webhook:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if self._updates or self._closing or remaining <= 0:
                return self._updates[:limit]
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)

    # -- files (getFile, then GET /file/bot<token>/<file_path>) ------------------------------

    async def _get_file(self, params: JSON) -> JSON:
        file_id = params.get("file_id")
        stored = self.files.get(str(file_id))
        if stored is None:
            raise bad_request("invalid file_id")
        path, data = stored
        if len(data) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        unique = str(file_id).replace("-file-", "-uniq-")
        return {"file_id": file_id, "file_unique_id": unique, "file_size": len(data),
                "file_path": path}  # fmt: skip

    async def _send_media_group(self, params: JSON) -> list[JSON]:
        items = params.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise bad_request("wrong number of media: 2-10 items")
        chat_id = self._chat_id(params)
        sent = []
        for item in items:
            ref = str(item.get("media", ""))
            upload = (
                params.get(ref.removeprefix("attach://")) if ref.startswith("attach://") else None
            )
            size = len(upload["data"]) if isinstance(upload, dict) else 0
            if item.get("type") != "photo" or (ref.startswith("attach://") and not upload):
                raise bad_request("wrong file identifier/HTTP URL specified")
            content: JSON = {"photo": self._photo_sizes(size), "media_group_id": "13"}
            caption = check_text(item.get("caption"), item.get("parse_mode"), caption=True)
            if caption:
                content["caption"] = caption
            if isinstance(upload, dict):
                self.uploads.append({"chat_id": chat_id, "data": upload["data"], **content})
            sent.append(self._record(self._message(chat_id, self.bot_user, **content), None))
        return sent
