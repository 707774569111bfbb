#!/bin/sh
# Jamf Pro policy script: collect what logscan reads from this Mac into a zip and keep it for
# upload (Files and Processes, a later "upload" step, or an admin fetching it over SSH/Jamf
# Remote). Runs as root. Nothing is sent anywhere by this script.
#
# Parameters (Jamf Pro script parameters 4-6):
#   $4  days of unified log to export (default 7)
#   $5  how many zips to keep in the folder (default 3; older ones are removed)
#   $6  folder to keep them in (default /Library/Application Support/logscan/collections)
LOGSCAN=/usr/local/bin/logscan
DAYS=${4:-7}
KEEP=${5:-3}
DIR=${6:-"/Library/Application Support/logscan/collections"}

if [ ! -x "$LOGSCAN" ]; then
  echo "logscan is not installed at $LOGSCAN" >&2
  exit 1
fi
mkdir -p "$DIR" && chmod 700 "$DIR"
host=$(scutil --get LocalHostName 2>/dev/null || hostname -s)
zip="$DIR/logscan-$host-$(date -u +%Y-%m-%dT%H-%M-%SZ).zip"
# Every user's logs: a policy may run at the login window, with nobody at the console.
"$LOGSCAN" collect --all-users --days "$DAYS" --output "$zip" || exit 1
chmod 600 "$zip"
# Diagnose at once too, so the policy log in Jamf Pro shows the causes.
"$LOGSCAN" scan --quiet "$zip"
# Keep the newest $KEEP collections.
ls -1t "$DIR"/logscan-*.zip 2>/dev/null | tail -n +"$((KEEP + 1))" | while IFS= read -r old; do rm -f "$old"; done
echo "kept $zip"
exit 0
