#!/bin/sh
# Add Terjman to your applications menu (no root needed), from the unpacked .tar.gz folder:
#     ./install-desktop-entry.sh            # install for the current user
#     ./install-desktop-entry.sh --remove   # take it out again
# It writes ~/.local/share/applications/terjman-desktop.desktop pointing at this folder's
# executable, and the icons into ~/.local/share/icons/hicolor. Move the folder? Run it again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/terjman-desktop.desktop"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry"
    for icon in "$data"/icons/hicolor/*/apps/terjman-desktop.png; do rm -f "$icon"; done
    echo "Removed $entry and the icons."
    exit 0
fi

for png in "$here"/share/icons/hicolor/*/apps/terjman-desktop.png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    mkdir -p "$data/icons/hicolor/$size/apps"
    cp "$png" "$data/icons/hicolor/$size/apps/terjman-desktop.png"
done
mkdir -p "$data/applications"
sed "s|^Exec=.*|Exec=\"$here/terjman-desktop\"|" "$here/share/applications/terjman-desktop.desktop" > "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
echo "Installed $entry"
