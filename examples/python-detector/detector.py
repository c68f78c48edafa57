#!/usr/bin/env python3
"""A marketplace order-burst detector for ato-bench, in plain Python (standard library only).

It looks for the founding takeover pattern: a marketplace account, often dormant, suddenly
gets many order confirmations in a short time. Per mailbox it keeps the arrival times of the
marketplace's order confirmations inside a sliding window and alerts when there are `n` of
them within `window_hours`, once per burst. The score is higher when the mailbox had no order
confirmation in the `quiet_days` before the burst (as far as the stream shows), because a
burst on a dormant account is the classic takeover and a burst on a busy buyer's account is
more often a genuine spree.

Two modes share the same detection code (class OrderBurstDetector):

    python3 detector.py                      speak the protocol (docs/detector-protocol.md)
    python3 detector.py --offline emails.jsonl [--param n=5 ...]
                                             print offline alerts, one JSON object per line
"""
import sys

# The harness runs us in a sandbox where this folder is read-only: never try to write .pyc files.
sys.dont_write_bytecode = True

import argparse
import json
import math
import re
from collections import deque
from datetime import datetime

PROTOCOL = 1

# Parameters arrive as strings (hello.params or --param). Each: default, type, lowest, highest, meaning.
PARAMS = {
    "n": ("5", int, 1, 1000, "order confirmations that make a burst"),
    "window_hours": ("24", float, 0.01, 24 * 365, "length of the sliding window, hours"),
    "quiet_days": ("30", float, 0, 3650, "no order this long before a burst = dormant, days"),
}

# The marketplace's genuine order confirmations: its "auto-confirm" sender on either of its
# domains, with the subject of an order confirmation. Phishing can copy the subject and even
# spoof the sender, so we also require the receiving server's DMARC verdict to be "pass".
ORDER_SENDERS = {"auto-confirm@hanamart.example", "auto-confirm@hanamart.co.jp.example"}
ORDER_SUBJECTS = ("ご注文の確認", "Your Hanamart order")
ADDRESS = re.compile(r"<([^<>]+)>\s*$")


def parse_params(raw):
    """Validate string parameters; return a dict of numbers or raise ValueError with a clear message.

    Unknown keys are refused so that a typo (`windowhours=12`) does not silently run the defaults.
    """
    unknown = sorted(set(raw) - set(PARAMS))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(PARAMS)}")
    values = {}
    for key, (default, kind, low, high, meaning) in PARAMS.items():
        text = raw.get(key, default)
        try:
            value = kind(text)
        except (TypeError, ValueError):
            value = None
        if value is None or not math.isfinite(value) or not low <= value <= high:
            what = "an integer" if kind is int else "a number"
            raise ValueError(f"parameter {key} ({meaning}) must be {what} from {low} to {high}, got {text!r}")
        values[key] = value
    return values


class Mailbox:
    """What we remember of one mailbox: bounded by the window, whatever the length of the stream."""

    __slots__ = ("orders", "last_before", "in_burst")

    def __init__(self):
        self.orders = deque()  # (arrival time in seconds, email id) of orders inside the window
        self.last_before = None  # arrival time of the newest order that has left the window
        self.in_burst = False  # already alerted for the burst now in the window


class OrderBurstDetector:
    def __init__(self, params, max_evidence=100):
        self.n = params["n"]
        self.window = params["window_hours"] * 3600.0
        self.quiet = params["quiet_days"] * 86400.0
        self.window_label = f"{params['window_hours']:g} h"
        self.max_evidence = max_evidence
        self.mailboxes = {}

    @staticmethod
    def is_order_confirmation(email):
        subject = email.get("subject") or ""
        # Cheap substring tests first: most mail is not an order and stops here.
        if not any(s in subject for s in ORDER_SUBJECTS):
            return False
        sender = email.get("from") or ""
        match = ADDRESS.search(sender)
        if (match.group(1) if match else sender).strip().lower() not in ORDER_SENDERS:
            return False
        # The first Authentication-Results header is the one our own mail server added on top;
        # later ones could have been written by anybody upstream.
        for name, value in email.get("headers") or ():
            if name.lower() == "authentication-results":
                return "dmarc=pass" in value.lower()
        return False

    def on_email(self, email):
        """Return the alerts (without mailbox) raised by the arrival of this email: [] or [alert]."""
        if not self.is_order_confirmation(email):
            return []
        now = datetime.fromisoformat(email["receivedAt"]).timestamp()
        box = self.mailboxes.get(email["mailbox"])
        if box is None:
            box = self.mailboxes[email["mailbox"]] = Mailbox()
        # Drop orders that left the window; remember the newest of them for the dormancy test.
        while box.orders and now - box.orders[0][0] >= self.window:
            box.last_before = box.orders.popleft()[0]
        if not box.orders:
            box.in_burst = False  # the window emptied: the next burst may alert again
        box.orders.append((now, email["id"]))
        count = len(box.orders)
        if count < self.n or box.in_burst:
            return []
        box.in_burst = True
        score = min(1.0, count / (2 * self.n))
        reason = f"{count} order confirmations in {self.window_label}"
        first = box.orders[0][0]
        if box.last_before is None or first - box.last_before >= self.quiet:
            score = min(1.0, score + 0.5)
            reason += f", none in the {self.quiet / 86400:g} days before"
        # Evidence: the newest orders of the window, all in this mailbox and already delivered.
        evidence = [email_id for _, email_id in list(box.orders)[max(0, count - self.max_evidence):]]
        return [{"score": round(score, 4), "reason": reason, "evidence": evidence}]


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def send(obj):
    # The harness waits for each reply before sending the next email: flush every line,
    # or both sides wait for ever.
    sys.stdout.write(dumps(obj) + "\n")
    sys.stdout.flush()


def refuse(message):
    send({"type": "error", "message": message[:500]})
    return 1


def serve():
    """Speak protocol 1 on stdin/stdout. Returns the exit status."""
    # Read bytes and decode each line ourselves: independent of the locale's encoding.
    readline = sys.stdin.buffer.readline
    detector = None
    expected_seq = 0
    while True:
        line = readline()
        if not line:
            print("detector: stdin closed before 'end'", file=sys.stderr)
            return 1
        try:
            msg = json.loads(line.decode("utf-8"))
        except ValueError as exc:
            return refuse(f"unreadable line from the harness: {exc}")
        kind = msg.get("type") if isinstance(msg, dict) else None
        if kind == "email" and detector is not None:
            seq = msg.get("seq")
            if seq != expected_seq:
                return refuse(f"expected email seq {expected_seq}, got {seq!r}")
            expected_seq += 1
            email = msg["email"]
            alerts = [dict(mailbox=email["mailbox"], **a) for a in detector.on_email(email)]
            send({"type": "alerts", "seq": seq, "alerts": alerts})
        elif kind == "hello" and detector is None:
            protocol = msg.get("protocol")
            if protocol != PROTOCOL or isinstance(protocol, bool):
                return refuse(f"this detector speaks protocol {PROTOCOL} only, the harness offered {protocol!r}")
            try:
                params = parse_params(msg.get("params") or {})
            except ValueError as exc:
                return refuse(str(exc))
            limits = msg.get("limits") or {}
            detector = OrderBurstDetector(params, min(100, int(limits.get("evidenceIds", 100))))
            send({"type": "ready", "protocol": PROTOCOL})
        elif kind == "end" and detector is not None:
            return 0  # write nothing more
        else:
            return refuse(f"unexpected message type {kind!r} at this point")


def offline(path, param_args):
    """Read emails.jsonl and print the alerts the streamed mode would raise, in the same order."""
    raw = {}
    for item in param_args:
        key, sep, value = item.partition("=")
        if not sep:
            sys.exit(f"detector: --param wants key=value, got {item!r}")
        raw[key.strip()] = value.strip()
    try:
        detector = OrderBurstDetector(parse_params(raw))
    except ValueError as exc:
        sys.exit(f"detector: {exc}")
    out = sys.stdout
    with open(path, "rb") as lines:
        for line in lines:
            if not line.strip():
                continue
            email = json.loads(line.decode("utf-8"))
            for alert in detector.on_email(email):
                out.write(dumps({"emailId": email["id"], **alert}) + "\n")
    out.flush()
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offline", metavar="EMAILS_JSONL", help="score a dataset file instead of speaking the protocol")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a parameter (offline mode only): " + ", ".join(PARAMS))
    args = parser.parse_args(argv)
    # Replies are UTF-8 whatever the locale (the sandbox sets C.UTF-8, a bare shell may not).
    sys.stdout.reconfigure(encoding="utf-8")
    if args.offline is None:
        if args.param:
            parser.error("--param is for --offline; streamed, parameters come from hello.params")
        return serve()
    return offline(args.offline, args.param)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
