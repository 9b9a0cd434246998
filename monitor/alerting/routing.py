"""Who gets a match, and the notifications that carry it: one per channel URL, rendered in its format.

Routing is pure (no I/O, no clock), so the pipeline can call it inside the transaction that stores the
match and write the notifications as outbox rows in that same transaction. The dedupe key is what makes a
replay harmless: the same decision made again yields the same keys, and the outbox's unique key refuses
the copy.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from monitor.alerting.channels import body_format
from monitor.alerting.context import AlertContent
from monitor.domain import AlertRequest, Match
from monitor.settings.models import SubscriberSettings

if TYPE_CHECKING:  # jinja2 loads with the templates, not for routing (start-up checks route, render nothing)
    from monitor.alerting.templates import Templates

DIGEST_RULE = "digest"  # the rule id of a digest's outbox rows
_SEPARATOR = "\x1f"  # ASCII unit separator: cannot occur in ids, names or URLs, so parts cannot run together


def recipients(
    match: Match, subscribers: Sequence[SubscriberSettings], notify: Sequence[str] = ()
) -> list[SubscriberSettings]:
    """The subscribers that receive ``match``, in config order.

    A subscriber receives it when it wants the rule (its ``rules``/``tags``/``min_severity``) and, when the
    rule names whom to ``notify``, it is one of them or in one of their groups.
    """
    return [s for s in subscribers if _receives(s, match, notify)]


def notifications(
    content: AlertContent,
    subscriber: SubscriberSettings,
    templates: Templates,
    key_parts: Sequence[str],
    channels: Sequence[str] | None = None,
) -> list[AlertRequest]:
    """One rendered notification per channel URL (``channels``, default the subscriber's ``urls``); each
    format is rendered once.

    ``key_parts`` say what makes this notification unique (rule, story, key, subscriber, kind…); the
    channel URL is added per URL. Template errors propagate as ``TemplateError`` (checked at start-up).
    """

    def render(fmt: str) -> tuple[str, str]:
        return templates.render_alert(content, fmt)

    return _per_channel(subscriber, channels, render, content.match.rule_id, content.article.id, key_parts)


def held_notifications(
    item: Mapping[str, Any],
    subscriber: SubscriberSettings,
    templates: Templates,
    key_parts: Sequence[str],
    channels: Sequence[str] | None = None,
) -> list[AlertRequest]:
    """One alert held alone (through quiet hours), rendered from its stored template variables."""

    def render(fmt: str) -> tuple[str, str]:
        return templates.render_alert_context(item, fmt)

    rule_id, article_id = str(item["rule"]["id"]), int(item["article"]["id"])
    return _per_channel(subscriber, channels, render, rule_id, article_id, key_parts)


def digest_notifications(
    context: Mapping[str, Any],
    subscriber: SubscriberSettings,
    templates: Templates,
    key_parts: Sequence[str],
    channels: Sequence[str] | None = None,
) -> list[AlertRequest]:
    """One digest message per channel URL; ``context`` from ``context.digest_context``.

    A digest is about many rules and articles: its outbox rows carry rule ``"digest"`` and article 0.
    """

    def render(fmt: str) -> tuple[str, str]:
        return templates.render_digest(context, fmt)

    return _per_channel(subscriber, channels, render, DIGEST_RULE, 0, key_parts)


def plain_notifications(
    subscriber: SubscriberSettings,
    title: str,
    text: str,
    rule_id: str,
    key_parts: Sequence[str],
    channels: Sequence[str] | None = None,
) -> list[AlertRequest]:
    """A plain message of newsmon's own (an operator notice) to every channel of ``subscriber``: the text
    as written for text and Markdown channels, escaped for HTML ones. Its outbox rows carry article 0."""

    def render(fmt: str) -> tuple[str, str]:
        if fmt == "html":
            return title, "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>"
        return title, text

    return _per_channel(subscriber, channels, render, rule_id, 0, key_parts)


def _per_channel(
    subscriber: SubscriberSettings,
    channels: Sequence[str] | None,
    render: Callable[[str], tuple[str, str]],
    rule_id: str,
    article_id: int,
    key_parts: Sequence[str],
) -> list[AlertRequest]:
    rendered: dict[str, tuple[str, str]] = {}
    requests = []
    for index, url in enumerate(subscriber.urls if channels is None else channels):
        fmt = body_format(url, subscriber.format)
        if fmt not in rendered:
            rendered[fmt] = render(fmt)
        title, body = rendered[fmt]
        requests.append(
            AlertRequest(
                rule_id=rule_id,
                article_id=article_id,
                subscriber=subscriber.name,
                channel=url,
                dedupe_key=digest_key(*key_parts, url),
                title=title,
                body=body,
                body_format=fmt,
                channel_index=index,
            )
        )
    return requests


def digest_key(*parts: str) -> str:
    """SHA-256 of the parts, hex: stable across processes and releases (no ``hash()``, no randomness),
    so a restart that replays a decision produces the keys already stored. URLs are hashed, never stored
    in a key."""
    return hashlib.sha256(_SEPARATOR.join(parts).encode("utf-8")).hexdigest()


def _receives(subscriber: SubscriberSettings, match: Match, notify: Sequence[str]) -> bool:
    return receives_rule(subscriber, match.rule_id, match.tags, match.severity, notify)


def receives_rule(
    subscriber: SubscriberSettings, rule_id: str, tags: Sequence[str], severity: str, notify: Sequence[str]
) -> bool:
    """Whether ``subscriber`` gets alerts of a rule: named by its ``notify`` (or it names nobody) and
    wanted by the subscriber's own rule, tag and severity filters."""
    if notify and subscriber.name not in notify and not set(subscriber.groups) & set(notify):
        return False
    return subscriber.wants(rule_id, tuple(tags), severity)
