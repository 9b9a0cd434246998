"""Alerting: who hears about a match, when, in which words, and delivering it through apprise.

    recipients(match, subscribers, notify)           → subscribers that want it            (routing.py)
    decide(fact, prior, reasons, passed=…)           → Decision: alert / update / recorded / silenced /
                                                       inhibited / throttled             (policy.py)
    fact_of(match), is_new(fact, previous)           → the state or figure a match reports  (facts.py)
    silence_for(...), inhibition_for(...)            → what stops a notification           (silences.py, inhibition.py)
    hold_for(subscriber, severity, now)              → None (send now) or Hold(until, why)  (schedule.py)
    templates_for(search).render_alert(content, fmt) → (title, body); render_digest(...)   (templates.py)
    notifications(content, subscriber, templates, key_parts)      → one AlertRequest per channel URL
    digest_notifications(context, subscriber, templates, key_parts)
    Deliverer(policy).deliver(item, now)             → DeliveryResult (never raises for a failed send)
    next_attempt(item, now, policy)                  → datetime | None (None: give up, the row is dead)
    validate_subscribers(settings, rule_ids)         → list[Problem] (start-up checks, file:line)
    send_test(subscriber), mask(url)

    plan(batch, history, settings, notify, resources, now) → the AlertEvents of a processing batch,
                                                       one alert per story (planner.py)

The pipeline loads the history a batch's planning reads in one read (``monitor.pipeline.alerts``); every
decision here is pure. apprise and jinja2 are used here and nowhere else, and only when needed.

Importing this package loads nothing: each name imports its module on first use (PEP 562). apprise is
imported, and the built-in channels ``console://`` and ``jsonl:///path`` registered with it, the first
time a channel URL is checked (a subscriber's, at start-up), a body format chosen or a notification sent
(``registry.py``: why, and what else the set-up does); jinja2 when templates are loaded. So a
``newsmon run --once`` with no subscriber and nothing to deliver loads neither (registering the channels
makes apprise import every plugin it has: ~0.5 s of CPU with its own import), while one with subscribers
still validates their URLs before the first poll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.lazy import lazy_names

if TYPE_CHECKING:
    from monitor.alerting.backoff import next_attempt, retry_delay_s
    from monitor.alerting.channels import (
        body_format,
        channels_of,
        config_relative,
        parse_location,
        validate_channels,
    )
    from monitor.alerting.context import AlertContent, StorySource, alert_context, digest_context, source_of
    from monitor.alerting.cron import CronSyntaxError, parse_cron
    from monitor.alerting.delivery import Deliverer, send_test
    from monitor.alerting.facts import fact_of, is_new, what_happened
    from monitor.alerting.inhibition import PastMatch, inhibition_for
    from monitor.alerting.masking import mask, redact_urls
    from monitor.alerting.planner import (
        AlertHistory,
        BatchItem,
        HistoryWanted,
        Resources,
        history_wanted,
        plan,
    )
    from monitor.alerting.policy import NOTIFYING, OUTCOMES, Decision, Prior, Reasons, decide
    from monitor.alerting.routing import (
        DIGEST_RULE,
        digest_key,
        digest_notifications,
        held_notifications,
        notifications,
        plain_notifications,
        recipients,
    )
    from monitor.alerting.schedule import Hold, hold_for
    from monitor.alerting.silences import silence_for, silence_note
    from monitor.alerting.templates import Templates, check_templates, render, templates_for
    from monitor.alerting.validation import template_search, unreached_rules, validate_subscribers

_HOMES = {
    "DIGEST_RULE": "monitor.alerting.routing",
    "NOTIFYING": "monitor.alerting.policy",
    "OUTCOMES": "monitor.alerting.policy",
    "AlertContent": "monitor.alerting.context",
    "AlertHistory": "monitor.alerting.planner",
    "BatchItem": "monitor.alerting.planner",
    "CronSyntaxError": "monitor.alerting.cron",
    "Decision": "monitor.alerting.policy",
    "Deliverer": "monitor.alerting.delivery",
    "HistoryWanted": "monitor.alerting.planner",
    "Hold": "monitor.alerting.schedule",
    "PastMatch": "monitor.alerting.inhibition",
    "Prior": "monitor.alerting.policy",
    "Reasons": "monitor.alerting.policy",
    "Resources": "monitor.alerting.planner",
    "StorySource": "monitor.alerting.context",
    "Templates": "monitor.alerting.templates",
    "alert_context": "monitor.alerting.context",
    "body_format": "monitor.alerting.channels",
    "channels_of": "monitor.alerting.channels",
    "check_templates": "monitor.alerting.templates",
    "config_relative": "monitor.alerting.channels",
    "decide": "monitor.alerting.policy",
    "digest_context": "monitor.alerting.context",
    "digest_key": "monitor.alerting.routing",
    "digest_notifications": "monitor.alerting.routing",
    "fact_of": "monitor.alerting.facts",
    "held_notifications": "monitor.alerting.routing",
    "history_wanted": "monitor.alerting.planner",
    "hold_for": "monitor.alerting.schedule",
    "inhibition_for": "monitor.alerting.inhibition",
    "is_new": "monitor.alerting.facts",
    "mask": "monitor.alerting.masking",
    "next_attempt": "monitor.alerting.backoff",
    "notifications": "monitor.alerting.routing",
    "parse_cron": "monitor.alerting.cron",
    "parse_location": "monitor.alerting.channels",
    "plain_notifications": "monitor.alerting.routing",
    "plan": "monitor.alerting.planner",
    "recipients": "monitor.alerting.routing",
    "redact_urls": "monitor.alerting.masking",
    "render": "monitor.alerting.templates",
    "retry_delay_s": "monitor.alerting.backoff",
    "send_test": "monitor.alerting.delivery",
    "silence_for": "monitor.alerting.silences",
    "silence_note": "monitor.alerting.silences",
    "source_of": "monitor.alerting.context",
    "template_search": "monitor.alerting.validation",
    "templates_for": "monitor.alerting.templates",
    "unreached_rules": "monitor.alerting.validation",
    "validate_channels": "monitor.alerting.channels",
    "validate_subscribers": "monitor.alerting.validation",
    "what_happened": "monitor.alerting.facts",
}
"""Where each name lives: imported on first use (PEP 562), so a command loads only what it touches."""


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "DIGEST_RULE",
    "NOTIFYING",
    "OUTCOMES",
    "AlertContent",
    "AlertHistory",
    "BatchItem",
    "CronSyntaxError",
    "Decision",
    "Deliverer",
    "HistoryWanted",
    "Hold",
    "PastMatch",
    "Prior",
    "Reasons",
    "Resources",
    "StorySource",
    "Templates",
    "alert_context",
    "body_format",
    "channels_of",
    "check_templates",
    "config_relative",
    "decide",
    "digest_context",
    "digest_key",
    "digest_notifications",
    "fact_of",
    "held_notifications",
    "history_wanted",
    "hold_for",
    "inhibition_for",
    "is_new",
    "mask",
    "next_attempt",
    "notifications",
    "parse_cron",
    "parse_location",
    "plain_notifications",
    "plan",
    "recipients",
    "redact_urls",
    "render",
    "retry_delay_s",
    "send_test",
    "silence_for",
    "silence_note",
    "source_of",
    "template_search",
    "templates_for",
    "unreached_rules",
    "validate_channels",
    "validate_subscribers",
    "what_happened",
]
