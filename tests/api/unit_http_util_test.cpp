// Error mapping and routing, without a server.
#include <gtest/gtest.h>

#include "http_util.hpp"
#include "router.hpp"

using namespace support_reports::api;

TEST(PgMessage, KeepsMessageAndHintDropsContext) {
    const auto m = parse_pg_message(
        "ERROR:  invalid metric \"bogus\"\nHINT:  Valid metrics are a, b.\nCONTEXT:  PL/pgSQL function "
        "reports.check_metric(text,text[]) line 4 at RAISE\n");
    EXPECT_EQ(m.message, "invalid metric \"bogus\"");
    EXPECT_EQ(m.hint, "Valid metrics are a, b.");
    EXPECT_EQ(parse_pg_message("invalid since: must not be NULL\n").message, "invalid since: must not be NULL");
}

TEST(PgMessage, ParameterFromInvalidPrefix) {
    EXPECT_EQ(parameter_in_message("invalid since: must not be NULL"), "since");
    EXPECT_EQ(parameter_in_message("invalid metric \"x\""), "metric");
    EXPECT_EQ(parameter_in_message("invalid group_by \"x\""), "group_by");
    EXPECT_EQ(parameter_in_message("invalid tz: time zone \"x\" not recognized"), "tz");
    EXPECT_FALSE(parameter_in_message("histogram edges must be strictly increasing"));
    EXPECT_FALSE(parameter_in_message("invalid"));
    EXPECT_FALSE(parameter_in_message("invalid input syntax for type integer: \"x\""));  // Postgres' own
}

TEST(SqlState, Classes) {
    EXPECT_EQ(classify_sqlstate("22023"), DbErrorKind::Client);
    EXPECT_EQ(classify_sqlstate("22004"), DbErrorKind::Client);
    EXPECT_EQ(classify_sqlstate("22008"), DbErrorKind::Client);
    EXPECT_EQ(classify_sqlstate("54000"), DbErrorKind::Client);
    EXPECT_EQ(classify_sqlstate("57014"), DbErrorKind::Timeout);
    EXPECT_EQ(classify_sqlstate("08006"), DbErrorKind::Unavailable);
    EXPECT_EQ(classify_sqlstate("57P01"), DbErrorKind::Unavailable);
    EXPECT_EQ(classify_sqlstate("42883"), DbErrorKind::Internal);
    EXPECT_EQ(classify_sqlstate(""), DbErrorKind::Internal);
}

TEST(SqlState, ClientErrorNamesTheHttpParameter) {
    const auto e = client_error_from_sql("22023", "ERROR:  invalid tz: time zone \"Mars\" not recognized\nHINT:  Use x.\n",
                                         {{"tz", "timezone"}}, "parameters");
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(dump_json(e.body()),
              R"({"error":"invalid parameter","parameter":"timezone","message":"invalid tz: time zone \"Mars\" not recognized","hint":"Use x."})");
    const auto f = client_error_from_sql("22023", "ERROR:  histogram edges must be strictly increasing\n", {}, "edges[]");
    EXPECT_EQ(f.body()["parameter"], "edges[]");
}

TEST(Replies, CsvHeaders) {
    const Reply r = csv_reply("a\n", "agents_report");
    EXPECT_EQ(r.content_type, "text/csv");
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "Content-Disposition");
    EXPECT_EQ(r.headers[0].second, "attachment; filename=agents_report.csv");
}

TEST(Router, PatternsAndSuffixes) {
    const PathPattern p("/api/v2/accounts/:account_id/reports/agents");
    std::vector<std::string> segs = {"api", "v2", "accounts", "7", "reports", "agents"};
    const auto m = p.match(segs);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->at("account_id"), "7");
    EXPECT_FALSE(p.match({"api", "v2", "accounts", "7", "reports"}));
    EXPECT_FALSE(p.match({"api", "v1", "accounts", "7", "reports", "agents"}));

    std::vector<std::string> csv = {"reports", "agents.csv"};
    EXPECT_EQ(strip_format_suffix(csv), "csv");
    EXPECT_EQ(csv.back(), "agents");
    std::vector<std::string> plain = {"reports", "agents"};
    EXPECT_EQ(strip_format_suffix(plain), "");
    std::vector<std::string> only = {".csv"};
    EXPECT_EQ(strip_format_suffix(only), "");
}
