#include "core/error.h"

namespace idconv {

std::string quote_for_message(const char* data, std::size_t len, std::size_t limit) {
    std::string out = "\"";
    if (len <= limit) {
        out.append(data, len);
    } else {
        // Cut on a UTF-8 character boundary so the message stays valid text.
        std::size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(data[cut]) & 0xC0) == 0x80) --cut;
        out.append(data, cut);
        out += "...";
    }
    out += '"';
    return out;
}

}  // namespace idconv
