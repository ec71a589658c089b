"""OAuth2 token endpoint: service-account keys, RS256 JWT-bearer verification, access tokens."""

from __future__ import annotations

import base64
import functools
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
TOKEN_LIFETIME = 3599
CLOCK_SKEW = 300


@functools.cache
def private_key() -> rsa.RSAPrivateKey:
    """The RSA-2048 key every emulator trusts (generated once per process)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_key_pem(key: rsa.RSAPrivateKey | None = None) -> str:
    """PEM (PKCS#8) text of a private key, by default the trusted one."""
    return (
        (key or private_key())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


class TokenError(Exception):
    """An OAuth error answered as {"error": ..., "error_description": ...}."""

    def __init__(self, error: str, description: str) -> None:
        """Keep the OAuth error code and its description."""
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass
class IssuedToken:
    """An access token the emulator handed out."""

    user: str
    expires_at: float
    scopes: tuple[str, ...]


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class TokenAuthority:
    """Issues service-account keys and access tokens; validates Bearer tokens."""

    def __init__(self, token_uri: Callable[[], str], clock: Callable[[], float]) -> None:
        """token_uri is read lazily (the port is known after start); clock for expiry."""
        self._token_uri = token_uri
        self._clock = clock
        self._keys: dict[str, str] = {}
        self._tokens: dict[str, IssuedToken] = {}
        self._lock = threading.Lock()

    def make_key(self, client_email: str, project_id: str = "test-project") -> dict[str, Any]:
        """Return a service-account key dict the emulator trusts."""
        key_id = secrets.token_hex(20)
        with self._lock:
            self._keys[key_id] = client_email
        return {
            "type": "service_account",
            "project_id": project_id,
            "private_key_id": key_id,
            "private_key": private_key_pem(),
            "client_email": client_email,
            "client_id": str(100000000000000000000 + len(self._keys)),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self._token_uri(),
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
            + client_email.replace("@", "%40"),
            "universe_domain": "googleapis.com",
        }

    def write_key(self, path: Path, client_email: str) -> dict[str, Any]:
        """Write a trusted key file and return its content."""
        key = self.make_key(client_email)
        path.write_text(json.dumps(key, indent=2), encoding="utf-8")
        return key

    def grant(self, form_body: bytes) -> dict[str, Any]:
        """Handle POST /token; raise TokenError for a bad grant."""
        form = parse_qs(form_body.decode("utf-8", "replace"))
        if form.get("grant_type", [""])[0] != JWT_BEARER:
            raise TokenError("unsupported_grant_type", "Invalid grant_type")
        assertion = form.get("assertion", [""])[0]
        claims = self._verify(assertion)
        scopes = tuple(str(claims.get("scope", "")).split())
        token = "ya29.emu-" + secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = IssuedToken(
                str(claims["iss"]), self._clock() + TOKEN_LIFETIME, scopes
            )
        return {"access_token": token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer"}

    def _verify(self, assertion: str) -> dict[str, Any]:
        try:
            head_b64, body_b64, sig_b64 = assertion.split(".")
            header = json.loads(_b64decode(head_b64))
            claims = json.loads(_b64decode(body_b64))
            signature = _b64decode(sig_b64)
        except ValueError as exc:
            raise TokenError("invalid_grant", "Invalid JWT: malformed assertion") from exc
        if header.get("alg") != "RS256":
            raise TokenError("invalid_grant", "Invalid JWT: unsupported algorithm")
        email = self._keys.get(str(header.get("kid")))
        try:
            private_key().public_key().verify(
                signature,
                f"{head_b64}.{body_b64}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except InvalidSignature as exc:
            raise TokenError("invalid_grant", "Invalid JWT Signature.") from exc
        if email is None or claims.get("iss") != email:
            raise TokenError("invalid_grant", "Invalid grant: account not found")
        if claims.get("aud") not in (GOOGLE_TOKEN_AUDIENCE, self._token_uri()):
            raise TokenError("invalid_grant", "Invalid JWT: Token must be a short-lived token")
        now = time.time()
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(exp, int | float) or not isinstance(iat, int | float):
            raise TokenError("invalid_grant", "Invalid JWT: missing iat or exp")
        if exp < now - CLOCK_SKEW or iat > now + CLOCK_SKEW or exp - iat > 3600 + CLOCK_SKEW:
            raise TokenError(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                "reasonable timeframe. Check your iat and exp values in the JWT claim.",
            )
        if not claims.get("scope"):
            raise TokenError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        return dict(claims)

    def user_for(self, authorization: str | None) -> tuple[str | None, bool]:
        """Return (user, missing) for an Authorization header; user is None when invalid."""
        if not authorization:
            return None, True
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None, False
        with self._lock:
            issued = self._tokens.get(token.strip())
        if issued is None or issued.expires_at <= self._clock():
            return None, False
        return issued.user, False

    def revoke_all(self) -> None:
        """Invalidate every issued access token (clients must refresh)."""
        with self._lock:
            self._tokens.clear()
