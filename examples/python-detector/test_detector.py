"""Tests of detector.py, driven as the harness drives it: a subprocess speaking NDJSON.

Run with:  cd examples/python-detector && python3 -m unittest -v
Standard library only, like the detector.
"""
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DETECTOR = [sys.executable, "detector.py"]
# Roughly the sandbox's environment: cleared but for PATH, LANG and HOME.
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": tempfile.gettempdir()}
TIMEOUT = 10  # seconds to wait for any one reply: a missing flush fails the test instead of hanging it

HELLO = {"type": "hello", "protocol": 1, "params": {"n": "3", "window_hours": "24"}, "seed": 1,
         "limits": {"alertsPerEmail": 100, "alertsPerRun": 500000, "replyBytes": 1048576,
                    "reasonChars": 500, "evidenceIds": 100}}


def email(n, mailbox, at, subject, sender, dmarc="pass"):
    """A hand-made record shaped like a line of emails.jsonl."""
    return {
        "id": f"{n:016x}", "mailbox": mailbox, "receivedAt": at,
        "headers": [["Authentication-Results", f"mx1.mail.example; dkim={dmarc}; spf={dmarc}; dmarc={dmarc}"],
                    ["From", sender], ["Subject", subject]],
        "from": sender, "to": "owner@mail.example", "subject": subject, "text": "...", "html": None,
    }


JA_ORDER = ("ハナマート ご注文の確認 「猫砂 固まる 紙製 7L×6袋」", "ハナマート <auto-confirm@hanamart.co.jp.example>")
EN_ORDER = ('Your Hanamart order of "Yoga Mat 10mm Thick with Carry Bag"', '"Hanamart.com" <auto-confirm@hanamart.example>')
EN_SHIPPED = ('Your Hanamart order of "Yoga Mat 10mm Thick with Carry Bag" has shipped',
              "Hanamart Shipping <shipment-tracking@hanamart.example>")
NEWS = ("Top deals for Black Friday Deals Week", "Hanamart Deals <store-news@hanamart.example>")

# Mailbox "mb-burst" gets a burst of 4 orders on 20 Nov, then 3 more (and a spoofed one) two days later;
# "mb-calm" gets a newsletter, a spoofed order confirmation (DMARC fails) and one real order.
STREAM = [
    email(1, "mb-burst", "2025-11-20T10:00:00+09:00", *JA_ORDER),
    email(2, "mb-calm", "2025-11-20T10:05:00-05:00", *NEWS),
    email(3, "mb-burst", "2025-11-20T10:30:00+09:00", *JA_ORDER),
    email(4, "mb-calm", "2025-11-20T10:40:00-05:00", *EN_ORDER, dmarc="fail"),
    email(5, "mb-burst", "2025-11-20T11:00:00+09:00", *JA_ORDER),       # 3rd in 24 h: alert
    email(6, "mb-burst", "2025-11-20T11:10:00+09:00", *EN_SHIPPED),     # not an order
    email(7, "mb-burst", "2025-11-20T03:00:00+00:00", *JA_ORDER),       # 12:00 JST, same burst: silent
    email(8, "mb-calm", "2025-11-21T09:00:00-05:00", *EN_ORDER),
    email(9, "mb-burst", "2025-11-22T09:00:00+09:00", *JA_ORDER),       # window emptied: a new burst
    email(10, "mb-burst", "2025-11-22T09:05:00+09:00", *JA_ORDER, dmarc="fail"),  # spoofed: not counted
    email(11, "mb-burst", "2025-11-22T09:10:00+09:00", *JA_ORDER),
    email(12, "mb-burst", "2025-11-22T09:20:00+09:00", *JA_ORDER),      # alert again, not dormant
]

# seq -> the alerts expected in the reply to that email (every other reply is empty).
EXPECTED = {
    4: [{"mailbox": "mb-burst", "score": 1.0,
         "reason": "3 order confirmations in 24 h, none in the 30 days before",
         "evidence": [f"{i:016x}" for i in (1, 3, 5)]}],
    11: [{"mailbox": "mb-burst", "score": 0.5, "reason": "3 order confirmations in 24 h",
          "evidence": [f"{i:016x}" for i in (9, 11, 12)]}],
}


class Session:
    """The detector as a subprocess; lines it writes are collected by a thread, so reads can time out."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(DETECTOR + list(args), cwd=HERE, env=ENV, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)  # end of output

    def send(self, msg):
        self.proc.stdin.write(json.dumps(msg, ensure_ascii=False).encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def reply(self):
        line = self.lines.get(timeout=TIMEOUT)
        return None if line is None else json.loads(line.decode("utf-8"))

    def close(self):
        """Close stdin, wait for exit; return (status, anything written after the last reply)."""
        self.proc.stdin.close()
        status = self.proc.wait(timeout=TIMEOUT)
        rest = []
        while (line := self.lines.get(timeout=TIMEOUT)) is not None:
            rest.append(line)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return status, rest


def streamed_replies(hello=HELLO, stream=STREAM):
    """Run a whole session; return (replies to the emails, exit status, output after 'end')."""
    s = Session()
    s.send(hello)
    assert s.reply() == {"type": "ready", "protocol": 1}
    replies = []
    for seq, record in enumerate(stream):
        s.send({"type": "email", "seq": seq, "email": record})
        replies.append(s.reply())  # one reply before the next email, as the harness insists
    s.send({"type": "end", "emails": len(stream)})
    status, rest = s.close()
    return replies, status, rest


class ProtocolTest(unittest.TestCase):
    def test_hello_gets_ready(self):
        s = Session()
        s.send(HELLO)
        self.assertEqual(s.reply(), {"type": "ready", "protocol": 1})
        s.send({"type": "end", "emails": 0})
        self.assertEqual(s.close(), (0, []))

    def test_one_reply_per_email_with_expected_alerts(self):
        replies, status, rest = streamed_replies()
        self.assertEqual(len(replies), len(STREAM))
        for seq, reply in enumerate(replies):
            self.assertEqual(reply, {"type": "alerts", "seq": seq, "alerts": EXPECTED.get(seq, [])}, f"seq {seq}")
        self.assertEqual(sum(len(r["alerts"]) for r in replies), 2)
        self.assertEqual(status, 0)
        self.assertEqual(rest, [], "nothing may be written after 'end'")

    def test_defaults_need_five_orders(self):
        hello = dict(HELLO, params={})
        replies, status, _ = streamed_replies(hello)
        self.assertEqual([r["seq"] for r in replies], list(range(len(STREAM))))
        self.assertEqual([r["alerts"] for r in replies], [[]] * len(STREAM))
        self.assertEqual(status, 0)

    def refused(self, hello):
        s = Session()
        s.send(hello)
        answer = s.reply()
        status, _ = s.close()
        self.assertEqual(answer["type"], "error")
        self.assertEqual(set(answer), {"type", "message"})
        self.assertNotEqual(status, 0)
        return answer["message"]

    def test_unknown_parameter_is_refused(self):
        self.assertIn("treshold", self.refused(dict(HELLO, params={"treshold": "0.8"})))

    def test_bad_parameter_values_are_refused(self):
        for key, value in [("n", "five"), ("n", "0"), ("n", "2.5"), ("window_hours", "nan"), ("window_hours", "-1")]:
            with self.subTest(key=key, value=value):
                message = self.refused(dict(HELLO, params={key: value}))
                self.assertIn(key, message)
                self.assertIn(repr(value), message)

    def test_other_protocol_is_refused(self):
        self.assertIn("protocol", self.refused(dict(HELLO, protocol=2)))

    def test_email_before_hello_is_refused(self):
        self.refused({"type": "email", "seq": 0, "email": STREAM[0]})


class OfflineTest(unittest.TestCase):
    def run_offline(self, *args):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "emails.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for record in STREAM:
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
            return subprocess.run(DETECTOR + ["--offline", path, *args], cwd=HERE, env=ENV,
                                  capture_output=True, timeout=TIMEOUT)

    def test_offline_gives_the_streamed_alerts(self):
        done = self.run_offline("--param", "n=3", "--param", "window_hours=24")
        self.assertEqual(done.returncode, 0, done.stderr)
        offline = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
        replies, _, _ = streamed_replies()
        streamed = [{"emailId": STREAM[r["seq"]]["id"], **{k: v for k, v in a.items() if k != "mailbox"}}
                    for r in replies for a in r["alerts"]]
        self.assertEqual(len(offline), 2)
        self.assertEqual(offline, streamed)
        self.assertEqual([a["emailId"] for a in offline], [STREAM[4]["id"], STREAM[11]["id"]])

    def test_offline_refuses_unknown_parameter(self):
        done = self.run_offline("--param", "windowhours=12")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn(b"windowhours", done.stderr)
        self.assertEqual(done.stdout, b"")


if __name__ == "__main__":
    unittest.main()
