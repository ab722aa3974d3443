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
# with another major's objects, cannot leak objects into the package through VPATH), or, in a
# tree that is no git checkout (no .git: a release archive, perhaps unpacked inside another
# repository, whose files git would not list), the tree minus build products.
copy_clean_tree() {  # copy_clean_tree DIR
  mkdir -p "$1"
  if [ -e "$top/.git" ] && git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$top" ls-files -z --cached --others --exclude-standard |
      tar -C "$top" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$1" -xf -
  else
    # The built SQL scripts stay behind too (make builds them again from src/sql/).
    local built=() t
    for t in "$top"/src/sql/idconv--*--*.sql; do [ -e "$t" ] && built+=(--exclude="./${t##*/}"); done
    tar -C "$top" "${built[@]}" --exclude=./dist --exclude='./build' --exclude='./build-*' \
        --exclude=node_modules --exclude=results --exclude='*.o' --exclude='*.so' --exclude='*.d' \
        --exclude='*.bc' --exclude='*.log' --exclude='./debian/postgresql-*-idconv' \
        --exclude="./idconv--$(sed -n "s/^default_version = '\(.*\)'$/\1/p" "$top/idconv.control").sql" \
        --exclude=./debian/.debhelper -cf - . |
      tar -C "$1" -xf -
  fi
}

# pg_virtualenv puts its cluster on 5432 unless PGPORT says otherwise, and a throwaway cluster of
# another test (on the host, or in a chroot root: they share the loopback) may be there: pick a
# port that nothing listens on.
free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# buildext_results LOG WHAT MAJOR...: one "ok"/"FAILED" line per pg_regress test of each major's
# section ("### PostgreSQL NN installcheck ###") of a `pg_buildext installcheck` log, named
# "deb NN: pg_regress TEST (WHAT)", and the diffs of a failed one. Status 1 when a test failed or
# a major ran none.
buildext_results() {
  local log=$1 what=$2 v section results bad=0 result name
  shift 2
  for v in "$@"; do
    # pg_regress prints "test NAME ... ok" up to 15 and TAP ("ok 1 - NAME", "not ok …") from 16.
    section=$(awk -v v="$v" '/^### PostgreSQL [0-9]+ installcheck ###$/ { on = ($3 == v) } on' "$log")
    results=$(sed -nE -e 's/^test ([^ ]+) +\.\.\. ok .*/ok \1/p' \
                      -e 's/^test ([^ ]+) +\.\.\. (FAILED|failed).*/FAILED \1/p' \
                      -e 's/^ok +[0-9]+ +[-+] +([^ ]+) .*/ok \1/p' \
                      -e 's/^not ok +[0-9]+ +[-+] +([^ ]+) .*/FAILED \1/p' <<<"$section")
    if [ -z "$results" ]; then
      echo "$section" | tail -n 40
      fail "deb $v: pg_regress ($what): no test ran"
      bad=1
      continue
    fi
    while read -r result name; do
      if [ "$result" = ok ]; then pass "deb $v: pg_regress $name ($what)"; else fail "deb $v: pg_regress $name ($what)"; fi
    done <<<"$results"
    if grep -q '^FAILED' <<<"$results"; then
      bad=1
      sed -n '/^\*\*\*\* .*regression.diffs/,$p' <<<"$section" | head -n 80
    fi
  done
  return "$bad"
}
