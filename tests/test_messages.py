"""Page strings come from messages/<language>.yaml: a second edition is a second file and a parameter."""
import dataclasses
import datetime as dt

import pytest

from conftest import FIXTURES
from digest import render_pages as rp
from digest.messages import MessageError, messages
from digest.pipeline import check


def timeline():
    return check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline


def test_dates_and_strings_of_the_english_edition():
    msg = messages("en")
    assert [msg.date(d) for d in ("2019-10-02", "2019-10", "2019")] == ["2 October 2019", "October 2019", "2019"]
    assert msg("corrected_on", date="1 March 2026") == "Corrected 1 March 2026"
    assert msg.pick("kind", "places") == "place"
    with pytest.raises(MessageError):
        msg("no-such-message")


def test_every_page_takes_its_strings_from_the_language_it_is_given():
    english = messages("en")
    other = dataclasses.replace(english, language="xx", strings={
        **english.strings, "months": [f"M{n}" for n in range(1, 13)], "date_day": "{year}-{month}-{day}",
        "sources": "Quellen", "timeline": "Zeitleiste", "corrections": "Berichtigungen", "year_lead":
        "{count} Einträge. <a href=\"{all_years}\">Alle Jahre</a>"})
    model = timeline()
    pages = rp.render_pages(model, "https://digest.example/", "Fixture Digest")
    entry = rp.render_entry(model.by_id["sensetime-listed"], model, msg=other)
    assert '<h2 id="quellen">Quellen' in entry and ">Zeitleiste</a>" in entry
    assert '<h2 id="sources">Sources' in pages["timeline/2019/sensetime-listed.md"]
    year = rp.render_year_pages("2019", model, msg=other)["timeline/2019/index.md"]
    assert "1 Einträge." in year and "M10 2019" in year
    assert rp.render_corrections(model, msg=other)["corrections/index.md"].count("Berichtigungen") >= 1
