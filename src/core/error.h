// The one exception type the core throws for a caller's mistake. The PostgreSQL glue turns it into
// an ERROR with the SQLSTATE that `kind` names; anything else a core function throws is a bug or
// an out-of-memory condition and is reported as such.
#pragma once

#include <stdexcept>
#include <string>

namespace idconv {

enum class ErrorKind {
    invalid_parameter_value,  // SQLSTATE 22023
    internal,                 // SQLSTATE XX000
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, std::string detail = {}, std::string hint = {})
        : std::runtime_error(message), kind_(kind), detail_(std::move(detail)), hint_(std::move(hint)) {}

    ErrorKind kind() const noexcept { return kind_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    ErrorKind kind_;
    std::string detail_;
    std::string hint_;
};

// Shows a caller's value in a message: at most `limit` bytes, with "..." when cut, so that a
// 1 MB argument does not become a 1 MB error message.
std::string quote_for_message(const char* data, std::size_t len, std::size_t limit = 80);

}  // namespace idconv
