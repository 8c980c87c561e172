"""Each defect detector on hand-written questions: one that fires and one that does not, per
class (and per kind of defect inside a class), plus the grade each class costs."""

from __future__ import annotations

import pytest

from quizapp.evaluation.detectors import grade

from .helpers import basic, choice, classes, cloze, defects, ordering, true_false

GOOD = [
    cloze("A {{c1::resolver}} looks up a name on behalf of a device."),
    cloze("Each answer carries a {{c1::time to live}} that limits how long it may be cached."),
    true_false(
        "Changing a DNS record takes effect everywhere at the same moment.",
        False,
        "A common misconception is that changing a DNS record takes effect everywhere at "
        "the same moment.",
    ),
    basic("What is a resolver?", "The server that looks up a name on behalf of a device."),
    choice(
        "Which of these are DNS record types? Select all that apply.",
        ["MX record", "CNAME record"],
        ["Root server", "Browser cache"],
    ),
    ordering(
        [
            "The browser checks its cache",
            "The resolver asks a root server",
            "The authoritative server returns the address",
        ]
    ),
]


@pytest.mark.parametrize("question", GOOD, ids=lambda q: q["type"])
def test_a_good_question_has_no_defect(question):
    assert classes(question) == set()


@pytest.mark.parametrize(
    "text",
    [
        "The lookup is a {{c1::process}} that takes milliseconds.",  # generic word
        "Resolvers form a {{c1::sophisticated}} network of caches.",  # modifier
        "The browser {{c1::sends}} the question to the resolver.",  # verb
        "DNS translates {{c1::human-readable domain}} names into numbers.",  # half an NP
        "A zone file holds the A record, {{c1::MX record}} and CNAME record.",  # list item
        "The {{c1::Domain Name System}} (DNS) maps names to addresses.",  # expansion
        "The {{c1::DNS}} maps names to numeric addresses.",  # in the title
        "The common octopus has around {{c1::500}} million neurons.",  # half a number
        "{{c1::Contrary}} to popular belief, caches do not slow lookups.",  # idiom
        "The Via {{c1::Appia}} ran south-east from Rome.",  # half a name
    ],
)
def test_deletion_choice_fires(text):
    assert "deletion" in classes(cloze(text))


@pytest.mark.parametrize(
    "text",
    [
        "A resolver is run by the {{c1::internet provider}} of most home connections.",
        "The {{c1::authoritative name server}} gives the final answer about a domain.",
        "Gutenberg printed his Bible in {{c1::1455}}.",
        "Chloroplasts contain {{c1::chlorophyll}}, a green pigment.",
        "The {{c1::MX record}} names mail servers, while a CNAME record makes an alias.",  # own clause
    ],
)
def test_deletion_choice_does_not_fire_on_good_blanks(text):
    assert "deletion" not in classes(cloze(text))


@pytest.mark.parametrize(
    "text",
    [
        "It\u2019s like the {{c1::phonebook}} of the internet.",  # curly apostrophe
        "It's like the {{c1::phonebook}} of the internet.",  # straight
        "This pathway sends the {{c1::question}} to a root server.",  # demonstrative
        "Leucine, one of those amino acids, activates {{c1::mTOR}}.",  # those + noun
        "A resolver does the same: it {{c1::caches}} answers.",  # does the same
        "In fact, a {{c1::resolver}} caches answers.",  # opener
        "So, the {{c1::resolver}} caches answers.",  # opener
        "Caches matter, as one of us has long argued, for {{c1::speed}}.",  # attribution
        "The rule is an {{c1::approximation}} for small rates.",  # bare subject
    ],
)
def test_not_self_contained_fires(text):
    assert "not_self_contained" in classes(cloze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Its {{c1::TTL}} limits caching.",
        "These {{c1::records}} live in a zone file.",
    ],
)
def test_not_self_contained_fires_on_leading_pronouns(text):
    assert "not_self_contained" in classes(cloze(text))


def test_not_self_contained_ignores_a_demonstrative_late_in_a_long_sentence():
    text = (
        "Printers chose one {{c1::spelling}} for large audiences across Europe, and over "
        "time those choices became the norm."
    )
    assert "not_self_contained" not in classes(cloze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Why does the {{c1::resolver}} cache answers?",  # question
        "DNS is {{c1::amazing}}!",  # exclamation
        "Last spring I watched an {{c1::octopus}} open a jar.",  # first person
        "Your browser asks the {{c1::resolver}} first.",  # second person
        "Mix equal weights of {{c1::flour}} and water.",  # instruction
        "Our {{c1::CrumbCraft Jar}} makes feeding foolproof \u2014 grab yours today.",  # plug
        "By Jane Smith, {{c1::science}} editor.",  # byline
        "Few topics attract as many {{c1::rumours}} as vaccination.",  # hook
    ],
)
def test_wrong_sentence_fires(text):
    assert "wrong_sentence" in classes(cloze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Water makes up about {{c1::60 percent}} of body weight.",  # not "Water!"
        "Credential stuffing works because people {{c1::reuse passwords}}.",  # not imperative
        "By 1500, printing {{c1::presses}} worked in 200 towns.",  # not a byline
        "GDP is adjusted for prices in the {{c1::US}} statistics.",  # US, not "us"
        "Near the surface, gravity pulls with about {{c1::9.8}} newtons per kilogram.",  # "Near"
    ],
)
def test_wrong_sentence_does_not_fire_on_factual_sentences(text):
    assert "wrong_sentence" not in classes(cloze(text))


def test_wrong_sentence_costs_a_drop():
    found = defects(cloze("Your browser asks the {{c1::resolver}} first."))[0]
    assert grade(found) == "DROP"


@pytest.mark.parametrize(
    "question",
    [
        basic(
            "Why does DNS for beginners: how your browser finds a website matter?",
            "DNS is a frequent point of failure.",
        ),
        ordering(
            [
                "The browser checks its cache",
                "The resolver asks a root server",
                "The authoritative server returns the address",
            ],
            prompt="Put the steps of DNS for beginners: how your browser finds a website in "
            "the order they happen.",
        ),
        basic("Why does what is DNS? matter?", "It names computers."),
    ],
)
def test_garbled_frame_fires_on_titles_and_headings_in_prompts(question):
    assert "garbled_frame" in classes(question)


def test_garbled_frame_fires_on_list_markup_in_a_sentence():
    text = "The main factors include: - temperature: more heat - {{c1::moisture}}: dry browns."
    assert "garbled_frame" in classes(cloze(text))


def test_garbled_frame_does_not_fire_on_a_faq_question_used_as_front():
    assert "garbled_frame" not in classes(basic("What is DNS?", "The internet's naming system."))


@pytest.mark.parametrize(
    "question",
    [
        cloze(
            "A common misconception is that changing a DNS record takes effect everywhere at "
            "{{c1::the same moment}}."
        ),
        true_false("Changing a DNS record takes effect everywhere at the same moment.", True),
        true_false(
            "Changing a DNS record does not take effect everywhere at the same moment.", False
        ),
    ],
)
def test_teaches_the_myth_fires(question):
    assert "teaches_myth" in classes(question)


@pytest.mark.parametrize(
    "question",
    [
        cloze("Changing a DNS record does not take effect everywhere at {{c1::the same moment}}."),
        true_false("Changing a DNS record takes effect everywhere at the same moment.", False),
        cloze("Resolvers serve the old answer until its {{c1::TTL}} expires."),
    ],
)
def test_teaches_the_myth_does_not_fire_on_the_truth(question):
    assert "teaches_myth" not in classes(question)


@pytest.mark.parametrize(
    "question",
    [
        ordering(
            [
                "The resolver asks a root server",
                "The browser checks its cache",
                "The authoritative server returns the address",
            ]
        ),  # reversed
        ordering(
            [
                "The browser checks its cache",
                "Muscle mass grows",
                "The authoritative server returns the address",
            ]
        ),  # not a step
        choice(
            "The resolver asks a root server. What happens next?",
            ["The browser checks its cache"],
            ["The root server names the TLD server"],
        ),
        choice(
            "Which of these are DNS record types? Select all that apply.",
            ["MX record", "CNAME record"],
            ["A record", "Root server"],
        ),  # true distractor
        choice(
            "Which of these are DNS record types? Select all that apply.",
            ["MX record", "Browser cache"],
            ["Root server"],
        ),  # wrong answer
    ],
)
def test_invented_relation_fires(question):
    assert "invented_relation" in classes(question)


def test_invented_relation_accepts_a_next_step_that_follows():
    question = choice(
        "The resolver asks a root server. What happens next?",
        ["The root server names the TLD server"],
        ["The browser checks its cache"],
    )
    assert "invented_relation" not in classes(question)


@pytest.mark.parametrize(
    "question",
    [
        cloze(
            "Leucine binds and {{c1::mTOR}} activates.", "Leucine binds next and mTOR activates."
        ),  # word cut
        true_false(
            "Plants get your mass from the soil.",
            False,
            "Plants do not get their mass from the soil.",
        ),  # pronoun
        cloze(
            "{{c1::activation}} of mTOR works better.", "Together, activation of mTOR works better."
        ),  # mid-phrase
        choice(
            "If nothing is cached. What happens next?",
            ["The resolver asks a root server"],
            ["The browser checks its cache"],
        ),  # fragment
        basic("What is A tariff?", "A tax on imports."),  # capital
    ],
)
def test_ungrammatical_or_cut_fires(question):
    assert "cut" in classes(question)


@pytest.mark.parametrize(
    "question",
    [
        cloze("DNS caches {{c1::answers}} for speed.", "It caches answers for speed."),  # resolved
        true_false(
            "Muscle fibres grow simply because weight is lifted.",
            False,
            "Muscle fibres do not grow simply because weight is lifted.",
        ),  # negation
        cloze("A resolver caches {{c1::answers}}.", "A resolver caches answers; it is fast."),
    ],
)
def test_ungrammatical_or_cut_does_not_fire_on_faithful_text(question):
    assert "cut" not in classes(question)


def test_duplicate_fires_on_the_second_of_two_near_identical_questions():
    first = cloze("A {{c1::resolver}} looks up a name on behalf of a device.")
    second = cloze("A {{c1::resolver}} looks up names on behalf of devices.")
    found = defects(first, second)
    assert [d.cls for d in found[0]] == []
    assert [d.cls for d in found[1]] == ["duplicate"]
    assert grade(found[1]) == "DROP"


def test_duplicate_does_not_fire_on_different_questions_about_one_term():
    first = cloze("A {{c1::resolver}} looks up a name on behalf of a device.")
    second = cloze("Most home connections use the {{c1::internet provider}}'s resolver.")
    assert all(d.cls != "duplicate" for found in defects(first, second) for d in found)


def test_grades_edit_for_light_fixes_and_drop_for_wrong_questions():
    assert grade(defects(cloze("In fact, a {{c1::resolver}} caches answers."))[0]) == "EDIT"
    assert grade(defects(cloze("Why does a {{c1::resolver}} cache?"))[0]) == "DROP"
    assert grade(defects(cloze("A {{c1::resolver}} caches answers."))[0]) == "KEEP"
