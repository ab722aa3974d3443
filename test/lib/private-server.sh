# A throwaway PostgreSQL server that loads this tree's build of idconv without installing it
# (sourced, not run; from the top of the tree). PostgreSQL finds its files relative to its own
# binary, so private_server_start makes a private copy of the installation in a temporary directory
# (the server programs copied, links to every other file), puts the module there as
# $libdir/idconv.so beside this tree's control and SQL files (and test/guard's module when it is
# built), and starts a server from the copy. The host's installation is only read: neither root nor
# `make install` is needed. As root the server runs as the postgres OS user, otherwise as the caller.
#
#   private_server_start MODULE [--tcp] [SERVER OPTION...]    (e.g. -c shared_preload_libraries=idconv)
#
# It listens on a Unix socket in the temporary directory; with --tcp on 127.0.0.1 too, at a free
# port, with a password for postgres, as pg_virtualenv's servers do (node clients and PgBouncer
# connect over TCP). It exports PGHOST, PGPORT, PGUSER (postgres) and, with --tcp, PGPASSWORD, and
# sets private_tmp (the temporary directory: server.log is the server's log), private_pg_config (a
# pg_config whose directories are the copy's: `make installcheck PG_CONFIG=$private_pg_config`)
# and private_pkglibdir (the copy's $libdir). It returns non-zero, with the logs printed, when the
# server does not start. Everything goes at exit (a trap on EXIT; private_server_stop does it
# earlier).

private_tmp=
if [ "$(id -u)" -eq 0 ]; then
  private_as_server() { runuser -u postgres -- "$@"; }
else
  private_as_server() { "$@"; }
fi

private_server_stop() {
  [ -n "$private_tmp" ] || return 0
  if [ -f "$private_tmp/data/postmaster.pid" ]; then
    private_as_server "$private_bindir/pg_ctl" -D "$private_tmp/data" -m immediate stop >/dev/null 2>&1
  fi
  rm -rf "$private_tmp"
  private_tmp=
}

private_server_start() {
  local module tcp=no
  module=$(realpath "$1"); shift
  if [ "${1:-}" = --tcp ]; then tcp=yes; shift; fi
  local pg_config=${PG_CONFIG:-pg_config}
  local bindir sharedir pkglibdir root
  bindir=$("$pg_config" --bindir)
  sharedir=$("$pg_config" --sharedir)
  pkglibdir=$("$pg_config" --pkglibdir)
  [ -f "$module" ] || { echo "private server: $module does not exist" >&2; return 1; }

  private_tmp=$(mktemp -d)
  trap private_server_stop EXIT
  chmod 755 "$private_tmp"
  root=$private_tmp/root
  # The copy mirrors the installation's absolute paths under $root, so that the paths PostgreSQL
  # derives from its binary's place (share, lib) lead into the copy.
  private_bindir=$root$bindir
  private_pkglibdir=$root$pkglibdir
  private_pg_config=$private_bindir/pg_config
  private_mirror "$root" "$bindir" && private_mirror "$root" "$pkglibdir" && private_mirror "$root" "$sharedir" &&
    rm -f "$root$sharedir/extension" && private_mirror "$root" "$sharedir/extension" ||
    { echo "private server: could not link the installation into $root" >&2; return 1; }
  # The server programs are copied, not linked: a link would lead PostgreSQL back to the real paths.
  local program
  for program in postgres initdb pg_ctl pg_config; do
    rm -f "$private_bindir/$program" && cp "$bindir/$program" "$private_bindir/$program" || return 1
  done
  rm -f "$root$sharedir"/extension/idconv* "$private_pkglibdir"/idconv*.so
  # idconv--VERSION.control: a release's own settings (0.1.0 was not trusted).
  cp "$module" "$private_pkglibdir/idconv.so" &&
    cp idconv.control idconv--*--*.sql "$root$sharedir/extension/" || return 1
  # The SQL scripts that make builds from src/sql/ (the install script, the current upgrade script),
  # built here again: a CMake build alone has not made them, and a tree's copies may be stale.
  local version template
  version=$(sed -n "s/^default_version = '\(.*\)'$/\1/p" idconv.control)
  python3 src/sql/build.py extension src/sql "$version" >"$root$sharedir/extension/idconv--$version.sql" || return 1
  for template in src/sql/idconv--*--*.sql; do
    [ -e "$template" ] || continue
    python3 src/sql/build.py upgrade src/sql "$template" >"$root$sharedir/extension/${template##*/}" || return 1
  done
  if compgen -G 'idconv--*.control' >/dev/null; then cp idconv--*.control "$root$sharedir/extension/" || return 1; fi
  if [ -f test/guard/idconv_guard_test.so ]; then
    cp test/guard/idconv_guard_test.so "$private_pkglibdir/" &&
      cp test/guard/*.control test/guard/*--*.sql "$root$sharedir/extension/" || return 1
  fi
  if [ "$("$private_pg_config" --pkglibdir)" != "$private_pkglibdir" ]; then
    echo "private server: the copied pg_config places \$libdir at $("$private_pg_config" --pkglibdir), not in the copy" >&2
    return 1
  fi

  local data=$private_tmp/data port=5432 listen=
  mkdir "$data" && chmod 700 "$data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$data" "$private_tmp"; fi
  if [ "$tcp" = yes ]; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    listen=127.0.0.1
  fi
  if ! private_as_server "$private_bindir/initdb" -D "$data" -A trust -U postgres --no-sync >"$private_tmp/initdb.log" 2>&1 ||
     ! private_as_server "$private_bindir/pg_ctl" -D "$data" -l "$private_tmp/server.log" -w -o \
         "-k $private_tmp -p $port -c listen_addresses=$listen -c fsync=off $*" start >/dev/null 2>&1; then
    cat "$private_tmp/initdb.log" "$private_tmp/server.log" 2>/dev/null
    echo "private server: did not start" >&2
    return 1
  fi
  export PGHOST=$private_tmp PGPORT=$port PGUSER=postgres
  unset PGDATABASE PGPASSWORD
  if [ "$tcp" = yes ]; then
    # trust lets every connection in; the password is for clients that insist on sending one
    # (PgBouncer's scram-sha-256 between the client and itself).
    PGPASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    psql -X -q -d postgres -c "ALTER ROLE postgres PASSWORD '$PGPASSWORD'" || return 1
    export PGHOST=127.0.0.1 PGPASSWORD
  fi
}

private_mirror() {  # private_mirror ROOT DIR: ROOT/DIR, a directory of links to DIR's entries
  mkdir -p "$1$2" || return 1
  local f
  for f in "$2"/*; do ln -s "$f" "$1$2/" || return 1; done
}
