#include "core/random.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"

namespace idconv {
namespace {

// Replays a script of bytes, then zeros.
std::vector<unsigned char> script;
std::size_t script_pos = 0;
bool scripted_source(unsigned char* buf, std::size_t len) {
    for (std::size_t i = 0; i < len; ++i) buf[i] = script_pos < script.size() ? script[script_pos++] : 0;
    return true;
}

TEST(RandomPool, RejectsBytesAboveTheLastFullMultiple) {
    // 36 * 7 = 252: bytes 252..255 would favour digits 0..3, so they are skipped.
    script = {255, 254, 253, 252, 251, 40};
    script_pos = 0;
    RandomPool pool(scripted_source);
    EXPECT_EQ(pool.below(36), 251u % 36);
    EXPECT_EQ(pool.below(36), 40u % 36);
}

TEST(RandomPool, LettersRejectAbove233) {
    // 26 * 9 = 234.
    script = {234, 240, 233};
    script_pos = 0;
    RandomPool pool(scripted_source);
    EXPECT_EQ(pool.below(26), 233u % 26);
}

TEST(RandomPool, Below32RejectsTheTail) {
    // 2^32 - 2^32 % 476782367 = 4291041303: values at or above it are skipped.
    script = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x07};
    script_pos = 0;
    RandomPool pool(scripted_source);
    EXPECT_EQ(pool.below32(476782367), 7u);
}

bool failing_source(unsigned char*, std::size_t) { return false; }

TEST(RandomPool, FailedSourceRaises) {
    RandomPool pool(failing_source);
    EXPECT_THROW(pool.below(36), Error);
}

TEST(RandomPool, DigitsAreUniform) {
    RandomPool pool;
    int counts[36] = {};
    const int n = 360000;
    for (int i = 0; i < n; ++i) ++counts[pool.below(36)];
    // Chi-square, 35 degrees of freedom; 90 is exceeded by chance with odds about 1e-6.
    double chi2 = 0;
    for (int c : counts) chi2 += (c - n / 36.0) * (c - n / 36.0) / (n / 36.0);
    EXPECT_LT(chi2, 90.0);
}

TEST(RandomPool, Base36PairsRejectAbove64799) {
    // 0xFFFF and 0xFD20 (= 64800) are rejected; 0x0507 = 1287 gives pair 1287 = "zr"; then one
    // single digit from the next byte, 40 % 36 = 4.
    script = {0xff, 0xff, 0xfd, 0x20, 0x05, 0x07, 40};
    script_pos = 0;
    RandomPool pool(scripted_source);
    char out[3];
    pool.fill_base36(out, 3);
    EXPECT_EQ(std::string(out, 3), "zr4");
}

TEST(RandomPool, Base36DigitsAreUniform) {
    RandomPool pool;
    int counts[36] = {};
    constexpr int kChars = 720000;
    static char out[kChars];
    pool.fill_base36(out, kChars);
    for (char c : out) {
        const char* p = std::strchr("0123456789abcdefghijklmnopqrstuvwxyz", c);
        ASSERT_NE(p, nullptr);
        ++counts[p - "0123456789abcdefghijklmnopqrstuvwxyz"];
    }
    // Chi-square, 35 degrees of freedom; 90 is exceeded by chance with odds about 1e-6.
    double chi2 = 0;
    for (int c : counts) chi2 += (c - kChars / 36.0) * (c - kChars / 36.0) / (kChars / 36.0);
    EXPECT_LT(chi2, 90.0);
}

}  // namespace
}  // namespace idconv
