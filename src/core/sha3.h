// SHA3-512 (FIPS 202), written here for the CUID2 hot path. OpenSSL 3.0's EVP interface frees and
// allocates its digest state on every init, which costs a sizeable part of hashing one short
// input; this needs no allocation. Tested against OpenSSL on every length 0..600 and by the
// CUID2 vectors of the npm package.
#pragma once

#include <cstddef>

#include "core/digest.h"

namespace idconv {

// Hashes the `count` pieces as one message into `out` (kSha3_512Bytes bytes).
void sha3_512(const Digest::Piece* pieces, std::size_t count, unsigned char* out) noexcept;

}  // namespace idconv
