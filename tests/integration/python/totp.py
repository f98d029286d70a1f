"""RFC 6238 TOTP as authenticator apps compute it for Cognito software tokens (HMAC-SHA1,
30-second steps, 6 digits), standard library only.

  totp(secret_base32, t=None)   the code for time t (Unix seconds; now when None)
  step(t=None)                  the 30-second step t falls in
"""

import base64
import hashlib
import hmac
import struct
import time

STEP_SECONDS = 30


def step(t=None):
    return int((time.time() if t is None else t) // STEP_SECONDS)


def _decode(secret_base32):
    s = secret_base32.strip().replace(" ", "").upper().rstrip("=")
    return base64.b32decode(s + "=" * (-len(s) % 8))


def totp(secret_base32, t=None, digits=6):
    """The `digits`-digit code of the base32 secret at time t (RFC 4226 dynamic truncation)."""
    mac = hmac.new(_decode(secret_base32), struct.pack(">Q", step(t)), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)
