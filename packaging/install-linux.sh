#!/usr/bin/env bash
# Install a built bundle (dist/content-drift) for the current user: ~/.local/opt, menu entry, icons.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-dist/content-drift}
[ -x "$src/content-drift" ] || { echo "error: no bundle at $src (run packaging/build.sh)" >&2; exit 1; }
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
dest=${CONTENT_DRIFT_INSTALL_DIR:-$HOME/.local/opt/content-drift}
rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && cp -a "$src" "$dest"
mkdir -p "$prefix/applications" "$HOME/.local/bin"
sed "s|@BUNDLE@|$dest|" packaging/content-drift.desktop > "$prefix/applications/content-drift.desktop"
for s in 16 32 48 64 128 256 512; do
  d="$prefix/icons/hicolor/${s}x${s}/apps"; mkdir -p "$d"
  cp "packaging/icons/content-drift-$s.png" "$d/content-drift.png"
done
mkdir -p "$prefix/icons/hicolor/scalable/apps"
cp packaging/icons/content-drift.svg "$prefix/icons/hicolor/scalable/apps/content-drift.svg"
ln -sf "$dest/content-drift" "$HOME/.local/bin/content-drift"
command -v update-desktop-database >/dev/null && update-desktop-database "$prefix/applications" || true
echo "installed to $dest; menu entry: $prefix/applications/content-drift.desktop"
