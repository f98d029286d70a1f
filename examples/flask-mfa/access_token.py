"""Offline verification of Cognate (Cognito) access tokens.

The pool's public keys are fetched once from <issuer>/.well-known/jwks.json and kept in memory;
after that a token is checked with no network call at all: RS256 signature by the key its `kid`
names, `iss`, `token_use == "access"`, `client_id`, and the time claims (`exp`, `iat`, `nbf`).

The time claims are checked against `clock()` (Unix seconds, `time.time` by default) instead of
PyJWT's own reading of the system clock, so a test can move past `exp` without waiting.
"""

import json
import threading
import time
import urllib.request

import jwt
from jwt.algorithms import RSAAlgorithm

MAX_JWKS_BYTES = 64 * 1024
MAX_TOKEN_CHARS = 8 * 1024
JWKS_TIMEOUT_SECONDS = 5


class TokenError(Exception):
    """The token is refused; str(e) is a short reason safe to return to the caller."""


class JwksUnavailable(Exception):
    """No signing keys could be fetched, so no token can be verified yet."""


def fetch_url(url):
    """GET `url` and return its body (bounded in size and time)."""
    with urllib.request.urlopen(url, timeout=JWKS_TIMEOUT_SECONDS) as response:
        body = response.read(MAX_JWKS_BYTES + 1)
    if len(body) > MAX_JWKS_BYTES:
        raise ValueError("JWKS document too large")
    return body


def parse_jwks(body):
    """kid -> RSA public key for every RS256 signing key of a JWKS document."""
    keys = {}
    for jwk in json.loads(body).get("keys", []):
        if jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig":
            continue
        if jwk.get("alg", "RS256") != "RS256" or not isinstance(jwk.get("kid"), str):
            continue
        keys[jwk["kid"]] = RSAAlgorithm.from_jwk(json.dumps(jwk))
    return keys


class AccessTokenVerifier:
    """Verifies access tokens of one app client of one pool.

    issuer:    the pool's issuer, e.g. http://127.0.0.1:9330/us-east-1_AbCdEf123
    client_id: the app client the tokens must have been issued to
    clock:     () -> Unix seconds used for exp/iat/nbf
    fetch:     (url) -> bytes, how the JWKS is downloaded (once, then again only for an unknown
               `kid`, at most once per `refetch_seconds`, to follow a key rotation)
    """

    def __init__(self, issuer, client_id, clock=time.time, fetch=fetch_url, refetch_seconds=60):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.jwks_url = self.issuer + "/.well-known/jwks.json"
        self.clock = clock
        self.fetch = fetch
        self.refetch_seconds = refetch_seconds
        self.fetches = 0
        self._keys = {}
        self._last_fetch = None
        self._lock = threading.Lock()

    def verify(self, token):
        """The token's claims, or TokenError (or JwksUnavailable before any key was fetched)."""
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenError("token too long")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenError("malformed token") from None
        if header.get("alg") != "RS256":
            raise TokenError("unsupported signing algorithm")
        key = self._key(header.get("kid"))
        try:
            claims = jwt.decode(
                token, key, algorithms=["RS256"], issuer=self.issuer,
                options={"require": ["iss", "exp", "iat", "token_use"],
                         # Time claims are checked below against the injectable clock;
                         # access tokens have no `aud` (client_id is checked instead).
                         "verify_exp": False, "verify_iat": False, "verify_nbf": False,
                         "verify_aud": False})
        except jwt.InvalidSignatureError:
            raise TokenError("bad signature") from None
        except jwt.InvalidIssuerError:
            raise TokenError("wrong issuer") from None
        except jwt.MissingRequiredClaimError as e:
            raise TokenError(f"no {e.claim} claim") from None
        except jwt.PyJWTError as e:
            raise TokenError(f"invalid token ({type(e).__name__})") from None
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims):
        if claims["token_use"] != "access":
            raise TokenError("not an access token")
        if claims.get("client_id") != self.client_id:
            raise TokenError("token issued to another client")
        now = self.clock()
        for name in ("exp", "iat", "nbf"):
            value = claims.get(name)
            if name in claims and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise TokenError(f"{name} is not a number")
        if now >= claims["exp"]:
            raise TokenError("token expired")
        if claims["iat"] > now or claims.get("nbf", now) > now:
            raise TokenError("token not valid yet")

    def _key(self, kid):
        if not isinstance(kid, str):
            raise TokenError("token has no key id")
        with self._lock:
            if kid not in self._keys and self._may_fetch():
                self._fetch_keys()
            key = self._keys.get(kid)
        if key is None:
            raise TokenError("unknown signing key")
        return key

    def _may_fetch(self):
        # With no key at all there is nothing to protect: try every time until one arrives.
        return (not self._keys or self._last_fetch is None or
                time.monotonic() - self._last_fetch >= self.refetch_seconds)

    def _fetch_keys(self):
        self._last_fetch = time.monotonic()
        self.fetches += 1
        try:
            keys = parse_jwks(self.fetch(self.jwks_url))
        except (OSError, ValueError, jwt.PyJWTError) as e:
            if not self._keys:
                raise JwksUnavailable(f"cannot load {self.jwks_url}: {e}") from None
            return  # Keep the keys we have; this kid stays unknown.
        self._keys = keys
