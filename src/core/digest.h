// Message digests from OpenSSL (SHA3-512 for CUID2, SHA-1 for UUIDv5), with the algorithm fetched
// once and the context kept between calls: fetching and making a context cost more than hashing
// one short input.
#pragma once

#include <cstddef>

typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_md_st EVP_MD;

namespace idconv {

inline constexpr std::size_t kSha3_512Bytes = 64;
inline constexpr std::size_t kSha1Bytes = 20;

class Digest {
public:
    enum class Algorithm { sha1, sha3_512 };

    explicit Digest(Algorithm algorithm);  // throws idconv::Error (internal) if OpenSSL lacks it
    ~Digest();
    Digest(const Digest&) = delete;
    Digest& operator=(const Digest&) = delete;

    struct Piece {
        const char* data;
        std::size_t len;
    };
    // Hashes the `count` pieces as one message into `out` (kSha1Bytes or kSha3_512Bytes bytes).
    void digest(const Piece* pieces, std::size_t count, unsigned char* out);

private:
    EVP_MD* md_;
    EVP_MD_CTX* ctx_;
    std::size_t size_;
};

}  // namespace idconv
