#include "core/prefix.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include <string>

#include "core/error.h"

namespace idconv {
namespace {

using namespace std::string_literals;

TEST(Prefix, Grammar) {
    EXPECT_TRUE(is_valid_prefix("a"));
    EXPECT_TRUE(is_valid_prefix("usr"));
    EXPECT_TRUE(is_valid_prefix("user_account"));
    EXPECT_TRUE(is_valid_prefix("a__b")) << "TypeID allows inner underscores, doubled too";
    EXPECT_TRUE(is_valid_prefix(std::string(63, 'a')));

    EXPECT_FALSE(is_valid_prefix(""));
    EXPECT_FALSE(is_valid_prefix(std::string(64, 'a')));
    EXPECT_FALSE(is_valid_prefix("_usr"));
    EXPECT_FALSE(is_valid_prefix("usr_"));
    EXPECT_FALSE(is_valid_prefix("_"));
    EXPECT_FALSE(is_valid_prefix("__"));
    EXPECT_FALSE(is_valid_prefix("USR"));
    EXPECT_FALSE(is_valid_prefix("uSr"));
    EXPECT_FALSE(is_valid_prefix("usr1"));
    EXPECT_FALSE(is_valid_prefix("u2r"));
    EXPECT_FALSE(is_valid_prefix("1usr"));
    EXPECT_FALSE(is_valid_prefix("us-r"));
    EXPECT_FALSE(is_valid_prefix("us r"));
    EXPECT_FALSE(is_valid_prefix("usé"));            // non-ASCII (UTF-8 bytes)
    EXPECT_FALSE(is_valid_prefix("us\xff"));          // not UTF-8 at all
    EXPECT_FALSE(is_valid_prefix("us\nr"));           // control character
    EXPECT_FALSE(is_valid_prefix("us\0r"s));          // NUL inside
}

TEST(Prefix, Cuid2Shape) {
    EXPECT_TRUE(is_cuid2("ab", 2, 32));
    EXPECT_TRUE(is_cuid2("a0", 2, 32));
    EXPECT_TRUE(is_cuid2("z" + std::string(31, '9'), 2, 32));
    EXPECT_FALSE(is_cuid2("a", 1, 32)) << "the pattern itself needs two characters";
    EXPECT_FALSE(is_cuid2("", 0, 32));
    EXPECT_FALSE(is_cuid2("0abc", 2, 32));
    EXPECT_FALSE(is_cuid2("Abc", 2, 32));
    EXPECT_FALSE(is_cuid2("abC", 2, 32));
    EXPECT_FALSE(is_cuid2("ab-c", 2, 32));
    EXPECT_FALSE(is_cuid2("ab_c", 2, 32));
    EXPECT_FALSE(is_cuid2("abcé", 2, 32));
    EXPECT_FALSE(is_cuid2(std::string(33, 'a'), 2, 32));
    EXPECT_TRUE(is_cuid2(std::string(33, 'a'), 2, 40)) << "bounds are the caller's";
    EXPECT_FALSE(is_cuid2("abcd", 5, 32));
    EXPECT_FALSE(is_cuid2("abcd", 2, 3));
    EXPECT_TRUE(is_cuid2("abcd", 4, 4));
    EXPECT_FALSE(is_cuid2("abcd", 5, 3)) << "an empty range matches nothing";
}

TEST(Prefix, SplitAtTheLastUnderscore) {
    PrefixedIdParts p;
    ASSERT_TRUE(split_prefixed_id("usr_ght4k2jxm7pqbv01", &p));
    EXPECT_EQ(p.prefix, "usr");
    EXPECT_EQ(p.body, "ght4k2jxm7pqbv01");
    ASSERT_TRUE(split_prefixed_id("user_account_ght4k2jxm7pqbv01", &p));
    EXPECT_EQ(p.prefix, "user_account");
    EXPECT_EQ(p.body, "ght4k2jxm7pqbv01");

    for (const char* bad : {"", "_", "usr", "usr_", "_ght4k2jxm7pqbv01", "u-dev-001", "u000", "USR_ght4k2jxm7pqbv01",
                            "usr__ght4k2jxm7pqbv01", "usr_Ght4k2jxm7pqbv01", "usr_1ht4k2jxm7pqbv01",
                            "usr_g", "1sr_ght4k2jxm7pqbv01"}) {
        EXPECT_FALSE(split_prefixed_id(bad, &p)) << bad;
    }
}

TEST(Prefix, IsPrefixedId) {
    const std::string_view usr = "usr";
    const std::string_view org = "org";
    const std::string_view bad = "USR";
    EXPECT_TRUE(is_prefixed_id("usr_ght4k2jxm7pqbv01", &usr, 16));
    EXPECT_TRUE(is_prefixed_id("usr_ght4k2jxm7pqbv01", nullptr, 16));
    EXPECT_FALSE(is_prefixed_id("usr_ght4k2jxm7pqbv01", &org, 16));
    EXPECT_FALSE(is_prefixed_id("usr_ght4k2jxm7pqbv01", &bad, 16));
    EXPECT_FALSE(is_prefixed_id("usr_ght4k2jxm7pqbv0", &usr, 16)) << "15-char body";
    EXPECT_FALSE(is_prefixed_id("usr_ght4k2jxm7pqbv012", &usr, 16)) << "17-char body";
    EXPECT_TRUE(is_prefixed_id("usr_ght4k2jxm7pqbv012", &usr, 17));
    EXPECT_FALSE(is_prefixed_id("usr_ght4k2jxm7pqbv01", &usr, -1));
    EXPECT_FALSE(is_prefixed_id("u-dev-001", &usr, 16));
    EXPECT_FALSE(is_prefixed_id("u000", nullptr, 16));
    EXPECT_FALSE(is_prefixed_id(std::string(1 << 20, 'a'), nullptr, 16));
}

// With an expected prefix, is_prefixed_id answers by construction; it must answer as the split
// does, on ids near valid ones (each one edit away) and for body lengths around the true one.
TEST(Prefix, ExpectedPrefixAnswersAsTheSplit) {
    std::mt19937 rng(99);
    const std::string alphabet = "abz09_-AZ\xc3\xa9 ";
    const std::vector<std::string> seeds = {"usr_ght4k2jxm7pqbv01", "org_member_a1b2c3d4e5f6g7h8", "a_bc",
                                            "usr__ght4k2jxm7pqbv01", "_ght4k2jxm7pqbv01", "usr_", "usr"};
    const std::vector<std::string> prefixes = {"usr", "org_member", "org", "a", "", "usr_", "Usr", "u-r"};
    int true_answers = 0;
    for (const std::string& seed : seeds) {
        for (int k = 0; k < 400; ++k) {
            std::string id = seed;
            const int edit = static_cast<int>(rng() % 4);
            const std::size_t at = id.empty() ? 0 : rng() % (id.size() + 1);
            const char c = alphabet[rng() % alphabet.size()];
            if (edit == 1 && at < id.size()) id[at] = c;
            if (edit == 2) id.insert(at, 1, c);
            if (edit == 3 && at < id.size()) id.erase(at, 1);
            for (const std::string& prefix : prefixes) {
                for (std::int64_t length : {0, 1, 2, 15, 16, 17, 32, 33}) {
                    PrefixedIdParts parts;
                    const bool by_split = split_prefixed_id(id, &parts) &&
                                          static_cast<std::int64_t>(parts.body.size()) == length &&
                                          parts.prefix == prefix;
                    const std::string_view expected(prefix);
                    ASSERT_EQ(is_prefixed_id(id, &expected, length), by_split)
                        << "id " << id << " prefix " << prefix << " length " << length;
                    true_answers += by_split;
                }
            }
        }
    }
    EXPECT_GT(true_answers, 100);
}

// The longest prefixed id (63-char prefix, 32-char body) splits; nothing longer can.
TEST(Prefix, LongestPrefixedId) {
    const std::string prefix(63, 'p');
    const std::string body = "a" + std::string(31, '7');
    const std::string longest = prefix + "_" + body;  // parts point into it
    PrefixedIdParts parts;
    ASSERT_TRUE(split_prefixed_id(longest, &parts));
    EXPECT_EQ(parts.prefix, prefix);
    EXPECT_EQ(parts.body, body);
    EXPECT_FALSE(split_prefixed_id(prefix + "_" + body + "7", &parts));
    EXPECT_FALSE(split_prefixed_id("p" + prefix + "_" + body, &parts));
    EXPECT_FALSE(split_prefixed_id(std::string(10 << 20, 'a') + "_" + body, &parts));
}

TEST(Prefix, GeneratedIdsValidate) {
    Cuid2Generator gen(3);
    char out[kMaxPrefixedIdLength];
    const std::string longest(63, 'p');
    for (int len = kCuid2MinLength; len <= kCuid2MaxLength; ++len) {
        const std::size_t n = generate_prefixed_id(gen, longest, len, 1, out);
        ASSERT_EQ(n, 63u + 1u + static_cast<std::size_t>(len));
        const std::string_view prefix = longest;
        EXPECT_TRUE(is_prefixed_id({out, n}, &prefix, len));
    }
}

TEST(Prefix, GenerateRejectsBadArguments) {
    Cuid2Generator gen(3);
    char out[kMaxPrefixedIdLength];
    try {
        generate_prefixed_id(gen, "Usr", 16, 1, out);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_parameter_value);
        EXPECT_EQ(std::string(e.what()), "invalid prefix \"Usr\"");
        EXPECT_EQ(e.detail(), kPrefixRule);
    }
    try {
        generate_prefixed_id(gen, "usr", 33, 1, out);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_parameter_value);
        EXPECT_EQ(std::string(e.what()), "body length 33 is out of range");
    }
}

}  // namespace
}  // namespace idconv
