// Writes rows to stdout as PostgreSQL COPY text format, one buffer per table.
//
// Each table accumulates rows in its own buffer; when a buffer passes a few megabytes it is
// written out as a complete `COPY table (cols) FROM stdin; ... \.` block. A table may therefore
// appear in several blocks (interleaved with other tables), which psql handles like one: the
// generator's memory stays bounded and psql starts loading while generation is still running.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace demo {

// Appends `s` escaped for COPY text format (backslash, tab, newline, carriage return).
void append_copy_escaped(std::string& out, std::string_view s);

// Appends `s` as the inside of a JSON string literal (quotes, backslashes, control characters).
void append_json_escaped(std::string& out, std::string_view s);

void append_int(std::string& out, int64_t v);

class Table {
public:
    Table(const char* name, const char* columns) : name_(name), columns_(columns) {}

    // Field appenders; each call adds one column of the current row.
    Table& i(int64_t v) { sep(); append_int(buf_, v); return *this; }
    Table& id_or_null(int64_t v) { return v ? i(v) : null(); }  // 0 means "no id"
    Table& s(std::string_view v) { sep(); append_copy_escaped(buf_, v); return *this; }
    Table& raw(std::string_view v) { sep(); buf_.append(v); return *this; }  // caller guarantees no specials
    Table& b(bool v) { sep(); buf_.push_back(v ? 't' : 'f'); return *this; }
    Table& null() { sep(); buf_.append("\\N", 2); return *this; }
    Table& ts(int64_t micros);                       // timestamp
    Table& ts_or_null(int64_t micros) { return micros ? ts(micros) : null(); }  // 0 means NULL

    void end_row();  // finishes the row; may flush the buffer

    void flush();  // writes the pending rows (if any) as one COPY block
    uint64_t rows() const { return rows_; }
    const char* name() const { return name_; }

    // COPY ... WITH (FREEZE): only valid when the table was truncated in the same transaction.
    static void set_freeze(bool on) { freeze_ = on; }

private:
    void sep() {
        if (!first_) buf_.push_back('\t');
        first_ = false;
    }

    const char* name_;
    const char* columns_;
    std::string buf_;
    bool first_ = true;
    uint64_t rows_ = 0;
    static bool freeze_;
};

// Writes raw text (BEGIN, setval, COMMIT) to the same output.
void write_raw(std::string_view text);

}  // namespace demo
