"""More myth and list shapes real pages use (issue 12, remaining gaps): numbered myth headings on
a myth page, "True or false?" questions a page answers itself, "people used to think", a myth
answered under the next heading, glossary lists in select-all items and matching items.

Every shape has a short article written for the test, and a near miss that must not fire.
"""

from __future__ import annotations

from quizapp.domain.articles import parse_article
from quizapp.domain.articles.boilerplate import is_boilerplate
from quizapp.domain.articles.sentences import joinable
from quizapp.domain.builder.generate import generate
from quizapp.domain.builder.misconceptions import myth_sentences, quiz_answer, quiz_claim
from quizapp.domain.questions.cloze import render


def deck(text: str, fmt: str = "md"):
    return generate(parse_article(text, fmt), "test")


def of_type(drafts, qtype):
    return [d for d in drafts if d.type == qtype]


def statements(drafts):
    """``{statement: (answer, explanation)}`` of the true/false items."""
    return {
        d.fields["statement"]: (d.fields["answer"], d.explanation)
        for d in of_type(drafts, "true_false")
    }


def cloze_texts(drafts):
    return [render(d.fields["text"], None) for d in of_type(drafts, "cloze")]


MYTH_PAGE = """# 5 Myths About Tooth Enamel, Busted

Tooth enamel is the hardest tissue in the human body, yet many ideas about it are wrong.

## 1. Enamel grows back after it wears away

Not at all. Enamel contains no living cells, so the body cannot rebuild it once it is lost.
Fluoride can harden the surface of weakened enamel, but it cannot replace enamel that is gone.

## 2. Brushing harder cleans teeth better

Hard brushing wears enamel and pushes gums back. A soft brush used gently for two minutes
removes plaque just as well.

## 3. Sugar-free fizzy drinks are safe for enamel

Many sugar-free drinks are acidic, and acid dissolves enamel whether or not sugar is present.
"""


def test_numbered_headings_on_a_myth_page_are_myths_with_the_truth_under_them():
    found = statements(deck(MYTH_PAGE))
    answer, truth = found["Enamel grows back after it wears away."]
    assert answer is False
    assert truth.startswith("Enamel contains no living cells")  # "Not at all." left out
    assert found["Brushing harder cleans teeth better."][0] is False
    assert found["Sugar-free fizzy drinks are safe for enamel."][1].startswith(
        "Many sugar-free drinks are acidic"
    )


def test_numbered_headings_elsewhere_are_not_myths():
    text = MYTH_PAGE.replace("5 Myths About Tooth Enamel, Busted", "Caring for Tooth Enamel")
    found = statements(deck(text))
    assert not {
        "Enamel grows back after it wears away.",
        "Brushing harder cleans teeth better.",
        "Sugar-free fizzy drinks are safe for enamel.",
    } & set(found)


def test_a_numbered_myth_heading_the_page_confirms_is_no_false_item():
    text = MYTH_PAGE.replace("Not at all. Enamel contains", "True. Enamel contains")
    assert "Enamel grows back after it wears away." not in statements(deck(text))


def test_a_myth_page_named_by_a_section_heading():
    text = """# Tooth Enamel

Enamel covers the crown of each tooth and protects the softer dentine beneath it.

## Common myths

### 1. Enamel grows back after it wears away

Enamel contains no living cells, so the body cannot rebuild it once it is lost.
"""
    assert statements(deck(text))["Enamel grows back after it wears away."][0] is False


QUIZ = """# Ocean Facts for Curious Minds

The ocean covers about 71 per cent of the surface of the Earth and holds most of its water.

## Quick quiz

True or false: The Pacific Ocean is the saltiest ocean.

False. The Atlantic is saltier on average, because more water evaporates from it and less
fresh water flows into it from rivers.

Sea water freezes at a lower temperature than fresh water. True or false?

True. Dissolved salt lowers the freezing point of sea water to about minus 2 °C.
"""


def test_true_or_false_questions_the_page_answers_itself():
    drafts = deck(QUIZ)
    found = statements(drafts)
    answer, truth = found["The Pacific Ocean is the saltiest ocean."]
    assert answer is False and truth.startswith("The Atlantic is saltier on average")
    answer, truth = found["Sea water freezes at a lower temperature than fresh water."]
    assert answer is True and truth.startswith("Dissolved salt lowers")
    # the claim itself is never blanked as a fact
    assert not any("saltiest" in c for c in cloze_texts(drafts))
    assert "True or false: The Pacific Ocean is the saltiest ocean." in myth_sentences(
        parse_article(QUIZ, "md")
    )


def test_a_true_or_false_heading_answered_under_it():
    text = """# Childhood Myths

Parents hear many claims about children and food.

## Sugar makes children hyperactive. True or false?

False. Controlled studies in which nobody knew who had eaten sugar found no difference in
behaviour.
"""
    answer, truth = statements(deck(text))["Sugar makes children hyperactive."]
    assert answer is False and truth.startswith("Controlled studies")


def test_quiz_claims_and_verdicts():
    assert (
        quiz_claim("True or false: Lightning never strikes twice.")
        == "Lightning never strikes twice"
    )
    assert quiz_claim("Fact or fiction? Bats are blind.") == "Bats are blind"
    assert quiz_claim("Glass is a slow liquid. True or false?") == "Glass is a slow liquid"
    assert quiz_claim("True or false questions are easy to write badly") is None
    assert quiz_answer("False. Glass is an amorphous solid.") == (
        False,
        "Glass is an amorphous solid.",
    )
    assert quiz_answer("Myth! Bats can see.") == (False, "Bats can see.")
    assert quiz_answer("True.") == (True, "")
    assert quiz_answer("Fact: bats can see.") is None  # a label for a truth, not a verdict
    assert quiz_answer("Falsehoods spread fast.") is None


def test_a_verdict_is_never_glued_to_the_next_sentence():
    assert not joinable("False.", "Controlled studies found no difference.")
    assert not joinable("Not at all.", "Remembering is a reconstruction.")


def test_beliefs_people_used_to_hold():
    for sentence, statement in (
        (
            "People used to think that ulcers were caused by stress.",
            "Ulcers were caused by stress.",
        ),
        (
            "Doctors once believed that ulcers were caused by stress.",
            "Ulcers were caused by stress.",
        ),
        ("It was once thought that ulcers were caused by stress.", "Ulcers were caused by stress."),
    ):
        text = f"""# Stomach Ulcers

{sentence} Most ulcers are caused by the bacterium Helicobacter pylori or by painkillers such as
aspirin. Antibiotics can cure an ulcer caused by the bacterium.
"""
        answer, truth = statements(deck(text))[statement]
        assert answer is False and truth.startswith("Most ulcers are caused")


def test_a_myth_answered_under_the_next_heading():
    text = """# Why Is the Sky Blue?

Ask a group of children why the sky is blue, and many will say it is because the sky reflects
the sea. It’s a reasonable guess.

## The real reason: scattering

Air molecules scatter short blue wavelengths of sunlight far more than long red ones, so blue
light reaches the eye from every part of the sky.
"""
    answer, truth = statements(deck(text))["The sky is blue because the sky reflects the sea."]
    assert answer is False and truth.startswith("Air molecules scatter")


def test_a_leading_phrase_left_over_is_not_a_myth_subject():
    text = """# Shingles

After a bout of chickenpox, usually in childhood, the virus does not leave the body. It lies
dormant in nerve cells for decades and can become active again as shingles.
"""
    assert not any(s.startswith("Usually") for s in statements(deck(text)))


def test_an_faq_heading_about_the_copyright_symbol_is_content():
    assert not is_boilerplate("Do I have to use the © symbol to get copyright?")
    assert is_boilerplate("© 2026 EarthWise Learning")


# --- lists --------------------------------------------------------------------------------------

VOLCANOES = """# Volcanoes

A volcano is an opening in the crust through which molten rock and gases escape.

## Types of volcano

- Shield volcano: a broad volcano with gentle slopes built by runny basaltic lava
- Stratovolcano: a steep cone of alternating lava and ash layers with explosive eruptions
- Cinder cone: a small steep hill of loose fragments piled around a single vent

## Hazards

The hazards of an eruption include:

- pyroclastic flows
- lahars
- ash fall
"""


def test_a_glossary_list_of_a_known_kind_is_a_select_all_item_against_a_sibling_list():
    mc = {d.fields["prompt"]: d for d in of_type(deck(VOLCANOES), "multiple_choice")}
    types = mc["Which of these are types of volcano?"]
    right = {types.fields["choices"][i] for i in types.fields["correct"]}
    assert right == {"Shield volcano", "Stratovolcano", "Cinder cone"}
    wrong = set(types.fields["choices"]) - right
    assert wrong and wrong <= {"Pyroclastic flows", "Lahars", "Ash fall"}
    hazards = mc["Which of these are hazards of an eruption?"]
    wrong = {
        c for i, c in enumerate(hazards.fields["choices"]) if i not in hazards.fields["correct"]
    }
    assert wrong <= {"Shield volcano", "Stratovolcano", "Cinder cone"}


def test_a_glossary_list_gives_one_matching_item_whose_wrong_choices_are_its_other_terms():
    matching = [d for d in of_type(deck(VOLCANOES), "multiple_choice") if not d.fields["multiple"]]
    assert len(matching) == 1
    item = matching[0].fields
    assert item["prompt"] == (
        "Which of these types of volcano matches the description “a broad "
        "volcano with gentle slopes built by runny basaltic lava”?"
    )
    assert sorted(item["choices"]) == ["Cinder cone", "Shield volcano", "Stratovolcano"]
    assert [item["choices"][i] for i in item["correct"]] == ["Shield volcano"]


def test_a_matching_item_reads_a_verb_description_as_its_predicate():
    text = """# DNS Records

A zone file stores the records of a domain. The records you meet most often are:

- A record: maps a name to an IPv4 address
- MX record: names the mail servers that accept email for the domain
- CNAME record: makes one name an alias of another name
"""
    matching = [d.fields for d in of_type(deck(text), "multiple_choice")]
    assert [m["prompt"] for m in matching] == ["Which of these maps a name to an IPv4 address?"]
    assert [matching[0]["choices"][i] for i in matching[0]["correct"]] == ["A record"]


def test_no_matching_item_when_a_description_names_a_term():
    text = """# Memory

The classic model describes three stores:

- Sensory memory: feeds short-term memory with raw impressions
- Short-term memory: holds a few items unless they pass to long-term memory
- Long-term memory: holds information for a lifetime
"""
    matching = [d.fields for d in of_type(deck(text), "multiple_choice")]
    # the first two descriptions name other terms; the third is asked
    assert [m["prompt"] for m in matching] == ["Which of these holds information for a lifetime?"]


# --- myth/fact cards, tables and definition lists in HTML ---------------------------------------

CARDS = """<html><head><title>Houseplant Myths</title></head><body><main><article>
<h1>Houseplant Myths</h1>
<p>Most houseplants that die indoors are overwatered rather than neglected, and much of the advice
passed between owners is wrong.</p>
<h2>Watering</h2>
<div class="card"><h4>MYTH</h4><p>Houseplants need watering on a fixed schedule.</p>
<h4>FACT</h4><p>A plant needs water when its compost has dried to the depth the plant prefers.</p>
</div>
<div class="card"><h4>MYTH</h4><p>A layer of gravel at the bottom of a pot improves drainage.</p>
<h4>FACT</h4><p>Gravel raises the level at which water collects, so roots sit near wet soil.</p>
</div>
<h2>Light</h2>
<table><tr><th>Myth</th><th>Fact</th></tr>
<tr><td>Plants in a north-facing window get no useful light.</td>
<td>Shade-tolerant plants grow well in the indirect light of a north-facing window.</td></tr>
</table>
<p>Plants use light for photosynthesis, and the light they receive falls steeply with distance from
a window.</p>
<h2>Feeding</h2>
<dl><dt>Myth: More fertiliser makes a plant grow faster.</dt>
<dd>Fact: Too much fertiliser leaves salts in the compost that can burn the roots.</dd></dl>
<p>Fertiliser supplies nitrogen, phosphorus and potassium to the plant.</p>
</article></main></body></html>"""


def test_myth_fact_cards_tables_and_definition_lists():
    drafts = deck(CARDS, "html")
    found = statements(drafts)
    assert found["Houseplants need watering on a fixed schedule."] == (
        False,
        "A plant needs water when its compost has dried to the depth the plant prefers.",
    )
    # the second card's headings repeat the first's: still a card, not a merged section
    assert found["A layer of gravel at the bottom of a pot improves drainage."][1].startswith(
        "Gravel raises the level"
    )
    assert found["Plants in a north-facing window get no useful light."][1].startswith(
        "Shade-tolerant plants grow well"
    )
    assert found["More fertiliser makes a plant grow faster."][1].startswith(
        "Too much fertiliser leaves salts"
    )
    # "Myth:" / "Fact:" items are no glossary: no "What does “myth” mean?" card
    assert not any("myth" in d.fields["front"].lower() for d in of_type(drafts, "basic"))
    # a truth keeps no "Fact:" label when it becomes a cloze
    assert not any(c.startswith("Fact") for c in cloze_texts(drafts))


def test_an_appositive_that_names_a_new_term_defines_nothing_before_it():
    text = """# Pots

Gravel raises the level at which water collects in the compost, a zone called the perched water
table, so the roots sit closer to wet soil. Compost holds water and air between its particles.
"""
    assert not any(d.fields["front"] == "What is compost?" for d in of_type(deck(text), "basic"))


def test_people_who_think_about_something_state_no_belief():
    text = """# Creatine

Most lifters think about sets, reps and protein, yet the fuel behind the first ten seconds of
effort matters just as much. Creatine phosphate refills ATP during short, hard efforts.
"""
    assert not statements(deck(text))
