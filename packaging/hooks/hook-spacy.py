"""Content Drift's spaCy hook: English only, no tests (replaces the broad contrib hook)."""
# $PyInstaller-Hook-Priority: 100

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

_SHARED_LANG = (
    "char_classes",
    "lex_attrs",
    "norm_exceptions",
    "punctuation",
    "tokenizer_exceptions",
    "en",
)


def _wanted(name: str) -> bool:
    if ".tests" in name:
        return False
    if name.startswith("spacy.lang."):
        return name.split(".")[2] in _SHARED_LANG
    return True


hiddenimports = collect_submodules("spacy", filter=_wanted)
datas = collect_data_files("spacy", excludes=["tests/**", "lang/**"])
datas += collect_data_files("spacy", includes=["lang/en/**"])
datas += copy_metadata("spacy")
