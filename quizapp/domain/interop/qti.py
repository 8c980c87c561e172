"""IMS QTI 2.1 content package: ``imsmanifest.xml``, one item file per question, one test per deck.

Layout of the zip (members in this order, dated 1980-01-01 so the same decks give the same bytes):

    imsmanifest.xml                      IMS Content Packaging 1.1 manifest listing every file
    items/I_<deck>__<question>.xml       one assessmentItem per question
    tests/T_<deck>.xml                   one assessmentTest per deck, referencing its items

Kinds: recall → ``extendedTextInteraction`` (scored by hand; the back is the correct response),
gaps → one ``textEntryInteraction`` per deletion (hint as placeholder text, scored by summing
mapped responses), true/false and choice → ``choiceInteraction``, sequence →
``orderInteraction``; the last three use the standard ``match_correct`` template.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from io import BytesIO

from quizapp.domain.deck import Deck, Question
from quizapp.domain.questions.cloze import DELETION
from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import InteropError, Skipped, check_decks, portable_questions

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MATCH_CORRECT = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]")


def item_identifier(deck_id: str, question_id: str) -> str:
    """An XML name unique in the package (a slug never holds ``_``, so ``__`` separates)."""
    return f"I_{deck_id}__{_NOT_NAME.sub('_', question_id)}"


def write_qti(decks: Sequence[Deck]) -> tuple[bytes, list[Skipped]]:
    """The decks as one QTI 2.1 content package (zip bytes) and what could not be written."""
    check_decks(decks)
    files: list[tuple[str, bytes]] = []
    resources: list[tuple[str, str, str, list[str]]] = []
    skipped: list[Skipped] = []
    for deck in decks:
        refs: list[str] = []
        for question, item in portable_questions(deck):
            ident = item_identifier(deck.id, question.id)
            try:
                body = _item(ident, question, item)
            except InteropError as exc:
                skipped.append(Skipped(f"{deck.id}/{question.id}", str(exc)))
                continue
            href = f"items/{ident}.xml"
            files.append((href, body))
            resources.append((ident, "imsqti_item_xmlv2p1", href, []))
            refs.append(ident)
        test_id = f"T_{deck.id}"
        href = f"tests/{test_id}.xml"
        files.append((href, _test(test_id, deck, refs)))
        resources.append((test_id, "imsqti_test_xmlv2p1", href, refs))
    manifest = _manifest(resources)
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in [("imsmanifest.xml", manifest), *files]:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue(), skipped


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + ET.tostring(root, encoding="utf-8", xml_declaration=False)
        + b"\n"
    )


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _sub(
    parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None
) -> ET.Element:
    node = ET.SubElement(parent, _q(tag), attrs or {})
    if text is not None:
        node.text = text
    return node


def _lines(parent: ET.Element, text: str) -> None:
    """Plain text into ``parent``, line breaks as ``<br/>`` (the XML writer escapes the rest)."""
    first, *rest = text.replace("\r\n", "\n").split("\n")
    _append_text(parent, first)
    for line in rest:
        br = _sub(parent, "br")
        br.tail = line


def _append_text(parent: ET.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _declare(
    item: ET.Element, ident: str, cardinality: str, base: str, values: Sequence[str]
) -> ET.Element:
    decl = _sub(
        item,
        "responseDeclaration",
        {"identifier": ident, "cardinality": cardinality, "baseType": base},
    )
    correct = _sub(decl, "correctResponse")
    for value in values:
        _sub(correct, "value", text=value)
    return decl


def _item(ident: str, question: Question, portable: Portable) -> bytes:
    ET.register_namespace("", QTI_NS)
    ET.register_namespace("xsi", XSI)
    item = ET.Element(
        _q("assessmentItem"),
        {
            f"{{{XSI}}}schemaLocation": f"{QTI_NS} {QTI_XSD}",
            "identifier": ident,
            "title": question.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    kind = portable.kind
    choices = ["True", "False"] if kind == TRUE_FALSE else list(portable.options)
    choice_ids = [f"C{n}" for n in range(1, len(choices) + 1)]
    gaps = list(DELETION.finditer(portable.prompt)) if kind == GAPS else []
    if kind == RECALL:
        _declare(item, "RESPONSE", "single", "string", [portable.answer])
    elif kind == TRUE_FALSE:
        _declare(item, "RESPONSE", "single", "identifier", ["C1" if portable.truth else "C2"])
    elif kind == CHOICE:
        cardinality = "multiple" if portable.multiple else "single"
        _declare(
            item, "RESPONSE", cardinality, "identifier", [choice_ids[i] for i in portable.correct]
        )
    elif kind == SEQUENCE:
        _declare(item, "RESPONSE", "ordered", "identifier", choice_ids)
    elif kind == GAPS:
        for n, gap in enumerate(gaps, 1):
            decl = _declare(item, f"RESPONSE{n}", "single", "string", [gap[2]])
            mapping = _sub(decl, "mapping", {"defaultValue": "0"})
            _sub(
                mapping,
                "mapEntry",
                {"mapKey": gap[2], "mappedValue": "1", "caseSensitive": "false"},
            )
    else:
        raise InteropError(f"no QTI form for portable kind {kind!r}")
    outcome = _sub(
        item,
        "outcomeDeclaration",
        {"identifier": "SCORE", "cardinality": "single", "baseType": "float"},
    )
    _sub(_sub(outcome, "defaultValue"), "value", text="0")

    body = _sub(item, "itemBody")
    if kind == GAPS:
        para, last = _sub(body, "p"), 0
        for n, gap in enumerate(gaps, 1):
            _lines(para, portable.prompt[last : gap.start()])
            attrs = {
                "responseIdentifier": f"RESPONSE{n}",
                "expectedLength": str(max(len(gap[2]), 5)),
            }
            if gap[3]:
                attrs["placeholderText"] = gap[3]
            _sub(para, "textEntryInteraction", attrs)
            last = gap.end()
        _lines(para, portable.prompt[last:])
    elif kind == RECALL:
        interaction = _sub(body, "extendedTextInteraction", {"responseIdentifier": "RESPONSE"})
        _lines(_sub(interaction, "prompt"), portable.prompt)
    else:
        if kind == SEQUENCE:
            interaction = _sub(
                body, "orderInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true"}
            )
        else:
            max_choices = "0" if kind == CHOICE and portable.multiple else "1"
            interaction = _sub(
                body,
                "choiceInteraction",
                {
                    "responseIdentifier": "RESPONSE",
                    "shuffle": "false" if kind == TRUE_FALSE else "true",
                    "maxChoices": max_choices,
                },
            )
        _lines(_sub(interaction, "prompt"), portable.prompt)
        for cid, text in zip(choice_ids, choices, strict=True):
            _lines(_sub(interaction, "simpleChoice", {"identifier": cid}), text)

    if kind == GAPS:
        processing = _sub(item, "responseProcessing")
        total = _sub(_sub(processing, "setOutcomeValue", {"identifier": "SCORE"}), "sum")
        for n in range(1, len(gaps) + 1):
            _sub(total, "mapResponse", {"identifier": f"RESPONSE{n}"})
    elif kind != RECALL:
        _sub(item, "responseProcessing", {"template": MATCH_CORRECT})
    return _xml(item)


def _test(ident: str, deck: Deck, refs: list[str]) -> bytes:
    ET.register_namespace("", QTI_NS)
    ET.register_namespace("xsi", XSI)
    test = ET.Element(
        _q("assessmentTest"),
        {
            f"{{{XSI}}}schemaLocation": f"{QTI_NS} {QTI_XSD}",
            "identifier": ident,
            "title": deck.title,
        },
    )
    part = _sub(
        test,
        "testPart",
        {"identifier": "P1", "navigationMode": "nonlinear", "submissionMode": "simultaneous"},
    )
    section = _sub(
        part, "assessmentSection", {"identifier": "S1", "title": deck.title, "visible": "true"}
    )
    for ref in refs:
        _sub(section, "assessmentItemRef", {"identifier": ref, "href": f"../items/{ref}.xml"})
    return _xml(test)


def _manifest(resources: list[tuple[str, str, str, list[str]]]) -> bytes:
    ET.register_namespace("", CP_NS)
    ET.register_namespace("xsi", XSI)

    def c(tag: str) -> str:
        return f"{{{CP_NS}}}{tag}"

    root = ET.Element(
        c("manifest"),
        {
            f"{{{XSI}}}schemaLocation": f"{CP_NS} {CP_XSD}",
            "identifier": "MANIFEST-quizapp",
        },
    )
    meta = ET.SubElement(root, c("metadata"))
    ET.SubElement(meta, c("schema")).text = "QTIv2.1 Package"
    ET.SubElement(meta, c("schemaversion")).text = "1.0.0"
    ET.SubElement(root, c("organizations"))
    listing = ET.SubElement(root, c("resources"))
    for ident, kind, href, deps in resources:
        res = ET.SubElement(
            listing, c("resource"), {"identifier": ident, "type": kind, "href": href}
        )
        ET.SubElement(res, c("file"), {"href": href})
        for dep in deps:
            ET.SubElement(res, c("dependency"), {"identifierref": dep})
    return _xml(root)
