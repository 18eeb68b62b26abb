"""The glossary: every measure in a marketer's words, generated from the metric registry.

Label, unit, direction and the technical description come from the registry (one source);
this module adds, per measure, what it means for a reader, what moves it, and what it does
not prove. `content-drift glossary` prints it; the app's Help page and "?" buttons show it.
A test checks that every registered measure has an entry.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from desktop_app.core.metrics.registry import REGISTRY
from desktop_app.core.records import Direction

#: Said of every lexical-diversity measure, and on the glossary page itself.
DIVERSITY_CAVEAT = (
    "Higher diversity is not 'less AI': chat models often write with a MORE varied vocabulary "
    "than people do. Read it as a change in your own style, never as proof of AI use."
)
AI_CAVEAT = (
    "An estimate for your team's own trend, not a verdict on a writer: it can be wrong for "
    "one post, and some genres score high without any AI involved."
)

#: name -> (what it means, what moves it, what it does not prove)
PLAIN: dict[str, tuple[str, str, str]] = {
    "mtld": (
        "How long the text keeps introducing new words before it starts repeating itself.",
        "Varied word choice raises it; a narrow, repeated vocabulary lowers it.",
        DIVERSITY_CAVEAT,
    ),
    "mattr": (
        "The share of different words in every 50-word stretch, averaged over the text.",
        "Synonyms and concrete detail raise it; repeating the same few words lowers it.",
        DIVERSITY_CAVEAT,
    ),
    "hdd": (
        "How likely a random sample of 42 words is to contain new words.",
        "The same as MATTR: variety up, repetition down.",
        DIVERSITY_CAVEAT,
    ),
    "repeated_ngram_rate": (
        "How much of the post repeats its own 3-5-word phrases.",
        "Restating the same phrase ('our platform helps you...') raises it.",
        "Some repetition is deliberate (a product name, a key term); look at the highlighted "
        "phrases before rewriting.",
    ),
    "opening_repetition": (
        "How often sentences start the same way.",
        "Runs of 'We...', 'This...', 'In addition...' raise it.",
        "A list of parallel steps repeats openings on purpose.",
    ),
    "pos_template_rate": (
        "How often the post falls back on the same sentence shapes.",
        "Formulaic structures ('It is not just X, it is Y') raise it.",
        "Needs the full language model; unavailable with the fallback pipeline.",
    ),
    "recycled_phrasing": (
        "How much wording the post reuses from the team's 50 posts just before it.",
        "Copying boilerplate or earlier paragraphs raises it; the highlights link the post it "
        "came from.",
        "Recurring event names or legal text recur on purpose.",
    ),
    "ai_marker_density": (
        "Words that chat models over-use ('delve', 'tapestry', 'seamless'), per 1,000 words.",
        "Each such word raises it; names and code (the Delve debugger) are not counted.",
        "A person can use these words too; it is one signal among several.",
    ),
    "cliche_density": (
        "Stock phrases and clichés ('game-changer', 'in today's fast-paced world') per 1,000 "
        "words.",
        "Each stock phrase raises it.",
        "A quoted cliché counts as well; check the highlights.",
    ),
    "specificity": (
        "Concrete detail: numbers, names and proper nouns per 100 words.",
        "Figures, dates, product and people's names raise it; vague claims lower it.",
        "Name-dropping is not insight; a short announcement is naturally specific.",
    ),
    "sameness_knn": (
        "How closely the post resembles its 5 most similar posts among the team's last 50.",
        "Writing about the same topic in the same words raises it.",
        "A series on one topic is similar by design.",
    ),
    "sameness_centroid": (
        "How closely the post resembles the team's typical recent post.",
        "Staying on the usual topics and vocabulary raises it.",
        "Being on-brand is not the same as being generic.",
    ),
    "flesch_reading_ease": (
        "How easy the text is to read (0-100; 60-70 is plain English).",
        "Short sentences and short words raise it.",
        "Technical audiences can read harder text; easier is not always better.",
    ),
    "fk_grade": (
        "The US school grade needed to follow the text.",
        "Long sentences and long words raise it.",
        "Same caveat as reading ease: the right level depends on the audience.",
    ),
    "mean_sentence_length": (
        "The average number of words per sentence.",
        "Long, chained sentences raise it.",
        "Lists and headings count as sentences of their own.",
    ),
    "sentence_length_cv": (
        "How much sentence lengths vary ('burstiness'); people mix short and long sentences.",
        "Even, same-length sentences lower it.",
        "Flat rhythm is a hint of machine text, not proof.",
    ),
    "ai_style_probability": (
        "How much a post's style resembles AI-rewritten text (0-1); per quarter the app "
        "estimates the share of AI-styled posts against your own pre-AI posts.",
        "Phrasing typical of chat-model rewrites raises it.",
        AI_CAVEAT,
    ),
}

EXTRA: dict[str, tuple[str, str, str, str]] = {
    "freshness": (
        "Freshness index",
        "0-100, one number for how fresh a post reads against your baseline (50 = a typical "
        "baseline post).",
        "A weighted mean of the AI-styled prose (x3) and genericness (x1) percentiles, the "
        "two that separate human from AI text on held-out data.",
        "It does not use diversity, repetition or readability (shown beside it): they did not "
        "point the same way across genres.",
    ),
    "diversity": (
        "Lexical diversity (dimension)",
        "How varied the vocabulary is: the mean percentile of MTLD, MATTR and HD-D.",
        "Varied word choice raises it; a narrow, repeated vocabulary lowers it.",
        DIVERSITY_CAVEAT,
    ),
    "repetition": (
        "Repetitive phrasing (dimension)",
        "How much a post repeats itself and the team: repeated phrases, sentence openings, "
        "templates and recycled wording.",
        "Restated phrases, same-shaped sentences and reused paragraphs lower its percentile.",
        "Some repetition is deliberate (product names, legal text).",
    ),
    "genericness": (
        "Genericness (dimension)",
        "How generic a post reads: AI-marker words, stock phrases, lack of concrete detail and "
        "sameness to recent posts.",
        "Clichés and vague claims lower its percentile; figures and names raise it.",
        "A generic post is not necessarily AI-written.",
    ),
    "readability": (
        "Readability (dimension)",
        "How easy the text is to read and how much its rhythm varies.",
        "Short sentences and words raise it; long chained sentences lower it.",
        "The right level depends on the audience.",
    ),
    "percentile": (
        "Percentile",
        "Where a value sits in your baseline: 80 means fresher than 80% of your baseline posts.",
        "Each measure is oriented so that higher is fresher.",
        "A percentile is relative to your own history, not to other companies.",
    ),
}


@dataclass(frozen=True)
class Entry:
    """One glossary entry."""

    key: str
    label: str
    unit: str
    direction: str
    meaning: str
    moves_it: str
    does_not_prove: str
    technical: str


def _direction(direction: Direction) -> str:
    return "higher is fresher" if direction is Direction.HIGHER_BETTER else "lower is fresher"


def glossary() -> list[Entry]:
    """Every registered measure, then the freshness index and the percentile."""
    entries = []
    for name, spec in REGISTRY.items():
        meaning, moves, caveat = PLAIN[name]
        entries.append(Entry(name, spec.label, spec.unit, _direction(spec.direction),
                             meaning, moves, caveat, spec.description))  # fmt: skip
    for key, (label, meaning, moves, caveat) in EXTRA.items():
        unit = "percentile 0-100" if key != "freshness" else "0-100"
        entries.append(Entry(key, label, unit, "higher is fresher", meaning, moves, caveat, ""))
    return entries


def entry(key: str) -> Entry | None:
    """The entry for a measure name (or 'freshness', 'percentile')."""
    return next((e for e in glossary() if e.key == key), None)


def glossary_json() -> list[dict[str, Any]]:
    """For `glossary --json`."""
    return [asdict(e) for e in glossary()]


def glossary_text() -> str:
    """Plain text, one block per entry."""
    blocks = [f"{DIVERSITY_CAVEAT}\n{AI_CAVEAT}"]
    for e in glossary():
        unit = f" ({e.unit}; {e.direction})" if e.unit else f" ({e.direction})"
        blocks.append(
            f"{e.label}{unit}\n  What it means: {e.meaning}\n  What moves it: {e.moves_it}\n"
            f"  What it does not prove: {e.does_not_prove}"
        )
    return "\n\n".join(blocks)
