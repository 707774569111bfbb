#!/usr/bin/env bash
# Wall time of `logscan collect --ea` on every sample, each laid out as a fake Mac under --root:
# jamf.log* in private/var/log (with the var link a Mac has), Company Portal logs, SSO extension
# logs and jamfAAD plists in the user's home, Intune agent logs in Library/Logs/Microsoft/Intune,
# and a Chicago zone link. (log show exports in the samples are left out: under --root the
# unified log is not read.) Prints one line per sample: seconds, the EA's result line.
#
# Usage: Benchmarks/ea-wall-time.sh [BINARY]   (default: the release binary if built, else debug)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  if [ -x .build-release/release/logscan ]; then bin=.build-release/release/logscan; else bin=.build/debug/logscan; fi
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "binary: $bin"
total=0
for sample in Samples/*/; do
  name=$(basename "$sample")
  root="$work/$name"
  home="$root/Users/user"
  mkdir -p "$root/private/var/log" "$root/private/etc" "$home/Library/Logs/Company Portal" \
    "$home/Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension" \
    "$home/Library/Preferences" "$root/Library/Logs/Microsoft/Intune"
  ln -s private/var "$root/var"
  ln -s private/etc "$root/etc"
  ln -s /var/db/timezone/zoneinfo/America/Chicago "$root/private/etc/localtime"
  while IFS= read -r -d '' f; do
    base=$(basename "$f")
    case "$f" in
      */jamf.log*) cp "$f" "$root/private/var/log/$base" ;;
      *"Company Portal"/*|*CompanyPortalMac*) cp "$f" "$home/Library/Logs/Company Portal/$base" ;;
      *SSOExtension*) cp "$f" "$home/Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension/$base" ;;
      *IntuneMDM*) cp "$f" "$root/Library/Logs/Microsoft/Intune/$base" ;;
      *com.jamf.management.jamfAAD.plist) cp "$f" "$home/Library/Preferences/$base" ;;
    esac
  done < <(find "$sample" -type f -print0)
  start=$(date +%s.%N)
  result=$("$bin" collect --ea --root "$root" </dev/null 2>/dev/null)
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  total=$(echo "$total + $secs" | bc)
  printf '%6.3f s  %-40s %s\n' "$secs" "$name" "$result"
done
printf 'total %.3f s\n' "$total"
