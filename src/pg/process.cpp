#include "pg/process.h"

extern "C" {
#include "postgres.h"
#include "miscadmin.h"
}

#include <time.h>

namespace idconv::pg {

Cuid2Generator& process_generator() { return cuid2_process_generator(MyProcPid); }

Uuid7Generator& process_uuid7() { return uuid7_process_generator(MyProcPid); }

Digest& process_sha1() {
    // Never destroyed, like the generator: no destructor may run after OpenSSL's exit handler.
    // A context inherited across fork() is only scratch space, so it needs no pid check.
    static Digest* sha1 = new Digest(Digest::Algorithm::sha1);
    return *sha1;
}

std::uint64_t now_ms() noexcept {
    // The coarse clock: the wall-clock time of the last timer tick (one tick of the kernel's HZ,
    // 1 to 10 ms), read from memory; the precise one costs more than a tenth of an id on virtual
    // machines. The time is an input of the hash, never shown in the id; the per-process counter,
    // not the clock, keeps the inputs of one backend distinct.
    struct timespec ts;
#ifdef CLOCK_REALTIME_COARSE
    if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) != 0 && clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0;
#else
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return 0;
#endif
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

std::uint64_t now_ns() noexcept {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0) return 0;
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace idconv::pg
