// Catalog facts (compiler/catalog/facts.h) on a real PostgreSQL: what felisc's
// model does not hold is still compared and named by `felisc verify` and
// `felisc drift`, and verify follows the rows through both directions.
//
// The reproductions (a UNIQUE beside the primary key on its columns, the
// key's comment, a sequence still owned by a column whose default went) and the
// planted cases (trigger, policy, index INCLUDE and sort order, collation, lost
// row) are each planted into a database built from the verify fixture, and each
// must be named by drift and by verify; then taken out again, after which both
// are silent / exact. The statement count of a full read is measured for 1 and
// for 1,000 tables.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/facts.h"
#include "compiler/catalog/reader.h"
#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return (fixturesDir() / "verify" / name).string(); }

model::Schema readFelis(const std::string& path) {
  felis::ReadOptions options;
  options.strict_felis = false;
  felis::ReadResult read = felis::readFelisFile(path, options);
  EXPECT_TRUE(read.schema) << felis::renderDiagnostics(read);
  return read.schema ? *read.schema : model::Schema{};
}

/// new.yaml of the verify fixture, created, with rows in every table.
void createNew(ScratchDatabase& db) {
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readFelis(fixture("new.yaml")))));
  ASSERT_TRUE(
      db.exec("INSERT INTO verify_demo.exposure VALUES (1, 20240101, 'r', 1.2, '2024-01-01 01:00'), "
              "(2, 20240101, 'g', 1.5, '2024-01-01 02:00');"
              "INSERT INTO verify_demo.visit (exposure_id, seeing) VALUES (1, 0.7);"
              "INSERT INTO verify_demo.ccdvisit VALUES (10, 1, 3);"));
}

struct Plant {
  std::string name;
  std::string plant;    ///< SQL that plants the fact
  std::string undo;     ///< SQL that takes it out again
  std::string expects;  ///< a line (or the start of one) drift and verify must print
  /// The statement of `diff --old-db` that takes the fact out, when felisc plans it
  /// (then verify's upgrade gives the file exactly); empty when felisc does not.
  std::string repaired_by = {};
};

std::vector<Plant> plants(const std::string& pkey) {
  return {
      {"extra UNIQUE beside the key",
       "ALTER TABLE verify_demo.exposure ADD CONSTRAINT un_exposure_id UNIQUE (exposure_id)",
       "ALTER TABLE verify_demo.exposure DROP CONSTRAINT un_exposure_id",
       "table exposure: constraint un_exposure_id: unexpected",
       "ALTER TABLE verify_demo.exposure DROP CONSTRAINT un_exposure_id;"},
      {"changed key comment", "COMMENT ON CONSTRAINT " + pkey + " ON verify_demo.exposure IS 'Key by hand.'",
       "COMMENT ON CONSTRAINT " + pkey + " ON verify_demo.exposure IS NULL",
       "table exposure: constraint " + pkey + ": description: expected none, got Key by hand.",
       "COMMENT ON CONSTRAINT " + pkey + " ON verify_demo.exposure IS NULL;"},
      // A sequence owned by a column whose default does not use it (ConsDB's
      // serial keys after `server_default=None`); exposure_id's own is in use.
      {"orphan owned sequence",
       "CREATE SEQUENCE verify_demo.exposure_day_obs_seq OWNED BY verify_demo.exposure.day_obs",
       "DROP SEQUENCE verify_demo.exposure_day_obs_seq", "sequence exposure_day_obs_seq: unexpected",
       "DROP SEQUENCE verify_demo.exposure_day_obs_seq;"},
      {"trigger",
       "CREATE TRIGGER tr_noop BEFORE INSERT ON verify_demo.exposure FOR EACH ROW EXECUTE FUNCTION "
       "public.felisc_noop()",
       "DROP TRIGGER tr_noop ON verify_demo.exposure", "table exposure: trigger tr_noop: unexpected"},
      {"policy", "CREATE POLICY p_all ON verify_demo.exposure USING (day_obs > 0)",
       "DROP POLICY p_all ON verify_demo.exposure", "table exposure: policy p_all: unexpected"},
      {"index INCLUDE",
       "DROP INDEX verify_demo.idx_exposure_day_obs;"
       "CREATE INDEX idx_exposure_day_obs ON verify_demo.exposure (day_obs) INCLUDE (band)",
       "DROP INDEX verify_demo.idx_exposure_day_obs;"
       "CREATE INDEX idx_exposure_day_obs ON verify_demo.exposure (day_obs)",
       "table exposure: index idx_exposure_day_obs: definition: expected CREATE INDEX idx_exposure_day_obs "
       "ON "
       "exposure USING btree (day_obs), got CREATE INDEX idx_exposure_day_obs ON exposure USING btree "
       "(day_obs) "
       "INCLUDE (band)"},
      {"index sort order",
       "DROP INDEX verify_demo.idx_exposure_day_obs;"
       "CREATE INDEX idx_exposure_day_obs ON verify_demo.exposure (day_obs DESC NULLS LAST)",
       "DROP INDEX verify_demo.idx_exposure_day_obs;"
       "CREATE INDEX idx_exposure_day_obs ON verify_demo.exposure (day_obs)",
       "table exposure: index idx_exposure_day_obs: definition: expected CREATE INDEX idx_exposure_day_obs "
       "ON "
       "exposure USING btree (day_obs), got CREATE INDEX idx_exposure_day_obs ON exposure USING btree "
       "(day_obs "
       "DESC NULLS LAST)"},
      {"changed collation",
       "ALTER TABLE verify_demo.exposure ALTER COLUMN band TYPE character(32) COLLATE \"C\"",
       "ALTER TABLE verify_demo.exposure ALTER COLUMN band TYPE character(32) COLLATE \"default\"",
       "table exposure: column band: collation: expected none, got C"},
  };
}

bool holdsLine(const std::string& out, const std::string& line) {
  return out.starts_with(line) || out.find("\n" + line) != std::string::npos ||
         out.find(" " + line) != std::string::npos;
}

TEST(CatalogFacts, PlantedFactsAreNamedByDriftAndVerify) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createNew(db);
  ASSERT_TRUE(
      db.exec("CREATE FUNCTION public.felisc_noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; "
              "END$$"));
  PgValue pkey = db.queryValue(
      "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = "
      "'verify_demo.exposure'::regclass");
  ASSERT_TRUE(pkey);

  CliRun clean = runFelisc({"drift", db.conninfo(), fixture("new.yaml")});
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  clean = runFelisc({"verify", db.conninfo(), fixture("new.yaml")});
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;

  for (const Plant& plant : plants(*pkey)) {
    SCOPED_TRACE(plant.name);
    ASSERT_TRUE(db.exec(plant.plant));
    CliRun drift = runFelisc({"drift", db.conninfo(), fixture("new.yaml")});
    EXPECT_EQ(drift.exit_code, 1) << drift.out << drift.err;
    EXPECT_TRUE(holdsLine(drift.out, plant.expects)) << plant.expects << "\n---\n" << drift.out;
    CliRun json = runFelisc({"drift", db.conninfo(), fixture("new.yaml"), "--format", "json"});
    EXPECT_EQ(json.exit_code, 1) << json.err;
    bool named = false;
    const nlohmann::json report = nlohmann::json::parse(json.out);
    for (const auto& difference : report["differences"])
      named = named || difference["text"].get<std::string>() == plant.expects;
    EXPECT_TRUE(named) << json.out;

    // verify plans from the database to the file. Where felisc plans the fact
    // away, the upgrade gives the file exactly and the downgrade puts the fact
    // back; elsewhere the upgrade differs from a fresh create, naming the fact.
    CliRun verify = runFelisc({"verify", db.conninfo(), fixture("new.yaml")});
    if (!plant.repaired_by.empty()) {
      EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
      CliRun plan = runFelisc({"diff", "--old-db", db.conninfo(), fixture("new.yaml")});
      EXPECT_NE(plan.out.find(plant.repaired_by), std::string::npos) << plan.out << plan.err;
    } else {
      EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
      EXPECT_TRUE(holdsLine(verify.out, plant.expects)) << plant.expects << "\n---\n" << verify.out;
      EXPECT_NE(verify.out.find("result: NOT exact"), std::string::npos) << verify.out;
    }

    ASSERT_TRUE(db.exec(plant.undo));
    drift = runFelisc({"drift", db.conninfo(), fixture("new.yaml")});
    EXPECT_EQ(drift.exit_code, 0) << "after undoing: " << drift.out << drift.err;
  }
}

TEST(CatalogFacts, VerifyNamesTheTableThatLostARow) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createNew(db);
  const fs::path dir = fs::temp_directory_path() / uniqueDatabaseName();
  fs::create_directories(dir);
  std::ofstream(dir / "up.sql") << "DELETE FROM verify_demo.exposure WHERE exposure_id = 2;\n";
  std::ofstream(dir / "down.sql") << "SELECT 1;\n";
  CliRun run = runFelisc({"verify", db.conninfo(), "--upgrade", (dir / "up.sql").string(), "--downgrade",
                          (dir / "down.sql").string(), "--target", fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("rows: 3 tables counted and hashed"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("    table exposure: rows: expected 2 rows, md5 "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(", got 1 rows, md5 "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("table visit: rows"), std::string::npos) << run.out;

  // A changed value is a changed row; a dropped column's values are declared loss.
  std::ofstream(dir / "up.sql") << "UPDATE verify_demo.ccdvisit SET detector = 4;\n";
  run = runFelisc({"verify", db.conninfo(), "--upgrade", (dir / "up.sql").string(), "--downgrade",
                   (dir / "down.sql").string(), "--target", fixture("new.yaml"), "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  ASSERT_EQ(report["upgrade"]["differences"].size(), 1u) << run.out;
  EXPECT_EQ(report["upgrade"]["differences"][0]["path"], nlohmann::json({"table ccdvisit"}));
  EXPECT_EQ(report["upgrade"]["differences"][0]["what"], "rows");
  EXPECT_EQ(report["rows"]["tables"], 3);
  fs::remove_all(dir);

  // Nothing was committed.
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM verify_demo.exposure"), "2");
}

/// Creates `count` tables in schema many, each with a key, a comment, an index.
void createTables(ScratchDatabase& db, int count) {
  ASSERT_TRUE(db.exec("DROP SCHEMA IF EXISTS many CASCADE; CREATE SCHEMA many"));
  ASSERT_TRUE(db.exec("DO $$ BEGIN FOR i IN 1.." + std::to_string(count) +
                      " LOOP EXECUTE format('CREATE TABLE many.t%s (id bigserial PRIMARY KEY, v text "
                      "COLLATE \"C\", CONSTRAINT un_t%s UNIQUE (id))', i, i); EXECUTE format('CREATE INDEX "
                      "i%s ON many.t%s (v DESC)', i, i); EXECUTE format('COMMENT ON TABLE many.t%s IS "
                      "''table %s''', i, i); END LOOP; END $$"));
}

TEST(CatalogFacts, AFullReadIsAConstantNumberOfStatements) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  catalog::Error error;
  std::vector<std::size_t> counts;
  for (int tables : {1, 1000}) {
    createTables(db, tables);
    std::optional<catalog::Connection> connection = catalog::Connection::open(db.conninfo(), error);
    ASSERT_TRUE(connection) << error.message;
    connection->resetQueryCount();
    catalog::CatalogResult model = catalog::readSchemas(*connection, {"many"});
    ASSERT_FALSE(model.diagnostics.hasErrors());
    std::size_t model_statements = connection->queryCount();
    connection->resetQueryCount();
    model::Diagnostics diagnostics;
    std::optional<catalog::Facts> facts = catalog::readFacts(*connection, "many", diagnostics);
    ASSERT_TRUE(facts) << diagnostics.all().size();
    std::size_t fact_statements = connection->queryCount();
    EXPECT_EQ(model_statements, catalog::queriesPerRead());
    EXPECT_EQ(fact_statements, catalog::queriesPerFactsRead());
    EXPECT_EQ(facts->tables().size(), static_cast<std::size_t>(tables));
    // Each table: two columns, a key, an index, a sequence owned by id.
    EXPECT_EQ(facts->values.at({{"table t1", "column v"}, "collation"}), "C");
    // In one CREATE TABLE the server folds the unique into the key, which takes its name.
    EXPECT_EQ(facts->values.at({{"table t1", "constraint un_t1"}, "definition"}), "PRIMARY KEY (id)");
    EXPECT_EQ(facts->values.at({{"table t1", "index i1"}, "definition"}),
              "CREATE INDEX i1 ON many.t1 USING btree (v DESC)");
    EXPECT_EQ(facts->values.at({{"sequence t1_id_seq"}, "owned by"}), "t1.id");
    std::printf("[ facts ] %d tables: model read %zu statements, facts read %zu statements, %zu facts\n",
                tables, model_statements, fact_statements, facts->values.size());
    counts.push_back(model_statements + fact_statements);
  }
  EXPECT_EQ(counts[0], counts[1]);
}

/// A Felis file in a directory of its own, removed afterwards.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : dir_(fs::temp_directory_path() / uniqueDatabaseName()) {
    fs::create_directories(dir_);
    std::ofstream(dir_ / name) << text;
    path_ = (dir_ / name).string();
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  fs::path dir_;
  std::string path_;
};

/// Every fact of schema s, as text (for equality checks).
std::string factsOf(ScratchDatabase& db, const std::string& schema = "s") {
  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(db.conninfo(), error);
  EXPECT_TRUE(connection) << error.message;
  if (!connection) return {};
  model::Diagnostics diagnostics;
  std::optional<catalog::Facts> facts = catalog::readFacts(*connection, schema, diagnostics);
  EXPECT_TRUE(facts);
  std::string out;
  if (facts)
    for (const auto& [key, value] : facts->values) {
      for (const std::string& part : key.path) out += part + ": ";
      out += key.what + " = " + value + "\n";
    }
  return out;
}

// Reproduction 1 and 2 of issue 12: ConsDB's `ALTER TABLE ... ADD CONSTRAINT un_t_id
// UNIQUE (id)` beside `t_pkey` on the same column, against a file whose unique
// `un_t_id (id)` (with a description) folds into the key. The plan drops the
// duplicate, renames the key onto un_t_id and comments it; it applies; the result
// is the file exactly; the downgrade gives back the database exactly.
TEST(CatalogFacts, UniqueBesideTheKeyIsDroppedAndTheKeyRenamedAndCommented) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(
      db.exec("CREATE SCHEMA s; CREATE TABLE s.t (id bigserial, CONSTRAINT t_pkey PRIMARY KEY (id));"
              "ALTER TABLE s.t ADD CONSTRAINT un_t_id UNIQUE (id); INSERT INTO s.t VALUES (1), (2)"));
  const std::string before = factsOf(db);
  ASSERT_NE(before.find("table t: constraint un_t_id:  = unique"), std::string::npos) << before;
  TempFile file("s.yaml",
                "name: s\n"
                "tables:\n"
                "- name: t\n"
                "  primaryKey: \"#t.id\"\n"
                "  columns:\n"
                "  - name: id\n"
                "    datatype: long\n"
                "    autoincrement: true\n"
                "    nullable: false\n"
                "  constraints:\n"
                "  - name: un_t_id\n"
                "    \"@type\": Unique\n"
                "    columns: [\"#t.id\"]\n"
                "    description: The key.\n");

  // drift and verify see the duplicate and the missing comment.
  CliRun drift = runFelisc({"drift", db.conninfo(), file.path()});
  EXPECT_EQ(drift.exit_code, 1) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("table t: constraint un_t_id: "), std::string::npos) << drift.out;

  // A written plan is exit 0 (README: one exit-code table).
  CliRun up = runFelisc({"diff", "--old-db", db.conninfo(), file.path()});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("DROP CONSTRAINT un_t_id"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("RENAME CONSTRAINT t_pkey TO un_t_id"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("COMMENT ON CONSTRAINT un_t_id ON s.t IS 'The key.'"), std::string::npos) << up.out;
  EXPECT_LT(up.out.find("DROP CONSTRAINT un_t_id"), up.out.find("RENAME CONSTRAINT t_pkey TO un_t_id"));
  CliRun down = runFelisc({"diff", "--old-db", db.conninfo(), file.path(), "--direction", "down"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;

  CliRun verify = runFelisc({"verify", db.conninfo(), file.path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  PgOutcome applied = db.tryExec(up.out);
  ASSERT_TRUE(applied.ok) << applied.report << "\n" << up.out;
  drift = runFelisc({"drift", db.conninfo(), file.path()});
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM s.t"), "2");
  applied = db.tryExec(down.out);
  ASSERT_TRUE(applied.ok) << applied.report << "\n" << down.out;
  EXPECT_EQ(factsOf(db), before);
}

// The variant: the file moves the key to another column and keeps un_t_id. The
// unique is already there: the plan must not add it again.
TEST(CatalogFacts, UniqueBesideTheKeyIsKeptWhenTheKeyMoves) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(
      db.exec("CREATE SCHEMA s; CREATE TABLE s.t (id bigint NOT NULL, code bigint NOT NULL, "
              "CONSTRAINT t_pkey PRIMARY KEY (id)); ALTER TABLE s.t ADD CONSTRAINT un_t_id UNIQUE (id)"));
  const std::string before = factsOf(db);
  TempFile file("s.yaml",
                "name: s\n"
                "tables:\n"
                "- name: t\n"
                "  primaryKey: \"#t.code\"\n"
                "  columns:\n"
                "  - name: id\n"
                "    datatype: long\n"
                "    nullable: false\n"
                "  - name: code\n"
                "    datatype: long\n"
                "    nullable: false\n"
                "  constraints:\n"
                "  - name: un_t_id\n"
                "    \"@type\": Unique\n"
                "    columns: [\"#t.id\"]\n");
  CliRun up = runFelisc({"diff", "--old-db", db.conninfo(), file.path()});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(up.out.find("ADD CONSTRAINT un_t_id"), std::string::npos) << up.out;
  CliRun down = runFelisc({"diff", "--old-db", db.conninfo(), file.path(), "--direction", "down"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  CliRun verify = runFelisc({"verify", db.conninfo(), file.path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  PgOutcome applied = db.tryExec(up.out);
  ASSERT_TRUE(applied.ok) << applied.report << "\n" << up.out;
  CliRun drift = runFelisc({"drift", db.conninfo(), file.path()});
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
  applied = db.tryExec(down.out);
  ASSERT_TRUE(applied.ok) << applied.report << "\n" << down.out;
  EXPECT_EQ(factsOf(db), before);
}

// Reproduction 3 of issue 12: ConsDB's serial keys after `server_default=None`
// (its "Revise table relationships") keep their sequence, still owned by the
// column. The plan from such a database drops it; the downgrade recreates it with
// its options and OWNED BY, so the database comes back exactly; verify is exact;
// drift names it before and is silent after the upgrade.
TEST(CatalogFacts, OrphanSequenceIsDroppedAndPutBack) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(
      db.exec("CREATE SCHEMA s; CREATE TABLE s.t (id bigserial, CONSTRAINT t_pkey PRIMARY KEY (id));"
              "ALTER SEQUENCE s.t_id_seq INCREMENT BY 5 MAXVALUE 1000000 CACHE 3 CYCLE;"
              "INSERT INTO s.t DEFAULT VALUES; INSERT INTO s.t DEFAULT VALUES;"
              "ALTER TABLE s.t ALTER COLUMN id DROP DEFAULT"));
  const std::string before = factsOf(db);
  ASSERT_NE(before.find("sequence t_id_seq: owned by = t.id\n"), std::string::npos) << before;
  TempFile file("s.yaml",
                "name: s\n"
                "tables:\n"
                "- name: t\n"
                "  primaryKey: \"#t.id\"\n"
                "  columns:\n"
                "  - name: id\n"
                "    datatype: long\n"
                "    autoincrement: false\n"
                "    nullable: false\n");

  CliRun drift = runFelisc({"drift", db.conninfo(), file.path()});
  EXPECT_EQ(drift.exit_code, 1) << drift.out << drift.err;
  EXPECT_TRUE(holdsLine(drift.out, "sequence t_id_seq: unexpected")) << drift.out;

  CliRun up = runFelisc({"diff", "--old-db", db.conninfo(), file.path()});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("DROP SEQUENCE s.t_id_seq;"), std::string::npos) << up.out;
  CliRun down = runFelisc({"diff", "--old-db", db.conninfo(), file.path(), "--direction", "down"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_NE(down.out.find("CREATE SEQUENCE s.t_id_seq AS bigint INCREMENT BY 5 MINVALUE 1 MAXVALUE 1000000 "
                          "START WITH 1 CACHE 3 CYCLE OWNED BY s.t.id;"),
            std::string::npos)
      << down.out;

  CliRun verify = runFelisc({"verify", db.conninfo(), file.path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  PgOutcome applied = db.tryExec(up.out);
  ASSERT_TRUE(applied.ok) << applied.report << "\n" << up.out;
  drift = runFelisc({"drift", db.conninfo(), file.path()});
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM s.t"), "2");
  applied = db.tryExec(down.out);
  ASSERT_TRUE(applied.ok) << applied.report << "\n" << down.out;
  EXPECT_EQ(factsOf(db), before);
}

}  // namespace
}  // namespace felisc::testing
