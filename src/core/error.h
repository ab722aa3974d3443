// The one exception type the core throws for a caller's mistake. The PostgreSQL glue turns it into
// an ERROR with the SQLSTATE that `kind` names; anything else a core function throws is a bug or
// an out-of-memory condition and is reported as such.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace idconv {

enum class ErrorKind {
    invalid_parameter_value,  // SQLSTATE 22023
    internal,                 // SQLSTATE XX000
};

// How much of a caller's value a message shows, in bytes: a 1 MB argument does not become a 1 MB
// error message.
constexpr std::size_t kQuoteLimit = 80;

// A caller's value as a message shows it: quoted, at most `limit` bytes, with "..." when cut. Cuts
// on a UTF-8 character boundary; the PostgreSQL glue cuts on one of the database's encoding (see
// Error's constructor with Quoted).
std::string quote_for_message(const char* data, std::size_t len, std::size_t limit = kQuoteLimit);

// A caller's value that a message quotes after its head, as in `invalid prefix "Usr"`.
struct Quoted {
    std::string_view value;
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, std::string detail = {}, std::string hint = {})
        : std::runtime_error(message), kind_(kind), detail_(std::move(detail)), hint_(std::move(hint)) {}

    // what() is `head` and the value quoted, cut on a UTF-8 character. The value is also kept
    // apart, its first bytes only, so that the PostgreSQL glue can cut it on a character of the
    // database's encoding instead: half an EUC_JP character would make the message itself fail
    // its conversion to the client's encoding.
    Error(ErrorKind kind, const std::string& head, Quoted quoted, std::string detail = {}, std::string hint = {})
        : std::runtime_error(head + quote_for_message(quoted.value.data(), quoted.value.size())),
          kind_(kind),
          detail_(std::move(detail)),
          hint_(std::move(hint)),
          head_(head),
          quoted_(quoted.value.substr(0, kQuotedBytesKept)),
          quoted_longer_(quoted.value.size() > kQuoteLimit),
          quotes_(true) {}

    ErrorKind kind() const noexcept { return kind_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }

    // Whether the message quotes a value; then its head, the value's first bytes, and whether
    // the value is longer than kQuoteLimit bytes.
    bool quotes() const noexcept { return quotes_; }
    const std::string& head() const noexcept { return head_; }
    const std::string& quoted() const noexcept { return quoted_; }
    bool quoted_longer() const noexcept { return quoted_longer_; }

    // The bytes of a quoted value kept: the limit, and the rest of a character that starts
    // within it (no encoding has one longer than 4 bytes).
    static constexpr std::size_t kQuotedBytesKept = kQuoteLimit + 3;

private:
    ErrorKind kind_;
    std::string detail_;
    std::string hint_;
    std::string head_;
    std::string quoted_;
    bool quoted_longer_ = false;
    bool quotes_ = false;
};


}  // namespace idconv
