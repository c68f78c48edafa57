"""Python's email package (policy=default) as a reference decoder of header fields, for the tests.

Reads one JSON object on stdin, writes one on stdout:
  {"files": [path, ...], "raws": [message, ...], "values": [[name, value], ...]}
  -> {"patched": bool, "files": [fields, ...], "raws": [fields, ...], "values": [parsed, ...]}
where fields is {"subject": str | None, "from": [[name, address], ...], "to": [...]} of a message
read as bytes (its header only: BytesHeaderParser, a third of the time of the whole message), and parsed is the mailboxes of a header value that is already decoded (the
address headers a mail client shows), or the value itself for any other header.

CPython before the fix of gh-128110 (python/cpython#130749) keeps the whitespace between two
adjacent encoded-words of a display name, which RFC 2047 6.2 says is not text: "=?UTF-8?B?YQ==?=
=?UTF-8?B?Yg==?= <a@b.example>" reads "a b" instead of "ab". Unstructured fields (Subject) were
always right. When the running Python has that bug, get_phrase is wrapped the way the fix does it,
and "patched" says so.
"""

import email
import email._header_value_parser as hvp
import json
import sys
from email import policy
from email.parser import BytesHeaderParser


def _display_name(value):
    msg = email.message_from_string("From: " + value + "\n\n", policy=policy.default)
    return msg["From"].addresses[0].display_name


def _patch_gh_128110():
    original = hvp.get_phrase

    def get_phrase(value):
        phrase, rest = original(value)
        for a, b in zip(phrase, phrase[1:]):
            if (
                a.token_type == "atom"
                and b.token_type == "atom"
                and len(a) >= 2
                and a[-2].token_type == "encoded-word"
                and a[-1].token_type == "cfws"
                and all(t.token_type == "fws" for t in a[-1])
                and b[0].token_type == "encoded-word"
            ):
                a[-1] = hvp.EWWhiteSpaceTerminal(str(a[-1]), "fws")
        return phrase, rest

    hvp.get_phrase = get_phrase


PATCHED = _display_name("=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?= <a@b.example>") != "ab"
if PATCHED:
    _patch_gh_128110()
    assert _display_name("=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?= <a@b.example>") == "ab"


def _mailboxes(header):
    if header is None:
        return []
    return [[a.display_name, a.addr_spec] for a in header.addresses]


def _fields(msg):
    subject = msg["Subject"]
    return {
        "subject": None if subject is None else str(subject),
        "from": _mailboxes(msg["From"]),
        "to": _mailboxes(msg["To"]),
    }


def main():
    req = json.load(sys.stdin)
    out = {"patched": PATCHED, "files": [], "raws": [], "values": []}
    parser = BytesHeaderParser(policy=policy.default)
    for path in req.get("files", []):
        with open(path, "rb") as f:
            out["files"].append(_fields(parser.parse(f)))
    for raw in req.get("raws", []):
        out["raws"].append(_fields(parser.parsebytes(raw.encode("ascii"))))
    for name, value in req.get("values", []):
        header = policy.default.header_factory(name, value)
        out["values"].append(_mailboxes(header) if hasattr(header, "addresses") else str(header))
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
