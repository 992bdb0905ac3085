"""Send a phản ánh, kiến nghị (PAKN). Diagram: docs/conversations/pakn.mmd.

"pakn" ─▶ CATEGORY ─▶ CONTENT ─▶ ATTACH ─▶ [AREA] ─▶ NAME ─▶ PHONE ─┬─▶ CONFIRM ─Gửi─▶ stored
                      │ khiếu nại/tố cáo       no phone └▶ ADDRESS ┘    │ Sửa ─▶ EDIT
                      └▶ COMPLAINT (proper channel; "continue" ─▶ ATTACH)
A petition typed as free text ("đèn đường hỏng, nhờ xã sửa") starts at REVIEW: its own words
as the content and a guessed category, to confirm (─▶ ATTACH), rewrite (─▶ CONTENT) or
re-categorise (─▶ CATEGORY ─▶ REVIEW); see handlers/intents.py. A request typed there ("tra cứu
PA-…", "dừng nhận tin") is handed back, an insult answered calmly; neither replaces the draft.
Every step: "quay lại"/⬅️ goes one step back, ❌ Hủy (or typed "hủy"/"menu") drops the draft.
A danger typed mid-form gets 114/115/113 first (the engine), then only CONTENT takes the text;
other steps, like a request typed for a name, phone or address, ask again and keep the draft.
The draft is the conversation state; the acknowledgement is queued in the insert's transaction.
Payloads: pakn, pakn:cat:<key>, :skip, :area:<i>, :nophone, :continue, :ok, :send:<nonce>,
:edit[:<field>], :back, :cancel."""

from __future__ import annotations

import secrets

from bot.core.flow import Context, payload_number, payload_parts
from bot.core.messages import Button
from bot.pakn.phone import parse_vn_phone
from handlers.common import is_abuse, is_request
from handlers.pakn_steps import (
    COMPLAINT_PHRASES,
    EDIT_TARGETS,
    FIELD_STEPS,
    NO_PHONE_WORDS,
    NO_WORDS,
    SKIP_WORDS,
    START_PHRASES,
    YES_WORDS,
    Step,
    add_attachments,
    category_button,
    check_content,
    content_problem,
    folded,
    is_back,
    is_complaint,
    keep_location,
    location_buttons,
    nav,
    offered_categories,
    say_complaint,
    say_confirm,
    texts,
    valid_name,
)
from handlers.pakn_submit import limited, submit


class PaknFlow:
    name = "pakn"

    def starts(self, ctx: Context) -> bool:
        return ctx.msg.kind == "text" and folded(ctx.text) in START_PHRASES | COMPLAINT_PHRASES

    async def handle(self, ctx: Context) -> None:
        parts = payload_parts(ctx.payload)
        action = parts[1] if len(parts) > 1 else ""
        if action == "send":
            await submit(ctx, parts[2] if len(parts) > 2 else "")
            return
        if parts == ["pakn"] or (not parts and ctx.state.flow != self.name):
            if not parts and folded(ctx.text) in COMPLAINT_PHRASES:
                ctx.end()
                say_complaint(ctx, in_form=False)
                return
            await self._start(ctx)
            return
        if ctx.state.flow != self.name or ctx.state.step not in set(Step):
            ctx.end()
            ctx.say_key("input.stale_button", ctx.menu_buttons())
            return
        if action == "cancel":
            ctx.end()
            ctx.say_key("pakn.cancelled", ctx.menu_buttons())
            return
        if action == "back" or is_back(ctx):
            self._back(ctx)
            return
        if ctx.msg.kind == "location" or action == "loc":
            self._on_location(ctx, parts[2:] if action == "loc" else [])
            return
        step = Step(str(ctx.state.step))
        if ctx.emergency_said and step is not Step.CONTENT:
            # The danger got 114/115/113 above. Only a description may tell of it; as a name,
            # a phone or a replacement for the draft it would be wrong: ask this step again.
            self._enter(ctx, step)
            return
        if step in FIELD_STEPS and not action and ctx.text and is_request(ctx.text):
            # Not that field, and not handed back either: that would drop a careful draft.
            ctx.say_key("pakn.busy_request")
            self._enter(ctx, step)
            return
        handler = getattr(self, f"_on_{step.value}")
        await handler(ctx, action, parts[2:])

    # --- entering steps -------------------------------------------------------------------
    async def _start(self, ctx: Context) -> None:
        ctx.end()
        if await limited(ctx):
            return
        ctx.goto(self.name, Step.CATEGORY, nonce=secrets.token_hex(8))
        ctx.say_key("pakn.intro", self._category_buttons(ctx))

    async def start_with(self, ctx: Context, content: str | None, category: str | None) -> None:
        """Start from a petition typed as free text: its words are the content, to confirm."""
        if not content or content_problem(content) == "long":
            await self._start(ctx)
            return
        ctx.end()
        if await limited(ctx):
            return
        category = category if category in offered_categories(ctx) else "khac"
        if content_problem(content) == "short":  # "đèn đường hỏng": ask for the details
            ctx.goto(self.name, Step.CONTENT, nonce=secrets.token_hex(8), category=category)
            ctx.say_key("pakn.ask_content", nav(ctx))
            return
        ctx.goto(self.name, Step.REVIEW, nonce=secrets.token_hex(8), prefilled=True)
        ctx.state.data.update(content=content, category=category)
        self._say_review(ctx)

    def _say_review(self, ctx: Context) -> None:
        data = ctx.state.data
        buttons = [
            Button.reply(ctx.t("intent.btn.pakn_ok"), "pakn:ok"),
            Button.reply(ctx.t("intent.btn.pakn_edit"), "pakn:editc"),
            Button.reply(ctx.t("intent.btn.pakn_category"), "pakn:recat"),
            Button.reply(ctx.t("pakn.btn.cancel"), "pakn:cancel"),
        ]
        ctx.say_key(
            "intent.pakn_prefilled",
            buttons,
            content=str(data.get("content", "")),
            category=texts(ctx).category(str(data.get("category", "khac"))),
        )

    async def _on_review(self, ctx: Context, action: str, args: list[str]) -> None:
        data = ctx.state.data
        typed = folded(ctx.text) if ctx.msg.kind == "text" else ""
        if action == "ok" or (not action and typed in YES_WORDS):
            self._next(ctx, Step.CONTENT)
        elif action == "editc" or (not action and typed in NO_WORDS):
            data.pop("prefilled", None)
            self._enter(ctx, Step.CONTENT)
        elif action == "recat":
            self._enter(ctx, Step.CATEGORY)
        elif ctx.msg.kind == "text" and ctx.text and not action and is_request(ctx.text):
            ctx.hand_back()  # "tra cứu PA-…", "dừng nhận tin": not a new content
        elif ctx.msg.kind == "text" and ctx.text and not action and is_abuse(ctx.text):
            ctx.say_key("pakn.review_abuse")  # "bot ngu vl" is no petition: the draft stays
            self._say_review(ctx)
        elif ctx.msg.kind == "text" and ctx.text and not action:
            if check_content(ctx, ctx.text):  # typed a new text: it replaces the content
                data["content"] = ctx.text
                self._say_review(ctx)
        else:
            self._say_review(ctx)

    def _category_buttons(self, ctx: Context) -> list[Button]:
        buttons = [
            Button.reply(category_button(ctx, k), f"pakn:cat:{k}") for k in offered_categories(ctx)
        ]
        return buttons + nav(ctx, back=bool(ctx.state.data.get("editing")))

    def _enter(self, ctx: Context, step: Step) -> None:
        """Go to `step` and ask its question (skipping the area step when there are no areas)."""
        data = ctx.state.data
        if step is Step.AREA and not ctx.unit.areas:
            step = Step.CONFIRM if data.get("editing") else Step.NAME
        ctx.goto(self.name, step)
        if step is Step.REVIEW:
            self._say_review(ctx)
        elif step is Step.CATEGORY:
            ctx.say_key("pakn.ask_category", self._category_buttons(ctx))
        elif step is Step.CONTENT:
            ctx.say_key("pakn.ask_content", nav(ctx))
        elif step is Step.ATTACH:
            skip = Button.reply(ctx.t("pakn.btn.skip"), "pakn:skip")
            ctx.say_key("pakn.ask_attachments", [skip, *location_buttons(ctx), *nav(ctx)])
        elif step is Step.AREA:
            buttons = [
                Button.reply(area, f"pakn:area:{i}") for i, area in enumerate(ctx.unit.areas)
            ]
            buttons.append(Button.reply(ctx.t("pakn.btn.skip"), "pakn:skip"))
            ctx.say_key("pakn.ask_area", buttons + nav(ctx))
        elif step is Step.NAME:
            ctx.say_key("pakn.ask_name", nav(ctx))
        elif step is Step.PHONE:
            buttons = [Button.reply(ctx.t("pakn.btn.no_phone"), "pakn:nophone"), *nav(ctx)]
            ctx.say_key("pakn.ask_phone", buttons)
        elif step is Step.ADDRESS:
            ctx.say_key("pakn.ask_address", nav(ctx))
        elif step is Step.EDIT:
            self._say_edit(ctx)
        else:
            say_confirm(ctx)

    def _next(self, ctx: Context, after: Step) -> None:
        if ctx.state.data.get("editing") and after is not Step.PHONE:
            self._enter(ctx, Step.CONFIRM)
            return
        order = [Step.CATEGORY, Step.CONTENT, Step.ATTACH, Step.AREA, Step.NAME, Step.PHONE]
        following = {Step.COMPLAINT: Step.ATTACH, Step.ADDRESS: Step.CONFIRM}
        if after is Step.CATEGORY and ctx.state.data.get("prefilled"):
            self._enter(ctx, Step.REVIEW)
        elif after in following:
            self._enter(ctx, following[after])
        elif after is Step.PHONE:
            self._enter(ctx, Step.CONFIRM)
        else:
            self._enter(ctx, order[order.index(after) + 1])

    def _back(self, ctx: Context) -> None:
        data = ctx.state.data
        step = Step(str(ctx.state.step))
        target: Step | None
        if data.get("editing") and step not in (Step.CONFIRM, Step.ADDRESS):
            target = Step.CONFIRM
        else:
            target = {
                Step.REVIEW: None,
                Step.CATEGORY: Step.REVIEW if data.get("prefilled") else None,
                Step.CONTENT: Step.CATEGORY,
                Step.COMPLAINT: Step.CONTENT,
                Step.ATTACH: Step.CONTENT,
                Step.AREA: Step.ATTACH,
                Step.NAME: Step.AREA if ctx.unit.areas else Step.ATTACH,
                Step.PHONE: Step.NAME,
                Step.ADDRESS: Step.PHONE,
                Step.CONFIRM: Step.ADDRESS if data.get("address") else Step.PHONE,
                Step.EDIT: Step.CONFIRM,
            }[step]
        if target is None:
            ctx.end()
            ctx.say_menu()
            return
        self._enter(ctx, target)

    # --- steps ----------------------------------------------------------------------------
    async def _on_category(self, ctx: Context, action: str, args: list[str]) -> None:
        key = args[0] if action == "cat" and args else None
        if key is None and ctx.msg.kind == "text":
            typed = folded(ctx.text)
            offered = offered_categories(ctx)
            labels = {folded(texts(ctx).category(k)): k for k in offered}
            key = labels.get(typed)
            number = payload_number(typed, len(offered))
            if number:
                key = offered[number - 1]
        if key not in offered_categories(ctx):
            ctx.say_key("pakn.ask_category", self._category_buttons(ctx))
            return
        ctx.state.data["category"] = key
        self._next(ctx, Step.CATEGORY)

    async def _on_content(self, ctx: Context, action: str, args: list[str]) -> None:
        data = ctx.state.data
        if ctx.msg.kind == "attachment":
            add_attachments(ctx)
            if not ctx.text:
                ctx.say_key("pakn.content_photo_first", nav(ctx))
                return
        elif ctx.msg.kind != "text" or not ctx.text:
            ctx.say_key("pakn.ask_content", nav(ctx))
            return
        text = ctx.text
        if is_complaint(text) and not data.get("complaint_ok"):
            data["pending_content"] = text
            ctx.goto(self.name, Step.COMPLAINT)
            say_complaint(ctx, in_form=True)
            return
        if check_content(ctx, text):
            data["content"] = text
            self._next(ctx, Step.CONTENT)

    async def _on_complaint(self, ctx: Context, action: str, args: list[str]) -> None:
        data = ctx.state.data
        if action == "continue":
            data["complaint_ok"] = True
            text = str(data.pop("pending_content", ""))
            if check_content(ctx, text):
                data["content"] = text
                self._next(ctx, Step.CONTENT)
            else:
                ctx.goto(self.name, Step.CONTENT)
            return
        await self._on_content(ctx, action, args)  # new text: read it as the content again

    async def _on_attach(self, ctx: Context, action: str, args: list[str]) -> None:
        data = ctx.state.data
        done = [Button.reply(ctx.t("pakn.btn.done"), "pakn:skip"), *nav(ctx)]
        if action == "skip" or (ctx.msg.kind == "text" and folded(ctx.text) in SKIP_WORDS):
            self._next(ctx, Step.ATTACH)
        elif ctx.msg.kind == "attachment":
            before = len(data.get("attachments") or [])
            count = add_attachments(ctx)
            key = "pakn.attachments_full" if count == before else "pakn.attachment_received"
            ctx.say_key(key, done, attachments=count)
        elif ctx.msg.kind == "text" and ctx.text:
            joined = f"{data.get('content', '')}\n{ctx.text}".strip()
            if check_content(ctx, joined):
                data["content"] = joined
                ctx.say_key("pakn.content_added", done)
        else:
            self._enter(ctx, Step.ATTACH)

    def _on_location(self, ctx: Context, args: list[str]) -> None:
        """A shared place is kept with the draft at any step (pakn_steps.keep_location); the
        step's question follows (at ATTACH, with its "Xong" button)."""
        key = keep_location(ctx, args)
        step = Step(str(ctx.state.step))
        if step is Step.ATTACH:
            done = Button.reply(ctx.t("pakn.btn.done"), "pakn:skip")
            ctx.say_key(key, [done, *location_buttons(ctx), *nav(ctx)])
        elif step is Step.COMPLAINT:
            ctx.say_key(key)
            say_complaint(ctx, in_form=True)
        else:
            ctx.say_key(key)
            self._enter(ctx, step)

    async def _on_area(self, ctx: Context, action: str, args: list[str]) -> None:
        areas = ctx.unit.areas
        chosen: str | None = None
        index = payload_number(args[0], len(areas) - 1) if action == "area" and args else None
        if index is not None:
            chosen = areas[index]
        elif ctx.msg.kind == "text":
            chosen = {folded(a): a for a in areas}.get(folded(ctx.text))
        if action == "skip" or chosen is not None:
            ctx.state.data["area"] = chosen
            self._next(ctx, Step.AREA)
            return
        self._enter(ctx, Step.AREA)

    async def _on_name(self, ctx: Context, action: str, args: list[str]) -> None:
        name = valid_name(ctx.text) if ctx.msg.kind == "text" else None
        if name is None:
            ctx.say_key("pakn.name_invalid", nav(ctx))
            return
        if len(name.split()) < 2 and not ctx.state.data.get("name_asked"):
            # "Bình" is a given name; ask once for the full name, then accept what is given
            # (some people go by one name).
            ctx.state.data["name_asked"] = True
            ctx.say_key("pakn.name_full", nav(ctx), name=name)
            return
        ctx.state.data["name"] = name
        self._next(ctx, Step.NAME)

    async def _on_phone(self, ctx: Context, action: str, args: list[str]) -> None:
        data = ctx.state.data
        if action == "nophone" or (ctx.msg.kind == "text" and folded(ctx.text) in NO_PHONE_WORDS):
            self._enter(ctx, Step.ADDRESS)
            return
        phone = parse_vn_phone(ctx.text) if ctx.msg.kind == "text" else None
        if phone is None:
            buttons = [Button.reply(ctx.t("pakn.btn.no_phone"), "pakn:nophone"), *nav(ctx)]
            ctx.say_key("pakn.phone_invalid", buttons)
            return
        data.update(phone=phone, address=None, consent_at=ctx.now.isoformat())
        self._next(ctx, Step.PHONE)

    async def _on_address(self, ctx: Context, action: str, args: list[str]) -> None:
        address = " ".join(ctx.text.split()) if ctx.msg.kind == "text" else ""
        if len(address) < 8 or len(address.split()) < 2:
            ctx.say_key("pakn.address_invalid", nav(ctx))
            return
        ctx.state.data.update(address=address[:500], phone=None, consent_at=ctx.now.isoformat())
        self._next(ctx, Step.ADDRESS)

    # --- confirmation -----------------------------------------------------------------------
    async def _on_confirm(self, ctx: Context, action: str, args: list[str]) -> None:
        if action == "edit":
            self._enter(ctx, Step.EDIT)
        elif ctx.msg.kind == "text" and folded(ctx.text) in {"gui", "dong y", "ok", "xac nhan"}:
            await submit(ctx, str(ctx.state.data.get("nonce", "")))
        else:
            ctx.say_key("pakn.confirm_hint")
            say_confirm(ctx)

    def _say_edit(self, ctx: Context) -> None:
        fields = [f for f in EDIT_TARGETS if f != "area" or ctx.unit.areas]
        buttons = [Button.reply(ctx.t(f"pakn.btn.edit.{f}"), f"pakn:edit:{f}") for f in fields]
        ctx.say_key("pakn.ask_edit", [*buttons, *nav(ctx)])

    async def _on_edit(self, ctx: Context, action: str, args: list[str]) -> None:
        target = EDIT_TARGETS.get(args[0]) if action == "edit" and args else None
        if target is None:
            self._say_edit(ctx)
            return
        ctx.state.data["editing"] = True
        self._enter(ctx, target)


FLOW = PaknFlow()
