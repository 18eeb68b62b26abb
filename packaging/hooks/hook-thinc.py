"""Content Drift's thinc hook: no tests, no mypy plugin (replaces the broad contrib hook)."""
# $PyInstaller-Hook-Priority: 100

from PyInstaller.utils.hooks import collect_data_files, collect_submodules


def _wanted(name: str) -> bool:
    return ".tests" not in name and not name.startswith("thinc.mypy")


hiddenimports = collect_submodules("thinc", filter=_wanted)
datas = collect_data_files("thinc", excludes=["tests/**"])
