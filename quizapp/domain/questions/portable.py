"""The portable shape of a question: what other quiz formats can say about it.

GIFT, Moodle XML, IMS QTI and Anki's text files know a handful of question kinds. Each quizapp
question type says which kind it is and converts its fields to and from a :class:`Portable`
(``QuestionType.to_portable`` / ``from_portable``); the format writers and parsers in
:mod:`quizapp.domain.interop` speak only these kinds, never quizapp's type names, so a new question
type joins every format by mapping itself onto one kind.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Recall a back for a front; rated by the learner (Moodle short answer or essay, QTI essay).
RECALL = "recall"
#: Text with gaps written ``{{cN::answer::hint}}`` (Moodle cloze, GIFT missing word, QTI gaps).
GAPS = "gaps"
#: A statement that is true or false.
TRUE_FALSE = "true_false"
#: Choose one or several of ``options``; ``correct`` are the indices of the right ones.
CHOICE = "choice"
#: Put ``options`` (given in the right order) in order.
SEQUENCE = "sequence"

KINDS = (RECALL, GAPS, TRUE_FALSE, CHOICE, SEQUENCE)


@dataclass(frozen=True)
class Portable:
    """One question's own content in a format-neutral shape (plain text throughout).

    ``prompt`` is the front, the statement, the question or the gapped text; ``answer`` the back of
    a recall question; ``truth`` the verdict of a true/false statement; ``options`` the choices or
    the steps in their right order; ``correct`` the right choices; ``multiple`` asks for all that
    apply.
    """

    kind: str
    prompt: str
    answer: str = ""
    truth: bool = False
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    multiple: bool = False
