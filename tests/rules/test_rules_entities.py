"""Names in rules' evidence: a surname is read as the full name the article writes."""

from __future__ import annotations

from monitor.rules.entities import written_full_name


def test_a_surname_resolves_to_the_one_first_name_the_text_writes_before_it() -> None:
    text = "Jetten-Meloni summit cancelled\nDutch Prime Minister Rob Jetten will not travel to meet Giorgia Meloni."
    assert written_full_name("Jetten", text) == "Rob Jetten"
    assert written_full_name("Meloni", text) == "Giorgia Meloni"
    assert written_full_name("Jetten", "Rob Jetten met Ann Jetten.") is None  # two first names: no guess
    assert written_full_name("Meloni", "Italian Meloni spoke.") is None  # a nationality is no first name
