"""Channel URLs fit to show or log: every credential-bearing part replaced by ``***``, by our own rule.

Why not apprise's ``url(privacy=True)``: it leaves ``+Authorization=Bearer …`` headers of ``json://``,
``xml://`` and ``form://`` in clear, keeps webhook tokens written in the path, and shows the first and
last character of the tokens it does hide. ``mask`` is the one function that turns a channel URL into text
for a log line, a terminal or the ``deliveries`` table; ``redact_urls`` applies it to every URL in free
text (apprise's log lines and error messages).

The rule, for a URL ``scheme://user:password@host/path?query#fragment``:

- everything after ``scheme://`` when apprise does not know the scheme;
- the password, always; the user and the host when the scheme's apprise templates put a private token
  there (``ntfy://{token}@host``, ``pover://{user_key}@{token}``, ``tgram://{bot_token}``);
- every path segment when the scheme's templates put a private token in the path (``discord://``,
  ``slack://``, ``gotify://``…) or the URL is a service's native ``http(s)://`` webhook; elsewhere each
  segment or fragment that looks like a token (16+ characters with a digit, or 32+ characters);
- query values of ``+header`` and ``-param`` arguments (HTTP headers and upstream parameters: where
  ``Authorization`` goes), of arguments apprise marks private or aliases to a private token, and of any
  argument whose name looks secret (``token``, ``key``, ``password``, ``auth``, ``signature``…).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from urllib.parse import unquote, unquote_plus

HIDDEN = "***"
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)
# a URL in prose: not ending on the punctuation that follows it ("… to https://h/x: 401")
_ANY_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s'\"<>]*[^\s'\"<>.,;:!?)\]])?")
# a path without its URL, as urllib3 logs it: "… with url: /hook/TOKEN (…", '"POST /hook/TOKEN HTTP/1.1" 200'
_BARE_PATH = re.compile(r"(\b(?:url:|GET|POST|PUT|PATCH|DELETE|HEAD) )(/[^\s'\"<>]*)")
_SECRET_NAME = re.compile(
    r"pass|pwd|secret|token|key|auth|sig|cred|cookie|session|bearer|private|access", re.I
)
_TOKEN = re.compile(r"\{(\w+)\}")
_NATIVE_WEBHOOK_SCHEMES = frozenset({"http", "https"})
_NO_SECRETS = frozenset({"console", "jsonl", "file"})  # ours and apprise config files: a terminal, a path


@dataclasses.dataclass(frozen=True)
class SchemeRule:
    """Which parts of a URL of one scheme carry credentials (beyond the password, always hidden)."""

    user: bool = False
    host: bool = False
    path: bool = False
    args: frozenset[str] = frozenset()


def mask(url: str) -> str:
    """``url`` with every credential-bearing part replaced by ``***``: safe for logs, terminals, tables."""
    found = _URL.match(url.strip())
    if found is None:
        return "<not a channel URL>"
    scheme, authority, path, query, fragment = found.groups()
    scheme = scheme.lower()
    if scheme in _NO_SECRETS:
        return url
    rule = rule_for(scheme)
    if rule is None:
        return f"{scheme}://{HIDDEN}"  # a scheme nobody knows: any part may be the credential
    text = f"{scheme}://{_authority(authority, rule)}{_path(path, rule)}"
    if query is not None:
        text += "?" + "&".join(_argument(part, rule) for part in query.split("&"))
    if fragment:
        text += "#" + (HIDDEN if rule.path or _looks_like_token(unquote(fragment)) else fragment)
    return text


def redact_urls(text: str) -> str:
    """``text`` with every URL (and bare request path) in it masked: for apprise's and urllib3's log lines
    and the errors built from them. A bare path gets the rule of a scheme with no known secrets."""
    text = _ANY_URL.sub(lambda found: mask(found.group(0)), text)
    return _BARE_PATH.sub(lambda found: found.group(1) + _bare_path(found.group(2)), text)


def _bare_path(path_and_query: str) -> str:
    path, question, query = path_and_query.partition("?")
    rule = SchemeRule()
    shown = _path(path, rule)
    return shown + (question + "&".join(_argument(p, rule) for p in query.split("&")) if question else "")


@functools.lru_cache(maxsize=256)
def rule_for(scheme: str) -> SchemeRule | None:
    """The scheme's rule, read from its apprise plugin's templates (which mark private tokens); None for a
    scheme apprise does not know."""
    if scheme in _NATIVE_WEBHOOK_SCHEMES:
        return SchemeRule(path=True)
    from monitor.alerting.registry import NotificationManager  # apprise: see registry.py

    plugins = NotificationManager()
    if scheme not in plugins:
        return None
    plugin = plugins[scheme]
    tokens = getattr(plugin, "template_tokens", {}) or {}
    private = {name for name, spec in tokens.items() if spec.get("private")}
    user = host = path = False
    for template in getattr(plugin, "templates", ()) or ():
        in_user, in_host, in_path = _positions(template)
        user |= bool(in_user & private)
        host |= bool(in_host & private)
        path |= bool(in_path & private)
    return SchemeRule(user=user, host=host, path=path, args=frozenset(_private_args(plugin, private)))


def _positions(template: str) -> tuple[set[str], set[str], set[str]]:
    """The token names an apprise template puts in the user, host and path positions."""
    rest = template.split("://", 1)[-1]
    authority, _slash, path = rest.partition("/")
    userinfo, at, hostport = authority.rpartition("@")
    user = set(_TOKEN.findall(userinfo.partition(":")[0])) if at else set()
    host_tokens = list(re.finditer(r"(:?)\{(\w+)\}", hostport))
    host = {host_tokens[0].group(2)} if host_tokens else set()
    # '{host}{path}{token}': tokens glued after the host are path; ':{port}' is not
    glued = {t.group(2) for t in host_tokens[1:] if not t.group(1)}
    return user, host, glued | set(_TOKEN.findall(path))


def _private_args(plugin: object, private: set[str]) -> set[str]:
    names = set(private)
    for name, spec in (getattr(plugin, "template_args", {}) or {}).items():
        alias = spec.get("alias_of", ())
        aliases = {alias} if isinstance(alias, str) else set(alias)
        if spec.get("private") or aliases & private:
            names.add(name.lower())
    return names


def _authority(authority: str, rule: SchemeRule) -> str:
    userinfo, at, hostport = authority.rpartition("@")
    host = HIDDEN if rule.host and hostport else hostport
    if not at:
        return host
    user, colon, _password = userinfo.partition(":")
    shown_user = HIDDEN if rule.user and user else user
    return f"{shown_user}{':' + HIDDEN if colon else ''}@{host}"


def _path(path: str, rule: SchemeRule) -> str:
    segments = path.split("/")
    return "/".join(
        HIDDEN if segment and (rule.path or _looks_like_token(unquote(segment))) else segment
        for segment in segments
    )


def _argument(part: str, rule: SchemeRule) -> str:
    name, equals, value = part.partition("=")
    if not equals or not value:
        return part
    plain = unquote_plus(name)
    hidden = plain[:1] in ("+", "-") or plain.lower() in rule.args or bool(_SECRET_NAME.search(plain))
    return f"{name}={HIDDEN}" if hidden else part


def _looks_like_token(segment: str) -> bool:
    """A generated credential rather than a word: long, and with digits unless very long."""
    return (len(segment) >= 16 and any(c.isdigit() for c in segment)) or len(segment) >= 32
