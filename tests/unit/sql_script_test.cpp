// The SQL script splitter: every way a ';' can hide, transaction control, and
// the scripts felisc and Alembic write.
#include "compiler/verify/sql_script.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/support/test_paths.h"

namespace felisc::verify {
namespace {

std::vector<std::string> texts(std::string_view script) {
  Script split = splitScript(script, "t.sql");
  EXPECT_TRUE(split.diagnostics.empty())
      << (split.diagnostics.empty() ? "" : split.diagnostics.all()[0].message);
  std::vector<std::string> out;
  for (const Statement& statement : split.statements) out.push_back(statement.text);
  return out;
}

using Texts = std::vector<std::string>;

TEST(SqlScript, SplitsAtSemicolonsAndTrimsCommentsAround) {
  EXPECT_EQ(texts("SELECT 1; SELECT 2;"), (Texts{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(texts("  -- lead\nSELECT 1 -- trailing ; not a cut\n;\n/* after */"), (Texts{"SELECT 1"}));
  EXPECT_EQ(texts("SELECT 1;;  ; SELECT 2"), (Texts{"SELECT 1", "SELECT 2"}));  // last one without ';'
  EXPECT_EQ(texts(""), Texts{});
  EXPECT_EQ(texts(" \n-- only a comment\n/* and another */\n"), Texts{});
  EXPECT_EQ(texts("SELECT /* inside ; */ 1;"), (Texts{"SELECT /* inside ; */ 1"}));
}

TEST(SqlScript, SingleQuotesWithDoubledQuotes) {
  EXPECT_EQ(texts("SELECT 'a;''b;'; SELECT 2;"), (Texts{"SELECT 'a;''b;'", "SELECT 2"}));
  EXPECT_EQ(texts("SELECT '';SELECT ''''"), (Texts{"SELECT ''", "SELECT ''''"}));
  // standard_conforming_strings: a backslash is an ordinary character in '...'.
  EXPECT_EQ(texts("SELECT 'a\\'; SELECT 2;"), (Texts{"SELECT 'a\\'", "SELECT 2"}));
  // A type name before a string is not an E prefix.
  EXPECT_EQ(texts("SELECT date'2020\\'; SELECT 2;"), (Texts{"SELECT date'2020\\'", "SELECT 2"}));
  EXPECT_EQ(texts("SELECT U&'d\\0061t;a'; SELECT 2"), (Texts{"SELECT U&'d\\0061t;a'", "SELECT 2"}));
}

TEST(SqlScript, EscapeStringsWithBackslashes) {
  EXPECT_EQ(texts("SELECT E'a\\';b'; SELECT 2;"), (Texts{"SELECT E'a\\';b'", "SELECT 2"}));
  EXPECT_EQ(texts("SELECT e'\\\\'; SELECT 2;"), (Texts{"SELECT e'\\\\'", "SELECT 2"}));
  EXPECT_EQ(texts("SELECT E'it''s;\\n'; SELECT 2"), (Texts{"SELECT E'it''s;\\n'", "SELECT 2"}));
  // `somee'...'` is not an escape string: the E must be the whole word.
  EXPECT_EQ(texts("SELECT x AS somee FROM t WHERE v = 'a\\'; SELECT 2"),
            (Texts{"SELECT x AS somee FROM t WHERE v = 'a\\'", "SELECT 2"}));
}

TEST(SqlScript, DollarQuoting) {
  EXPECT_EQ(texts("DO $$ BEGIN RAISE NOTICE 'x;'; END $$; SELECT 1;"),
            (Texts{"DO $$ BEGIN RAISE NOTICE 'x;'; END $$", "SELECT 1"}));
  EXPECT_EQ(texts("DO $fn$ SELECT $$;$$; SELECT ';'; $fn$;SELECT 2"),
            (Texts{"DO $fn$ SELECT $$;$$; SELECT ';'; $fn$", "SELECT 2"}));
  // A quote inside a dollar-quoted string opens nothing.
  EXPECT_EQ(texts("SELECT $q$it's \"x$q$; SELECT 2"), (Texts{"SELECT $q$it's \"x$q$", "SELECT 2"}));
  // $1 is a parameter, not a delimiter; a $ inside an identifier is part of it.
  EXPECT_EQ(texts("PREPARE p AS SELECT $1; SELECT a$b$c; SELECT 3"),
            (Texts{"PREPARE p AS SELECT $1", "SELECT a$b$c", "SELECT 3"}));
  // Tags are case-sensitive: $A$ does not close $a$.
  EXPECT_EQ(texts("SELECT $a$ $A$; $a$; SELECT 2"), (Texts{"SELECT $a$ $A$; $a$", "SELECT 2"}));
  // felisc's own backfill guard.
  EXPECT_EQ(texts("DO $felisc$ BEGIN IF true THEN RAISE EXCEPTION 'no;'; END IF; END $felisc$;\nCOMMIT;"),
            (Texts{"DO $felisc$ BEGIN IF true THEN RAISE EXCEPTION 'no;'; END IF; END $felisc$", "COMMIT"}));
}

TEST(SqlScript, QuotedIdentifiers) {
  EXPECT_EQ(texts("CREATE TABLE \"a;\"\"b\" (x int); SELECT 1"),
            (Texts{"CREATE TABLE \"a;\"\"b\" (x int)", "SELECT 1"}));
  EXPECT_EQ(texts("SELECT 1 AS \"--\", 2 AS \"/*\"; SELECT 3"),
            (Texts{"SELECT 1 AS \"--\", 2 AS \"/*\"", "SELECT 3"}));
  EXPECT_EQ(texts("COMMENT ON TABLE \"t\" IS 'it''s \"quoted\"; ok'; SELECT 1"),
            (Texts{"COMMENT ON TABLE \"t\" IS 'it''s \"quoted\"; ok'", "SELECT 1"}));
}

TEST(SqlScript, CommentsNestAndHideQuotes) {
  EXPECT_EQ(texts("/* a /* b; */ c; */ SELECT 1; /* ; */"), (Texts{"SELECT 1"}));
  EXPECT_EQ(texts("-- it's\nSELECT 1; /* \"x */ SELECT 2;"), (Texts{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(texts("SELECT '--'; SELECT '/*'; SELECT 3"), (Texts{"SELECT '--'", "SELECT '/*'", "SELECT 3"}));
  EXPECT_EQ(texts("SELECT 2 --; comment\n- 1; SELECT 3"), (Texts{"SELECT 2 --; comment\n- 1", "SELECT 3"}));
}

TEST(SqlScript, ParenthesesAndBeginAtomicBodies) {
  EXPECT_EQ(
      texts("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); "
            "SELECT 1;"),
      (Texts{"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
             "SELECT 1"}));
  const std::string function =
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; "
      "END";
  EXPECT_EQ(texts(function + "; SELECT f();"), (Texts{function, "SELECT f()"}));
  const std::string procedure = "create or replace procedure p() begin atomic insert into t values (1); end";
  EXPECT_EQ(texts(procedure + ";\nCALL p();"), (Texts{procedure, "CALL p()"}));
  // Outside a routine, BEGIN is a transaction start and END its end.
  EXPECT_EQ(texts("BEGIN; SELECT 1; END;"), (Texts{"BEGIN", "SELECT 1", "END"}));
}

TEST(SqlScript, TransactionControl) {
  auto control = [](std::string_view statement) {
    Script split = splitScript(statement, "t.sql");
    EXPECT_EQ(split.statements.size(), 1u) << statement;
    return split.statements.empty() ? TransactionControl::None : split.statements[0].control;
  };
  using enum TransactionControl;
  EXPECT_EQ(control("BEGIN"), Begin);
  EXPECT_EQ(control("begin work"), Begin);
  EXPECT_EQ(control("/* c */ BeGiN ISOLATION LEVEL SERIALIZABLE"), Begin);
  EXPECT_EQ(control("START TRANSACTION READ WRITE"), Begin);
  EXPECT_EQ(control("COMMIT"), Commit);
  EXPECT_EQ(control("commit and chain"), Commit);
  EXPECT_EQ(control("END TRANSACTION"), Commit);
  EXPECT_EQ(control("ROLLBACK"), Rollback);
  EXPECT_EQ(control("ABORT"), Rollback);
  EXPECT_EQ(control("ROLLBACK WORK"), Rollback);
  EXPECT_EQ(control("PREPARE TRANSACTION 'x'"), Prepare);
  EXPECT_EQ(control("ROLLBACK TO SAVEPOINT s"), None);
  EXPECT_EQ(control("ROLLBACK TRANSACTION TO s"), None);
  EXPECT_EQ(control("COMMIT PREPARED 'x'"), None);
  EXPECT_EQ(control("ROLLBACK PREPARED 'x'"), None);
  EXPECT_EQ(control("SAVEPOINT s"), None);
  EXPECT_EQ(control("BEGINNING"), None);
  EXPECT_EQ(control("SELECT 'BEGIN'"), None);
  EXPECT_EQ(control("PREPARE stmt AS SELECT 1"), None);
  EXPECT_EQ(control("START"), None);
  EXPECT_EQ(transactionControlName(Prepare), "PREPARE TRANSACTION");
}

TEST(SqlScript, PositionsAndFirstLines) {
  Script split =
      splitScript("-- header\r\nBEGIN;\n\n  ALTER TABLE t\n    ADD COLUMN x int;\nCOMMIT;", "t.sql");
  ASSERT_EQ(split.statements.size(), 3u);
  EXPECT_EQ(split.statements[0].pos, (model::SourcePos{2, 1}));
  EXPECT_EQ(split.statements[1].pos, (model::SourcePos{4, 3}));
  EXPECT_EQ(split.statements[1].firstLine(), "ALTER TABLE t");
  EXPECT_EQ(split.statements[1].text, "ALTER TABLE t\n    ADD COLUMN x int");
  EXPECT_EQ(split.statements[2].pos, (model::SourcePos{6, 1}));
  EXPECT_EQ(split.statements[2].offset,
            std::string_view("-- header\r\nBEGIN;\n\n  ALTER TABLE t\n    ADD COLUMN x int;\n").size());
  EXPECT_EQ(positionOf("ab\ncd", 4), (model::SourcePos{2, 2}));
}

TEST(SqlScript, MultiByteIdentifiersAndStrings) {
  EXPECT_EQ(texts("SELECT \"é;\" FROM ünïcode$tbl; SELECT 'ß;'"),
            (Texts{"SELECT \"é;\" FROM ünïcode$tbl", "SELECT 'ß;'"}));
  // A multi-byte character may start a dollar-quote tag.
  EXPECT_EQ(texts("SELECT $é$;$é$; SELECT 2"), (Texts{"SELECT $é$;$é$", "SELECT 2"}));
}

void expectError(std::string_view script, std::string_view code, model::SourcePos pos,
                 std::string_view words) {
  Script split = splitScript(script, "bad.sql");
  ASSERT_EQ(split.diagnostics.errorCount(), 1u) << script;
  const model::Diagnostic& error = split.diagnostics.all()[0];
  EXPECT_EQ(error.code(), code) << script;
  EXPECT_EQ(error.file, "bad.sql");
  EXPECT_EQ(error.pos, pos) << script;
  EXPECT_NE(error.message.find(words), std::string::npos) << error.message;
}

TEST(SqlScript, UnterminatedQuotesAndComments) {
  expectError("SELECT 1;\nSELECT 'abc;", "FEL520", {2, 8}, "quoted string");
  expectError("SELECT E'abc\\';", "FEL520", {1, 8}, "quoted string");
  expectError("SELECT \"abc;", "FEL520", {1, 8}, "quoted identifier");
  expectError("DO $body$ BEGIN END $bod$;", "FEL520", {1, 4}, "dollar-quoted string $body$");
  expectError("SELECT 1; /* open /* nested */ still open;", "FEL520", {1, 11}, "block comment");
}

TEST(SqlScript, PsqlMetaCommandsAreRefused) {
  expectError("\\set ON_ERROR_STOP on\nSELECT 1;", "FEL521", {1, 1}, "'\\set'");
  expectError("COPY t FROM stdin;\n1\t2\n\\.\n", "FEL521", {3, 1}, "'\\.'");
  expectError("SELECT 1;\n  \\i other.sql\n", "FEL521", {2, 3}, "'\\i'");
  // A backslash inside quotes or a comment is no command.
  EXPECT_EQ(texts("SELECT '\\n', $$\\x$$; -- \\q\n/* \\i */"), (Texts{"SELECT '\\n', $$\\x$$"}));
}

TEST(SqlScript, FelisPlanScript) {
  const std::string up = testing::readFile(testing::fixturesDir() / "diff" / "add_column" / "up.sql");
  Script split = splitScript(up, "up.sql");
  ASSERT_TRUE(split.diagnostics.empty());
  ASSERT_EQ(split.statements.size(), 9u);  // BEGIN, SET LOCAL lock_timeout, 6 steps, COMMIT
  EXPECT_EQ(split.statements.front().control, TransactionControl::Begin);
  EXPECT_EQ(split.statements.back().control, TransactionControl::Commit);
  EXPECT_EQ(split.statements[6].firstLine().substr(0, 12), "DO $felisc$ ");
}

TEST(SqlScript, AlembicOfflineScript) {
  // The shape `alembic upgrade --sql` writes (Alembic 1.8, PostgreSQL).
  const std::string script =
      "BEGIN;\n\n"
      "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n"
      "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n"
      "-- Running upgrade  -> 1a2b3c4d5e6f\n\n"
      "ALTER TABLE cdb_demo.exposure ADD COLUMN airmass FLOAT;\n\n"
      "COMMENT ON COLUMN cdb_demo.exposure.airmass IS 'Airmass; at start';\n\n"
      "INSERT INTO alembic_version (version_num) VALUES ('1a2b3c4d5e6f') RETURNING "
      "alembic_version.version_num;\n\n"
      "COMMIT;\n\n";
  Script split = splitScript(script, "alembic.sql");
  ASSERT_TRUE(split.diagnostics.empty());
  ASSERT_EQ(split.statements.size(), 6u);
  EXPECT_EQ(split.statements[0].control, TransactionControl::Begin);
  EXPECT_EQ(split.statements[2].text, "ALTER TABLE cdb_demo.exposure ADD COLUMN airmass FLOAT");
  EXPECT_EQ(split.statements[3].text, "COMMENT ON COLUMN cdb_demo.exposure.airmass IS 'Airmass; at start'");
  EXPECT_EQ(split.statements[5].control, TransactionControl::Commit);
}

/// Random scripts from hostile pieces, each one statement, joined with random
/// separators: the splitter gives back exactly the pieces (seeded, deterministic).
TEST(SqlScript, RandomHostileScripts) {
  const std::vector<std::string> pieces = {
      "SELECT 'a;b''c'",
      "SELECT E'\\\\;\\';'",
      "DO $$ BEGIN PERFORM ';'; END $$",
      "DO $t$ SELECT $$;$$ $t$",
      "CREATE TABLE \"x;\"\"y\" (\"--\" int, \"/*\" text)",
      "SELECT 1 /* a /* ; */ b */ + 2",
      "CREATE RULE r AS ON INSERT TO t DO INSTEAD (SELECT 1; SELECT 2)",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
      "SELECT $1::text, a$b$c FROM t",
      "COMMENT ON COLUMN s.t.c IS 'it''s -- not /* a comment'",
      "SELECT U&'\\0441;' AS \"é;\"",
  };
  const std::vector<std::string> separators = {";",          ";\n",    " ;\n\n", ";-- note; with ';' \n",
                                               "; /* ; */ ", ";\r\n;", "\n;"};
  std::mt19937 random(20240611);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> chosen;
    std::string script;
    std::size_t count = 1 + random() % 8;
    for (std::size_t k = 0; k < count; ++k) {
      chosen.push_back(pieces[random() % pieces.size()]);
      script += chosen.back() + separators[random() % separators.size()];
    }
    ASSERT_EQ(texts(script), chosen) << script;
  }
}

}  // namespace
}  // namespace felisc::verify
