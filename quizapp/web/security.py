"""What every response carries, where the client's address comes from, and absolute links.

- Security headers on every response (:data:`SECURITY_HEADERS`): a Content-Security-Policy that
  lets pages load scripts, styles and everything else from this site only (no inline script, no
  inline event handlers, no ``style`` attributes: templates keep them in ``static/``), and that no
  site may frame (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``); ``nosniff``; a
  Referrer-Policy that sends no address (join links carry codes) to other sites.
- ``QUIZAPP_TRUSTED_PROXIES`` = N wraps the app in werkzeug's ProxyFix for N hops of
  ``X-Forwarded-For`` and ``X-Forwarded-Proto``, so ``request.remote_addr`` (what the rate limits
  count) is the client, not the proxy. Without it those headers are ignored: a client cannot
  pretend to come from elsewhere.
- :func:`external_url`: absolute links from ``QUIZAPP_BASE_URL`` when set, never from a Host header
  an attacker chose; otherwise from the request, whose Host Flask checks against
  ``TRUSTED_HOSTS`` (``QUIZAPP_TRUSTED_HOSTS``) when configured.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def register(app: Flask) -> None:
    hops = int(app.config.get("QUIZAPP_TRUSTED_PROXIES") or 0)
    if hops:
        # Host is not taken from X-Forwarded-Host: the proxy passes the Host header through.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0
        )

    @app.errorhandler(SecurityError)
    def _untrusted_host(exc: SecurityError):
        # A Host not in TRUSTED_HOSTS: no page can be rendered (no URL can be built for it).
        return (
            "This site does not answer to that host name.\n",
            400,
            {"Content-Type": "text/plain; charset=utf-8"},
        )

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` (see the module docstring)."""
    base = current_app.config.get("QUIZAPP_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
