#include "core/error.h"

#include <gtest/gtest.h>

#include <string>

namespace idconv {
namespace {

TEST(QuoteForMessage, ShortValuesAreQuotedWhole) {
    EXPECT_EQ(quote_for_message("usr", 3), "\"usr\"");
    EXPECT_EQ(quote_for_message("", 0), "\"\"");
}

TEST(QuoteForMessage, LongValuesAreCut) {
    const std::string big(1 << 20, 'a');
    EXPECT_EQ(quote_for_message(big.data(), big.size()), "\"" + std::string(80, 'a') + "...\"");
}

TEST(QuoteForMessage, CutsOnACharacterBoundary) {
    // 79 ASCII bytes then a two-byte "é": a cut at 80 would split it.
    const std::string s = std::string(79, 'a') + "\xc3\xa9" + "bbbb";
    EXPECT_EQ(quote_for_message(s.data(), s.size()), "\"" + std::string(79, 'a') + "...\"");
}

}  // namespace
}  // namespace idconv
