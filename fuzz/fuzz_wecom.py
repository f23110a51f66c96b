"""atheris target: the WeCom callback parser (bot.wecom_crypto.WeComCrypto.decrypt and the XML envelope).

The signature is computed over the fuzzed ciphertext, so the fuzzer gets past the SHA-1 check into base64,
AES-CBC, padding, the 4-byte length and the receiveid. Contract: only WeComCryptoError (or the XML parser's
ParseError for the envelope) escapes; a successful decrypt returns text and came from a well-formed frame.
"""
import base64
import sys
import xml.etree.ElementTree as ET

import _common  # noqa: F401
import atheris

with atheris.instrument_imports(include=["bot"]):
    from bot.wecom_crypto import WeComCrypto, WeComCryptoError

TOKEN, AES, CORP = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
C = WeComCrypto(TOKEN, AES, CORP)


def one(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 3)
    rest = fdp.ConsumeBytes(fdp.remaining_bytes())
    if mode == 0:                                  # ciphertext from raw bytes (AES decrypt of garbage)
        enc = base64.b64encode(rest).decode()
    elif mode == 1:                                # a well-formed encryption of fuzzed plaintext
        enc = C.encrypt(rest.decode("utf-8", "replace"), "1", "n")["Encrypt"]
    elif mode == 2:                                # arbitrary text as "base64"
        enc = rest.decode("latin-1")
    else:                                          # the outer XML envelope
        try:
            ET.fromstring(rest)
        except ET.ParseError:
            pass
        return
    sig = C.signature("1409659813", "1372623149", enc)
    try:
        plain = C.decrypt(sig, "1409659813", "1372623149", enc)
    except WeComCryptoError:
        return
    assert isinstance(plain, str)


def seeds():
    yield b"\x01" + "<xml><Content><![CDATA[你好]]></Content><MsgId>1</MsgId></xml>".encode()
    yield b"\x00" + bytes(range(64))
    yield b"\x03<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>"


if __name__ == "__main__":
    _common.run(one, seeds)
