#include "core/classify.h"

#include <gtest/gtest.h>

#include <string>

namespace idconv {
namespace {

TEST(IdKind, TheIssuesExamples) {
    EXPECT_STREQ(id_kind("u000"), "token");
    EXPECT_STREQ(id_kind("u-dev-001"), "slug");
    EXPECT_STREQ(id_kind("usr_ght4k2jxm7pqbv01"), "prefixed");
    EXPECT_STREQ(id_kind("335517149097361411"), "integer");
}

TEST(IdKind, EachKind) {
    EXPECT_STREQ(id_kind("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "uuid");
    EXPECT_STREQ(id_kind("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), "uuid");
    EXPECT_STREQ(id_kind("user_account_ght4k2jxm7pqbv01"), "prefixed");
    EXPECT_STREQ(id_kind("org_" + std::string("a") + std::string(31, '0')), "prefixed");
    EXPECT_STREQ(id_kind("0"), "integer");
    EXPECT_STREQ(id_kind("cmk07b7n4000q08l2h3g7d9xz"), "cuid") << "Prisma cuid(): c + 24";
    EXPECT_STREQ(id_kind("tz4a98xxat96iws9zmbrgj3a"), "cuid2") << "24-char CUID2";
    EXPECT_STREQ(id_kind("k" + std::string(31, '7')), "cuid2") << "32-char CUID2";
    EXPECT_STREQ(id_kind("tenant-apollo-001"), "slug");
    EXPECT_STREQ(id_kind("apollo"), "token");
    EXPECT_STREQ(id_kind(std::string(63, 'z')), "token");
    EXPECT_STREQ(id_kind(std::string(64, 'z')), "other");
    EXPECT_STREQ(id_kind(""), "other");
    EXPECT_STREQ(id_kind("Usr_ght4k2jxm7pqbv01"), "other");
    EXPECT_STREQ(id_kind("e16b83eb"), "token");
    EXPECT_STREQ(id_kind("hello world"), "other");
    EXPECT_STREQ(id_kind("日本"), "other");
}

TEST(IdKind, FirstMatchWins) {
    // A prefixed id with a 15-char body is not "prefixed"; its shape falls through to "other".
    EXPECT_STREQ(id_kind("usr_ght4k2jxm7pqbv0"), "other");
    // Prisma cuid() also fits the CUID2 shape; "cuid" comes first.
    EXPECT_STREQ(id_kind("c" + std::string(24, 'a')), "cuid");
    // A 25-char CUID2 that does not start with c.
    EXPECT_STREQ(id_kind("d" + std::string(24, 'a')), "cuid2");
    // Digits only: integer, even at the length of a CUID2.
    EXPECT_STREQ(id_kind(std::string(24, '1')), "integer");
}

TEST(IdKind, TypeidsAfterUuidPrefixedAndInteger) {
    EXPECT_STREQ(id_kind("user_01h455vb4pex5vsknk084sn02q"), "typeid");
    EXPECT_STREQ(id_kind("user_account_01h455vb4pex5vsknk084sn02q"), "typeid");
    EXPECT_STREQ(id_kind("01h455vb4pex5vsknk084sn02q"), "typeid");
    // All digits stay integers; a prefixed CUID2 of 26 chars stays prefixed.
    EXPECT_STREQ(id_kind("00000000000000000000000001"), "integer");
    EXPECT_STREQ(id_kind("usr_h1h455vb4pex5vsknk084sn02"), "prefixed");
    // Off the spec: the token or other it was before.
    EXPECT_STREQ(id_kind("81h455vb4pex5vsknk084sn02q"), "token");
    EXPECT_STREQ(id_kind("01h455vb4pex5vsknk084sn02u"), "token");
    EXPECT_STREQ(id_kind("User_01h455vb4pex5vsknk084sn02q"), "other");
}

}  // namespace
}  // namespace idconv
