// SHA3-512 from OpenSSL, with the digest context kept between calls: fetching the algorithm and
// making a context cost more than hashing one CUID2 input.
#pragma once

#include <cstddef>

typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_md_st EVP_MD;

namespace idconv {

inline constexpr std::size_t kSha3_512Bytes = 64;

class Sha3_512 {
public:
    Sha3_512();  // throws idconv::Error (internal) when OpenSSL has no SHA3-512
    ~Sha3_512();
    Sha3_512(const Sha3_512&) = delete;
    Sha3_512& operator=(const Sha3_512&) = delete;

    // Hashes the `count` pieces as one message into `digest` (kSha3_512Bytes bytes).
    struct Piece {
        const char* data;
        std::size_t len;
    };
    void digest(const Piece* pieces, std::size_t count, unsigned char* digest);

private:
    EVP_MD* md_;
    EVP_MD_CTX* ctx_;
};

}  // namespace idconv
