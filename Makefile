# PGXS build: make && make install && make installcheck
# CMakeLists.txt builds the same sources (src/sources.txt), plus the unit tests and benchmarks.

EXTENSION = idconv
MODULE_big = idconv
DATA = idconv--0.1.0.sql idconv--0.2.0.sql idconv--0.3.0.sql idconv--0.4.0.sql idconv--0.1.0--0.2.0.sql idconv--0.2.0--0.3.0.sql idconv--0.3.0--0.4.0.sql idconv--0.1.0.control
PGFILEDESC = "idconv - ID conventions for PostgreSQL"

# The module's sources: src/sources.txt, which CMakeLists.txt reads too.
SOURCES := $(shell grep '^src/.*\.cpp$$' $(dir $(firstword $(MAKEFILE_LIST)))src/sources.txt)
OBJS = $(SOURCES:.cpp=.o)

REGRESS = cuid2 cuid2_state uuid7 typeid prefixed_id distribution rules subject subject_settings claims ownership takeover registry registry_cache classify audit_owner slug deferred deferred_keys trigger_calls audit_refs distribute_registry catalog trusted
REGRESS_OPTS = --load-extension=idconv
EXTRA_CLEAN = build-pgxs.log installcheck.log $(OBJS:.o=.d) $(EXTENSION)-*.zip

# The version PostgreSQL 18+ shows for the loaded module (pg_get_loaded_modules), read from the
# control file so that it cannot drift from the installed extension's.
IDCONV_VERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(dir $(lastword $(MAKEFILE_LIST)))idconv.control)
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

# The PGXN release archive: exactly the files git tracks at HEAD, under idconv-VERSION/.
EXTVERSION = $(shell sed -n "s/^default_version = '\\(.*\\)'$$/\\1/p" $(srcdir)/idconv.control)
DISTFILE = $(EXTENSION)-$(EXTVERSION).zip

.PHONY: dist
dist:
	git -C $(srcdir) archive --format=zip --prefix=$(EXTENSION)-$(EXTVERSION)/ -o $(abspath $(DISTFILE)) HEAD
