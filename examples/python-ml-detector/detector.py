#!/usr/bin/env python3
"""A sender-pattern outlier detector for ato-bench, with numpy and scikit-learn.

Per mailbox it keeps the last 24 hours of mail and describes the moment each email arrives by
four counts over that day: emails, emails from senders the mailbox never had before, emails
whose DMARC verdict is not "pass", and emails from the day's busiest sender. A robust covariance
model of these vectors (scikit-learn's MinCovDet), fitted on the stream seen so far and refitted
as it goes, says how unusual a mailbox's day is: its squared Mahalanobis distance. It alerts when
that reaches `threshold`, once per episode (until the distance falls below the threshold again).

It only ever sees the past: the model is fitted on vectors of emails already answered.

    .venv/bin/python detector.py     speak the protocol (docs/detector-protocol.md)
"""
import sys

# The harness runs us in a sandbox where this folder is read-only: never try to write .pyc files.
sys.dont_write_bytecode = True

import json
import math
import re
import warnings
from collections import Counter, deque
from datetime import datetime

import numpy as np
from sklearn.covariance import MinCovDet

PROTOCOL = 1
DAY = 86400.0

# Parameters arrive as strings (hello.params). Each: default, type, lowest, highest, meaning.
PARAMS = {
    "threshold": ("30", float, 1, 1e6, "squared Mahalanobis distance that raises an alert"),
    "warmup": ("500", int, 50, 10**7, "emails seen before the first fit"),
    "refit_every": ("5000", int, 100, 10**7, "emails between two fits"),
}
FIT_SIZE = 2000  # the most recent vectors the model is fitted on
VARIANCE_FLOOR = 0.1
ADDRESS = re.compile(r"<([^<>]+)>\s*$")


def parse_params(raw):
    """Validate string parameters; return a dict of numbers or raise ValueError with a clear message."""
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


def sender_of(email):
    text = email.get("from") or ""
    match = ADDRESS.search(text)
    return (match.group(1) if match else text).strip().lower()


def dmarc_passed(email):
    # The first Authentication-Results header is the one our own mail server added on top.
    for name, value in email.get("headers") or ():
        if name.lower() == "authentication-results":
            return "dmarc=pass" in value.lower()
    return False


class Mailbox:
    """One mailbox's last day: bounded by the window, whatever the length of the stream."""

    __slots__ = ("window", "senders", "known", "new", "failed", "alerted")

    def __init__(self):
        self.window = deque()  # (arrival, email id, sender, new sender?, DMARC not pass?)
        self.senders = Counter()  # emails per sender inside the window
        self.known = set()  # every sender the mailbox has had
        self.new = 0
        self.failed = 0
        self.alerted = False

    def add(self, now, email):
        while self.window and now - self.window[0][0] >= DAY:
            _, _, sender, new, failed = self.window.popleft()
            self.senders[sender] -= 1
            if not self.senders[sender]:
                del self.senders[sender]
            self.new -= new
            self.failed -= failed
        sender = sender_of(email)
        new = sender not in self.known
        failed = not dmarc_passed(email)
        self.known.add(sender)
        self.window.append((now, email["id"], sender, new, failed))
        self.senders[sender] += 1
        self.new += new
        self.failed += failed

    def vector(self):
        return np.log1p(np.array([len(self.window), self.new, self.failed, max(self.senders.values())], dtype=float))


class OutlierDetector:
    def __init__(self, params, seed, max_evidence=100):
        self.threshold = params["threshold"]
        self.warmup = params["warmup"]
        self.refit_every = params["refit_every"]
        self.seed = seed
        self.max_evidence = max_evidence
        self.mailboxes = {}
        self.recent = deque(maxlen=FIT_SIZE)  # vectors of emails already answered
        self.seen = 0
        self.location = None
        self.precision = None

    def fit(self):
        X = np.array(self.recent)
        with warnings.catch_warnings():
            # A count that never varied (no DMARC failure yet) makes the covariance singular: the
            # floor below copes with it, the warning would only fill the log.
            warnings.simplefilter("ignore")
            model = MinCovDet(random_state=self.seed).fit(X)
        self.location = model.location_
        # A variance floor (about one email's worth in log1p units): a count that never moved
        # must not turn its first move into an infinite distance.
        self.precision = np.linalg.pinv(model.covariance_ + VARIANCE_FLOOR * np.eye(X.shape[1]))

    def on_email(self, email):
        """Return the alerts (without mailbox) raised by the arrival of this email: [] or [alert]."""
        now = datetime.fromisoformat(email["receivedAt"]).timestamp()
        box = self.mailboxes.get(email["mailbox"])
        if box is None:
            box = self.mailboxes[email["mailbox"]] = Mailbox()
        box.add(now, email)
        x = box.vector()
        alerts = []
        if self.precision is not None:
            d = x - self.location
            distance = float(d @ self.precision @ d)
            if distance < self.threshold:
                box.alerted = False
            elif not box.alerted:
                box.alerted = True
                alerts.append(self.alert(box, distance, email))
        self.recent.append(x)
        self.seen += 1
        if self.seen == self.warmup or (self.seen > self.warmup and (self.seen - self.warmup) % self.refit_every == 0):
            self.fit()
        return alerts

    def alert(self, box, distance, email):
        odd = [item[1] for item in box.window if item[3] or item[4]] or [email["id"]]
        top = max(box.senders.values())
        reason = (
            f"an unusual day (Mahalanobis² {distance:.1f}): {len(box.window)} emails in 24 h, "
            f"{box.new} from new senders, {box.failed} without DMARC pass, {top} from one sender"
        )
        return {"score": round(min(1.0, distance / (2 * self.threshold)), 4), "reason": reason, "evidence": odd[-self.max_evidence:]}


def send(obj):
    # The harness waits for each reply before sending the next email: flush every line.
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def refuse(message):
    send({"type": "error", "message": message[:500]})
    return 1


def serve():
    """Speak protocol 1 on stdin/stdout. Returns the exit status."""
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
            send({"type": "alerts", "seq": seq, "alerts": [dict(mailbox=email["mailbox"], **a) for a in detector.on_email(email)]})
        elif kind == "hello" and detector is None:
            protocol = msg.get("protocol")
            if protocol != PROTOCOL or isinstance(protocol, bool):
                return refuse(f"this detector speaks protocol {PROTOCOL} only, the harness offered {protocol!r}")
            try:
                params = parse_params(msg.get("params") or {})
            except ValueError as exc:
                return refuse(str(exc))
            limits = msg.get("limits") or {}
            detector = OutlierDetector(params, int(msg.get("seed", 0)) % 2**32, min(100, int(limits.get("evidenceIds", 100))))
            # The harness keeps the ends of stderr: which packages ran, for a failure's report.
            print(f"detector: numpy {np.__version__}, scikit-learn {__import__('sklearn').__version__}", file=sys.stderr)
            send({"type": "ready", "protocol": PROTOCOL})
        elif kind == "end" and detector is not None:
            return 0
        else:
            return refuse(f"unexpected message type {kind!r} at this point")


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")
    sys.exit(serve())
