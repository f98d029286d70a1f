"""AccessTokenVerifier alone, with RSA keys and a JWKS of the test's own (no server)."""

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from testkit import Clock
from access_token import AccessTokenVerifier, TokenError


def jwks_of(*pairs):
    keys = []
    for kid, key in pairs:
        jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
    return json.dumps({"keys": keys}).encode()


def test_verifier_claim_checks_and_key_refetch():
    key_a, key_b = (rsa.generate_private_key(public_exponent=65537, key_size=2048)
                    for _ in range(2))
    served = {"body": jwks_of(("a", key_a))}
    fetched = []

    def fetch(url):
        fetched.append(url)
        return served["body"]

    clock = Clock()
    clock.at = 1_000_000
    v = AccessTokenVerifier("http://idp/us-east-1_Pool", "cid", clock=clock, fetch=fetch,
                            refetch_seconds=3600)
    good = {"iss": "http://idp/us-east-1_Pool", "token_use": "access", "client_id": "cid",
            "iat": 999_000, "exp": 1_002_000, "username": "u"}

    def sign(claims, kid="a", key=key_a):
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})

    assert v.verify(sign(good))["username"] == "u"
    assert fetched == ["http://idp/us-east-1_Pool/.well-known/jwks.json"]
    cases = [({k: x for k, x in good.items() if k != "exp"}, "no exp claim"),
             ({**good, "exp": "1002000"}, "exp is not a number"),
             ({**good, "exp": True}, "exp is not a number"),
             ({**good, "nbf": 1_000_001}, "token not valid yet"),
             ({**good, "iss": "http://idp/us-east-1_Else"}, "wrong issuer")]
    for claims, reason in cases:
        with pytest.raises(TokenError, match=f"^{reason}$"):
            v.verify(sign(claims))
    # A rotated key: an unknown kid fetches the JWKS again, at most once per interval.
    served["body"] = jwks_of(("a", key_a), ("b", key_b))
    with pytest.raises(TokenError, match="unknown signing key"):
        v.verify(sign(good, "b", key_b))
    assert len(fetched) == 1, "within the interval of the first fetch"
    v._last_fetch -= 3600  # As if the interval had passed.
    for _ in range(3):
        assert v.verify(sign(good, "b", key_b))["username"] == "u"
        with pytest.raises(TokenError, match="unknown signing key"):
            v.verify(sign(good, "c", key_b))
    assert len(fetched) == 2, "one refetch brought b; c caused none within the interval"
