// Fuzz target "quote": quote_for_message, which puts a caller's value (a prefix, an entity, a
// setting) into an error message, cut so that a huge argument does not make a huge message.
//
// Input layout: byte 0 is the limit (0xFF: the default, 80); the rest is the value.
//
// Asserts: the result is the value in double quotes when it fits the limit; otherwise '"', the
// longest prefix of the value of at most `limit` bytes that does not end inside a UTF-8 sequence
// (the cut backs up over continuation bytes), and '..."'; so it is never longer than limit + 5
// bytes, and it is valid UTF-8 whenever the value is.
#include <cstdint>
#include <string>
#include <string_view>

#include "common.h"
#include "core/error.h"

using namespace idconv;
using fuzz::show;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Reader r(data, size);
    const std::uint8_t l = r.byte();
    const std::string_view value = r.rest();
    const std::size_t limit = l == 0xFF ? 80 : l;
    const std::string got = l == 0xFF ? quote_for_message(value.data(), value.size())
                                      : quote_for_message(value.data(), value.size(), limit);

    std::string want = "\"";
    if (value.size() <= limit) {
        want += value;
    } else {
        std::size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
        want += value.substr(0, cut);
        want += "...";
    }
    want += '"';
    FUZZ_CHECK(got == want, "quote_for_message(" + show(value) + ", " + std::to_string(limit) + ") = " + show(got) +
                                ", want " + show(want));
    FUZZ_CHECK(got.size() <= limit + 5, "quote_for_message(" + show(value) + ") is too long: " + show(got));
    if (fuzz::ref_valid_utf8(value)) {
        FUZZ_CHECK(fuzz::ref_valid_utf8(got), "quote_for_message(" + show(value) + ", " + std::to_string(limit) +
                                                  ") cut a UTF-8 character: " + show(got));
    }
    return 0;
}
