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

TEST(SubjectKind, EachProvidersShape) {
    EXPECT_STREQ(subject_kind("2b1e4c7d-3f5a-4e6b-9c8d-7a6b5c4d3e2f"), "supabase") << "lower-case v4";
    EXPECT_STREQ(subject_kind("2B1E4C7D-3F5A-4E6B-9C8D-7A6B5C4D3E2F"), "uuid") << "upper case is not Supabase's";
    EXPECT_STREQ(subject_kind("2b1e4c7d-3f5a-7e6b-9c8d-7a6b5c4d3e2f"), "uuid") << "version 7";
    EXPECT_STREQ(subject_kind("2b1e4c7d-3f5a-4e6b-cc8d-7a6b5c4d3e2f"), "uuid") << "variant c";
    EXPECT_STREQ(subject_kind("335517149097361411"), "zitadel");
    EXPECT_STREQ(subject_kind("1000000000000000"), "zitadel") << "16 digits";
    EXPECT_STREQ(subject_kind("1000000000000000000"), "zitadel") << "19 digits";
    EXPECT_STREQ(subject_kind("100000000000000"), "other") << "15 digits";
    EXPECT_STREQ(subject_kind("10000000000000000000"), "other") << "20 digits";
    EXPECT_STREQ(subject_kind("033551714909736141"), "other") << "a leading 0";
    EXPECT_STREQ(subject_kind("auth0|5f7c8ec7c33c6c004bbafe82"), "auth0");
    EXPECT_STREQ(subject_kind("google-oauth2|104918374650392817365"), "auth0");
    EXPECT_STREQ(subject_kind("samlp|acme|jane.doe@acme.com"), "auth0") << "several parts";
    EXPECT_STREQ(subject_kind("user_2NNEqL2nrIRdJ194ndJqAHwEfxC"), "clerk");
    EXPECT_STREQ(subject_kind("Kx7fQb2WZ1hN9sT3yV8pL4mR6cD0"), "firebase");
    EXPECT_STREQ(subject_kind(""), "other");
    EXPECT_STREQ(subject_kind("u-dev-001"), "other");
}

TEST(SubjectKind, EdgesOfEachShape) {
    EXPECT_STREQ(subject_kind("Auth0|x"), "other") << "the connection is lower case";
    EXPECT_STREQ(subject_kind("-auth0|x"), "other") << "and starts with a letter or digit";
    EXPECT_STREQ(subject_kind("auth0|"), "other") << "an empty part";
    EXPECT_STREQ(subject_kind("auth0||x"), "other") << "an empty part";
    EXPECT_STREQ(subject_kind("auth0|a b"), "other") << "a space";
    EXPECT_STREQ(subject_kind("|x"), "other") << "no connection";
    EXPECT_STREQ(subject_kind("user_2NNEqL2nrIRdJ194ndJqAHwEfx"), "other") << "31 characters: not Clerk's";
    EXPECT_STREQ(subject_kind("user_2NNEqL2nrIRdJ194ndJqAHwEf-C"), "other");
    EXPECT_STREQ(subject_kind("Kx7fQb2WZ1hN9sT3yV8pL4mR6cD"), "other") << "27 characters";
    EXPECT_STREQ(subject_kind("2b1e4c7d-3f5a-4e6b-9c8d-7a6b5c4d3e2"), "other") << "35 characters";
    EXPECT_STREQ(subject_kind("2b1e4c7d3f5a-4e6b-9c8d-7a6b5c4d3e2f0"), "other") << "a dash out of place";
    EXPECT_STREQ(subject_kind("2b1e4c7d-3f5a-4e6b-9c8d-7a6b5c4d3e2g"), "other") << "not hex";
    EXPECT_STREQ(subject_kind(std::string("Kx7fQb2WZ1hN9sT3yV8pL4mR6c\xc3\xa9", 28)), "other") << "a byte past ASCII";
    std::string with_nul(18, '1');
    with_nul[5] = '\0';
    EXPECT_STREQ(subject_kind(with_nul), "other") << "a NUL byte";
}

}  // namespace
}  // namespace idconv

