#include "core/sha3.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace idconv {
namespace {

std::string hex(const unsigned char* d, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += digits[d[i] >> 4];
        s += digits[d[i] & 15];
    }
    return s;
}

// FIPS 202's SHA3-512 of "" and of "abc".
TEST(Sha3, KnownAnswers) {
    unsigned char out[kSha3_512Bytes];
    const Digest::Piece empty{"", 0};
    sha3_512(&empty, 1, out);
    EXPECT_EQ(hex(out, sizeof out),
              "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
              "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26");
    const Digest::Piece abc{"abc", 3};
    sha3_512(&abc, 1, out);
    EXPECT_EQ(hex(out, sizeof out),
              "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
              "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
}

// Equal to OpenSSL's for every length 0..600 (one to nine blocks and every padding position),
// whole and cut into pieces at random places.
TEST(Sha3, MatchesOpenSsl) {
    std::mt19937 rng(31337);
    Digest openssl(Digest::Algorithm::sha3_512);
    for (std::size_t len = 0; len <= 600; ++len) {
        std::string msg(len, '\0');
        for (auto& c : msg) c = static_cast<char>(rng());
        const Digest::Piece whole{msg.data(), msg.size()};
        unsigned char want[kSha3_512Bytes];
        unsigned char got[kSha3_512Bytes];
        openssl.digest(&whole, 1, want);
        sha3_512(&whole, 1, got);
        ASSERT_EQ(hex(got, sizeof got), hex(want, sizeof want)) << "length " << len;
        std::vector<Digest::Piece> pieces;
        std::size_t at = 0;
        while (at < len) {
            const std::size_t take = 1 + rng() % (len - at);
            pieces.push_back({msg.data() + at, take});
            at += take;
        }
        sha3_512(pieces.data(), pieces.size(), got);
        ASSERT_EQ(hex(got, sizeof got), hex(want, sizeof want)) << "length " << len << " in pieces";
    }
}

}  // namespace
}  // namespace idconv
