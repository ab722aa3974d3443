// The one boundary between C++ and PostgreSQL, used by every SQL-callable entry point:
//
//   char buf[...];                          // plain storage, no destructor
//   guarded([&] { ...core calls...; });     // C++ runs here; every exception is caught
//   PG_RETURN_TEXT_P(...palloc'd copy...);
//
// A C++ exception never unwinds into PostgreSQL frames, and ereport() (a longjmp) is only called
// after the try block and every C++ object in it are gone, so no destructor is ever skipped.
// The body must not call PostgreSQL functions that can raise an ERROR: decode the arguments
// before, palloc the result after.
#pragma once

extern "C" {
#include "postgres.h"
}

#include <cstddef>
#include <exception>
#include <new>
#include <string_view>
#include <type_traits>

#include "core/error.h"

namespace idconv::pg {

// What a failed body left behind. Plain arrays only: it lives in the frame that raises the error.
struct PendingError {
    enum class What { none, caller_error, out_of_memory, internal } what;
    int sqlerrcode;
    char message[512];
    char detail[512];
    char hint[512];
    // A value the message quotes after `message` (idconv::Quoted): its first bytes, NUL-ended.
    bool quotes;
    bool quoted_longer;
    std::size_t quoted_len;
    char quoted[idconv::Error::kQuotedBytesKept + 1];
};
static_assert(std::is_trivially_destructible_v<PendingError>,
              "PendingError must survive a longjmp out of its frame");

// A caller's value as a message shows it: at most idconv::kQuoteLimit bytes, cut on a character
// boundary of the database's encoding (a message is converted to the client's encoding, and half a
// character would make that fail), with "..." when cut or when `longer` says `value` holds only
// the start of the value. palloc'd, so call it outside guarded().
char* shown(std::string_view value, bool longer = false);

void capture(PendingError& pending, const idconv::Error& e) noexcept;
void capture_internal(PendingError& pending, const char* what) noexcept;
[[noreturn]] void raise(const PendingError& pending);

template <typename Body>
inline void guarded(Body&& body) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>>,
                  "capture by reference: the closure must have no destructor");
    PendingError pending;
    pending.what = PendingError::What::none;
    pending.quotes = false;
    try {
        body();
    } catch (const idconv::Error& e) {
        capture(pending, e);
    } catch (const std::bad_alloc&) {
        pending.what = PendingError::What::out_of_memory;
    } catch (const std::exception& e) {
        capture_internal(pending, e.what());
    } catch (...) {
        capture_internal(pending, "unknown C++ exception");
    }
    if (pending.what != PendingError::What::none) raise(pending);
}

}  // namespace idconv::pg
