#!/usr/bin/python3
"""The client half of Cognito's USER_SRP_AUTH (cognito-wire.md §4.3), standard library only, for
the SRP sign-in benchmark. Numbers are hashed in padHex form (minimal two's complement hex).

The 3072-bit modular exponentiation goes through OpenSSL's BN_mod_exp (libcrypto via ctypes,
which releases the GIL) when libcrypto can be loaded: Python's pow() takes about 10x longer,
which would make the load generator, not the server, the bottleneck. pow() is the fallback.

`python3 bench/srp_client.py` checks the math against the test vector of cognito-wire.md
Appendix A (the values amazon-cognito-identity-js 6.3.21 computes).
"""
import base64
import ctypes
import ctypes.util
import hashlib
import hmac
import secrets
import threading
import time

N = int(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e34"
    "04ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6"
    "f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a6916"
    "3fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c"
    "32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea95"
    "6ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea7157"
    "5d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d876"
    "02733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e"
    "4b82d120a93ad2caffffffffffffffff", 16)
G = 2
INFO = b"Caldera Derived Key\x01"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def pad_hex(n):
    """BigInteger.toByteArray() as hex: even length, "00" prefixed when the top nibble is 8-f."""
    h = format(n, "x")
    if len(h) % 2:
        h = "0" + h
    return "00" + h if h[0] in "89abcdef" else h


def hex_hash(hex_digits):
    return hashlib.sha256(bytes.fromhex(hex_digits)).hexdigest()


K_MULT = int(hex_hash(pad_hex(N) + pad_hex(G)), 16)


class _LibCrypto:
    """BN_mod_exp through ctypes; one BN_CTX per thread."""

    def __init__(self):
        name = ctypes.util.find_library("crypto")
        if name is None:
            raise OSError("libcrypto not found")
        lib = ctypes.CDLL(name)
        vp = ctypes.c_void_p
        lib.BN_new.restype = vp
        lib.BN_CTX_new.restype = vp
        lib.BN_bin2bn.restype = vp
        lib.BN_bin2bn.argtypes = [ctypes.c_char_p, ctypes.c_int, vp]
        lib.BN_bn2bin.argtypes = [vp, ctypes.c_char_p]
        lib.BN_num_bits.argtypes = [vp]
        lib.BN_mod_exp.argtypes = [vp, vp, vp, vp, vp]
        lib.BN_free.argtypes = [vp]
        self._lib = lib
        self._local = threading.local()
        self._n = self._to_bn(N)  # lives as long as the process

    def _to_bn(self, value):
        raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
        return self._lib.BN_bin2bn(raw, len(raw), None)

    def mod_exp(self, base, exponent):
        lib = self._lib
        ctx = getattr(self._local, "ctx", None)
        if ctx is None:
            ctx = self._local.ctx = lib.BN_CTX_new()
        b, e, r = self._to_bn(base), self._to_bn(exponent), lib.BN_new()
        try:
            if lib.BN_mod_exp(r, b, e, self._n, ctx) != 1:
                raise MemoryError("BN_mod_exp failed")
            out = ctypes.create_string_buffer((lib.BN_num_bits(r) + 7) // 8)
            lib.BN_bn2bin(r, out)
            return int.from_bytes(out.raw, "big")
        finally:
            for bn in (b, e, r):
                lib.BN_free(bn)


try:
    _LIB = _LibCrypto()
except OSError:
    _LIB = None
BACKEND = "OpenSSL BN_mod_exp (ctypes)" if _LIB else "Python pow()"


def mod_exp(base, exponent):
    """base^exponent mod N."""
    return _LIB.mod_exp(base, exponent) if _LIB else pow(base, exponent, N)


def new_ephemeral(a_bits=1024):
    """(a, A, padHex(A)). The JS clients draw a from 128 bytes; the size of a changes nothing on
    the server (A is a full group element either way), only the client's own cost."""
    while True:
        a = secrets.randbits(a_bits) | 1
        big_a = mod_exp(G, a)
        if big_a % N:
            return a, big_a, pad_hex(big_a)


def compute_x(pool_name, user_id, password, salt_hex):
    inner = hashlib.sha256(f"{pool_name}{user_id}:{password}".encode()).hexdigest()
    return int(hex_hash(pad_hex(int(salt_hex, 16)) + inner), 16)


def user_secret(pool_name, user_id, password, salt_hex):
    """What a client can keep per user between sign-ins: (x, k * g^x mod N)."""
    x = compute_x(pool_name, user_id, password, salt_hex)
    return x, (K_MULT * mod_exp(G, x)) % N


def timestamp(now=None):
    """"EEE MMM d HH:mm:ss UTC yyyy", day not zero-padded, English names."""
    t = time.gmtime(now)
    return (f"{DAYS[t.tm_wday]} {MONTHS[t.tm_mon - 1]} {t.tm_mday} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} UTC {t.tm_year}")


def derive_key(big_s, u):
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(big_s)), "sha256").digest()
    return hmac.new(prk, INFO, "sha256").digest()[:16]


def claim_signature(pool_name, user_id, secret, ephemeral, srp_b_hex, secret_block, stamp):
    """PASSWORD_CLAIM_SIGNATURE for the challenge (SRP_B, SECRET_BLOCK) answered at `stamp`."""
    x, kv = secret
    a, _, a_padded = ephemeral
    big_b = int(srp_b_hex, 16)
    if big_b % N == 0:
        raise ValueError("B mod N == 0")
    u = int(hex_hash(a_padded + pad_hex(big_b)), 16)
    if u == 0:
        raise ValueError("u == 0")
    big_s = mod_exp((big_b - kv) % N, a + u * x)
    message = (pool_name.encode() + user_id.encode() + base64.b64decode(secret_block)
               + stamp.encode())
    return base64.b64encode(hmac.new(derive_key(big_s, u), message, "sha256").digest()).decode()


def _self_test():
    """cognito-wire.md §4.6 / Appendix A."""
    pool, user, password = "ExAmPlE12", "alice", "Passw0rd!"
    salt = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    a, b = int("1" * 64, 16), int("2" * 64, 16)
    x, kv = user_secret(pool, user, password, salt)
    assert format(K_MULT, "x") == "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
    assert format(x, "x") == "ed5056ffbbb83c4c8e4a1d458964832ddc38fbd9da6502b10bde6b78361dbde6"
    big_a = mod_exp(G, a)
    assert format(big_a, "x").startswith("f2c4e7407ccfac452a7c7e1034e8388bf70b3aea")
    big_b = (kv + mod_exp(G, b)) % N  # what the server sends for this b
    assert format(big_b, "x").startswith("992816f022eeec406ca7768376bf7e9ba3039f1bb")
    sig = claim_signature(pool, user, (x, kv), (a, big_a, pad_hex(big_a)), format(big_b, "x"),
                          "b3BhcXVlLXNlcnZlci1zdGF0ZS0wMTIzNDU2Nzg5",
                          "Tue Mar 5 09:03:07 UTC 2024")
    assert sig == "6wK2Xf8FrE9Kkb5OtOQ3Xu8ri90wDjzY/Ky+pzcIAMI=", sig
    assert timestamp(1709629387) == "Tue Mar 5 09:03:07 UTC 2024", timestamp(1709629387)
    print(f"SRP client matches cognito-wire.md Appendix A ({BACKEND})")


if __name__ == "__main__":
    _self_test()
