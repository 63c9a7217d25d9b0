"""The practice explorer (/practices/) in a real browser: combined filters and their counts,
search, sort, the state in the URL (reload, Back), "Clear all filters", the keyboard,
phones, accessibility, and the page without JavaScript.

Every expectation is computed here in Python from the repository's own practices/, with
the explorer's rules: AND across facets, OR within a facet, and next to each value the
number of practices that have it given the other facets' choices and the search text.
Waiting is done by Playwright's auto-waiting expectations, never by sleeping.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.axe import assert_no_violations
from tests.conftest import PROJECT
from wayout.catalogue.catalogue import load_catalogue
from wayout.record.loader import Entry

pytestmark = pytest.mark.browser

PUBLISHED: list[Entry] = load_catalogue([PROJECT / "practices"]).published
TOTAL = len(PUBLISHED)

FILTERS: dict[str, Callable[[Entry], list[str]]] = {
    "category": lambda e: list(e.practice.categories),
    "standard": lambda e: list(e.practice.standards),
    "country": lambda e: [code.lower() for code in e.practice.countries],
    "target-group": lambda e: list(e.practice.target_groups),
    "setting": lambda e: list(e.practice.settings),
    "ideology": lambda e: list(e.practice.ideologies),
    "evidence": lambda e: [e.practice.evaluation.level] if e.practice.evaluation else [],
}

State = dict[str, set[str]]

CARDS = "[data-wo-list] > article"
STATUS = "[data-wo-status]"
SEARCH = "#wo-text"


# --- The explorer's rules, in Python ------------------------------------------------------


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def search_text(entry: Entry) -> str:
    practice = entry.practice
    names = [n for o in practice.organisations for n in (o.name, o.name_en) if n]
    return fold("\n".join([practice.title, practice.title_en or "", practice.summary, *names]))


def matches(entry: Entry, state: State, query: str = "") -> bool:
    text = search_text(entry)
    if not all(word in text for word in fold(query).split()):
        return False
    return all(not wanted or set(FILTERS[name](entry)) & wanted for name, wanted in state.items())


def start_year(entry: Entry) -> int:
    period = entry.practice.period
    return period.start if period and period.start else 0


def expected_slugs(state: State, query: str = "", sort: str = "title") -> list[str]:
    """The practices shown, in the order shown: by title, or newest first (stable)."""
    shown = [e for e in PUBLISHED if matches(e, state, query)]
    if sort == "start":
        # Unknown years (0 here) sort after every known one.
        shown = sorted(shown, key=start_year, reverse=True)
    elif sort == "reviewed":
        shown = sorted(shown, key=lambda e: e.practice.last_reviewed, reverse=True)
    return [e.slug for e in shown]


def expected_count(name: str, value: str, state: State, query: str = "") -> int:
    """Practices with `value` in facet `name`, given the other facets' choices and the text."""
    others = {other: wanted for other, wanted in state.items() if other != name}
    return sum(1 for e in PUBLISHED if value in FILTERS[name](e) and matches(e, others, query))


def status_text(count: int) -> str:
    return f"{count} of {TOTAL} practice{'' if TOTAL == 1 else 's'}"


def used_values(name: str) -> Counter[str]:
    return Counter(value for entry in PUBLISHED for value in FILTERS[name](entry))


def pick_state() -> State:
    """A category and two countries whose combination narrows the list but leaves some."""
    countries = [code for code, _ in used_values("country").most_common(2)]
    for category in used_values("category"):
        state = {"category": {category}, "country": set(countries)}
        shown = len(expected_slugs(state))
        one = len(expected_slugs({"category": {category}, "country": {countries[0]}}))
        if 0 < one < shown < len(expected_slugs({"category": {category}})):
            return state
    pytest.skip("the practices offer no category and countries that combine usefully")


def pick_word() -> str:
    for word in ("family", "families", "mentor", "prison", "exit"):
        if 0 < len(expected_slugs({}, word)) < TOTAL:
            return word
    pytest.skip("no search word narrows the practices")


# --- Reading the page -----------------------------------------------------------------------


def visible_slugs(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        f"{CARDS}:not([hidden]) .wo-card__title a",
        "links => links.map(link => link.getAttribute('href'))",
    )
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def shown_counts(page: Page) -> dict[tuple[str, str], tuple[str, bool]]:
    """For each checkbox (facet, value): its label text and whether it is marked empty."""
    rows: list[list[object]] = page.eval_on_selector_all(
        "fieldset[data-facet] li",
        """items => items.map(item => {
            const box = item.querySelector('input');
            return [box.name, box.value, item.querySelector('label').textContent,
                    item.classList.contains('wo-filter__option--empty')];
        })""",
    )
    return {
        (str(name), str(value)): (" ".join(str(label).split()), bool(empty))
        for name, value, label, empty in rows
    }


def assert_counts(page: Page, state: State, query: str = "") -> None:
    counts = shown_counts(page)
    assert counts, "no filter values on the page"
    for (name, value), (label, empty) in counts.items():
        count = expected_count(name, value, state, query)
        assert label.endswith(f"({count})"), (name, value, label, count)
        assert empty == (count == 0), (name, value, label)


def expect_state(page: Page, state: State, query: str = "", sort: str = "title") -> None:
    """The list, the live count, the ticked boxes and the counts all show `state`."""
    slugs = expected_slugs(state, query, sort)
    expect(page.locator(STATUS)).to_have_text(status_text(len(slugs)))
    assert visible_slugs(page) == slugs
    ticked = page.eval_on_selector_all(
        "fieldset[data-facet] input:checked", "boxes => boxes.map(b => [b.name, b.value])"
    )
    assert sorted(map(tuple, ticked)) == sorted(
        (name, value) for name, values in state.items() for value in values
    )
    expect(page.locator(SEARCH)).to_have_value(query)
    assert_counts(page, state, query)


def query_of(page: Page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def tick(page: Page, name: str, values: Iterable[str]) -> None:
    for value in sorted(values):
        page.check(f'fieldset[data-facet="{name}"] input[value="{value}"]')


def open_explorer(page: Page, site_url: str, query: str = "") -> None:
    page.goto(f"{site_url}practices/{query}")
    expect(page.locator("[data-wo-explorer].wo-explorer--enhanced")).to_be_attached()


# --- Tests ----------------------------------------------------------------------------------


def test_filters_on_two_facets_narrow_the_list_and_the_counts(page: Page, site_url: str) -> None:
    open_explorer(page, site_url)
    expect_state(page, {})
    state = pick_state()
    (category,) = state["category"]
    first, second = sorted(state["country"])

    tick(page, "category", [category])
    expect_state(page, {"category": {category}})
    tick(page, "country", [first])
    expect_state(page, {"category": {category}, "country": {first}})
    tick(page, "country", [second])  # OR within a facet: the list grows again
    expect_state(page, state)
    assert query_of(page) == [("category", category), ("country", first), ("country", second)]


def test_values_that_would_give_nothing_are_marked_not_hidden(page: Page, site_url: str) -> None:
    state = pick_state()
    (category,) = state["category"]
    open_explorer(page, site_url, f"?category={category}")
    counts = shown_counts(page)
    empty = [key for key, (_, is_empty) in counts.items() if is_empty]
    assert empty, "this state should leave some values with no practice"
    name, value = empty[0]
    item = page.locator(f'fieldset[data-facet="{name}"] li', has=page.locator(f'[value="{value}"]'))
    expect(item).to_be_visible()
    expect(item.locator("label")).to_contain_text("(0)")
    # Said in text and shown by more than colour: greyed and in italics.
    assert item.locator("label").evaluate("l => getComputedStyle(l).fontStyle") == "italic"
    assert_no_violations(page, "the explorer with values that give no practice")


def test_reload_restores_the_state_and_back_undoes_a_change(page: Page, site_url: str) -> None:
    state = pick_state()
    (category,) = state["category"]
    first, second = sorted(state["country"])
    open_explorer(page, site_url)
    tick(page, "category", [category])
    tick(page, "country", [first, second])
    page.select_option("#wo-sort", "reviewed")
    url = page.url
    assert ("sort", "reviewed") in query_of(page)

    page.reload()
    expect(page.locator("[data-wo-explorer].wo-explorer--enhanced")).to_be_attached()
    assert page.url == url
    expect(page.locator("#wo-sort")).to_have_value("reviewed")
    expect_state(page, state, sort="reviewed")

    page.go_back()  # undoes the sort
    expect(page.locator("#wo-sort")).to_have_value("title")
    expect_state(page, state)
    page.go_back()  # undoes the second country
    expect_state(page, {"category": {category}, "country": {first}})
    page.go_forward()
    expect_state(page, state)


def test_typing_narrows_the_list_as_you_type(page: Page, site_url: str) -> None:
    word = pick_word()
    open_explorer(page, site_url)
    page.locator(SEARCH).press_sequentially(word, delay=30)
    expect_state(page, {}, word)
    assert query_of(page) == [("text", word)]
    # Accents and case do not matter, and every word must occur.
    page.fill(SEARCH, word.upper())
    expect_state(page, {}, word.upper())
    page.fill(SEARCH, f"{word} zzzznotaword")
    expect(page.locator(STATUS)).to_have_text(status_text(0))
    expect(page.locator("[data-wo-empty]")).to_be_visible()
    assert visible_slugs(page) == []


def test_search_and_filters_combine(page: Page, site_url: str) -> None:
    state = pick_state()
    word = pick_word()
    query = "?" + "&".join(f"{n}={v}" for n, values in state.items() for v in sorted(values))
    open_explorer(page, site_url, f"{query}&text={word}")
    expect_state(page, state, word)
    # The text has its own parameter: Material's site search would open on ?q=.
    expect(page.locator("#__search")).not_to_be_checked()


def test_clear_all_resets_filters_and_search(page: Page, site_url: str) -> None:
    state = pick_state()
    (category,) = state["category"]
    open_explorer(page, site_url, f"?category={category}&text=zzzznotaword&sort=start")
    expect(page.locator(STATUS)).to_have_text(status_text(0))
    page.locator("[data-wo-empty] [data-wo-clear]").click()
    expect_state(page, {}, sort="start")
    expect(page.locator(SEARCH)).to_be_focused()
    expect(page.locator("#wo-sort")).to_have_value("start")  # the order is not a filter
    assert query_of(page) == [("sort", "start")]

    tick(page, "category", [category])
    # By keyboard (a click could land on Material's fixed header once the page has scrolled).
    page.locator("[data-wo-form] [data-wo-clear]").focus()
    page.keyboard.press("Enter")
    expect_state(page, {}, sort="start")


def test_sort_by_start_year_puts_unknown_last(page: Page, site_url: str) -> None:
    open_explorer(page, site_url, "?sort=start")
    years = page.eval_on_selector_all(CARDS, "cards => cards.map(c => c.dataset.start)")
    known = [int(y) for y in years if y]
    assert known == sorted(known, reverse=True)
    assert years == [str(y) for y in known] + [""] * (len(years) - len(known))
    expect_state(page, {}, sort="start")
    page.select_option("#wo-sort", "title")
    assert visible_slugs(page) == [e.slug for e in PUBLISHED]
    assert query_of(page) == []


def test_keyboard_tab_reaches_a_checkbox_and_space_ticks_it(page: Page, site_url: str) -> None:
    open_explorer(page, site_url)
    page.locator(SEARCH).focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type === 'checkbox'"):
            break
    else:
        pytest.fail("Tab never reached a filter checkbox")
    focused = page.locator("fieldset[data-facet] input:focus")
    name = focused.get_attribute("name")
    value = focused.get_attribute("value")
    assert name and value
    assert focused.evaluate("b => getComputedStyle(b).outlineStyle") != "none"
    page.keyboard.press("Space")
    expect(focused).to_be_checked()
    expect_state(page, {name: {value}})
    page.keyboard.press("Space")
    expect_state(page, {})


def test_phone_shows_collapsed_filters_above_the_list(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        open_explorer(page, site_url)
        panel = page.locator("[data-wo-panel]")
        assert panel.evaluate("details => details.open") is False
        first_card = page.locator(CARDS).first.bounding_box()
        form = page.locator("[data-wo-form]").bounding_box()
        assert first_card and form and form["y"] < first_card["y"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.locator("[data-wo-panel] > summary").click()
        expect(page.locator('fieldset[data-facet="category"]')).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_no_violations(page, "the explorer on a 320 px phone, filters open")
        # From the end of the filters back to the list.
        done = page.locator("[data-wo-done]")
        expect(done).to_have_text(f"Show the {TOTAL} practices")
        done.focus()
        page.keyboard.press("Enter")
        assert panel.evaluate("details => details.open") is False
        expect(page.locator(STATUS)).to_be_focused()
    finally:
        context.close()


def test_wide_screen_shows_filters_beside_the_list(page: Page, site_url: str) -> None:
    open_explorer(page, site_url)
    expect(page.locator("[data-wo-done]")).to_be_hidden()  # only for phones
    form = page.locator("[data-wo-form]").bounding_box()
    cards = page.locator("[data-wo-list]").bounding_box()
    assert form and cards
    assert form["x"] + form["width"] <= cards["x"]
    assert abs(form["y"] - cards["y"]) < 100
    assert_no_violations(page, "the explorer on a wide screen")


def test_without_javascript_every_card_is_listed(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site_url}practices/?country=de")
        expect(page.locator(CARDS)).to_have_count(TOTAL)
        assert visible_slugs(page) == [e.slug for e in PUBLISHED]
        expect(page.locator("[data-wo-form]")).to_be_hidden()
    finally:
        context.close()


def test_long_lists_show_a_batch_at_a_time(page: Page, site_url: str) -> None:
    """With many practices only the first 48 matches are laid out; "Show more" adds more."""
    copies = 4  # every practice four times
    total = TOTAL * copies

    def many_cards(route: Route) -> None:
        html = route.fetch().text()
        cards = re.findall(r'<article class="wo-card".*?</article>', html, flags=re.S)
        start, end = html.index(cards[0]), html.index(cards[-1]) + len(cards[-1])
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body=html[:start] + "\n".join(cards * copies) + html[end:],
        )

    page.route(f"{site_url}practices/", many_cards)
    open_explorer(page, site_url)
    more = page.locator("[data-wo-more]")
    expect(page.locator(STATUS)).to_have_text(f"{total} of {total} practices")
    expect(page.locator(f"{CARDS}:visible")).to_have_count(48)
    expect(more).to_have_text(f"Show 48 more (48 of {total} shown)")
    more.click()
    expect(page.locator(f"{CARDS}:visible")).to_have_count(min(96, total))
    # The focus moves on to the first card just shown.
    focused = page.eval_on_selector_all(
        CARDS, "cards => cards.indexOf(document.activeElement.closest('article'))"
    )
    assert focused == 48
    while more.is_visible():
        more.click()
    expect(page.locator(f"{CARDS}:visible")).to_have_count(total)
    # A new filter starts again from the first batch.
    state = pick_state()
    (category,) = state["category"]
    tick(page, "category", [category])
    matching = len(expected_slugs({"category": {category}})) * copies
    expect(page.locator(STATUS)).to_have_text(f"{matching} of {total} practices")
    expect(page.locator(f"{CARDS}:visible")).to_have_count(min(48, matching))
