#include "core/cuid2.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"

namespace idconv {
namespace {

std::vector<std::vector<std::string>> read_tsv(const std::string& name) {
    std::ifstream in(std::string(IDCONV_VECTORS_DIR) + "/" + name);
    EXPECT_TRUE(in.good()) << "cannot open " << name;
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) cols.push_back(col);
        if (!line.empty() && line.back() == '\t') cols.emplace_back();
        rows.push_back(cols);
    }
    return rows;
}

// Vectors written by test/unit/vectors/make-cuid2-vectors.mjs from @paralleldrive/cuid2 3.3.0.
TEST(Cuid2Construct, MatchesReferencePackageVectors) {
    const auto rows = read_tsv("cuid2.tsv");
    ASSERT_GE(rows.size(), 200u);
    std::set<int> lengths;
    for (const auto& r : rows) {
        ASSERT_EQ(r.size(), 7u);
        const Cuid2Inputs in{r[0][0], std::stoull(r[1]), r[2], std::stoull(r[3]), r[4], std::stoi(r[5])};
        EXPECT_EQ(cuid2_construct(in), r[6]) << "letter=" << r[0] << " time=" << r[1] << " salt=" << r[2]
                                             << " counter=" << r[3] << " fingerprint=" << r[4];
        lengths.insert(in.length);
    }
    EXPECT_EQ(lengths.size(), 31u) << "every length 2..32 is covered";
}

// Vectors written by test/unit/vectors/make-fingerprint-vectors.mjs from the package's createFingerprint.
TEST(Cuid2Fingerprint, MatchesReferencePackageVectors) {
    const auto rows = read_tsv("fingerprint.tsv");
    ASSERT_GE(rows.size(), 10u);
    for (const auto& r : rows) {
        ASSERT_EQ(r.size(), 3u);
        char out[kCuid2FingerprintLength];
        cuid2_fingerprint(r[0], r[1], out);
        EXPECT_EQ(std::string(out, sizeof out), r[2]) << "source=" << r[0];
    }
}

TEST(Cuid2Construct, RejectsLengthsOutOfRange) {
    for (int bad : {-1, 0, 1, 33, 1000}) {
        const Cuid2Inputs in{'a', 1, "00", 1, "", bad};
        try {
            cuid2_construct(in);
            FAIL() << "length " << bad << " was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::invalid_parameter_value);
            EXPECT_EQ(std::string(e.what()), "CUID2 length " + std::to_string(bad) + " is out of range");
            EXPECT_EQ(e.detail(), "The length must be between 2 and 32.");
        }
    }
}

TEST(Cuid2Construct, IsAPureFunctionOfItsInputs) {
    const Cuid2Inputs in{'k', 1763836800123, "0123456789abcdefghijklmn", 42, "fp", 24};
    EXPECT_EQ(cuid2_construct(in), cuid2_construct(in));
    Cuid2Inputs other = in;
    other.counter = 43;
    EXPECT_NE(cuid2_construct(in), cuid2_construct(other));
}

// A deterministic source, so that generator tests can pin what it does with its random bytes.
unsigned char fake_byte = 0;
bool counting_source(unsigned char* buf, std::size_t len) {
    for (std::size_t i = 0; i < len; ++i) buf[i] = fake_byte++;
    return true;
}
bool failing_source(unsigned char*, std::size_t) { return false; }

TEST(Cuid2Generator, ProducesWellFormedIdsOfEveryLength) {
    Cuid2Generator gen(1234);
    const std::regex shape("^[a-z][0-9a-z]+$");
    for (int length = kCuid2MinLength; length <= kCuid2MaxLength; ++length) {
        char out[kCuid2MaxLength];
        const std::size_t n = gen.next(length, 1763836800000, out);
        ASSERT_EQ(n, static_cast<std::size_t>(length));
        EXPECT_TRUE(std::regex_match(std::string(out, n), shape)) << std::string(out, n);
    }
}

TEST(Cuid2Generator, CounterStartsBelowTheBoundAndStepsByOne) {
    for (int i = 0; i < 50; ++i) {
        Cuid2Generator gen(i);
        const std::uint64_t start = gen.counter();
        EXPECT_LT(start, kCuid2InitialCounterMax);
        char out[kCuid2MaxLength];
        gen.next(24, 0, out);
        gen.next(24, 0, out);
        EXPECT_EQ(gen.counter(), start + 2);
    }
}

TEST(Cuid2Generator, FingerprintIs32Base36CharsAndDiffersBetweenGenerators) {
    Cuid2Generator a(1), b(1);
    const std::regex shape("^[0-9a-z]{32}$");
    EXPECT_TRUE(std::regex_match(std::string(a.fingerprint()), shape));
    EXPECT_NE(a.fingerprint(), b.fingerprint()) << "32 random chars go into every fingerprint";
}

TEST(Cuid2Generator, UsesItsRandomSourceForLetterSaltCounterAndFingerprint) {
    fake_byte = 0;
    Cuid2Generator a(7, counting_source);
    fake_byte = 0;
    Cuid2Generator b(7, counting_source);
    EXPECT_EQ(a.counter(), b.counter());
    char x[kCuid2MaxLength], y[kCuid2MaxLength];
    // Same random bytes, same time and counter; the fingerprints still differ by host data
    // (the clock), so the ids differ: only the first letter is the same.
    a.next(24, 5, x);
    b.next(24, 5, y);
    EXPECT_EQ(x[0], y[0]);
}

// The generator keeps the time's base-36 text for the current millisecond; a new millisecond must
// replace it. With every random byte 5, the letter is 'f' (5 % 26) and each salt pair is 0x0505 =
// 1285 = "zp", so each id can be checked against the pure construction at its own time.
bool fives_source(unsigned char* buf, std::size_t len) {
    std::memset(buf, 5, len);
    return true;
}

TEST(Cuid2Generator, TimeTextFollowsTheClock) {
    Cuid2Generator gen(7, fives_source);
    const std::string salt = "zpzpzpzpzpzpzpzp";
    const std::string fingerprint(gen.fingerprint());
    for (const std::uint64_t t : {1763836800000ull, 1763836800000ull, 1763836800001ull, 1700000000000ull,
                                  1763836800001ull}) {
        char out[kCuid2MaxLength];
        const std::size_t n = gen.next(16, t, out);
        const Cuid2Inputs in{'f', t, salt, gen.counter() - 1, fingerprint, 16};
        EXPECT_EQ(std::string(out, n), cuid2_construct(in)) << "time " << t;
    }
}

TEST(Cuid2Generator, ReportsAFailedRandomSource) {
    try {
        Cuid2Generator gen(1, failing_source);
        FAIL() << "a generator was made without randomness";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::internal);
        EXPECT_EQ(std::string(e.what()), "could not generate random bytes");
    }
}

TEST(Cuid2Generator, FirstLetterIsUniform) {
    Cuid2Generator gen(99);
    int counts[26] = {};
    const int n = 260000;
    for (int i = 0; i < n; ++i) {
        char out[kCuid2MaxLength];
        gen.next(2, 0, out);
        ASSERT_GE(out[0], 'a');
        ASSERT_LE(out[0], 'z');
        ++counts[out[0] - 'a'];
    }
    // Chi-square with 25 degrees of freedom; 70 is exceeded by chance with odds about 4e-6.
    double chi2 = 0;
    for (int c : counts) chi2 += (c - n / 26.0) * (c - n / 26.0) / (n / 26.0);
    EXPECT_LT(chi2, 70.0);
}

TEST(Cuid2Generator, ManyIdsAreDistinct) {
    Cuid2Generator gen(5);
    std::set<std::string> seen;
    for (int i = 0; i < 100000; ++i) {
        char out[kCuid2MaxLength];
        seen.emplace(out, gen.next(16, 1763836800000, out));
    }
    EXPECT_EQ(seen.size(), 100000u);
}

}  // namespace
}  // namespace idconv

namespace idconv {
namespace {

// What a preloaded library meets: the parent made its generator, then forked. The child must get a
// generator of its own, not replay the parent's random bytes and counter.
TEST(Cuid2ProcessGenerator, IsMadeAgainAfterFork) {
    Cuid2Generator& parent = cuid2_process_generator(getpid());
    EXPECT_EQ(&parent, &cuid2_process_generator(getpid())) << "same pid, same generator";
    const std::string parent_fingerprint(parent.fingerprint());
    const std::uint64_t parent_counter = parent.counter();

    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(fds[0]);
        Cuid2Generator& mine = cuid2_process_generator(getpid());
        char letters[64];
        for (char& c : letters) {
            char out[kCuid2MaxLength];
            mine.next(2, 0, out);
            c = out[0];
        }
        const std::string report = std::string(mine.fingerprint()) + " " + std::to_string(mine.counter() - 64) +
                                   " " + std::string(letters, sizeof letters);
        (void)!write(fds[1], report.data(), report.size());
        _exit(0);
    }
    close(fds[1]);
    char buf[256];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_GT(n, 0);
    std::stringstream report(std::string(buf, static_cast<std::size_t>(n)));
    std::string child_fingerprint, child_letters;
    std::uint64_t child_counter = 0;
    report >> child_fingerprint >> child_counter >> child_letters;
    EXPECT_NE(child_fingerprint, parent_fingerprint);
    EXPECT_NE(child_counter, parent_counter);

    // The parent's own next 64 letters come from its buffered bytes; the child's must not match.
    char letters[64];
    for (char& c : letters) {
        char out[kCuid2MaxLength];
        parent.next(2, 0, out);
        c = out[0];
    }
    EXPECT_NE(child_letters, std::string(letters, sizeof letters));
}

}  // namespace
}  // namespace idconv
