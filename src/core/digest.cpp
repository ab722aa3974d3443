#include "core/digest.h"

#include <openssl/evp.h>

#include <string>

#include "core/error.h"

namespace idconv {

namespace {
[[noreturn]] void openssl_failed(const char* what) {
    throw Error(ErrorKind::internal, std::string("OpenSSL digest failed: ") + what);
}
}  // namespace

Digest::Digest(Algorithm algorithm)
    : md_(EVP_MD_fetch(nullptr, algorithm == Algorithm::sha1 ? "SHA1" : "SHA3-512", nullptr)),
      ctx_(EVP_MD_CTX_new()),
      size_(algorithm == Algorithm::sha1 ? kSha1Bytes : kSha3_512Bytes) {
    if (md_ == nullptr || ctx_ == nullptr || static_cast<std::size_t>(EVP_MD_get_size(md_)) != size_) {
        EVP_MD_free(md_);
        EVP_MD_CTX_free(ctx_);
        openssl_failed("could not load the algorithm");
    }
}

Digest::~Digest() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
}

void Digest::digest(const Piece* pieces, std::size_t count, unsigned char* out) {
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) openssl_failed("init");
    for (std::size_t i = 0; i < count; ++i) {
        if (EVP_DigestUpdate(ctx_, pieces[i].data, pieces[i].len) != 1) openssl_failed("update");
    }
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_, out, &len) != 1 || len != size_) openssl_failed("final");
}

}  // namespace idconv
