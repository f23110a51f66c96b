"""The web desk's aiohttp application: pages for signed-in officers, /login for one-time links, and the
open /healthz and /metrics endpoints (bind the server to loopback or an internal interface; the pages
themselves need a session)."""
from __future__ import annotations

import logging
from urllib.parse import quote

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape

from core.services import Services

from bot.web import auth, ops, views

log = logging.getLogger("shenbao.bot.web")
OPEN_PATHS = ("/login", "/healthz", "/metrics", "/logout")
SERVICES = web.AppKey("services", Services)
OFFICER = "officer"


def _env() -> Environment:
    env = Environment(loader=PackageLoader("bot", "templates/web"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda s: quote(str(s))
    return env


def _page(request: web.Request, template: str, ctx: dict, status: int = 200) -> web.Response:
    services = request.app[SERVICES]
    html = request.app["jinja"].get_template(template).render(
        call=services.call, officer=request.get(OFFICER), path=request.path, **ctx)
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Referrer-Policy": "no-referrer",
                                 "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                                            "img-src 'self' data:; form-action 'none'"})


@web.middleware
async def require_officer(request: web.Request, handler):
    if request.path.startswith(OPEN_PATHS):
        return await handler(request)
    officer = auth.session_officer(request.app[SERVICES], request.cookies.get(auth.COOKIE))
    if officer is None:
        return _page(request, "message.html", {"title": "请登录", "heading": "请先登录",
                                               "text": "网页收件台只对部里工作人员开放。请在聊天中给机器人发送 /web"
                                                       "（或在服务器上运行 shenbao web-link），打开收到的一次性登录链接。"},
                     status=401)
    request[OFFICER] = officer
    return await handler(request)


async def login(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        officer = await auth.redeem_link(services, request.query.get("t", ""))
    except auth.LoginError as exc:
        return _page(request, "message.html", {"title": "无法登录", "heading": "无法登录", "text": str(exc)}, status=403)
    log.info("web desk: %s signed in", officer)
    resp = web.HTTPFound("/")
    resp.set_cookie(auth.COOKIE, auth.session_cookie(services, officer), httponly=True, samesite="Strict",
                    secure=services.settings.web.base_url.startswith("https://"),
                    max_age=services.settings.web.session_hours * 3600, path="/")
    raise resp


async def logout(request: web.Request) -> web.Response:
    resp = _page(request, "message.html", {"title": "已退出", "heading": "已退出登录",
                                           "text": "需要时请在聊天中发送 /web 获取新的登录链接。"})
    resp.del_cookie(auth.COOKIE, path="/")
    return resp


async def register(request: web.Request) -> web.Response:
    q = request.query
    ctx = await views.register_page(request.app[SERVICES], status=q.get("status") or None,
                                    problems=q.get("problems") == "1", q=(q.get("q") or "").strip() or None)
    return _page(request, "register.html", ctx)


async def province(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    from core.places import UnknownProvince, resolve_province

    try:
        name = resolve_province(request.match_info["name"], services.call, services.settings.cache_dir)
    except UnknownProvince as exc:
        return _page(request, "message.html", {"title": "未知省份", "heading": "未知省份", "text": str(exc)}, status=404)
    if name != request.match_info["name"]:
        raise web.HTTPFound(f"/province/{quote(name)}")
    return _page(request, "province.html", await views.province_page(services, name))


async def unidentified(request: web.Request) -> web.Response:
    return _page(request, "unidentified.html", await views.unidentified_page(request.app[SERVICES]))


async def printable(request: web.Request) -> web.Response:
    return _page(request, "print.html", await views.register_page(request.app[SERVICES]))


async def chart(request: web.Request) -> web.Response:
    ctx = await views.register_page(request.app[SERVICES])
    return web.Response(text=ctx["chart"], content_type="image/svg+xml", headers={"Cache-Control": "no-store"})


async def healthz(request: web.Request) -> web.Response:
    h = await ops.health(request.app[SERVICES])
    return web.json_response(h.as_json(), status=200 if h.ok else 503)


async def metrics(request: web.Request) -> web.Response:
    body = ops.render_metrics(await ops.collect_metrics(request.app[SERVICES]))
    return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})


def build_app(services: Services) -> web.Application:
    app = web.Application(middlewares=[require_officer], client_max_size=64 * 1024)
    app[SERVICES] = services
    app["jinja"] = _env()
    app.router.add_get("/login", login)
    app.router.add_get("/logout", logout)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/", register)
    app.router.add_get("/province/{name}", province)
    app.router.add_get("/unidentified", unidentified)
    app.router.add_get("/print", printable)
    app.router.add_get("/chart.svg", chart)
    return app


async def start_web(services: Services) -> tuple[web.AppRunner, str]:
    """Serve the desk on SHENBAO_WEB_LISTEN:SHENBAO_WEB_PORT; returns (runner, the address it listens on)."""
    s = services.settings.web
    runner = web.AppRunner(build_app(services), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, s.listen, s.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    address = f"http://{host}:{port}"
    global RUNNING_URL
    RUNNING_URL = s.public_url.rstrip("/") if s.public_url else address
    log.info("web desk listening on %s (login links point at %s)", address, RUNNING_URL)
    return runner, address


RUNNING_URL: str | None = None        # where login links point, once the desk is serving in this process
