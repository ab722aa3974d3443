# Shared by scripts/build-deb and scripts/test-deb (sourced, not run, from the top of the tree
# with $me set to the script's name): result lines, apt, and a clean copy of the sources.
top=$(pwd)

. test/lib/report.sh

if [ "$(id -u)" -ne 0 ]; then
  echo "$me: run as root (it installs packages with apt-get)" >&2
  exit 2
fi

version=$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null ||
          sed -n '1s/^idconv (\([^)]*\)).*/\1/p' debian/changelog)
upstream=${version%-*}
arch=$(dpkg --print-architecture)

# apt, waiting for the dpkg lock when another process holds it. The sid and experimental release
# files on the mirror may be past their Valid-Until date.
apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
    -o Acquire::Check-Valid-Until=false "$@"
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# The candidate comes only from experimental (PostgreSQL 19 as of 2026): its dependencies then
# have to come from there too.
only_in_experimental() {
  local cand origins
  cand=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^  Candidate: //p')
  [ -n "$cand" ] && [ "$cand" != "(none)" ] || return 1
  # madison: "pkg | version | URL suite/component arch Packages", columns padded with blanks.
  origins=$(apt-cache madison "$1" | awk -F'|' -v v="$cand" '{ gsub(/^ +| +$/, "", $2) } $2 == v { print $3 }')
  [ -n "$origins" ] && ! grep -qv ' experimental/' <<<"$origins"
}
updated=no
install_missing() {  # install_missing PACKAGE...: apt-get install what is not installed yet
  local missing=() p
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$updated" = no ]; then apt_get update -qq || return 1; updated=yes; fi
  local plain=() exp=()
  for p in "${missing[@]}"; do
    if only_in_experimental "$p"; then exp+=("$p"); else plain+=("$p"); fi
  done
  echo "$me: installing ${missing[*]}"
  local log status=0
  log=$(mktemp)
  if [ "${#plain[@]}" -gt 0 ]; then
    apt_get install -y -q --no-install-recommends "${plain[@]}" >"$log" 2>&1 || status=$?
  fi
  if [ "$status" -eq 0 ] && [ "${#exp[@]}" -gt 0 ]; then
    apt_get install -y -q --no-install-recommends -t experimental "${exp[@]}" >>"$log" 2>&1 || status=$?
  fi
  if [ "$status" -ne 0 ]; then tail -n 30 "$log"; fi
  rm -f "$log"
  return "$status"
}

# A clean copy of the sources: what git tracks or would track (so a tree built with make, or
# with another major's objects, cannot leak objects into the package through VPATH), or, without
# git, the tree minus build products.
copy_clean_tree() {  # copy_clean_tree DIR
  mkdir -p "$1"
  if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$top" ls-files -z --cached --others --exclude-standard |
      tar -C "$top" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$1" -xf -
  else
    tar -C "$top" --exclude=./dist --exclude='./build' --exclude='./build-*' \
        --exclude=node_modules --exclude=results --exclude='*.o' --exclude='*.so' --exclude='*.d' \
        --exclude='*.bc' --exclude='*.log' --exclude='./debian/postgresql-*-idconv' \
        --exclude=./debian/.debhelper -cf - . |
      tar -C "$1" -xf -
  fi
}
