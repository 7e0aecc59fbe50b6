// Proves the database test harness itself: the fixture's throwaway server is the
// one we asked for (PostgreSQL 15, 127.0.0.1 only, ConsDB's roles, pgsphere that
// installs), and the helpers in tests/support/pg_test_server.h behave as documented.
#include "tests/support/pg_test_server.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

namespace felisc::testing {
namespace {

TEST(PgServer, IsPostgres15) {
  PgConnection admin(PgServer::conninfo());
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(PQserverVersion(admin.raw()) / 10000, 15);
  EXPECT_EQ(admin.queryValue("SELECT current_setting('server_version_num')::int / 10000"), "15");
}

TEST(PgServer, ListensOnLoopbackOnly) {
  PgConnection admin(PgServer::conninfo());
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin.queryValue("SHOW listen_addresses"), "127.0.0.1");
  // This very connection came over TCP to the loopback address.
  EXPECT_EQ(admin.queryValue("SELECT host(inet_server_addr())"), "127.0.0.1");
}

TEST(PgServer, HasConsDbRoles) {
  PgConnection admin(PgServer::conninfo());
  ASSERT_TRUE(admin.ok());
  const PgRows roles = admin.query(
      "SELECT rolname FROM pg_roles WHERE rolname IN ('usdf', 'oods', 'felisc_password') ORDER BY 1");
  ASSERT_EQ(roles.size(), 3u);
  EXPECT_EQ(roles[0][0], "felisc_password");
  EXPECT_EQ(roles[1][0], "oods");
  EXPECT_EQ(roles[2][0], "usdf");
}

TEST(PgServer, IsThrowawayFast) {
  PgConnection admin(PgServer::conninfo());
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin.queryValue("SHOW fsync"), "off");
  EXPECT_EQ(admin.queryValue("SHOW synchronous_commit"), "off");
  EXPECT_EQ(admin.queryValue("SHOW full_page_writes"), "off");
}

TEST(PgServer, Template1HasNoExtensions) {
  PgConnection template1(PgServer::withDatabase(PgServer::conninfo(), "template1"));
  ASSERT_TRUE(template1.ok());
  EXPECT_EQ(template1.queryValue("SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension"),
            "plpgsql");
}

TEST(PgServer, PasswordRoleNeedsItsPassword) {
  const std::string with_password = PgServer::passwordConninfo();
  ASSERT_NE(with_password.find("password="), std::string::npos);
  PgConnection good(with_password);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.queryValue("SELECT current_user"), "felisc_password");

  // The same role without the password (and no ~/.pgpass or PGPASSWORD in play).
  std::string without = PgServer::conninfo();
  without.replace(without.find("user=postgres"), 13, "user=felisc_password");
  const PgConnection refused = PgConnection::tryConnect(without + " passfile=/nonexistent/felisc-pgpass");
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("password"), std::string::npos) << refused.error();
}

TEST(PgSphere, InstallsAndComputes) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db.queryValue("SELECT spoly '{(0d,0d),(1d,0d),(1d,1d)}'"),
            "{(0 , 0),(0.0174532925199433 , 0),(0.0174532925199433 , 0.0174532925199433)}");
  EXPECT_EQ(db.queryValue("SELECT spoint '(10d,20d)' <@ scircle '<(10d,20d),1d>'"), "t");
  ASSERT_TRUE(db.exec("CREATE TABLE regions (id int PRIMARY KEY, footprint spoly)"));
  EXPECT_EQ(db.queryValue("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                          "WHERE attrelid = 'regions'::regclass AND attname = 'footprint'"),
            "spoly");
}

// tools/fix-pgsphere.sh removes two obsolete operators that PostgreSQL >= 15.19
// rejects; on an older server CREATE EXTENSION would pass either way, so check
// that they are really gone from the installed script.
TEST(PgSphere, ObsoleteDachsOperatorsAreGone) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_operator WHERE oprname = '@' "
                          "AND oprright = 'smoc'::regtype"),
            "0");
  // Everything else of the smoc family is still there.
  EXPECT_EQ(
      db.queryValue("SELECT count(*) FROM pg_operator WHERE oprname = '<@' "
                    "AND oprright = 'smoc'::regtype AND oprleft IN ('bigint'::regtype, 'spoint'::regtype)"),
      "2");
}

TEST(ScratchDatabase, IsCreatedNamedAndDropped) {
  PgConnection admin(PgServer::conninfo());
  ASSERT_TRUE(admin.ok());
  std::string name;
  {
    ScratchDatabase db;
    ASSERT_TRUE(db.ok());
    name = db.name();
    EXPECT_EQ(name.rfind("felisc_scratchdatabase_iscreatednamedanddropped_", 0), 0u) << name;
    EXPECT_EQ(db.queryValue("SELECT current_database()"), name);
    EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_extension WHERE extname = 'pg_sphere'"), "0");
    // A second session is still open when the database goes: WITH (FORCE) ends it.
    PgConnection other(db.conninfo());
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(admin.queryValue("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"), "1");
    (void)other.raw();
  }
  EXPECT_EQ(admin.queryValue("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"), "0");
}

TEST(ScratchDatabase, NamesAreUniqueAndValidIdentifiers) {
  std::set<std::string> names;
  for (int i = 0; i < 50; ++i) {
    const std::string name = uniqueDatabaseName();
    EXPECT_LE(name.size(), 63u);
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"), std::string::npos) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 50u);
}

TEST(PgConnection, QueryKeepsNullApartFromEmpty) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  const PgRows rows = db.query("SELECT NULL::text, ''::text, 'x'::text UNION ALL SELECT 'a', NULL, 'b'");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (PgRow{std::nullopt, std::string(), std::string("x")}));
  EXPECT_EQ(rows[1], (PgRow{std::string("a"), std::nullopt, std::string("b")}));
}

TEST(PgConnection, ExecFailsTheTestWithServerTextAndStatement) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  bool result = true;
  EXPECT_NONFATAL_FAILURE(result = db.exec("SELECT 1;\nSELEC 2"), "syntax error at or near \"SELEC\"");
  EXPECT_FALSE(result);
  EXPECT_NONFATAL_FAILURE(db.exec("SELECT * FROM no_such_table"), "SELECT * FROM no_such_table");
  EXPECT_NONFATAL_FAILURE(db.query("SELECT * FROM no_such_table"), "42P01");
}

TEST(PgConnection, TryExecReportsWithoutFailing) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  const PgOutcome exists = db.tryExec("CREATE TABLE t (a int);\nCREATE TABLE t (a int)");
  EXPECT_FALSE(exists.ok);
  EXPECT_EQ(exists.sqlstate, "42P07");
  EXPECT_EQ(exists.message, "relation \"t\" already exists");

  // The report points at the error inside a multi-statement script.
  const PgOutcome syntax = db.tryExec("SELECT 1;\nSELECT 'd\u00e9j\u00e0';\n  SELEC 3;\nSELECT 4");
  EXPECT_EQ(syntax.sqlstate, "42601");
  EXPECT_NE(syntax.report.find("at line 3, column 3:\n    SELEC 3;\n    ^\n"), std::string::npos)
      << syntax.report;
  // Columns count characters, not bytes.
  const PgOutcome accented = db.tryExec("SELECT '\u00e9t\u00e9' FRM t");
  EXPECT_NE(accented.report.find("at line 1, column 18:\n  SELECT '\u00e9t\u00e9' FRM t\n" +
                                 std::string(2 + 17, ' ') + "^\n"),
            std::string::npos)
      << accented.report;
  EXPECT_TRUE(db.tryExec("SELECT 1").ok);
}

TEST(PgConnection, CollectsNotices) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec("DROP TABLE IF EXISTS absent"));
  ASSERT_EQ(db.connection().notices().size(), 1u);
  EXPECT_EQ(db.connection().notices()[0], "NOTICE: table \"absent\" does not exist, skipping");
}

// Outside ctest the database tests must fail loudly, never skip.
TEST(PgServer, MissingConninfoFailsTheTest) {
  const char* saved = std::getenv(PgServer::kConninfoFileVariable);
  const std::string restore = saved == nullptr ? "" : saved;
  ::unsetenv(PgServer::kConninfoFileVariable);
  EXPECT_NONFATAL_FAILURE(PgServer::conninfo(), "run them through ctest");
  ::setenv(PgServer::kConninfoFileVariable, "/nonexistent/conninfo", 1);
  EXPECT_NONFATAL_FAILURE(PgServer::conninfo(), "cannot read a conninfo from");
  if (saved != nullptr)
    ::setenv(PgServer::kConninfoFileVariable, restore.c_str(), 1);
  else
    ::unsetenv(PgServer::kConninfoFileVariable);
}

TEST(PgServer, WithDatabaseReplacesOnlyTheDatabase) {
  const std::string changed = PgServer::withDatabase(PgServer::conninfo(), "template1");
  PgConnection connection(changed);
  ASSERT_TRUE(connection.ok()) << changed;
  EXPECT_EQ(connection.queryValue("SELECT current_database()"), "template1");
  EXPECT_EQ(connection.queryValue("SELECT current_user"), "postgres");
  // The format stays that of the fixture's conninfo file.
  EXPECT_EQ(PgServer::withDatabase("host=127.0.0.1 port=5 user=postgres dbname=postgres", "d1"),
            "user=postgres host=127.0.0.1 port=5 dbname=d1");
  // Values that need quoting survive.
  EXPECT_NE(PgServer::withDatabase(R"(host=h password='it\'s a b')", "x").find(R"(password='it\'s a b')"),
            std::string::npos);
}

}  // namespace
}  // namespace felisc::testing
