"""Fakes at the network edge (see shared/style.md item 11).

``FakeTelegram`` is a local server speaking the real Telegram Bot API over HTTP, so that
python-telegram-bot runs unchanged against it (``telegram.Bot(token, base_url=fake.base_url)``).
"""

from .telegram_server import DEFAULT_TOKEN, SECRET_HEADER, FakeTelegram, SendStats
from .telegram_updates import make_user

__all__ = ["DEFAULT_TOKEN", "SECRET_HEADER", "FakeTelegram", "SendStats", "make_user"]
