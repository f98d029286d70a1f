"""SetUICustomization / GetUICustomization through boto3: pool-wide and per client, the fallback
from a client to the pool-wide customization, replacing and clearing, and the bad paths (image
format and size, CSS that could escape the page's <style> or fetch, unknown pool and client)."""

import base64
import datetime
import struct
import zlib

import pytest

from helpers_assert import client_error
from helpers import unique
from helpers_users import make_client, make_pool as new_pool

CSS = ".logo-customizable{max-width:60%}.submitButton-customizable{background:#047857}"


def png(width=2, height=2):
    """A real (tiny) PNG."""
    raw = b"".join(b"\x00" + b"\x1d\x4e\xd8" * width for _ in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def with_domain(cognito, pool_id):
    """Branding needs a domain, as on Cognito."""
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=unique("ui").lower()[:40])
    return pool_id


@pytest.fixture
def make_pool(cognito):
    """Pools with a domain (this module's override of the shared fixture)."""
    return lambda **kw: with_domain(cognito, cognito.create_user_pool(
        PoolName=unique("pool"), **kw)["UserPool"]["Id"])


@pytest.fixture(scope="module")
def pool(cognito):
    pool_id = with_domain(cognito, new_pool(cognito))
    return pool_id, make_client(cognito, pool_id)["ClientId"], make_client(cognito, pool_id)["ClientId"]


def get(cognito, pool_id, client_id=None):
    kw = {"ClientId": client_id} if client_id else {}
    return cognito.get_ui_customization(UserPoolId=pool_id, **kw)["UICustomization"]


def test_nothing_set(cognito, make_pool):
    pool_id = make_pool()
    client_id = make_client(cognito, pool_id)["ClientId"]
    assert get(cognito, pool_id) == {"UserPoolId": pool_id, "ClientId": "ALL"}
    assert get(cognito, pool_id, client_id) == {"UserPoolId": pool_id, "ClientId": client_id}


def test_pool_wide_then_per_client_with_fallback(cognito, server, pool):
    pool_id, client_a, client_b = pool
    image = png()
    ui = cognito.set_ui_customization(UserPoolId=pool_id, CSS=CSS, ImageFile=image)["UICustomization"]
    assert ui["UserPoolId"] == pool_id and ui["ClientId"] == "ALL", ui
    assert ui["CSS"] == CSS and ui["CSSVersion"].isdigit() and len(ui["CSSVersion"]) == 14, ui
    assert ui["ImageUrl"].endswith(f"/{pool_id}/ui/logo/ALL"), ui
    for k in ("CreationDate", "LastModifiedDate"):
        assert isinstance(ui[k], datetime.datetime), ui
    assert get(cognito, pool_id) == ui
    assert get(cognito, pool_id, "ALL") == ui
    assert get(cognito, pool_id, client_a) == ui, "a client without its own gets the pool's"

    mine = cognito.set_ui_customization(UserPoolId=pool_id, ClientId=client_a,
                                        ImageFile=JPEG)["UICustomization"]
    assert mine["ClientId"] == client_a and mine["ImageUrl"].endswith(f"/ui/logo/{client_a}")
    assert "CSS" not in mine and "CSSVersion" not in mine, mine
    assert get(cognito, pool_id, client_a) == mine
    assert get(cognito, pool_id, client_b) == ui
    assert get(cognito, pool_id) == ui

    # Set with neither CSS nor image removes the client's own: back to the pool's.
    cleared = cognito.set_ui_customization(UserPoolId=pool_id, ClientId=client_a)["UICustomization"]
    assert cleared == {"UserPoolId": pool_id, "ClientId": client_a}
    assert get(cognito, pool_id, client_a) == ui


def test_set_again_replaces_everything(cognito, make_pool):
    pool_id = make_pool()
    first = cognito.set_ui_customization(UserPoolId=pool_id, CSS=".a{color:#111}",
                                         ImageFile=png())["UICustomization"]
    second = cognito.set_ui_customization(UserPoolId=pool_id, CSS=".b{color:#222}")["UICustomization"]
    assert second["CSS"] == ".b{color:#222}" and "ImageUrl" not in second, second
    assert second["CreationDate"] == first["CreationDate"]
    assert second["LastModifiedDate"] >= first["LastModifiedDate"]
    assert get(cognito, pool_id) == second


@pytest.mark.parametrize("image", [
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    b"\x89PNG",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * (100 * 1024),   # over 100 KB
])
def test_bad_image(cognito, pool, image):
    pool_id, _, _ = pool
    before = get(cognito, pool_id)
    e = client_error(cognito.set_ui_customization, UserPoolId=pool_id, ImageFile=image,
                     code="InvalidParameterException")
    assert "image" in e.response["Error"]["Message"].lower()
    assert get(cognito, pool_id) == before


@pytest.mark.parametrize("css", [
    "a{}</style><script>alert(1)</script>",
    "@import url(https://evil.example/x.css);",
    "@import 'x.css';",
    "a{background:url(https://evil.example/track.png)}",
    "a{background:url(//evil.example/x)}",
    "a{background:u\\72l(https://evil.example/x)}",
    "a{width:expression(alert(1))}",
    "a{background:url(javascript:alert(1))}",
    "a{background:image-set('https://evil.example/x.png' 1x)}",
])
def test_bad_css(cognito, pool, css):
    pool_id, _, _ = pool
    before = get(cognito, pool_id)
    e = client_error(cognito.set_ui_customization, UserPoolId=pool_id, CSS=css,
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"].startswith("Invalid CSS"), e.response["Error"]
    assert get(cognito, pool_id) == before


def test_data_uri_in_css_is_allowed(cognito, make_pool):
    pool_id = make_pool()
    css = ".background-customizable{background-image:url(data:image/png;base64,%s)}" % \
        base64.b64encode(png()).decode()
    assert cognito.set_ui_customization(UserPoolId=pool_id, CSS=css)["UICustomization"]["CSS"] == css


def test_too_long_css(cognito, pool):
    pool_id, _, _ = pool
    client_error(cognito.set_ui_customization, UserPoolId=pool_id, CSS="a{}" + " " * 131072,
                 code="InvalidParameterException")


def test_unknown_pool_and_client(cognito, cognito_other_pool_client):
    pool_id, other_client = cognito_other_pool_client
    client_error(cognito.get_ui_customization, UserPoolId="us-east-1_doesnotx1",
                 code="ResourceNotFoundException")
    client_error(cognito.set_ui_customization, UserPoolId="us-east-1_doesnotx1", CSS=".a{}",
                 code="ResourceNotFoundException")
    e = client_error(cognito.set_ui_customization, UserPoolId=pool_id, ClientId="nosuchclient1",
                     CSS=".a{}", code="ResourceNotFoundException")
    assert e.response["Error"]["Message"] == "User pool client nosuchclient1 does not exist."
    client_error(cognito.get_ui_customization, UserPoolId=pool_id, ClientId="nosuchclient1",
                 code="ResourceNotFoundException")
    # A client of another pool is unknown in this one.
    client_error(cognito.set_ui_customization, UserPoolId=pool_id, ClientId=other_client,
                 CSS=".a{}", code="ResourceNotFoundException")


@pytest.fixture
def cognito_other_pool_client(cognito, make_pool):
    pool_id, other = make_pool(), make_pool()
    return pool_id, make_client(cognito, other)["ClientId"]


def test_a_pool_without_a_domain_cannot_be_branded(cognito):
    pool_id = cognito.create_user_pool(PoolName=unique("bare"))["UserPool"]["Id"]
    e = client_error(cognito.set_ui_customization, UserPoolId=pool_id, CSS=".a{}",
                     code="InvalidParameterException")
    assert e.response["Error"]["Message"] == "A domain must be associated with this user pool."
