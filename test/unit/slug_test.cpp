#include "core/slug.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace idconv {
namespace {

std::string slug(std::string_view text) {
    char out[kMaxSlugLength];
    return std::string(out, slugify(text, out));
}

TEST(IsSlug, Grammar) {
    for (const char* ok : {"a", "0", "acme", "apollo-hospitals", "tenant-apollo-001", "a-b-c", "123"}) {
        EXPECT_TRUE(is_slug(ok)) << ok;
    }
    EXPECT_TRUE(is_slug(std::string(63, 'a')));
    for (const char* bad : {"", "-", "-a", "a-", "a--b", "A", "a_b", "a b", "ä", "a.b"}) {
        EXPECT_FALSE(is_slug(bad)) << bad;
    }
    EXPECT_FALSE(is_slug(std::string(64, 'a')));
    EXPECT_FALSE(is_slug(std::string("a\0b", 3)));
}

TEST(Slugify, Examples) {
    EXPECT_EQ(slug("Émile"), "emile");
    EXPECT_EQ(slug("İstanbul"), "istanbul");
    EXPECT_EQ(slug("Straße"), "strasse");
    EXPECT_EQ(slug("Istanbul Medical Center"), "istanbul-medical-center");
    EXPECT_EQ(slug("  Apollo   Hospitals!! "), "apollo-hospitals");
    EXPECT_EQ(slug("Curaway (Ops) -- EU"), "curaway-ops-eu");
    EXPECT_EQ(slug("Æsir Øresund Łódź Þór"), "aesir-oresund-lodz-thor");
    EXPECT_EQ(slug("Nguyễn Văn Đức"), "nguyen-van-duc");
    EXPECT_EQ(slug("Crème Brûlée"), "creme-brulee");
    EXPECT_EQ(slug("e\xcc\x81te"), "ete") << "a decomposed é (e + U+0301) folds like a composed one";
    EXPECT_EQ(slug("東京 Tokyo"), "tokyo");
    EXPECT_EQ(slug("o'brien"), "o-brien");
    EXPECT_EQ(slug("tenant_apollo_001"), "tenant-apollo-001");
}

TEST(Slugify, NothingLeftIsEmpty) {
    EXPECT_EQ(slug(""), "");
    EXPECT_EQ(slug("  --  "), "");
    EXPECT_EQ(slug("東京"), "");
    EXPECT_EQ(slug("\xff\xfe"), "");
}

TEST(Slugify, CutsAt63OnAWordBoundary) {
    const std::string words = "alpha-bravo-charlie-delta-echo-foxtrot-golf-hotel-india-juliett-kilo-lima";
    const std::string s = slug(words);
    EXPECT_EQ(s, "alpha-bravo-charlie-delta-echo-foxtrot-golf-hotel-india-juliett");
    EXPECT_LE(s.size(), 63u);
    // A boundary exactly at the limit: 63 chars then a separator.
    EXPECT_EQ(slug(std::string(63, 'a') + " b"), std::string(63, 'a'));
    // One word longer than the limit is cut at 63.
    EXPECT_EQ(slug(std::string(100, 'x')), std::string(63, 'x'));
    // A boundary right after the first char still counts.
    EXPECT_EQ(slug("a " + std::string(100, 'x')), "a");
}

TEST(Slugify, ResultAlwaysPassesIsSlug) {
    std::mt19937 rng(42);
    const std::string pieces[] = {"a", "Z", "9", " ", "-", "_", "é", "ß", "İ", "東", "\xcc\x81", "\xff", "Æ", "!"};
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        const int n = static_cast<int>(rng() % 120);
        for (int k = 0; k < n; ++k) text += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        const std::string s = slug(text);
        if (!s.empty()) {
            ASSERT_TRUE(is_slug(s)) << "input: " << text << " slug: " << s;
        }
    }
}

TEST(Slugify, RandomBytesNeverBreakIt) {
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        std::string text(rng() % 200, '\0');
        for (auto& c : text) c = static_cast<char>(rng());
        const std::string s = slug(text);
        if (!s.empty()) {
            ASSERT_TRUE(is_slug(s));
        }
    }
}

}  // namespace
}  // namespace idconv
