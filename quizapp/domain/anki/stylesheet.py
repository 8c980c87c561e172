"""The one stylesheet every quizapp note type shares.

Plain CSS, no JavaScript and no web fonts, so cards look the same on Anki desktop, AnkiDroid,
AnkiMobile and old clients. Colours are CSS variables set once for the day theme and once for night
mode: Anki desktop and AnkiMobile put ``nightMode`` on the card's ``<body>``, AnkiDroid uses
``night_mode``, so both are matched, on the card itself and on an ancestor. Text stays left-aligned
in a readable column; on a narrow phone screen the type and the padding shrink a little.
"""

from __future__ import annotations

CSS = """\
.card {
  --qa-fg: #1f2328;
  --qa-muted: #57606a;
  --qa-bg: #ffffff;
  --qa-panel: #f6f8fa;
  --qa-rule: #d0d7de;
  --qa-accent: #0550ae;
  --qa-ok: #116329;
  --qa-ok-bg: #dafbe1;
  --qa-no: #a40e26;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  font-size: 20px;
  line-height: 1.5;
  color: var(--qa-fg);
  background-color: var(--qa-bg);
  text-align: left;
  overflow-wrap: break-word;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --qa-fg: #e6edf3;
  --qa-muted: #9da7b3;
  --qa-bg: #1e1e1e;
  --qa-panel: #2a2d31;
  --qa-rule: #444c56;
  --qa-accent: #79c0ff;
  --qa-ok: #7ee787;
  --qa-ok-bg: #1b3a26;
  --qa-no: #ff9492;
}
.qa { max-width: 36em; margin: 0 auto; padding: 16px; }
.qa-kind {
  font-size: 0.7em; letter-spacing: 0.05em; text-transform: uppercase; color: var(--qa-muted);
  margin-bottom: 0.5em;
}
.qa-prompt { font-weight: 600; }
.qa-hint { font-size: 0.8em; color: var(--qa-muted); margin-top: 0.5em; }
.qa-answer { margin-top: 0.25em; }
.qa-verdict { font-size: 1.3em; font-weight: 700; }
.qa-verdict-True { color: var(--qa-ok); }
.qa-verdict-False { color: var(--qa-no); }
.qa ol, .qa ul { padding-left: 1.6em; margin: 0.6em 0; }
.qa li { margin: 0.3em 0; padding: 0.15em 0.3em; border-radius: 4px; }
.qa-choices, .qa-steps { list-style-type: upper-alpha; }
.qa-order { list-style-type: decimal; }
.qa-correct { background-color: var(--qa-ok-bg); color: var(--qa-ok); font-weight: 600; }
.qa-wrong { color: var(--qa-muted); }
.qa-letter { color: var(--qa-muted); font-size: 0.85em; }
.qa-explanation {
  margin-top: 1em; padding: 0.6em 0.8em; background-color: var(--qa-panel);
  border-radius: 6px;
}
.qa-source {
  margin: 1em 0 0; padding: 0 0 0 0.8em; border-left: 3px solid var(--qa-rule);
  color: var(--qa-muted); font-size: 0.85em; font-style: italic;
}
.qa-label {
  display: block; font-size: 0.75em; font-style: normal; font-weight: 600;
  color: var(--qa-muted);
}
hr#answer { border: 0; border-top: 1px solid var(--qa-rule); margin: 1em 0; }
.cloze { font-weight: 700; color: var(--qa-accent); }
@media (max-width: 480px) {
  .card { font-size: 18px; }
  .qa { padding: 8px; }
}
"""
