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

// The glue rebuilds a quoting message in the database's encoding from its head and the value's
// first bytes; what() keeps the UTF-8 cut for callers of the core alone.
TEST(ErrorQuoting, KeepsTheHeadAndTheValueApart) {
    const Error e(ErrorKind::invalid_parameter_value, "invalid prefix ", Quoted{"Usr"}, "rule");
    EXPECT_EQ(std::string(e.what()), "invalid prefix \"Usr\"");
    EXPECT_TRUE(e.quotes());
    EXPECT_EQ(e.head(), "invalid prefix ");
    EXPECT_EQ(e.quoted(), "Usr");
    EXPECT_FALSE(e.quoted_longer());
    EXPECT_EQ(e.detail(), "rule");
}

TEST(ErrorQuoting, KeepsOnlyTheFirstBytesOfALongValue) {
    // EUC_JP kanji, two bytes each: a cut at byte 80 by UTF-8's rule would split one.
    std::string value = "a";
    for (int i = 0; i < 50; ++i) value += "\xb4\xc1";
    const Error e(ErrorKind::invalid_parameter_value, "invalid prefix ", Quoted{value});
    EXPECT_TRUE(e.quoted_longer());
    EXPECT_EQ(e.quoted(), value.substr(0, Error::kQuotedBytesKept));
    EXPECT_EQ(e.quoted().size(), kQuoteLimit + 3);
    const std::string exactly(kQuoteLimit, 'a');
    const Error at_limit(ErrorKind::invalid_parameter_value, "x ", Quoted{exactly});
    EXPECT_FALSE(at_limit.quoted_longer());
    EXPECT_EQ(at_limit.quoted(), exactly);
}

TEST(ErrorQuoting, PlainMessagesQuoteNothing) {
    const Error e(ErrorKind::invalid_parameter_value, "body length 33 is out of range");
    EXPECT_FALSE(e.quotes());
    EXPECT_FALSE(e.quoted_longer());
}

}  // namespace
}  // namespace idconv
