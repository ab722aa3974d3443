// Per-backend state and clock.
#pragma once

#include <cstdint>

#include "core/cuid2.h"
#include "core/digest.h"
#include "core/uuid7.h"

namespace idconv::pg {

// This backend's CUID2 generator (see cuid2_process_generator). Call only inside guarded():
// making one can throw.
Cuid2Generator& process_generator();

// This backend's UUIDv7 generator (see uuid7_process_generator). Call only inside guarded().
Uuid7Generator& process_uuid7();

// This backend's SHA-1 digest context, made on first use. Call only inside guarded().
Digest& process_sha1();

// Wall-clock milliseconds since the Unix epoch, as JavaScript's Date.now().
std::uint64_t now_ms() noexcept;

// Wall-clock nanoseconds since the Unix epoch from the precise clock: a UUIDv7 shows its time,
// to 1/4096 ms, so the coarse clock's ticks of up to 10 ms would not do.
std::uint64_t now_ns() noexcept;

}  // namespace idconv::pg
