"""`loaxa`: run the bot, ask the FAQ, evaluate it, check content, import plans, migrate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.content.errors import ContentError
from bot.settings import Settings, SettingsError


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "port", None) is not None:
        overrides["port"] = args.port
    if getattr(args, "unit", None):
        overrides["default_unit"] = args.unit
    return Settings.from_env(**overrides)


def cmd_run(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import build_app
    from bot.console import base_url as local_base_url
    from bot.observability import AccessLog, configure_logging

    settings = _settings(args)
    configure_logging(settings.log_level, settings.log_format)
    app = build_app(settings)
    base = local_base_url(settings)
    print(f"Loa Xã is starting on {base} (stop with Ctrl+C)")
    if settings.web_chat_enabled:
        print(f"  web chat: {base}/chat/   (type: xin chào)")
    print(f"  console:  {base}/console/")
    print(f"  health:   {base}/healthz   metrics: {base}/metrics")
    print(f"  database: {settings.resolved_database_url.split('@')[-1]}")
    web.run_app(
        app, host=settings.host, port=settings.port, print=None, access_log_class=AccessLog
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Background jobs only (no HTTP): for deployments with separate web processes."""
    import signal

    from aiohttp import web

    from bot.app import build_app
    from bot.observability import configure_logging

    settings = Settings.from_env(run_workers=True)
    configure_logging(settings.log_level, settings.log_format)

    async def serve() -> None:
        runner = web.AppRunner(build_app(settings))
        await runner.setup()  # starts the workers (cleanup contexts), opens no port
        print("Loa Xã worker is running (Ctrl+C to stop).")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await runner.cleanup()

    asyncio.run(serve())
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from bot.content.loader import load_content

    settings = _settings(args)
    try:
        content = load_content(settings.content_dir)
    except ContentError as exc:
        print(f"Content has {len(exc.errors)} problem(s):", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    from bot.content.faq import dated_problems, local_today, validate_faq_dir

    coverage = validate_faq_dir(settings.content_dir / "faq", settings.content_dir / "topics.yaml")
    warnings, expired = dated_problems(list(content.faq.entries.values()), local_today())
    for line in warnings:
        print(f"  warning: {line}", file=sys.stderr)
    if coverage or expired:
        for line in coverage + expired:
            print(f"  {line}", file=sys.stderr)
        return 1
    entries = len(content.faq.entries)
    print(
        f"Content OK: {len(content.units)} units, {entries} FAQ entries, "
        f"{len(content.messages.names())} messages."
    )
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.db.engine import make_engine, migrate

    settings = _settings(args)

    async def go() -> None:
        engine = make_engine(settings.resolved_database_url)
        await migrate(engine)
        await engine.dispose()

    asyncio.run(go())
    print("Database schema is up to date.")
    return 0


def _sync_url(settings: Settings) -> str:
    return settings.resolved_database_url.replace("+aiosqlite", "").replace("+asyncpg", "")


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.media.files import media_root
    from bot.ops import BackupError, backup, backup_media

    settings = _settings(args)
    out = Path(args.out) if args.out else settings.data_dir / "backups"
    try:
        path = backup(_sync_url(settings), out)
    except BackupError as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Backup written: {path}")
    files = backup_media(media_root(settings.data_dir), out)
    if files is not None:
        print(f"Photos and files: {files}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.media.files import media_root
    from bot.ops import BackupError, restore, restore_media

    settings = _settings(args)
    if not args.yes:
        print("Restore replaces ALL current data. Stop the bot, then run again with --yes.")
        return 2
    if args.file.endswith("-media.tar"):  # the photos' tar written beside the database copy
        count = restore_media(Path(args.file), media_root(settings.data_dir))
        print(f"Restored {count} photos and files.")
        return 0
    try:
        restore(_sync_url(settings), Path(args.file))
    except BackupError as exc:
        print(f"Restore failed: {exc}", file=sys.stderr)
        return 1
    print("Restored. Start the bot again; migrations run at start.")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from bot.plans import cli_main

    return cli_main([args.file, *(["--json"] if args.json else [])])


def build_parser() -> argparse.ArgumentParser:
    from bot import cli_faq
    from bot.console import cli as console_cli
    from bot.outreach import cli as outreach_cli
    from bot.reports import cli as reports_cli

    parser = argparse.ArgumentParser(prog="loaxa", description="Loa Xã commune chatbot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve webhooks, web chat, console and workers")
    run.add_argument("--port", type=int)
    run.set_defaults(func=cmd_run)
    worker = sub.add_parser("worker", help="run only the background workers (no HTTP)")
    worker.set_defaults(func=cmd_worker)
    cli_faq.add_commands(sub)
    console_cli.add_commands(sub)
    outreach_cli.add_commands(sub)  # poster, outreach
    content = sub.add_parser("content", help="content tools")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate everything in content/")
    check.set_defaults(func=cmd_content_check)
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    bk = sub.add_parser("backup", help="write a consistent copy of the database")
    bk.add_argument("--out", help="directory (default DATA_DIR/backups)")
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="replace the database with a backup (bot stopped)")
    rs.add_argument("file")
    rs.add_argument("--yes", action="store_true", help="confirm: current data is replaced")
    rs.set_defaults(func=cmd_restore, inputs=("file",))
    plan = sub.add_parser("plan", help="communication plans")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    imp = plan_sub.add_parser(
        "import",
        help="read a plan (.txt, .md, .docx)",
        description="Read a communication plan and print what was found: audiences and "
        "contents, channels, KPI targets, deadlines, tasks, contacts, cited documents.",
    )
    imp.add_argument("file", help="the plan: .txt, .md or .docx")
    imp.add_argument("--json", action="store_true", help="print one JSON object")
    imp.set_defaults(func=cmd_plan, inputs=("file",))
    from bot.campaigns import cli as campaigns_cli  # campaign …, plan calendar

    campaigns_cli.add_commands(sub, plan_sub)
    reports_cli.add_commands(sub)  # report pakn|period
    from bot.plans import unit_cli

    unit_cli.add_commands(sub)  # unit new --from-plan
    return parser


def missing_input(args: argparse.Namespace) -> str | None:
    """The first input file named on the command line that cannot be read, if any.

    Commands list their input arguments in `inputs` (set_defaults); "-" means stdin."""
    for name in getattr(args, "inputs", ()):
        value = getattr(args, name, None)
        for path in value if isinstance(value, list) else [value]:
            if path and path != "-" and not Path(path).is_file():
                return str(path)
    return None


def _quiet_broken_pipe() -> int:
    """`loaxa … | head`: the reader left. Point stdout at /dev/null so that the flush at exit
    does not raise again, and stop without a traceback."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    missing = missing_input(args)
    if missing is not None:
        print(f"loaxa: file not found: {missing}", file=sys.stderr)
        return 2
    try:
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ContentError as exc:
        print("Content is invalid:\n  " + "\n  ".join(exc.errors), file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --out in a folder that does not exist
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"loaxa: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
