"""Counting alerts the way a subscriber sees them: from the receiver's log, never from the daemon's database.

``read_posts`` / ``read_mails`` turn what a ``WebhookReceiver`` or ``SmtpReceiver`` received into
``Delivered`` records (rule, key, article link, arrival time), parsed from the plain-text alert body
(subscribers must use ``format: text``; the rule's title must be its id, as in tests/support/chaos.py).
``Tally.of`` then compares them with the alerts expected, by an identity the caller chooses: rule +
article link for one alert per article, rule + key for rules that alert once per key (new terms, states).

    tally = Tally.of(expected={("zeppelin", link) for link in links},
                     delivered=[(d.rule, d.link) for d in read_posts(hook.posts)])
    assert (tally.duplicates, tally.lost) == (0, 0), tally
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from tests.support.smtp import ReceivedMail
from tests.support.webhook import ReceivedPost

_SEVERITY = re.compile(r"\s+\((?:info|low|medium|high|critical)\)$")
_LINK = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Delivered:
    rule: str
    key: str
    link: str
    received_at: float  # wall clock
    idempotency_key: str = ""  # the delivery's Idempotency-Key (webhook) or X-Newsmon-Id (mail)


def parse_alert(body: str, received_at: float, idempotency_key: str = "") -> Delivered:
    """One plain-text alert body (monitor/alerting/templates/alert.txt.j2): the first line is
    ``[UPDATE: ]<rule title> (<severity>)``, then ``About: <key>`` when there is a key, then the article's
    title and link. ValueError when the body does not read like that."""
    lines = [line.strip() for line in body.strip().splitlines()]
    if not lines or not _SEVERITY.search(lines[0]):
        raise ValueError(f"not a plain-text alert body: {body[:200]!r}")
    rule = _SEVERITY.sub("", lines[0]).removeprefix("UPDATE: ")
    key = next((line.removeprefix("About: ") for line in lines if line.startswith("About: ")), "")
    link = next((line for line in lines if _LINK.match(line)), "")
    return Delivered(rule, key, link, received_at, idempotency_key)


def read_posts(posts: Iterable[ReceivedPost]) -> list[Delivered]:
    """Alerts POSTed by apprise's ``json://`` (the body is the JSON ``message``)."""
    return [
        parse_alert(
            str(post.json["message"]),
            post.received_at,
            post.headers.get("idempotency-key") or post.headers.get("x-newsmon-id", ""),
        )
        for post in posts
    ]


def read_mails(mails: Iterable[ReceivedMail]) -> list[Delivered]:
    """Alerts received as plain-text mails."""
    return [
        parse_alert(
            str(mail.message.get_content()), mail.received_at, str(mail.message["X-Newsmon-Id"] or "")
        )
        for mail in mails
    ]


@dataclass(frozen=True)
class Tally:
    """Expected alerts against delivered ones. ``duplicates``: deliveries beyond the first of an expected
    alert; ``lost``: expected alerts never delivered; ``unexpected``: deliveries of alerts not expected at all
    (each counted, including repeats). Exactly once means ``duplicates == lost == unexpected == 0``."""

    expected: int
    delivered: int
    duplicates: int
    lost: int
    unexpected: int
    worst: tuple[tuple[Hashable, int], ...]  # the most repeated identities, for the failure message
    # repeats that carried another idempotency key than the alert's first delivery: what a receiver that
    # honours the key would still see twice (a repeat with the same key is a re-send it can drop)
    new_key_repeats: int = 0

    @classmethod
    def of(
        cls,
        expected: Iterable[Hashable],
        delivered: Iterable[Hashable],
        keys: Iterable[str] | None = None,
    ) -> Tally:
        wanted = set(expected)
        identities = list(delivered)
        counts = Counter(identities)
        duplicates = sum(n - 1 for identity, n in counts.items() if identity in wanted)
        unexpected = sum(n for identity, n in counts.items() if identity not in wanted)
        lost = len(wanted - counts.keys())
        worst = tuple((identity, n) for identity, n in counts.most_common(3) if n > 1)
        new_keys = 0
        if keys is not None:
            seen: dict[Hashable, set[str]] = {}
            for identity, key in zip(identities, keys, strict=True):
                seen.setdefault(identity, set()).add(key)
            new_keys = sum(len(found) - 1 for identity, found in seen.items() if identity in wanted)
        return cls(len(wanted), counts.total(), duplicates, lost, unexpected, worst, new_keys)

    @property
    def exactly_once(self) -> bool:
        return self.duplicates == self.lost == self.unexpected == 0

    def __str__(self) -> str:
        text = (
            f"expected {self.expected}, delivered {self.delivered}, duplicates {self.duplicates}, "
            f"lost {self.lost}, unexpected {self.unexpected}"
        )
        if self.duplicates:
            text += f" ({self.new_key_repeats} of the repeats with a new idempotency key)"
        return text + (f"; most repeated: {list(self.worst)}" if self.worst else "")
