# PGXS build: make && make install && make installcheck
# CMakeLists.txt builds the same sources (src/sources.txt), plus the unit tests and benchmarks.

EXTENSION = idconv
# The version, read from the control file: the install script's name, and what PostgreSQL 18+
# shows for the loaded module (pg_get_loaded_modules), so that neither can drift from it.
IDCONV_VERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(dir $(lastword $(MAKEFILE_LIST)))idconv.control)
MODULE_big = idconv
# The install script is built from src/sql/idconv.sql (src/sql/build.py); the upgrade scripts are
# written by hand. Earlier releases' install scripts are not shipped: test/upgrade/run takes them
# from git history.
DATA = idconv--0.1.0--0.2.0.sql idconv--0.2.0--0.3.0.sql idconv--0.1.0.control
DATA_built = idconv--$(IDCONV_VERSION).sql idconv--0.3.0--0.4.0.sql
PGFILEDESC = "idconv - ID conventions for PostgreSQL"

# The module's sources: src/sources.txt, which CMakeLists.txt reads too.
SOURCES := $(shell grep '^src/.*\.cpp$$' $(dir $(firstword $(MAKEFILE_LIST)))src/sources.txt)
OBJS = $(SOURCES:.cpp=.o)

REGRESS = cuid2 cuid2_state uuid7 typeid prefixed_id distribution rules subject subject_settings claims ownership takeover owner_cascade registry registry_cache classify audit_owner audit_foreign slug deferred deferred_keys trigger_calls audit_refs distribute_registry docs_patterns catalog trusted
REGRESS_OPTS = --load-extension=idconv
EXTRA_CLEAN = build-pgxs.log installcheck.log $(OBJS:.o=.d) $(EXTENSION)-*.zip

PG_CPPFLAGS = -I$(srcdir)/src -isystem $(shell $(PG_CONFIG) --includedir-server) -DIDCONV_VERSION='"$(IDCONV_VERSION)"'
# -MMD -MP: header dependencies in a .d file beside each object (Debian's PGXS tracks none, and its
# own autodepend would mix up src/core/x.cpp and src/pg/x.cpp).
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -MMD -MP
SHLIB_LINK = -lcrypto -lstdc++

# No LLVM bitcode for JIT inlining: it would need clang at build time, and these functions gain
# nothing from being inlined into JIT-compiled expressions.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(OBJS:.o=.d)

# Out-of-tree builds (make -f SRC/Makefile VPATH=SRC, as pg_buildext builds each major in
# build-NN/) find the sources through VPATH but must create the object folders themselves.
ifdef VPATH
$(shell mkdir -p $(sort $(dir $(OBJS))))
endif

# The PGXN release archive: exactly the files git tracks at HEAD, under idconv-VERSION/. Only from
# a git checkout: in a release archive unpacked inside another repository, git archive would pack
# that repository's HEAD.
EXTVERSION = $(shell sed -n "s/^default_version = '\\(.*\\)'$$/\\1/p" $(srcdir)/idconv.control)
DISTFILE = $(EXTENSION)-$(EXTVERSION).zip

.PHONY: dist
dist:
	@test -e $(srcdir)/.git || { echo "make dist: $(abspath $(srcdir)) is not a git checkout (a release archive?): nothing to archive" >&2; exit 1; }
	git -C $(srcdir) archive --format=zip --prefix=$(EXTENSION)-$(EXTVERSION)/ -o $(abspath $(DISTFILE)) HEAD

# The SQL of both editions, from one source (src/sql/idconv.sql says how it is written). The
# install script is built where make runs, which is build-NN/ in a VPATH build.
SQL_SOURCES = $(srcdir)/src/sql/idconv.sql $(srcdir)/src/sql/build.py $(srcdir)/idconv.control
idconv--$(IDCONV_VERSION).sql: $(SQL_SOURCES)
	python3 $(srcdir)/src/sql/build.py extension $(srcdir)/src/sql $(IDCONV_VERSION) >$@.tmp && mv $@.tmp $@

# The current upgrade script, from its template in src/sql/ (new functions' text comes from the
# source, written once there).
idconv--%.sql: $(srcdir)/src/sql/idconv--%.sql $(SQL_SOURCES)
	python3 $(srcdir)/src/sql/build.py upgrade $(srcdir)/src/sql $< >$@.tmp && mv $@.tmp $@

# The portable edition is committed (users download the one file), and so is its Trusted Language
# Extension form, portable/idconv-tle.sql: rebuild both after changing the source, and commit them;
# test/packaging/run fails while either differs from a fresh build.
.PHONY: portable
portable:
	python3 $(srcdir)/src/sql/build.py portable $(srcdir)/src/sql $(IDCONV_VERSION) >$(srcdir)/portable/idconv.sql.tmp && \
	  mv $(srcdir)/portable/idconv.sql.tmp $(srcdir)/portable/idconv.sql
	$(srcdir)/scripts/build-tle

# idconv as a Trusted Language Extension (pg_tle): portable/idconv-tle.sql, generated from
# portable/idconv.sql, and the database.dev package (the files `dbdev publish` reads) in
# dist/idconv/. scripts/build-tle says how a later version carries its update path.
.PHONY: tle
tle:
	$(srcdir)/scripts/build-tle --dist $(srcdir)/dist
