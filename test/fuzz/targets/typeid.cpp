// Fuzz target "typeid": parse_typeid, is_typeid (with and without an expected prefix),
// encode_typeid_suffix and format_typeid, behind SQL's is_typeid, typeid_to_uuid, typeid_prefix,
// uuid_to_typeid and id_kind's "typeid".
//
// Input: the bytes are an id. When they contain a NUL byte, the part before it is also checked as
// an id and the part after it is a claimed prefix. The first 16 bytes, when there are 16, are
// also a UUID to encode.
//
// Asserts:
//   - parse_typeid accepts exactly the spec 0.3.0 grammar as written here from the spec's text:
//     split at the last '_', a non-empty valid prefix before it (or no '_' at all), 26 chars of
//     0123456789abcdefghjkmnpqrstvwxyz after, the first at most '7';
//   - an accepted id decodes to the 128 bits the reference reads (the 130-bit number built five
//     bits at a time), its prefix is a view of the id, and encoding the two gives the id back;
//   - is_typeid(id, nullptr) is that answer; is_typeid(id, &p) adds prefix equality;
//   - any 16 bytes encode to the reference's 26 chars, which decode to the same bytes;
//   - format_typeid throws exactly when the prefix is neither empty nor valid, an idconv::Error of
//     kind invalid_parameter_value.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common.h"
#include "core/error.h"
#include "core/typeid.h"

using namespace idconv;
using fuzz::show;

namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

int ref_value(char c) {
    const char* p = std::strchr(kAlphabet, c);
    return c != '\0' && p != nullptr ? static_cast<int>(p - kAlphabet) : -1;
}

struct RefTypeid {
    bool ok = false;
    std::string prefix;
    Uuid uuid{};
};

RefTypeid ref_parse(std::string_view id) {
    RefTypeid r;
    std::string_view suffix = id;
    const std::size_t sep = id.rfind('_');
    if (sep != std::string_view::npos) {
        const std::string_view prefix = id.substr(0, sep);
        if (!fuzz::ref_valid_prefix(prefix)) return r;
        r.prefix = std::string(prefix);
        suffix = id.substr(sep + 1);
    }
    if (suffix.size() != 26 || suffix[0] > '7') return r;
    // 130 bits, most significant first: bit k of the number is bit (k - 2) of the UUID.
    int bits[130];
    for (int i = 0; i < 26; ++i) {
        const int v = ref_value(suffix[i]);
        if (v < 0) return r;
        for (int b = 0; b < 5; ++b) bits[5 * i + b] = (v >> (4 - b)) & 1;
    }
    if (bits[0] != 0 || bits[1] != 0) return r;
    for (int k = 0; k < 128; ++k) {
        if (bits[k + 2]) r.uuid[k / 8] = static_cast<unsigned char>(r.uuid[k / 8] | (0x80 >> (k % 8)));
    }
    r.ok = true;
    return r;
}

std::string ref_encode(const Uuid& u) {
    int bits[130] = {0, 0};
    for (int k = 0; k < 128; ++k) bits[k + 2] = (u[k / 8] >> (7 - k % 8)) & 1;
    std::string s;
    for (int i = 0; i < 26; ++i) {
        int v = 0;
        for (int b = 0; b < 5; ++b) v = v << 1 | bits[5 * i + b];
        s += kAlphabet[v];
    }
    return s;
}

std::string encoded(std::string_view prefix, const Uuid& u) {
    auto out = fuzz::exact_buffer(kMaxTypeidLength);
    const std::size_t n = format_typeid(prefix, u, out.get());
    FUZZ_CHECK(n <= kMaxTypeidLength, "format_typeid wrote " + std::to_string(n) + " chars");
    return std::string(out.get(), n);
}

void check_id(std::string_view id, std::string_view claimed, bool have_claim) {
    const RefTypeid want = ref_parse(id);
    TypeidParts parts;
    parts.prefix = "untouched";
    const TypeidProblem problem = parse_typeid(id, &parts);
    FUZZ_CHECK((problem == TypeidProblem::none) == want.ok,
               "parse_typeid(" + show(id) + ") " + (want.ok ? "rejected" : "accepted") + " it");
    FUZZ_CHECK(is_typeid(id, nullptr) == want.ok, "is_typeid(" + show(id) + ", NULL) disagrees");
    if (want.ok) {
        FUZZ_CHECK(parts.prefix == want.prefix, "prefix of " + show(id) + " = " + show(parts.prefix));
        FUZZ_CHECK(parts.prefix.empty() || parts.prefix.data() == id.data(), "prefix is not a view of the id");
        FUZZ_CHECK(parts.uuid == want.uuid, "parse_typeid(" + show(id) + ") read the wrong bits");
        FUZZ_CHECK(encoded(parts.prefix, parts.uuid) == id, "encode(decode(" + show(id) + ")) differs");
    } else {
        FUZZ_CHECK(parts.prefix == "untouched", "parse_typeid set the parts of a rejected " + show(id));
    }
    if (have_claim) {
        const bool expect = want.ok && want.prefix == claimed;
        FUZZ_CHECK(is_typeid(id, &claimed) == expect,
                   "is_typeid(" + show(id) + ", " + show(claimed) + ") should be " + std::to_string(expect));
    }
}

void check_encode(std::string_view prefix, const Uuid& u) {
    const bool valid = prefix.empty() || fuzz::ref_valid_prefix(prefix);
    std::string id;
    try {
        id = encoded(prefix, u);
        FUZZ_CHECK(valid, "format_typeid accepted prefix " + show(prefix));
    } catch (const Error& e) {
        FUZZ_CHECK(!valid, "format_typeid refused prefix " + show(prefix));
        FUZZ_CHECK(e.kind() == ErrorKind::invalid_parameter_value, std::string("wrong error kind"));
        return;
    }
    const std::string want = (prefix.empty() ? std::string() : std::string(prefix) + "_") + ref_encode(u);
    FUZZ_CHECK(id == want, "format_typeid(" + show(prefix) + ") = " + show(id) + ", want " + show(want));
    TypeidParts parts;
    FUZZ_CHECK(parse_typeid(id, &parts) == TypeidProblem::none && parts.uuid == u && parts.prefix == prefix,
               "decode(encode(x)) != x for " + show(id));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = text.find('\0');
    const bool have_claim = nul != std::string_view::npos;
    const std::string_view claimed = have_claim ? text.substr(nul + 1) : std::string_view{};
    check_id(text, claimed, have_claim);
    if (have_claim) check_id(text.substr(0, nul), claimed, true);
    if (size >= 16) {
        Uuid u;
        std::memcpy(u.data(), data, 16);
        check_encode("", u);
        check_encode(claimed, u);
    }
    return 0;
}
