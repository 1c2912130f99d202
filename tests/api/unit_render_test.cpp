// CSV cells, durations, channel names and dates, without a server. Expected texts are written by
// hand from the rules (RFC 4180, OWASP's CSV-injection advice, Chatwoot's TimeFormatPresenter).
#include <gtest/gtest.h>

#include "render.hpp"

using namespace support_reports::api;

TEST(CsvGuard, PrefixesFormulaStarts) {
    EXPECT_EQ(csv_cell("=1+1"), "'=1+1");
    EXPECT_EQ(csv_cell("+cmd"), "'+cmd");
    EXPECT_EQ(csv_cell("-Mallory"), "'-Mallory");
    EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_cell("\tx"), "'\tx");
    EXPECT_EQ(csv_cell("-1+2"), "'-1+2");
    EXPECT_EQ(csv_cell("-"), "'-");
}

TEST(CsvGuard, LeavesNumbersAndOrdinaryTextAlone) {
    EXPECT_EQ(csv_cell("-5"), "-5");
    EXPECT_EQ(csv_cell("-3.25"), "-3.25");
    EXPECT_EQ(csv_cell("+15551234567"), "+15551234567");
    EXPECT_EQ(csv_cell("1e5"), "1e5");
    EXPECT_EQ(csv_cell("pre-sales"), "pre-sales");
    EXPECT_EQ(csv_cell("Mary-Jane"), "Mary-Jane");
    EXPECT_EQ(csv_cell("a=b"), "a=b");
    EXPECT_EQ(csv_cell(""), "");
}

TEST(CsvQuoting, Rfc4180) {
    EXPECT_EQ(csv_cell("Great, thanks!"), "\"Great, thanks!\"");
    EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_cell("=SUM(1,2)"), "\"'=SUM(1,2)\"");  // guard first, then quote
}

TEST(CsvLine, NullCellsAreEmpty) {
    EXPECT_EQ(csv_line({std::string("a"), std::nullopt, std::string("-5"), std::string("x,y")}), "a,,-5,\"x,y\"\n");
    EXPECT_EQ(csv_line({}), "\n");
}

TEST(PlainNumber, Recognition) {
    for (const char* n : {"0", "-5", "+5", "3.25", "-3.25", ".5", "5.", "1e5", "-1.5E-3"}) EXPECT_TRUE(is_plain_number(n)) << n;
    for (const char* n : {"", "-", "+", ".", "1e", "1-2", "--5", "5 ", "abc", "0x10"}) EXPECT_FALSE(is_plain_number(n)) << n;
}

TEST(Duration, TimeFormatPresenter) {
    EXPECT_EQ(format_duration(std::nullopt), "N/A");
    EXPECT_EQ(format_duration(0.0), "N/A");
    EXPECT_EQ(format_duration(0.9), "N/A");  // whole seconds only
    EXPECT_EQ(format_duration(1.0), "1 second");
    EXPECT_EQ(format_duration(59.0), "59 seconds");
    EXPECT_EQ(format_duration(60.0), "1 minute");
    EXPECT_EQ(format_duration(90.0), "1 minute 30 seconds");
    EXPECT_EQ(format_duration(2703.0), "45 minutes 3 seconds");
    EXPECT_EQ(format_duration(3600.0), "1 hour");
    EXPECT_EQ(format_duration(3601.0), "1 hour 1 second");  // first two non-zero parts
    EXPECT_EQ(format_duration(7200.0), "2 hours");
    EXPECT_EQ(format_duration(93600.0), "1 day 2 hours");
    EXPECT_EQ(format_duration(90061.0), "1 day 1 hour");
    EXPECT_EQ(format_duration(172800.0), "2 days");
    EXPECT_EQ(format_duration(1050.5), "17 minutes 30 seconds");
    EXPECT_EQ(format_duration(-5.0), "N/A");
}

TEST(ChannelName, ChatwootDisplayNames) {
    EXPECT_EQ(channel_display_name("Channel::WebWidget"), "Website");
    EXPECT_EQ(channel_display_name("Channel::Api"), "API");
    EXPECT_EQ(channel_display_name("Channel::Email"), "Email");
    EXPECT_EQ(channel_display_name("Channel::FacebookPage"), "Facebook");
    EXPECT_EQ(channel_display_name("Channel::TwilioSms"), "Twilio SMS");
    EXPECT_EQ(channel_display_name("Channel::TwitterProfile"), "Twitter");
    EXPECT_EQ(channel_display_name("Channel::Line"), "LINE");
    EXPECT_EQ(channel_display_name("Channel::Voice"), "Voice");
    EXPECT_EQ(channel_display_name(""), "");
}

TEST(UtcDate, CivilDates) {
    EXPECT_EQ(utc_date(0), "1970-01-01");
    EXPECT_EQ(utc_date(1704067200), "2024-01-01");
    EXPECT_EQ(utc_date(1704326399), "2024-01-03");
    EXPECT_EQ(utc_date(1709164800), "2024-02-29");
    EXPECT_EQ(utc_date(951782400), "2000-02-29");
    EXPECT_EQ(utc_date(253402300799), "9999-12-31");
}

TEST(JsonDump, FloatsStayFloatsAndBadUtf8IsReplaced) {
    Json j{{"avg", 7200.0}, {"count", 3}, {"none", nullptr}};
    EXPECT_EQ(dump_json(j), "{\"avg\":7200.0,\"count\":3,\"none\":null}");
    EXPECT_EQ(dump_json(Json(std::string("a\xff"))), "\"a\xef\xbf\xbd\"");
}
