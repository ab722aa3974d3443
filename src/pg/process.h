// Per-backend state and clock.
#pragma once

#include <cstdint>

#include "core/cuid2.h"
#include "core/digest.h"

namespace idconv::pg {

// This backend's CUID2 generator (see cuid2_process_generator). Call only inside guarded():
// making one can throw.
Cuid2Generator& process_generator();

// This backend's SHA-1 digest context, made on first use. Call only inside guarded().
Digest& process_sha1();

// Wall-clock milliseconds since the Unix epoch, as JavaScript's Date.now().
std::uint64_t now_ms() noexcept;

}  // namespace idconv::pg
