"""Accounts (admin only): list, add, disable/enable, reset password, set role and units.

A global admin (no units) manages everyone; an admin scoped to units manages only accounts
wholly inside those units and cannot create global admins. Every change is audited.
"""

from __future__ import annotations

from aiohttp import web

from bot.console import accounts, audit
from bot.console.accounts import Account, AccountError
from bot.console.auth import current, now, require, visible_units
from bot.console.render import render
from bot.keys import services_key, sessionmaker_key


def _unit_for_audit(units: frozenset[str]) -> str | None:
    return next(iter(units)) if len(units) == 1 else None


def _form_units(form: object, allowed: list[str]) -> list[str]:
    chosen = form.getall("unit", []) if hasattr(form, "getall") else []
    # A unit the admin may not see is treated as unknown (not revealed).
    return [str(u) if str(u) in allowed else f"?{u}" for u in chosen]


async def _target(request: web.Request) -> Account:
    """The account in the URL, if this admin may manage it (404 otherwise)."""
    try:
        user_id = int(request.match_info["user_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    async with request.config_dict[sessionmaker_key]() as sess:
        target = await accounts.get_account(sess, user_id)
    if target is None or not accounts.may_manage(current(request).actor, target.units):
        raise web.HTTPNotFound()
    return target


async def _list(
    request: web.Request,
    *,
    status: int = 200,
    error: str = "",
    form: dict[str, object] | None = None,
) -> web.Response:
    admin = current(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        everyone = await accounts.list_accounts(sess)
    shown = [a for a in everyone if accounts.may_manage(admin.actor, a.units)]
    return await render(
        request,
        "users.html",
        status=status,
        accounts_list=shown,
        error=error,
        roles=accounts.ROLE_LABELS,
        my_units=visible_units(request, admin),
        form=form or {"username": "", "display_name": "", "role": "staff", "units": []},
    )


@require("admin")
async def users_page(request: web.Request) -> web.StreamResponse:
    return await _list(request)


@require("admin")
async def users_add(request: web.Request) -> web.StreamResponse:
    admin = current(request)
    form = await request.post()
    allowed = visible_units(request, admin)
    units = _form_units(form, allowed)
    role = str(form.get("role", ""))
    values: dict[str, object] = {
        "username": str(form.get("username", "")),
        "display_name": str(form.get("display_name", "")),
        "role": role,
        "units": units,
    }
    when = now(request)
    try:
        if admin.units and not units:
            raise AccountError("Hãy chọn ít nhất một đơn vị.")
        accounts.check_password(str(form.get("password", "")), str(form.get("password2", "")))
        async with request.config_dict[sessionmaker_key].begin() as sess:
            created = await accounts.create_user(
                sess,
                username=str(values["username"]),
                password=str(form.get("password", "")),
                role=role,
                units=units,
                known_units=allowed,
                now=when,
                display_name=str(values["display_name"]),
            )
            await audit.record(
                sess,
                admin.actor,
                "user.create",
                target=created.username,
                detail={"role": created.role, "units": sorted(created.units)},
                unit=_unit_for_audit(created.units),
                now=when,
            )
    except AccountError as exc:
        return await _list(request, status=400, error=str(exc), form=values)
    raise web.HTTPFound("/console/users/")


@require("admin")
async def user_page(request: web.Request) -> web.StreamResponse:
    target = await _target(request)
    return await render(
        request,
        "user_edit.html",
        target=target,
        error="",
        roles=accounts.ROLE_LABELS,
        my_units=visible_units(request, current(request)),
        done=request.query.get("ok", ""),
    )


@require("admin")
async def user_update(request: web.Request) -> web.StreamResponse:
    """One form per action: `op` is units, password, disable or enable."""
    admin = current(request)
    target = await _target(request)
    form = await request.post()
    op = str(form.get("op", ""))
    when = now(request)
    allowed = visible_units(request, admin)
    known = request.config_dict[services_key].units
    try:
        async with request.config_dict[sessionmaker_key].begin() as sess:
            if op == "units":
                role = str(form.get("role", ""))
                units = _form_units(form, allowed)
                if admin.units and not units:
                    raise AccountError("Hãy chọn ít nhất một đơn vị.")
                if target.id == admin.id and (role != "admin" or set(units) != target.units):
                    raise AccountError("Không thể tự đổi vai trò hoặc đơn vị của chính mình.")
                await accounts.set_role_units(
                    sess, target.id, role=role, units=units, known_units=known, now=when
                )
                detail: dict[str, object] = {"role": role, "units": sorted(units)}
                action = "user.update"
            elif op == "password":
                password = str(form.get("password", ""))
                accounts.check_password(password, str(form.get("password2", "")))
                await accounts.set_password(sess, target.id, password, when)
                detail, action = {}, "user.password_reset"
            elif op in ("disable", "enable"):
                if target.id == admin.id:
                    raise AccountError("Không thể tự khoá tài khoản của chính mình.")
                await accounts.set_active(sess, target.id, op == "enable", when)
                detail, action = {}, f"user.{op}"
            else:
                raise web.HTTPBadRequest()
            await audit.record(
                sess,
                admin.actor,
                action,
                target=target.username,
                detail=detail,
                unit=_unit_for_audit(target.units),
                now=when,
            )
    except AccountError as exc:
        return await render(
            request,
            "user_edit.html",
            status=400,
            target=target,
            error=str(exc),
            roles=accounts.ROLE_LABELS,
            my_units=allowed,
            done="",
        )
    raise web.HTTPFound(f"/console/users/{target.id}/?ok={op}")
