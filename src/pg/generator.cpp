#include "pg/generator.h"

extern "C" {
#include "postgres.h"
#include "miscadmin.h"
}

#include <time.h>

namespace idconv::pg {

Cuid2Generator& process_generator() { return cuid2_process_generator(MyProcPid); }

std::uint64_t now_ms() noexcept {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

}  // namespace idconv::pg
