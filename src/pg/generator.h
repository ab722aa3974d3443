// The backend's CUID2 generator and clock.
#pragma once

#include <cstdint>

#include "core/cuid2.h"

namespace idconv::pg {

// This backend's generator (see cuid2_process_generator). Call only inside guarded(): making one
// can throw.
Cuid2Generator& process_generator();

// Wall-clock milliseconds since the Unix epoch, as JavaScript's Date.now().
std::uint64_t now_ms() noexcept;

}  // namespace idconv::pg
