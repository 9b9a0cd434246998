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
decision here is pure. Importing this package registers the built-in
channels ``console://`` and ``jsonl:///path`` with apprise, and makes apprise's SMTP plugin load CA
certificates only for encrypted sessions (``tls.py``). apprise and jinja2 are used here and nowhere else.
"""

from monitor.alerting.backoff import next_attempt, retry_delay_s
from monitor.alerting.channels import (
    body_format,
    channels_of,
    config_relative,
    parse_location,
    register_builtin_channels,
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
from monitor.alerting.tls import install as _install_lazy_tls
from monitor.alerting.validation import template_search, unreached_rules, validate_subscribers

register_builtin_channels()
_install_lazy_tls()  # plain SMTP without reading the CA bundle per mail: see tls.py

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
