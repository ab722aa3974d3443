// A test-only module: entry points that throw on purpose through the same guarded() every idconv
// function uses, so pg_regress can check what reaches PostgreSQL (SQLSTATE, message, detail,
// hint) and that C++ destructors ran before the error was raised. Never installed by users.
#include "pg/guard.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "pg/compat.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

namespace {

int destructors_run = 0;

struct Tracker {
    ~Tracker() { ++destructors_run; }
};

void throw_kind(std::string_view kind) {
    Tracker tracker;  // must be destroyed before PostgreSQL raises the error
    std::string label(kind);
    if (kind == "bad_alloc") throw std::bad_alloc();
    if (kind == "huge_vector") {
        std::vector<char> v(std::size_t{1} << 60);  // 1 EiB: the allocator refuses
        // Handed to a volatile, the allocation is observable: without it g++ 15 elides the
        // unused vector, allocation and all, and nothing throws.
        char* volatile data = v.data();
        label += std::to_string(v.size() + (data == nullptr));
    }
    if (kind == "runtime") throw std::runtime_error("boom from C++");
    if (kind == "caller") {
        throw Error(ErrorKind::invalid_parameter_value, "bad value \"" + label + "\"", "Some detail.",
                    "Some hint.");
    }
    if (kind == "internal") throw Error(ErrorKind::internal, "internal trouble");
    if (kind == "int") throw 42;
    if (kind != "none") throw std::invalid_argument("unknown kind " + label);
}

}  // namespace

extern "C" {

IDCONV_MODULE_MAGIC("idconv_guard_test");

PG_FUNCTION_INFO_V1(guard_test_throw);
Datum guard_test_throw(PG_FUNCTION_ARGS) {
    const std::string_view kind = text_arg(fcinfo, 0);
    guarded([&] { throw_kind(kind); });
    PG_RETURN_TEXT_P(cstring_to_text("no error"));
}

PG_FUNCTION_INFO_V1(guard_test_destructors_run);
Datum guard_test_destructors_run(PG_FUNCTION_ARGS) {
    (void)fcinfo;
    PG_RETURN_INT32(destructors_run);
}

}  // extern "C"
