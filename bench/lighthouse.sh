#!/usr/bin/env bash
# Lighthouse scores of the default theme (a benchmark, not a test).
#
#   bash bench/lighthouse.sh [PAGE...]
#
# Builds the sample site with a fixed build time into a temporary folder and runs
# ../shared/checks/check_lighthouse.sh (Lighthouse, mobile preset with simulated
# throttling, Debian's Chromium) on the home page and an article with photos and a
# table, or on the PAGEs given (paths relative to the site root). Prints the four
# scores of each page and exits non-zero when one of them is below LH_MIN (95).
# Needs ../shared/checks/setup.sh to have run. LH_PRESET=desktop for the desktop preset.
set -uo pipefail
cd "$(dirname "$0")/.."
CHECKS=${CHECKS:-../shared/checks}
PYTHON=${PYTHON:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || command -v python3 )}
MIN=${LH_MIN:-95}
[[ -x $CHECKS/check_lighthouse.sh ]] || { echo "lighthouse: $CHECKS/check_lighthouse.sh not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795737600} "$PYTHON" build.py --output "$work/public" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 2; }

pages=("$@")
if ((${#pages[@]} == 0)); then
  pages=(index.html tin-tuc-su-kien/2024/soi-noi-ngay-hoi-van-hoa-cac-dan-toc-tinh-mau-son-lan-thu-iii/)
fi

status=0
for page in "${pages[@]}"; do
  LH_MIN_PERFORMANCE=$MIN LH_MIN_ACCESSIBILITY=$MIN LH_MIN_BEST_PRACTICES=$MIN LH_MIN_SEO=$MIN \
    "$CHECKS/check_lighthouse.sh" "$work/public" "$page" >"$work/lh.log" 2>&1
  rc=$?
  if ((rc != 0)); then
    status=1
    grep -v '^lighthouse:' "$work/lh.log"
  fi
  tail -n 1 "$work/lh.log"
done
exit $status
