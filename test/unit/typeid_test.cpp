#include "core/typeid.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"

namespace idconv {
namespace {

struct SpecCase {
    std::string verdict, name, typeid_text, prefix, uuid;
};

// typeid.tsv: every case of the TypeID spec 0.3.0 conformance files (make-typeid-cases.py).
std::vector<SpecCase> spec_cases() {
    std::ifstream in(std::string(IDCONV_VECTORS_DIR) + "/typeid.tsv");
    EXPECT_TRUE(in.good());
    std::vector<SpecCase> out;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        SpecCase c;
        std::getline(ss, c.verdict, '\t');
        std::getline(ss, c.name, '\t');
        std::getline(ss, c.typeid_text, '\t');
        std::getline(ss, c.prefix, '\t');
        std::getline(ss, c.uuid, '\t');
        out.push_back(c);
    }
    return out;
}

std::string encode(std::string_view prefix, const Uuid& u) {
    char out[kMaxTypeidLength];
    return std::string(out, format_typeid(prefix, u, out));
}

TEST(Typeid, EveryValidSpecCaseDecodesAndEncodes) {
    int n = 0;
    for (const SpecCase& c : spec_cases()) {
        if (c.verdict != "valid") continue;
        ++n;
        TypeidParts parts;
        ASSERT_EQ(parse_typeid(c.typeid_text, &parts), TypeidProblem::none) << c.name;
        EXPECT_EQ(std::string(parts.prefix), c.prefix) << c.name;
        EXPECT_EQ(format_uuid(parts.uuid), c.uuid) << c.name;
        EXPECT_EQ(encode(c.prefix, *parse_uuid_text(c.uuid)), c.typeid_text) << c.name;
        const std::string_view prefix = c.prefix;
        EXPECT_TRUE(is_typeid(c.typeid_text, nullptr)) << c.name;
        EXPECT_TRUE(is_typeid(c.typeid_text, &prefix)) << c.name;
    }
    EXPECT_EQ(n, 9);
}

TEST(Typeid, EveryInvalidSpecCaseIsRejected) {
    int n = 0;
    for (const SpecCase& c : spec_cases()) {
        if (c.verdict != "invalid") continue;
        ++n;
        TypeidParts parts;
        EXPECT_NE(parse_typeid(c.typeid_text, &parts), TypeidProblem::none) << c.name;
        EXPECT_FALSE(is_typeid(c.typeid_text, nullptr)) << c.name;
        // The expected-prefix path, with the prefix a split at the last '_' would read.
        const std::size_t sep = c.typeid_text.rfind('_');
        const std::string_view prefix =
            sep == std::string::npos ? std::string_view{} : std::string_view(c.typeid_text).substr(0, sep);
        EXPECT_FALSE(is_typeid(c.typeid_text, &prefix)) << c.name;
    }
    EXPECT_EQ(n, 19);
}

TEST(Typeid, ProblemsAreNamed) {
    TypeidParts p;
    EXPECT_EQ(parse_typeid(std::string(91, 'a'), &p), TypeidProblem::too_long);
    EXPECT_EQ(parse_typeid("_00000000000000000000000000", &p), TypeidProblem::empty_prefix);
    EXPECT_EQ(parse_typeid("Usr_00000000000000000000000000", &p), TypeidProblem::invalid_prefix);
    EXPECT_EQ(parse_typeid("usr_0000000000000000000000000", &p), TypeidProblem::suffix_length);
    EXPECT_EQ(parse_typeid("", &p), TypeidProblem::suffix_length);
    EXPECT_EQ(parse_typeid("usr_0000000000000000000000000u", &p), TypeidProblem::suffix_alphabet);
    EXPECT_EQ(parse_typeid("usr_80000000000000000000000000", &p), TypeidProblem::suffix_overflow);
    const std::string longest = std::string(63, 'a') + "_00000000000000000000000000";
    EXPECT_EQ(parse_typeid(longest, &p), TypeidProblem::none);
    EXPECT_EQ(std::string(p.prefix), std::string(63, 'a'));
}

TEST(Typeid, ExpectedPrefix) {
    const std::string id = "user_account_01h455vb4pex5vsknk084sn02q";
    const std::string_view ua = "user_account", u = "user", empty = "", account = "account";
    EXPECT_TRUE(is_typeid(id, &ua));
    EXPECT_FALSE(is_typeid(id, &u));
    EXPECT_FALSE(is_typeid(id, &account));
    EXPECT_FALSE(is_typeid(id, &empty));
    EXPECT_TRUE(is_typeid("01h455vb4pex5vsknk084sn02q", &empty));
    EXPECT_FALSE(is_typeid("01h455vb4pex5vsknk084sn02q", &u));
    // An invalid expected prefix matches nothing, even an id that starts with it.
    const std::string_view bad = "User";
    EXPECT_FALSE(is_typeid("User_01h455vb4pex5vsknk084sn02q", &bad));
}

TEST(Typeid, EveryAlphabetValueRoundTrips) {
    // Each character of the alphabet in every position of the suffix.
    const std::string alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    for (std::size_t pos = 0; pos < kTypeidSuffixLength; ++pos) {
        for (std::size_t v = 0; v < (pos == 0 ? 8u : 32u); ++v) {
            std::string s(kTypeidSuffixLength, '0');
            s[pos] = alphabet[v];
            TypeidParts parts;
            ASSERT_EQ(parse_typeid(s, &parts), TypeidProblem::none) << s;
            EXPECT_EQ(encode("", parts.uuid), s);
        }
    }
}

TEST(Typeid, BitsAreWhereTheSpecPutsThem) {
    // Bit k of the UUID (0 = most significant) is bit k + 2 of the 130-bit number.
    for (int k = 0; k < 128; ++k) {
        Uuid u{};
        u[k / 8] = static_cast<unsigned char>(0x80 >> (k % 8));
        const std::string s = encode("", u);
        const int bit = k + 2;
        for (int c = 0; c < 26; ++c) {
            const char want = c == bit / 5 ? "0123456789abcdefghjkmnpqrstvwxyz"[1 << (4 - bit % 5)] : '0';
            ASSERT_EQ(s[c], want) << "bit " << k << ": " << s;
        }
    }
}

TEST(Typeid, BadPrefixIsInvalidParameter) {
    for (const char* bad : {"User", "_usr", "usr_", "us-r", "1usr"}) {
        try {
            (void)encode(bad, Uuid{});
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::invalid_parameter_value);
            EXPECT_EQ(e.detail(), kTypeidPrefixRule);
            // Kept apart for the PostgreSQL glue to cut on a character of the database's encoding.
            EXPECT_TRUE(e.quotes());
            EXPECT_EQ(e.head(), "invalid TypeID prefix ");
            EXPECT_EQ(e.quoted(), bad);
        }
    }
    EXPECT_THROW((void)encode(std::string(64, 'a'), Uuid{}), Error);
    EXPECT_EQ(encode(std::string(63, 'a'), Uuid{}).size(), 90u);
}

bool zero_source(unsigned char* buf, std::size_t len) {
    for (std::size_t i = 0; i < len; ++i) buf[i] = 0;
    return true;
}

TEST(Typeid, GeneratedIdsAreUuidv7AndSortAsText) {
    Uuid7Generator gen(1);
    std::string last;
    std::set<std::string> seen;
    const std::uint64_t t0 = 1780000000000000000u;
    for (int i = 0; i < 10000; ++i) {
        char out[kMaxTypeidLength];
        // Time standing still for runs of 100: order from the generator, not the clock.
        const std::string id(out, generate_typeid(gen, "usr", t0 + static_cast<std::uint64_t>(i / 100) * 1000, out));
        TypeidParts parts;
        ASSERT_EQ(parse_typeid(id, &parts), TypeidProblem::none) << id;
        EXPECT_EQ(uuid_version(parts.uuid), std::optional<int>(7));
        EXPECT_GT(id, last);
        last = id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 10000u);
    // A bad prefix leaves the generator where it was.
    Uuid7Generator g2(1, zero_source);
    char out[kMaxTypeidLength];
    EXPECT_THROW(generate_typeid(g2, "Bad", t0, out), Error);
    EXPECT_EQ(g2.last_time(), 0u);
}

}  // namespace
}  // namespace idconv
