"""A tiny but real OpenID Connect provider for the tests, served on 127.0.0.1.

Discovery, JWKS, authorize (consents at once, as the configured identity) and token endpoints;
ID tokens are RS256 JWTs signed with joserfc (the JOSE library Authlib itself uses and
recommends). Codes work once, for the client and redirect address they were issued to; the token
endpoint wants the client's secret (HTTP Basic, Authlib's default). ``forge`` signs with a key the
JWKS does not publish, to check that the app refuses such a token.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "quizapp-test"
CLIENT_SECRET = "s3cret-for-tests-only"


class Provider:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, private=True)
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, private=True)
        self.identity = {
            "sub": "u-1",
            "email": "sso@example.com",
            "email_verified": True,
            "name": "Sam SSO",
        }
        self.forge = False
        self.codes: dict[str, dict] = {}
        self.token_requests = 0
        self.app = self._make_app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()  # connections are refused from now on
        self._thread.join(timeout=5)

    def _make_app(self) -> Flask:
        app = Flask("oidc_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
                scopes_supported=["openid", "email", "profile"],
            )

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[self.key.as_dict(private=False)])

        @app.get("/authorize")
        def authorize():
            args = request.args
            if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
                abort(400)
            if "openid" not in args.get("scope", "").split():
                abort(400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "nonce": args.get("nonce"),
                "redirect_uri": args["redirect_uri"],
                "identity": dict(self.identity),
            }
            query = urlencode({"code": code, "state": args.get("state", "")})
            return redirect(f"{args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            self.token_requests += 1
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("Authorization") != f"Basic {expected}":
                return jsonify(error="invalid_client"), 401
            grant = self.codes.pop(request.form.get("code", ""), None)
            if (
                grant is None
                or request.form.get("grant_type") != "authorization_code"
                or request.form.get("redirect_uri") != grant["redirect_uri"]
            ):
                return jsonify(error="invalid_grant"), 400
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                **grant["identity"],
            }
            key = self.other_key if self.forge else self.key
            id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)
            return jsonify(
                access_token=secrets.token_urlsafe(16),
                token_type="Bearer",
                expires_in=300,
                id_token=id_token,
            )

        return app
