"""Who gets a match: one AlertRequest per (subscriber, channel URL) that wants it, rendered and keyed.

Routing is pure (no I/O, no clock), so the pipeline can call it inside the transaction that stores the
match and write the requests as outbox rows in that same transaction. The dedupe key is what makes a replay
harmless: the same match routed again yields the same keys, and the outbox's unique key refuses the copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from monitor.alerting.templates import render
from monitor.domain import AlertRequest, Article, Match
from monitor.settings.models import SubscriberSettings

_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in ids, names or URLs, so parts cannot run together


def route(
    match: Match,
    article: Article,
    subscribers: Sequence[SubscriberSettings],
    notify: Sequence[str] = (),
) -> list[AlertRequest]:
    """The alerts ``match`` causes, in subscriber order then URL order.

    A subscriber receives the match when it wants the rule (its ``rules``/``tags``/``min_severity``) and,
    when the rule names whom to ``notify``, it is one of them. Each format is rendered once per match.
    Template errors propagate as ``TemplateError`` (the shipped templates are checked at start-up).
    """
    rendered: dict[str, tuple[str, str]] = {}
    requests: list[AlertRequest] = []
    for subscriber in subscribers:
        if not _receives(subscriber, match, notify):
            continue
        if subscriber.format not in rendered:
            rendered[subscriber.format] = render(match, article, subscriber.format)
        title, body = rendered[subscriber.format]
        for url in subscriber.urls:
            requests.append(
                AlertRequest(
                    rule_id=match.rule_id,
                    article_id=match.article_id,
                    subscriber=subscriber.name,
                    channel=url,
                    dedupe_key=dedupe_key(match, subscriber.name, url),
                    title=title,
                    body=body,
                    body_format=subscriber.format,
                )
            )
    return requests


def dedupe_key(match: Match, subscriber: str, channel: str) -> str:
    """A stable 64-hex-digit key of (rule, article, match key, subscriber, channel URL).

    Stable across processes and releases (no ``hash()``, no randomness), so a restart that replays a match
    produces the keys already in the outbox. The channel URL is hashed, never stored in the key.
    """
    parts = (match.rule_id, str(match.article_id), match.key, subscriber, channel)
    return hashlib.sha256(_SEPARATOR.join(parts).encode("utf-8")).hexdigest()


def _receives(subscriber: SubscriberSettings, match: Match, notify: Sequence[str]) -> bool:
    if notify and subscriber.name not in notify and not set(subscriber.groups) & set(notify):
        return False
    return subscriber.wants(match.rule_id, match.tags, match.severity)
