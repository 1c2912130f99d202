#include "copy_writer.hpp"

#include "civil_time.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace demo {

bool Table::freeze_ = false;

namespace {

// Large enough that COPY statement overhead is negligible, small enough that psql gets data
// early and the generator never holds more than a few tens of megabytes.
constexpr size_t kFlushBytes = 4u << 20;

void write_all(const char* p, size_t n, std::FILE* f) {
    if (n != 0 && std::fwrite(p, 1, n, f) != n) {
        std::fprintf(stderr, "demo-data: write to stdout failed\n");
        std::exit(1);
    }
}

}  // namespace

void append_copy_escaped(std::string& out, std::string_view s) {
    size_t start = 0;
    for (size_t k = 0; k < s.size(); ++k) {
        const char c = s[k];
        const char* rep = nullptr;
        switch (c) {
            case '\\': rep = "\\\\"; break;
            case '\t': rep = "\\t"; break;
            case '\n': rep = "\\n"; break;
            case '\r': rep = "\\r"; break;
            default: continue;
        }
        out.append(s.data() + start, k - start);
        out.append(rep, 2);
        start = k + 1;
    }
    out.append(s.data() + start, s.size() - start);
}

void append_json_escaped(std::string& out, std::string_view s) {
    static const char kHex[] = "0123456789abcdef";
    for (const char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default:
                if (c < 0x20) {
                    out.append("\\u00");
                    out.push_back(kHex[c >> 4]);
                    out.push_back(kHex[c & 15]);
                } else {
                    out.push_back(ch);
                }
        }
    }
}

void append_int(std::string& out, int64_t v) {
    char buf[24];
    char* p = buf + sizeof buf;
    uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0) *--p = '-';
    out.append(p, static_cast<size_t>(buf + sizeof buf - p));
}

Table& Table::ts(int64_t micros) {
    sep();
    append_timestamp(buf_, micros);
    return *this;
}

void Table::end_row() {
    buf_.push_back('\n');
    first_ = true;
    ++rows_;
    if (buf_.size() >= kFlushBytes) flush();
}

void Table::flush() {
    if (buf_.empty()) return;
    std::string head = "COPY ";
    head += name_;
    head += " (";
    head += columns_;
    head += freeze_ ? ") FROM stdin WITH (FREEZE);\n" : ") FROM stdin;\n";
    write_all(head.data(), head.size(), stdout);
    write_all(buf_.data(), buf_.size(), stdout);
    write_all("\\.\n", 3, stdout);
    buf_.clear();
}

void write_raw(std::string_view text) { write_all(text.data(), text.size(), stdout); }

}  // namespace demo
