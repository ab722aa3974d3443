#include "core/sha3.h"

#include <openssl/evp.h>

#include "core/error.h"

namespace idconv {

namespace {
[[noreturn]] void openssl_failed(const char* what) {
    throw Error(ErrorKind::internal, std::string("OpenSSL SHA3-512 failed: ") + what);
}
}  // namespace

Sha3_512::Sha3_512() : md_(EVP_MD_fetch(nullptr, "SHA3-512", nullptr)), ctx_(EVP_MD_CTX_new()) {
    if (md_ == nullptr || ctx_ == nullptr) {
        EVP_MD_free(md_);
        EVP_MD_CTX_free(ctx_);
        openssl_failed("could not load the algorithm");
    }
}

Sha3_512::~Sha3_512() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
}

void Sha3_512::digest(const Piece* pieces, std::size_t count, unsigned char* out) {
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) openssl_failed("init");
    for (std::size_t i = 0; i < count; ++i) {
        if (EVP_DigestUpdate(ctx_, pieces[i].data, pieces[i].len) != 1) openssl_failed("update");
    }
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_, out, &len) != 1 || len != kSha3_512Bytes) openssl_failed("final");
}

}  // namespace idconv
