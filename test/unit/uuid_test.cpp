#include "core/uuid.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"

namespace idconv {
namespace {

std::string unhex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

Uuid parse(const std::string& s) {
    const auto u = parse_uuid_text(s);
    EXPECT_TRUE(u.has_value()) << s;
    return u.value_or(Uuid{});
}

// Vectors written by test/unit/vectors/make-uuid-vectors.py with Python's hashlib and uuid.
TEST(Uuid, MatchesPythonVectors) {
    std::ifstream in(std::string(IDCONV_VECTORS_DIR) + "/uuid.tsv");
    ASSERT_TRUE(in.good());
    Digest sha1(Digest::Algorithm::sha1);
    std::string line;
    int v5 = 0, bare = 0;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string kind, ns, name_hex, expected;
        std::getline(ss, kind, '\t');
        std::getline(ss, ns, '\t');
        std::getline(ss, name_hex, '\t');
        std::getline(ss, expected, '\t');
        const std::string name = unhex(name_hex);
        if (kind == "v5") {
            EXPECT_EQ(format_uuid(uuidv5(sha1, parse(ns), name)), expected) << ns << " " << name_hex;
            ++v5;
        } else {
            EXPECT_EQ(format_uuid(sha1_subject_uuid(sha1, name)), expected) << name_hex;
            ++bare;
        }
    }
    EXPECT_GE(v5, 300);
    EXPECT_GE(bare, 60);
}

TEST(Uuid, Rfc9562Vector) {
    Digest sha1(Digest::Algorithm::sha1);
    EXPECT_EQ(format_uuid(uuidv5(sha1, parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com")),
              "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(Uuid, ParsesOnlyThe36CharForm) {
    EXPECT_TRUE(parse_uuid_text("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    EXPECT_TRUE(parse_uuid_text("2ED6657D-E927-568B-95E1-2665A8AEA6A2"));
    EXPECT_TRUE(parse_uuid_text("00000000-0000-0000-0000-000000000000"));
    EXPECT_FALSE(parse_uuid_text(""));
    EXPECT_FALSE(parse_uuid_text("2ed6657de927568b95e12665a8aea6a2")) << "no hyphens: not the 36-char form";
    EXPECT_FALSE(parse_uuid_text("{2ed6657d-e927-568b-95e1-2665a8aea6a2}"));
    EXPECT_FALSE(parse_uuid_text("2ed6657d-e927-568b-95e1-2665a8aea6a"));
    EXPECT_FALSE(parse_uuid_text("2ed6657d-e927-568b-95e1-2665a8aea6a2 "));
    EXPECT_FALSE(parse_uuid_text("2ed6657de-927-568b-95e1-2665a8aea6a2"));
    EXPECT_FALSE(parse_uuid_text("2ed6657d-e927-568b-95e1-2665a8aea6g2"));
    EXPECT_FALSE(parse_uuid_text("2ed6657d-e927-568b-95e1+2665a8aea6a2"));
}

TEST(Uuid, FormatsLowerCase) {
    EXPECT_EQ(format_uuid(parse("2ED6657D-E927-568B-95E1-2665A8AEA6A2")), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(Uuid, Version) {
    EXPECT_EQ(uuid_version(parse("2ed6657d-e927-568b-95e1-2665a8aea6a2")), 5);
    EXPECT_EQ(uuid_version(parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")), 4);
    EXPECT_EQ(uuid_version(parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")), 1);
    EXPECT_EQ(uuid_version(parse("017f22e2-79b0-7cc3-98c4-dc0c0c07398f")), 7);
    EXPECT_EQ(uuid_version(parse("00000000-0000-0000-0000-000000000000")), std::nullopt) << "nil: not the RFC variant";
    EXPECT_EQ(uuid_version(parse("ffffffff-ffff-ffff-ffff-ffffffffffff")), std::nullopt) << "max: not the RFC variant";
    EXPECT_EQ(uuid_version(parse("2ed6657d-e927-568b-c5e1-2665a8aea6a2")), std::nullopt) << "Microsoft variant";
}

TEST(Uuid, NormalizeSubject) {
    Digest sha1(Digest::Algorithm::sha1);
    const Uuid ns = parse("9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a");
    EXPECT_EQ(format_uuid(normalize_subject(sha1, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", ns)),
              "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    EXPECT_EQ(normalize_subject(sha1, "335517149097361411", ns), uuidv5(sha1, ns, "335517149097361411"));
    // Bytes as given: no trimming, no case folding.
    EXPECT_NE(normalize_subject(sha1, " 335517149097361411", ns), normalize_subject(sha1, "335517149097361411", ns));
    EXPECT_NE(normalize_subject(sha1, "Ada@Example.com", ns), normalize_subject(sha1, "ada@example.com", ns));
    // Not the 36-char form, so hashed like any other subject.
    EXPECT_EQ(normalize_subject(sha1, "a0eebc999c0b4ef8bb6d6bb9bd380a11", ns),
              uuidv5(sha1, ns, "a0eebc999c0b4ef8bb6d6bb9bd380a11"));
    try {
        normalize_subject(sha1, "", ns);
        FAIL() << "an empty subject was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_parameter_value);
        EXPECT_EQ(std::string(e.what()), "subject must not be empty");
    }
}

}  // namespace
}  // namespace idconv
