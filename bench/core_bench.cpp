// Micro-benchmarks of the core, without PostgreSQL: what one id costs in each step.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>

#include "core/base36.h"
#include "core/cuid2.h"
#include "core/prefix.h"
#include "core/random.h"
#include "core/typeid.h"
#include "core/uuid.h"
#include "core/uuid7.h"
#include "core/digest.h"
#include "core/sha3.h"

namespace {

using namespace idconv;

void BM_Base36U512(benchmark::State& state) {
    unsigned char digest[64];
    for (int i = 0; i < 64; ++i) digest[i] = static_cast<unsigned char>(i * 37 + 11);
    char out[kMaxBase36U512Digits];
    for (auto _ : state) {
        benchmark::DoNotOptimize(base36_u512(digest, out));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_Base36U512);

// The same over 1024 different digests: data-dependent branches cannot be learnt, as in real use.
void BM_Base36U512Random(benchmark::State& state) {
    static unsigned char digests[1024][64];
    std::uint64_t x = 88172645463325252ull;
    for (auto& d : digests) {
        for (auto& b : d) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b = static_cast<unsigned char>(x);
        }
    }
    char out[kMaxBase36U512Digits];
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(base36_u512(digests[i++ & 1023], out));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_Base36U512Random);

// OpenSSL's SHA3-512 of Arg bytes, context reused. 62 bytes is a CUID2's input with a 16-char body
// (8 time digits, 16 salt chars, 6 counter digits, 32 fingerprint chars): the floor of a CUID2.
void BM_Sha3_512(benchmark::State& state) {
    Digest sha(Digest::Algorithm::sha3_512);
    char input[128];
    std::memset(input, 'k', sizeof input);
    const Digest::Piece piece{input, static_cast<std::size_t>(state.range(0))};
    unsigned char digest[kSha3_512Bytes];
    for (auto _ : state) {
        sha.digest(&piece, 1, digest);
        benchmark::DoNotOptimize(digest);
    }
}
BENCHMARK(BM_Sha3_512)->Arg(62)->Arg(70);

// idconv's own SHA3-512 (src/core/sha3.cpp, what a CUID2 uses) of the same input.
void BM_Sha3_512Own(benchmark::State& state) {
    char input[128];
    std::memset(input, 'k', sizeof input);
    const Digest::Piece piece{input, static_cast<std::size_t>(state.range(0))};
    unsigned char digest[kSha3_512Bytes];
    for (auto _ : state) {
        sha3_512(&piece, 1, digest);
        benchmark::DoNotOptimize(digest);
    }
}
BENCHMARK(BM_Sha3_512Own)->Arg(62)->Arg(70);

void BM_RandomSalt24(benchmark::State& state) {
    RandomPool pool;
    char out[24];
    for (auto _ : state) {
        pool.fill_base36(out, sizeof out);
        benchmark::DoNotOptimize(out);
    }
}
BENCHMARK(BM_RandomSalt24);

// The construction alone, inputs fixed: what next() adds on top is randomness and bookkeeping.
void BM_Cuid2Construct16(benchmark::State& state) {
    const Cuid2Inputs in{'k', 1763836800000, "0123456789abcdef", 123456789, "k9x2m4pq7r1t8v3w6y0z5b2n4c6d8f0h", 16};
    char out[kCuid2MaxLength];
    for (auto _ : state) benchmark::DoNotOptimize(cuid2_construct(in, out));
}
BENCHMARK(BM_Cuid2Construct16);

void BM_Cuid2Next(benchmark::State& state) {
    Cuid2Generator gen(1);
    char out[kCuid2MaxLength];
    const int length = static_cast<int>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(gen.next(length, 1763836800000, out));
}
BENCHMARK(BM_Cuid2Next)->Arg(16)->Arg(24)->Arg(32);

// next() with a trivial byte source: what the CSPRNG itself costs per id is the difference.
bool fast_fake_source(unsigned char* buf, std::size_t len) {
    static unsigned char v = 0;
    for (std::size_t i = 0; i < len; ++i) buf[i] = v++;
    return true;
}
void BM_Cuid2NextFakeRandom16(benchmark::State& state) {
    Cuid2Generator gen(1, fast_fake_source);
    char out[kCuid2MaxLength];
    for (auto _ : state) benchmark::DoNotOptimize(gen.next(16, 1763836800000, out));
}
BENCHMARK(BM_Cuid2NextFakeRandom16);

// OpenSSL's CSPRNG alone: one 4 KiB refill of the pool.
void BM_OpensslRandom4K(benchmark::State& state) {
    unsigned char buf[4096];
    for (auto _ : state) {
        openssl_random(buf, sizeof buf);
        benchmark::DoNotOptimize(buf);
    }
}
BENCHMARK(BM_OpensslRandom4K);

void BM_GeneratePrefixedId(benchmark::State& state) {
    Cuid2Generator gen(1);
    char out[kMaxPrefixedIdLength];
    for (auto _ : state) benchmark::DoNotOptimize(generate_prefixed_id(gen, "usr", 16, 1763836800000, out));
}
BENCHMARK(BM_GeneratePrefixedId);

void BM_IsPrefixedId(benchmark::State& state) {
    const std::string_view usr = "usr";
    for (auto _ : state) benchmark::DoNotOptimize(is_prefixed_id("usr_ght4k2jxm7pqbv01", &usr, 16));
}
BENCHMARK(BM_IsPrefixedId);

void BM_Uuidv5Zitadel(benchmark::State& state) {
    Digest sha1(Digest::Algorithm::sha1);
    const Uuid ns = *parse_uuid_text("9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a");
    for (auto _ : state) benchmark::DoNotOptimize(uuidv5(sha1, ns, "335517149097361411"));
}
BENCHMARK(BM_Uuidv5Zitadel);

void BM_NormalizeSubjectUuidPassthrough(benchmark::State& state) {
    Digest sha1(Digest::Algorithm::sha1);
    const Uuid ns = *parse_uuid_text("9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a");
    for (auto _ : state) benchmark::DoNotOptimize(normalize_subject(sha1, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", ns));
}
BENCHMARK(BM_NormalizeSubjectUuidPassthrough);

// A UUIDv7 from the generator: 8 bytes from the pool, the time, the layout.
void BM_Uuid7Next(benchmark::State& state) {
    Uuid7Generator gen(1);
    std::uint64_t ns = 1780000000000000000u;
    for (auto _ : state) benchmark::DoNotOptimize(gen.next(ns += 300));
}
BENCHMARK(BM_Uuid7Next);

void BM_GenerateTypeid(benchmark::State& state) {
    Uuid7Generator gen(1);
    char out[kMaxTypeidLength];
    std::uint64_t ns = 1780000000000000000u;
    for (auto _ : state) benchmark::DoNotOptimize(generate_typeid(gen, "user", ns += 300, out));
}
BENCHMARK(BM_GenerateTypeid);

void BM_IsTypeid(benchmark::State& state) {
    const std::string_view user = "user";
    for (auto _ : state) benchmark::DoNotOptimize(is_typeid("user_01h455vb4pex5vsknk084sn02q", &user));
}
BENCHMARK(BM_IsTypeid);

void BM_ParseTypeid(benchmark::State& state) {
    TypeidParts parts;
    for (auto _ : state) benchmark::DoNotOptimize(parse_typeid("user_01h455vb4pex5vsknk084sn02q", &parts));
}
BENCHMARK(BM_ParseTypeid);

}  // namespace
