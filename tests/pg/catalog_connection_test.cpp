// Connections the libpq way, clear errors, and passwords that never show: in no
// output, log or error message of the catalog reader or `felisc inspect`.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/reader.h"
#include "compiler/cli/cli.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"

namespace felisc::testing {
namespace {

constexpr std::string_view kPassword = "felisc-test-password";  // tools/pg-test-cluster.sh

/// The value of `key` in a test conninfo (values may be single-quoted).
std::string field(const std::string& conninfo, const std::string& key) {
  std::smatch match;
  if (std::regex_search(conninfo, match, std::regex("(^| )" + key + "='?([^' ]*)'?"))) return match[2];
  ADD_FAILURE() << "no " << key << " in the test conninfo";
  return "";
}

/// A port on 127.0.0.1 where nothing listens (bound, read, released).
int closedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

std::string allMessages(const catalog::CatalogResult& result) {
  std::string text;
  for (const auto& diagnostic : result.diagnostics.all()) text += diagnostic.message + "\n";
  return text;
}

TEST(CatalogConnection, RefusedConnectionIsAClearError) {
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(closedPort()) + " connect_timeout=5";
  catalog::CatalogResult result = catalog::readSchemas(conninfo, {"cat"});
  ASSERT_EQ(result.diagnostics.errorCount(), 1u);
  const auto& diagnostic = result.diagnostics.all().front();
  EXPECT_EQ(diagnostic.id, model::DiagId::err_db_connect);
  EXPECT_NE(diagnostic.message.find("cannot connect to the database: "), std::string::npos);
  EXPECT_NE(diagnostic.message.find("Connection refused"), std::string::npos) << diagnostic.message;
  EXPECT_TRUE(result.schemas.empty());
}

TEST(CatalogConnection, MissingSchemaIsNamed) {
  ScratchDatabase db;
  ASSERT_TRUE(db.exec("CREATE SCHEMA present"));
  catalog::CatalogResult result = catalog::readSchemas(db.conninfo(), {"present", "absent"});
  ASSERT_EQ(result.diagnostics.errorCount(), 1u);
  EXPECT_EQ(result.diagnostics.all().front().message,
            "schema 'absent' does not exist in database '" + db.name() + "'");
  EXPECT_TRUE(result.schemas.empty());

  testing::CliRun run = testing::runFelisc({"inspect", db.conninfo(), "--schema", "absent"});
  EXPECT_EQ(run.exit_code, cli::kExitUsage);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "felisc: error: schema 'absent' is not in the database [FEL508]\n");
}

TEST(CatalogConnection, MissingUsagePrivilegeIsNamed) {
  ScratchDatabase db;
  const std::string role = "felisc_nousage_" + std::to_string(::getpid());
  ASSERT_TRUE(db.exec("CREATE SCHEMA secret; CREATE TABLE secret.t (x int)"));
  ASSERT_TRUE(db.exec("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN"));
  const std::string conninfo = db.conninfo() + " user=" + role;  // the last setting wins
  catalog::CatalogResult result = catalog::readSchemas(conninfo, {"secret"});
  ASSERT_EQ(result.diagnostics.errorCount(), 1u);
  EXPECT_EQ(result.diagnostics.all().front().message,
            "permission denied: role '" + role + "' has no USAGE privilege on schema 'secret' in database '" +
                db.name() + "'");
  // With USAGE granted, the same role reads it.
  ASSERT_TRUE(db.exec("GRANT USAGE ON SCHEMA secret TO " + role));
  catalog::CatalogResult granted = catalog::readSchemas(conninfo, {"secret"});
  EXPECT_FALSE(granted.diagnostics.hasErrors()) << allMessages(granted);
  ASSERT_EQ(granted.schemas.size(), 1u);
  EXPECT_EQ(granted.schemas[0].tables.size(), 1u);
  ASSERT_TRUE(db.exec("REVOKE USAGE ON SCHEMA secret FROM " + role + "; DROP ROLE " + role));
}

TEST(CatalogConnection, WrongPasswordNeverShows) {
  const std::string good = PgServer::passwordConninfo();
  ASSERT_NE(good.find(kPassword), std::string::npos);
  const std::string wrong_password = "Wr0ng-pa55word-7781";
  std::string wrong = good;
  wrong.replace(wrong.find(kPassword), kPassword.size(), wrong_password);

  catalog::CatalogResult result = catalog::readSchemas(wrong + " passfile=/nonexistent", {"public"});
  ASSERT_TRUE(result.diagnostics.hasErrors());
  const std::string messages = allMessages(result);
  EXPECT_NE(messages.find("password authentication failed"), std::string::npos) << messages;
  EXPECT_EQ(messages.find(wrong_password), std::string::npos) << messages;

  // The same through the CLI, key/value and URI forms alike.
  const std::string port = field(good, "port");
  for (const std::string& db :
       {wrong, "postgresql://felisc_password:" + wrong_password + "@127.0.0.1:" + port + "/postgres",
        "postgresql://felisc_password@127.0.0.1:" + port + "/postgres?password=" + wrong_password}) {
    testing::CliRun run = testing::runFelisc({"inspect", db, "--schema", "public"});
    EXPECT_EQ(run.exit_code, cli::kExitUsage);
    EXPECT_NE(run.err.find("password authentication failed"), std::string::npos) << run.err;
    EXPECT_EQ((run.out + run.err).find(wrong_password), std::string::npos) << run.err;
  }
}

TEST(CatalogConnection, UnquotedConninfoIsRefusedWithoutEchoingIt) {
  // `felisc inspect host=h password=p --schema s`: the shell splits the conninfo.
  testing::CliRun run =
      testing::runFelisc({"inspect", "host=127.0.0.1", "password=Unquoted-secret-42", "--schema", "x"});
  EXPECT_EQ(run.exit_code, cli::kExitUsage);
  EXPECT_NE(run.err.find("unexpected arguments (not shown"), std::string::npos) << run.err;
  EXPECT_EQ((run.out + run.err).find("Unquoted-secret-42"), std::string::npos) << run.err;
}

TEST(CatalogConnection, PasswordInAnErrorLibpqEchoesIsScrubbed) {
  // libpq quotes the bad token of a URI in its error, and here the token is the password.
  const std::string secret = "s3cret%zzword";
  testing::CliRun run = testing::runFelisc(
      {"inspect", "postgresql://felisc_password:" + secret + "@127.0.0.1:1/postgres", "--schema", "x"});
  EXPECT_EQ(run.exit_code, cli::kExitUsage);
  EXPECT_NE(run.err.find("percent-encoded"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("s3cret"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("********"), std::string::npos) << run.err;
}

TEST(CatalogConnection, RightPasswordConnectsAndStaysHidden) {
  const std::string good = PgServer::passwordConninfo();
  const std::string port = field(good, "port");
  // Key/value, URI, PGPASSWORD and a password file all connect; an error after
  // connecting (no such schema) carries no password either.
  std::vector<std::string> forms = {
      good,
      "postgresql://felisc_password:" + std::string(kPassword) + "@127.0.0.1:" + port + "/postgres",
  };
  for (const std::string& db : forms) {
    catalog::CatalogResult result = catalog::readSchemas(db, {"public", "felisc_no_such_schema"});
    ASSERT_EQ(result.diagnostics.errorCount(), 1u) << allMessages(result);
    EXPECT_EQ(result.diagnostics.all().front().id, model::DiagId::err_schema_missing);
    EXPECT_EQ(allMessages(result).find(kPassword), std::string::npos);
  }

  const std::string no_password = "host=127.0.0.1 port=" + port + " user=felisc_password dbname=postgres";
  ::setenv("PGPASSWORD", std::string(kPassword).c_str(), 1);
  catalog::CatalogResult with_env = catalog::readSchemas(no_password + " passfile=/nonexistent", {"public"});
  ::unsetenv("PGPASSWORD");
  EXPECT_FALSE(with_env.diagnostics.hasErrors()) << allMessages(with_env);

  const std::filesystem::path passfile =
      std::filesystem::temp_directory_path() / ("felisc_pgpass_" + std::to_string(::getpid()));
  {
    std::ofstream file(passfile);
    file << "127.0.0.1:" << port << ":postgres:felisc_password:" << kPassword << "\n";
  }
  std::filesystem::permissions(passfile,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  catalog::CatalogResult with_file =
      catalog::readSchemas(no_password + " passfile=" + passfile.string(), {"public"});
  std::filesystem::remove(passfile);
  EXPECT_FALSE(with_file.diagnostics.hasErrors()) << allMessages(with_file);
}

TEST(CatalogConnection, EnvironmentAloneIsEnough) {
  ScratchDatabase db;
  ASSERT_TRUE(db.exec("CREATE SCHEMA envschema; CREATE TABLE envschema.t (x int)"));
  const std::string conninfo = db.conninfo();
  ::setenv("PGHOST", field(conninfo, "host").c_str(), 1);
  ::setenv("PGPORT", field(conninfo, "port").c_str(), 1);
  ::setenv("PGUSER", field(conninfo, "user").c_str(), 1);
  ::setenv("PGDATABASE", db.name().c_str(), 1);
  catalog::CatalogResult result = catalog::readSchemas(std::string(), {"envschema"});
  for (const char* name : {"PGHOST", "PGPORT", "PGUSER", "PGDATABASE"}) ::unsetenv(name);
  EXPECT_FALSE(result.diagnostics.hasErrors()) << allMessages(result);
  ASSERT_EQ(result.schemas.size(), 1u);
  EXPECT_EQ(result.schemas[0].tables.size(), 1u);
}

}  // namespace
}  // namespace felisc::testing
