// StaticSite: the dashboard's files are served, and nothing else is, whatever the path says.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "static_files.hpp"

using namespace support_reports::api;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

std::string header(const Reply& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return "";
}

// A web root with a page, a script, a style sheet in a folder, a hidden file, a file of an
// unknown type, and symlinks to a secret outside the root and to a file inside it; plus an alias.
class StaticSiteTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/sr-static-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        base_ = tmpl;
        write(base_ / "web/index.html", "<!doctype html><title>x</title>");
        write(base_ / "web/app.js", "console.log(1);");
        write(base_ / "web/css/site.css", "body{}");
        write(base_ / "web/.env", "SECRET=1");
        write(base_ / "web/notes.exe", "MZ");
        write(base_ / "secret.txt", "top secret");
        write(base_ / "openapi.yaml", "openapi: 3.1.0\n");
        fs::create_symlink(base_ / "secret.txt", base_ / "web/leak.txt");
        fs::create_symlink(base_ / "web/app.js", base_ / "web/alias.js");
        fs::create_directories(base_ / "web/dir.js");
    }
    void TearDown() override { fs::remove_all(base_); }

    StaticSite site() const {
        return StaticSite((base_ / "web").string(), {{"/openapi.yaml", (base_ / "openapi.yaml").string()},
                                                     {"/vendor/missing.js", (base_ / "nope.js").string()}});
    }
    fs::path base_;
};

}  // namespace

TEST_F(StaticSiteTest, ServesFilesWithTheirTypes) {
    const auto index = site().serve("/", std::nullopt);
    ASSERT_TRUE(index);
    EXPECT_EQ(index->status, 200);
    EXPECT_EQ(index->body, "<!doctype html><title>x</title>");
    EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
    EXPECT_NE(header(*index, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(header(*index, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(*index, "X-Content-Type-Options"), "nosniff");

    const auto js = site().serve("/app.js", std::nullopt);
    ASSERT_TRUE(js);
    EXPECT_EQ(js->body, "console.log(1);");
    EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(header(*js, "Content-Security-Policy"), "");  // only pages carry the policy

    const auto css = site().serve("/css/site.css", std::nullopt);
    ASSERT_TRUE(css);
    EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
    const auto encoded = site().serve("/%61pp.js", std::nullopt);  // %61 = 'a'
    ASSERT_TRUE(encoded);
    EXPECT_EQ(encoded->body, "console.log(1);");

    const auto yaml = site().serve("/openapi.yaml", std::nullopt);
    ASSERT_TRUE(yaml);
    EXPECT_EQ(yaml->body, "openapi: 3.1.0\n");
    EXPECT_EQ(yaml->content_type, "application/yaml; charset=utf-8");

    // A symlink that stays inside the root is followed.
    const auto inner = site().serve("/alias.js", std::nullopt);
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->body, "console.log(1);");
}

TEST_F(StaticSiteTest, RevalidatesWithETag) {
    const auto first = site().serve("/app.js", std::nullopt);
    ASSERT_TRUE(first);
    const std::string etag = header(*first, "ETag");
    ASSERT_FALSE(etag.empty());
    const auto again = site().serve("/app.js", etag);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_EQ(again->body, "");
    const auto listed = site().serve("/app.js", "\"other\", " + etag);
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->status, 304);
    const auto changed = site().serve("/app.js", std::string("\"0-0\""));
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->status, 200);
    EXPECT_EQ(changed->body, "console.log(1);");
}

TEST_F(StaticSiteTest, RefusesHostilePaths) {
    for (const char* path :
         {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/css/../../secret.txt", "/..%2fsecret.txt",
          "/css%2f..%2f..%2fsecret.txt", "/%5c..%5csecret.txt", "/..\\secret.txt", "/app.js%00.html", "/app.js%00",
          "/.env", "/%2eenv", "/css/", "//app.js", "/css//site.css", "/app.js/", "/leak.txt", "/dir.js", "/notes.exe",
          "/nope.js", "/app.js%", "/app.js%4", "/app.js%zz", "/vendor/missing.js", "app.js", "/~root/x.js",
          "/app.js?x", "/%2fetc%2fpasswd", "/etc/passwd", "/proc/self/environ", "/web/../../secret.txt"}) {
        EXPECT_FALSE(site().serve(path, std::nullopt)) << path;
    }
}

TEST_F(StaticSiteTest, NoRootServesOnlyAliases) {
    const StaticSite none("", {{"/openapi.yaml", (base_ / "openapi.yaml").string()}});
    EXPECT_FALSE(none.serve("/", std::nullopt));
    EXPECT_FALSE(none.serve("/app.js", std::nullopt));
    EXPECT_TRUE(none.serve("/openapi.yaml", std::nullopt));
    const StaticSite missing((base_ / "no-such-dir").string(), {});
    EXPECT_FALSE(missing.serve("/", std::nullopt));
}

TEST(StaticFiles, ContentTypesAndSegments) {
    EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
    EXPECT_EQ(content_type_for("a.png"), "image/png");
    EXPECT_EQ(content_type_for("a.JS"), "");  // exact extensions only
    EXPECT_EQ(content_type_for("Makefile"), "");
    EXPECT_EQ(static_segments("/"), std::vector<std::string>{});
    EXPECT_EQ(static_segments("/a/b.js"), (std::vector<std::string>{"a", "b.js"}));
    EXPECT_FALSE(static_segments("/a/../b.js"));
    EXPECT_FALSE(static_segments("/a/%2e/b.js"));
}
