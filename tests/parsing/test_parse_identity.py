"""The identity chain: GUID → GUID+link → link → title+text, unique within a document."""

from __future__ import annotations

from monitor.parsing.identity import IdentityKey, assign_identities, digest, guid_identity, link_identity


def key(guid: str | None = None, link: str | None = None, title: str = "t", text: str = "x") -> IdentityKey:
    return IdentityKey(guid=guid, link=link, title=title, text=text)


def test_unique_guid_is_the_identity_whatever_else_changes() -> None:
    first = assign_identities([key("g1", "https://a/1", "Title", "text")])
    edited = assign_identities([key("g1", "https://a/other", "New title", "new text")])
    assert first == edited == [guid_identity("g1")]


def test_shared_guid_falls_back_to_guid_and_link() -> None:
    ids = assign_identities([key("g", "https://a/1"), key("g", "https://a/2")])
    assert ids == [digest("guid+link", "g", "https://a/1"), digest("guid+link", "g", "https://a/2")]


def test_shared_guid_and_link_fall_back_to_the_text() -> None:
    ids = assign_identities([key("g", "https://a/1", "one"), key("g", "https://a/1", "two")])
    assert len(set(ids)) == 2
    assert ids[0] == digest("guid+link+text", "g", "https://a/1", "one", "x")


def test_guidless_entries_use_their_link_when_unique() -> None:
    assert assign_identities([key(None, "https://a/1"), key("g", "https://a/1")]) == [
        link_identity("https://a/1"),  # a GUID-ful entry with the same link does not count
        guid_identity("g"),
    ]


def test_guidless_entries_sharing_a_link_use_link_and_text() -> None:
    ids = assign_identities([key(None, "https://pod/", "ep 1"), key(None, "https://pod/", "ep 2")])
    assert ids == [
        digest("link+text", "https://pod/", "ep 1", "x"),
        digest("link+text", "https://pod/", "ep 2", "x"),
    ]


def test_no_guid_no_link_uses_title_and_text() -> None:
    assert assign_identities([key(title="Only a title", text="")]) == [digest("text", "Only a title", "")]


def test_exact_duplicates_are_numbered_in_document_order() -> None:
    ids = assign_identities([key("g", "https://a/1"), key("g", "https://a/1"), key("g", "https://a/1")])
    assert len(set(ids)) == 3
    assert ids[1] == digest("duplicate", ids[0], "2")


def test_a_guid_equal_to_another_entrys_link_does_not_collide() -> None:
    ids = assign_identities([key("https://a/1"), key(None, "https://a/1")])
    assert ids[0] != ids[1]
