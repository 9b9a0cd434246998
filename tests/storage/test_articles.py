"""Unprocessed articles: leased to processors oldest first, with what rules need to know of their feed."""

from __future__ import annotations

from monitor.storage import Database, claim_unprocessed_articles, save_poll

from .helpers import NOW, at, entry, polled, processed, source, stored_articles, stored_feed


def test_claim_hands_out_unprocessed_articles_oldest_first_with_their_feed(db: Database) -> None:
    feed_id = stored_feed(db, 7, tags=("energy", "ru"))
    save_poll(
        db,
        polled(feed_id),
        [entry(1, tags=("Oil", "energy")), entry(2, author="A. Writer", language="en")],
        NOW,
    )

    first, second = claim_unprocessed_articles(db, NOW, limit=10, lease_s=60)

    assert (first.feed_id, first.feed_name, first.feed_url) == (feed_id, "News 7", source(7).url)
    assert (first.identity, first.title, first.link, first.guid) == (
        "id-1",
        "Headline 1",
        entry(1).link,
        "guid-1",
    )
    assert (first.summary, first.content, first.story_id) == ("Summary 1", "Content 1", None)
    assert first.tags == ("Oil", "energy", "ru")  # the entry's own, then the feed's, each once
    assert (second.author, second.language, second.tags) == ("A. Writer", "en", ("energy", "ru"))


def test_a_claimed_article_is_not_handed_out_again_until_its_lease_expires(db: Database) -> None:
    stored_articles(db, 3)

    first = claim_unprocessed_articles(db, NOW, limit=2, lease_s=120)
    rest = claim_unprocessed_articles(db, at(1), limit=10, lease_s=120)
    while_leased = claim_unprocessed_articles(db, at(119), limit=10, lease_s=120)
    after_expiry = claim_unprocessed_articles(db, at(121), limit=10, lease_s=120)

    assert [a.identity for a in first] == ["id-0", "id-1"]
    assert [a.identity for a in rest] == ["id-2"]
    assert while_leased == []
    assert [a.identity for a in after_expiry] == ["id-0", "id-1"]


def test_a_processed_article_is_never_claimed_again(db: Database) -> None:
    (article_id,) = stored_articles(db, 1)

    processed(db, article_id, NOW, None, [], [])

    assert claim_unprocessed_articles(db, at(3600), limit=10, lease_s=60) == []
