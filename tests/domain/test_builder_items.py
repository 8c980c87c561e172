"""Myths, definitions, lists and ordering in the shapes real pages use (issue 12, item 3).

Each rule is checked on short articles written in the shapes the issue quotes, and on the four
articles in tests/domain/items/ (a myth/fact page, an economics explainer, a biology HTML page
and a listicle).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.domain.articles import parse_article, read_article
from quizapp.domain.builder.generate import generate
from quizapp.domain.builder.misconceptions import myth_sentences, negate, question_statement
from quizapp.domain.questions.cloze import render

ITEMS = Path(__file__).resolve().parent / "items"


def deck(text: str, fmt: str = "md"):
    return generate(parse_article(text, fmt), "test")


def of_type(drafts, qtype):
    return [d for d in drafts if d.type == qtype]


def statements(drafts):
    return {d.fields["statement"]: d.explanation for d in of_type(drafts, "true_false")}


def cloze_texts(drafts):
    return [render(d.fields["text"], None) for d in of_type(drafts, "cloze")]


def fronts(drafts):
    return {d.fields["front"]: d.fields["back"] for d in of_type(drafts, "basic")}


@pytest.fixture(scope="module")
def items():
    out = {}
    for path in sorted(ITEMS.iterdir()):
        article, _ = read_article(path)
        out[path.stem] = generate(article, path.stem)
    return out


# --- myths ------------------------------------------------------------------------------------


def test_myth_headings_with_the_truth_under_them(items):
    found = statements(items["hydration-myths"])
    # "you" in a myth means people in general
    assert found["People need eight glasses of water a day."].startswith(
        "Fluid needs vary with body size"
    )  # "Fact:" dropped
    assert found["Coffee dehydrates people."].startswith("Moderate coffee intake adds")
    # a numbered blog heading "3. Myth #3: ..."
    assert "Sports drinks are better than water for every workout." in found
    assert all(d.fields["answer"] is False for d in of_type(items["hydration-myths"], "true_false"))


def test_a_myths_list_with_truths_after_a_dash_or_in_the_next_sentence(items):
    found = statements(items["hydration-myths"])
    assert found["Thirst means people are already dehydrated."].startswith(
        "Thirst starts when blood concentration rises"
    )
    assert found["Clear urine is the goal."] == "Pale yellow urine is a sign of good hydration."


def test_an_faq_is_it_true_answered_no(items):
    found = statements(items["hydration-myths"])
    assert found["People cannot drink too much water."].startswith(
        "Drinking far more water than the kidneys can excrete"
    )


@pytest.mark.parametrize(
    ("text", "statement", "truth"),
    [
        (
            "A common misunderstanding is that inflation affects everyone equally. Inflation hurts "
            "savers more than borrowers.",
            "Inflation affects everyone equally.",
            "Inflation hurts savers more than borrowers.",
        ),
        (
            "A common misconception is that blood in the veins is blue. Oxygen-poor blood is dark red.",
            "Blood in the veins is blue.",
            "Oxygen-poor blood is dark red.",
        ),
        (
            "Contrary to popular belief, moderate inflation is normal in a growing economy.",
            "Moderate inflation is not normal in a growing economy.",
            "Moderate inflation is normal in a growing economy.",
        ),
        (
            "Contrary to a widespread belief, it is the bacteria that become resistant, not the people "
            "who take the drugs.",
            "The people who take the drugs become resistant.",
            "It is the bacteria that become resistant, not the people who take the drugs.",
        ),
        (
            "There was a time when people thought the gold standard prevented inflation entirely. "
            "Prices still rose and fell sharply under the gold standard.",
            "The gold standard prevented inflation entirely.",
            "Prices still rose and fell sharply under the gold standard.",
        ),
        (
            "Many people believe that printing money permanently lowers unemployment, but in the long "
            "run it mainly raises prices.",
            "Printing money permanently lowers unemployment.",
            "In the long run printing money mainly raises prices.",
        ),
        (
            "It is a myth that a little inflation turns into hyperinflation. Hyperinflation is rare "
            "and follows a collapse in production.",
            "A little inflation turns into hyperinflation.",
            "Hyperinflation is rare and follows a collapse in production.",
        ),
        (
            "Many students believe that plants get most of their mass from the soil. In fact, most of "
            "a plant's dry mass comes from carbon dioxide.",
            "Plants get most of their mass from the soil.",  # "their" stays the plants'
            "Most of a plant's dry mass comes from carbon dioxide.",
        ),
        (
            "Maillard browning is often confused with caramelisation, but they are different "
            "processes. Caramelisation is the breakdown of sugar on its own.",
            "Maillard browning is the same as caramelisation.",
            "They are different processes.",
        ),
        (
            "Many people think that alcohol helps you sleep better. It disrupts deep sleep later in "
            "the night.",
            "Alcohol helps people sleep better.",
            "It disrupts deep sleep later in the night.",
        ),
    ],
)
def test_prose_myth_framings_anywhere(text, statement, truth):
    drafts = deck(f"# Money Matters\n\n## Background\n\n{text}\n")
    found = statements(drafts)
    assert statement in found, found
    assert found[statement].startswith(truth.split(" ", 3)[0])
    assert truth.rstrip(".") in found[statement] or found[statement].startswith(truth[:25])


def test_a_myth_sentence_is_never_a_cloze_or_a_true_statement():
    text = (
        "# Sleep\n\n## Sleep and the brain\n\nMany people believe that the brain shuts down "
        "during sleep. The brain stays busy sorting memories and clearing waste products "
        "overnight. A common myth is that alcohol improves deep sleep. Alcohol fragments "
        "the second half of the night.\n"
    )
    article = parse_article(text, "md")
    myths = myth_sentences(article)
    assert "Many people believe that the brain shuts down during sleep." in myths
    drafts = generate(article, "sleep")
    for cloze in cloze_texts(drafts):
        assert "shuts down" not in cloze and "improves deep sleep" not in cloze
    assert {s for s, _ in statements(drafts).items()} >= {
        "The brain shuts down during sleep.",
        "Alcohol improves deep sleep.",
    }


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        (
            "Is compound interest the same as a high return?",
            "compound interest is the same as a high return",
        ),
        (
            "Do I have to register a work to get copyright?",
            "I have to register a work to get copyright",
        ),
        (
            "If I give credit to the author, is my use automatically fair?",
            "If I give credit to the author, my use is automatically fair",
        ),
        (
            "Is it true that black holes suck in everything around them?",
            "black holes suck in everything around them",
        ),
        ("How do black holes form?", None),
    ],
)
def test_faq_questions_become_the_claim_they_ask_about(question, statement):
    assert question_statement(question) == statement


@pytest.mark.parametrize(
    ("clause", "negated"),
    [
        ("Moderate inflation is normal", "Moderate inflation is not normal"),
        ("Sugar causes hyperactivity", "Sugar does not cause hyperactivity"),
        ("Vaccines do not cause autism", "Vaccines cause autism"),
    ],
)
def test_negate(clause, negated):
    assert negate(clause) == negated


# --- definitions ------------------------------------------------------------------------------


def test_definitions_anywhere_in_the_forms_real_pages_use(items):
    found = fronts(items["inflation-explained"])
    assert found["What is inflation?"] == (
        "The general increase in prices across an economy over time."
    )
    assert found["What is the consumer price index (CPI)?"].startswith("A measure of")  # X (Y) is
    assert found["What is purchasing power?"].startswith("The amount of goods")  # refers to
    # "Deflation, also called negative inflation, is ..."
    assert found["What is deflation?"] == "A sustained fall in the general price level."
    assert found["What is stagflation?"].startswith("High inflation combined")  # means


def test_qa_what_is_headings_give_the_card_even_though_the_heading_has_the_same_words(items):
    found = fronts(items["hydration-myths"])
    assert found["What is hyponatremia?"] == "A low concentration of sodium in the blood."
    assert found["What are electrolytes?"].startswith("Minerals that carry an electric charge")
    assert fronts(items["hormone-signaling"])["What is a receptor?"].startswith("A protein")


@pytest.mark.parametrize(
    "sentence",
    [
        "The result is a faster recovery after every session.",
        "It is a protein that binds hormones.",
        "This is the most common deficiency in the world.",
        "Iron deficiency is the most common nutrient deficiency worldwide.",
        "Progressive overload is the foundation of muscle adaptation.",
        "Pale yellow urine is a sign of good hydration.",
        "What the body does after a long run on a hot day is a complex balancing act.",
    ],
)
def test_false_definitions_are_not_cards(sentence):
    drafts = deck(f"# Notes\n\n## Background\n\nSome context comes first here. {sentence}\n")
    assert not [f for f in fronts(drafts) if f.startswith(("What is", "What are"))], fronts(drafts)


# --- lists ------------------------------------------------------------------------------------


def test_lists_take_distractors_from_the_articles_lists_of_another_kind(items):
    mcs = {d.fields["prompt"]: d for d in of_type(items["iron-deficiency"], "multiple_choice")}
    symptoms = mcs["Which of these are symptoms of iron deficiency?"]
    causes = mcs["Which of these are causes of iron deficiency?"]
    functions = mcs["Which of these are functions of iron?"]
    for mc, right in (
        (symptoms, {"Fatigue", "Pale skin", "Shortness of breath", "Brittle nails", "Cold hands"}),
        (
            causes,
            {
                "Heavy menstrual bleeding",
                "A diet low in iron-rich foods",
                "Poor absorption in coeliac disease",
                "Blood loss from the gut",
            },
        ),
        (
            functions,
            {
                "Transporting oxygen in haemoglobin",
                "Storing oxygen in muscle myoglobin",
                "Producing energy in the mitochondria",
            },
        ),
    ):
        choices = mc.fields["choices"]
        assert {choices[i] for i in mc.fields["correct"]} == right
        wrong = set(choices) - right
        assert len(wrong) >= 2 and mc.fields["multiple"] is True
        assert not wrong & right
    # a symptom is never offered as "not a symptom": its distractors are causes and functions
    wrong = {
        c for i, c in enumerate(symptoms.fields["choices"]) if i not in symptoms.fields["correct"]
    }
    assert wrong <= {
        "Heavy menstrual bleeding",
        "A diet low in iron-rich foods",
        "Poor absorption in coeliac disease",
        "Blood loss from the gut",
        "Transporting oxygen in haemoglobin",
        "Storing oxygen in muscle myoglobin",
        "Producing energy in the mitochondria",
    }


def test_a_lone_list_without_safe_distractors_becomes_a_basic_card():
    drafts = deck(
        "# Scurvy\n\n## Overview\n\nScurvy is a disease caused by a lack of vitamin "
        "C in the diet.\n\n## Symptoms\n\nThe symptoms of scurvy include:\n\n"
        "- Bleeding gums\n- Slow wound healing\n- Joint pain\n"
    )
    assert not [d for d in of_type(drafts, "multiple_choice")]
    assert fronts(drafts)["What are the 3 symptoms of scurvy?"] == (
        "Bleeding gums; Slow wound healing; Joint pain."
    )


def test_term_description_items_become_basic_cards(items):
    found = fronts(items["inflation-explained"])
    assert found["What does “nominal wage” mean?"] == (
        "The wage in current money, not adjusted for prices."
    )
    assert found["What does “core inflation” mean?"] == "Inflation without food and energy prices."


# --- ordering ---------------------------------------------------------------------------------


def orderings(drafts):
    return [d.fields["steps"] for d in of_type(drafts, "ordering")]


def test_a_causal_chain_under_the_mechanism_heading_in_html(items):
    chains = orderings(items["hormone-signaling"])
    assert [
        "A hormone binds to a receptor on the cell surface",
        "The bound receptor activates a G protein inside the membrane",
        "The G protein switches on the enzyme adenylyl cyclase",
        "Adenylyl cyclase produces cyclic AMP from ATP",
        "Cyclic AMP activates protein kinase A",
        "Protein kinase A changes the activity of target proteins",
    ] in chains


def test_a_plain_five_sentence_chain_in_text():
    text = (
        "Thermoregulation\n\nThe Mechanism\nThe skin senses a rise in temperature. The "
        "signal from the skin reaches the hypothalamus. The hypothalamus activates the sweat "
        "glands. The sweat glands release sweat onto the skin. Evaporating sweat carries heat "
        "away from the body.\n"
    )
    chains = orderings(deck(text, "txt"))
    assert len(chains) == 1 and len(chains[0]) == 5
    assert chains[0][0] == "The skin senses a rise in temperature"


def test_a_numbered_list_of_short_step_names(items):
    assert ["Stimulus", "Signal transduction", "Protein translation"] in orderings(
        items["hormone-signaling"]
    )


def test_first_then_next_finally_without_the_markers(items):
    assert [
        "The central bank lowers interest rates",
        "Borrowing becomes cheaper for households and firms",
        "Spending rises faster than production",
        "Sellers raise their prices",
    ] in orderings(items["inflation-explained"])


def test_sentences_that_merely_follow_each_other_make_no_chain():
    text = (
        "# Muscle\n\n## The Mechanism\n\nProteins in muscle are degraded during long fasts. "
        "Muscle mass grows with resistance training. Muscle loss results from weeks of "
        "inactivity.\n"
    )
    assert orderings(deck(text)) == []
    # the same facts told as a sequence do chain
    text = (
        "# Muscle\n\n## The Mechanism\n\nTraining damages muscle fibres. The damaged fibres "
        "release growth signals. The growth signals activate satellite cells. Then the "
        "satellite cells fuse with the fibres.\n"
    )
    assert len(orderings(deck(text))) == 1


@pytest.mark.parametrize(
    ("sentence", "front", "back"),
    [
        (
            "Very rapid inflation is called hyperinflation.",
            "What is hyperinflation?",
            "Very rapid inflation.",
        ),
        (
            "Books printed in Europe before 1501 are called incunabula, from a Latin word.",
            "What are incunabula?",
            "Books printed in Europe before 1501.",
        ),
        (
            "Octopuses are cephalopods, a group of molluscs that also includes squid.",
            "What are cephalopods?",
            "A group of molluscs that also includes squid.",
        ),
        (
            "A merge conflict happens when two branches change the same lines of a file.",
            "What is a merge conflict?",
            "When two branches change the same lines of a file.",
        ),
        (
            "Precipitation is water falling from clouds as rain, snow, sleet or hail.",
            "What is precipitation?",
            "Water falling from clouds as rain, snow, sleet or hail.",
        ),
        (
            "Invitation to treat An invitation to treat is an invitation to others to make offers.",
            "What is an invitation to treat?",
            "An invitation to others to make offers.",
        ),
        (
            "Inertia: the tendency of an object to resist changes to its motion.",
            "What is inertia?",
            "The tendency of an object to resist changes to its motion.",
        ),
    ],
)
def test_more_definition_shapes(sentence, front, back):
    drafts = deck(f"# Notes\n\n## Background\n\nSome context comes first here. {sentence}\n")
    assert fronts(drafts).get(front) == back, fronts(drafts)


# --- the builder lints its own output -----------------------------------------------------------


def test_generated_questions_carry_no_serious_lint_warning(items):
    from quizapp.domain.questions.lint import lint_question

    fixtures = sorted((ITEMS.parents[1] / "fixtures" / "articles").glob("*.*"))
    decks = list(items.values()) + [generate(read_article(p)[0], p.stem) for p in fixtures]
    for drafts in decks:
        for d in drafts:
            assert not [
                w for w in lint_question("", d.type, d.fields, d.explanation) if w.serious
            ], d.fields


def test_a_blank_that_gives_itself_away_is_turned_back_into_text():
    path = ITEMS.parents[1] / "fixtures" / "articles" / "sleep-pressure.md"
    drafts = generate(read_article(path)[0], "sleep-pressure")
    [caffeine] = [d for d in of_type(drafts, "cloze") if "masks sleep pressure" in d.fields["text"]]
    # The blank shows "adenosine receptors", so a second blank on "adenosine" would give itself
    # away: it stays text.
    assert caffeine.fields["text"].endswith("it does not remove the adenosine.")
    assert "::adenosine receptors}}" in caffeine.fields["text"]


def test_a_list_named_by_its_introducing_sentence_becomes_a_basic_card():
    drafts = deck(
        "# Compound Interest\n\n## What reduces the effect of compounding?\n\n"
        "The main things that eat into compound growth include:\n\n"
        "- Fees charged by funds\n- Taxes on interest\n- Withdrawals\n"
    )
    assert fronts(drafts)["What are the 3 main things that eat into compound growth?"] == (
        "Fees charged by funds; Taxes on interest; Withdrawals."
    )
    # the heading's "effect of compounding" is not a list of effects
    assert not of_type(drafts, "multiple_choice")


@pytest.mark.parametrize(
    ("text", "statement", "truth"),
    [
        (
            "Ask a group of adults why summer is warmer than winter, and many will say it is because "
            "the Earth is closer to the Sun in summer. It’s a reasonable guess. It’s also wrong. The "
            "seasons come from the tilt of the Earth’s axis.",
            "Summer is warmer than winter because the Earth is closer to the Sun in summer.",
            "The seasons come from the tilt of the Earth’s axis.",
        ),
        (
            "Remember: clouds are not made of water vapour. Water vapour is an invisible gas; clouds "
            "are made of liquid droplets.",
            "Clouds are made of water vapour.",
            "Water vapour is an invisible gas; clouds are made of liquid droplets.",
        ),
    ],
)
def test_myths_told_as_a_guess_or_a_reminder(text, statement, truth):
    assert statements(deck(f"# Weather\n\n## Background\n\n{text}\n")).get(statement) == truth


def test_a_definition_section_opening_on_another_term_does_not_define_the_topic():
    drafts = deck(
        "# Copyright and Fair Use\n\n## Plain English\n\n"
        "A Creative Commons licence is a standard licence with which an owner lets the "
        "public use a work under stated conditions. Owners choose the conditions.\n"
    )
    cards = fronts(drafts)
    assert not any(
        "Creative Commons" in back for front, back in cards.items() if "copyright" in front.lower()
    )
    assert "What is a Creative Commons licence?" in cards, cards
