// `felisc inspect` of a database felisc did not create: everything Felis can say
// comes back identical through inspect -> create, and what it cannot say is
// named in warnings, never dropped silently.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "compiler/catalog/reader.h"
#include "compiler/cli/cli.h"
#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "schema_model/compare.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"

namespace felisc::testing {
namespace {

std::string joinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

model::Schema readOne(const std::string& conninfo, const std::string& schema) {
  catalog::CatalogResult result = catalog::readSchemas(conninfo, {schema});
  EXPECT_FALSE(result.diagnostics.hasErrors());
  return result.schemas.empty() ? model::Schema{} : result.schemas.front();
}

// Everything here can be said in Felis (with postgresql:datatype where no Felis
// type fits); written by hand, as a DBA would, not by felisc.
constexpr const char* kExpressible = R"sql(
  CREATE SCHEMA consdb;
  COMMENT ON SCHEMA consdb IS 'A hand-made ConsDB-like schema';
  CREATE TABLE consdb.exposure (
    day_obs integer NOT NULL,
    seq_num integer NOT NULL,
    exposure_id bigint NOT NULL,
    "Band" character varying(32) DEFAULT 'r',
    obs_start timestamp(6) without time zone DEFAULT CURRENT_TIMESTAMP,
    obs_end timestamp with time zone DEFAULT now(),
    s_region spoly,
    airmass real DEFAULT 1.5,
    dimm_seeing double precision DEFAULT -1.25,
    exp_time numeric(10,3),
    flags smallint DEFAULT 0,
    can_see_sky boolean DEFAULT true,
    code character(4),
    note text DEFAULT 'it''s "fine"',
    payload jsonb,
    CONSTRAINT un_exposure_ds UNIQUE (day_obs, seq_num),
    CONSTRAINT exposure_pkey PRIMARY KEY (exposure_id),
    CONSTRAINT ck_seq CHECK (seq_num > 0 AND seq_num < 100000)
  );
  COMMENT ON TABLE consdb.exposure IS E'Exposures.\nSecond line with a "quote" and a tab\there.';
  COMMENT ON COLUMN consdb.exposure.s_region IS 'Footprint (pgsphere)';
  COMMENT ON COLUMN consdb.exposure."Band" IS 'Filter band – en dash';
  COMMENT ON CONSTRAINT ck_seq ON consdb.exposure IS 'sequence numbers are positive';
  CREATE INDEX exposure_obs_start_idx ON consdb.exposure (obs_start, day_obs);
  CREATE INDEX exposure_lower_band_idx ON consdb.exposure (lower("Band"));
  COMMENT ON INDEX consdb.exposure_lower_band_idx IS 'case-insensitive band';
  CREATE TABLE consdb.visit (
    visit_id bigserial PRIMARY KEY,
    exposure_id bigint NOT NULL,
    day_obs integer,
    seq_num integer,
    CONSTRAINT fk_exposure FOREIGN KEY (exposure_id) REFERENCES consdb.exposure (exposure_id)
      ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT fk_ds FOREIGN KEY (day_obs, seq_num) REFERENCES consdb.exposure (day_obs, seq_num)
      ON DELETE SET NULL
  );
  CREATE TABLE consdb.flexdata (
    obs_id bigint NOT NULL,
    key character varying(128) NOT NULL,
    value text,
    PRIMARY KEY (obs_id, key)
  );
)sql";

TEST(CatalogInspect, HandMadeSchemaComesBackIdentical) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(kExpressible));
  const model::Schema original = readOne(db.conninfo(), "consdb");
  ASSERT_EQ(original.tables.size(), 3u);

  testing::CliRun inspect =
      testing::runFelisc({"inspect", db.conninfo(), "--schema", "consdb", "--format", "yaml"});
  ASSERT_EQ(inspect.exit_code, cli::kExitOk) << inspect.err;
  EXPECT_EQ(inspect.err, "");  // nothing lost
  felis::ReadResult file = felis::readFelisText(inspect.out, "consdb.yaml");
  ASSERT_TRUE(file.schema) << felis::renderDiagnostics(file) << inspect.out;
  EXPECT_EQ(file.diagnostics.errorCount(), 0u) << felis::renderDiagnostics(file);
  EXPECT_TRUE(model::compareSchemas(original, *file.schema).empty())
      << joinLines(model::compareSchemas(original, *file.schema));

  ScratchDatabase fresh({.pg_sphere = true});
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(fresh.exec(emit::createSchemaSql(*file.schema)));
  const model::Schema recreated = readOne(fresh.conninfo(), "consdb");
  const std::vector<std::string> differences = model::compareSchemas(original, recreated);
  EXPECT_TRUE(differences.empty()) << joinLines(differences) << inspect.out;

  // The same file again from the recreated database: inspect is deterministic.
  testing::CliRun again = testing::runFelisc({"inspect", fresh.conninfo(), "--schema", "consdb"});
  EXPECT_EQ(again.out, inspect.out);
}

TEST(CatalogInspect, WhatFelisCannotSayIsNamed) {
  ScratchDatabase db;
  ASSERT_TRUE(db.exec(R"sql(
    CREATE SCHEMA odd;
    CREATE TABLE odd.t (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      n integer DEFAULT (1 + 2),
      label text
    );
    CREATE UNIQUE INDEX t_label ON odd.t (label) WHERE n > 0;
    CREATE VIEW odd.v AS SELECT id FROM odd.t;
    GRANT SELECT ON odd.t TO usdf;
  )sql"));
  testing::CliRun run = testing::runFelisc({"inspect", db.conninfo(), "--schema", "odd"});
  EXPECT_EQ(run.exit_code, cli::kExitOk);
  const std::string prefix = "felisc: warning: the Felis file cannot hold all the database holds: ";
  EXPECT_EQ(run.err, prefix +
                         "table t: column id: generation: expected identity always, got none [FEL507]\n" +
                         prefix + "table t: column n: default: expected (1 + 2), got none [FEL507]\n" +
                         prefix + "table t: index t_label: unique: expected true, got false [FEL507]\n" +
                         prefix + "table t: index t_label: predicate: expected (n > 0), got none [FEL507]\n" +
                         prefix + "table t: grants: expected (SELECT to usdf), got () [FEL507]\n" + prefix +
                         "view v: Felis has no views [FEL507]\n");
  // The file is still valid Felis.
  felis::ReadResult file = felis::readFelisText(run.out, "odd.yaml");
  EXPECT_TRUE(file.schema) << felis::renderDiagnostics(file);
}

TEST(CatalogInspect, JsonIsTheModel) {
  ScratchDatabase db;
  ASSERT_TRUE(
      db.exec("CREATE SCHEMA j; CREATE TABLE j.t (id bigserial PRIMARY KEY, x real DEFAULT 2.5);"
              "CREATE VIEW j.v AS SELECT x FROM j.t"));
  testing::CliRun run = testing::runFelisc({"inspect", db.conninfo(), "--schema", "j", "--format", "json"});
  ASSERT_EQ(run.exit_code, cli::kExitOk) << run.err;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["format"], "felisc-model");
  EXPECT_EQ(json["name"], "j");
  EXPECT_EQ(json["tables"][0]["columns"][0]["generation"], "serial");
  EXPECT_EQ(json["tables"][0]["columns"][0]["sequence"], "t_id_seq");
  EXPECT_EQ(json["tables"][0]["columns"][1]["sql_type"], "real");
  EXPECT_EQ(json["tables"][0]["columns"][1]["sql_default"], "2.5");
  EXPECT_EQ(json["views"][0]["depends_on"][0]["column"], "x");

  // Several schemas at once, and a file written with -o.
  ASSERT_TRUE(db.exec("CREATE SCHEMA k"));
  testing::CliRun both =
      testing::runFelisc({"inspect", db.conninfo(), "--schema", "j", "--schema", "k", "--format", "json"});
  ASSERT_EQ(both.exit_code, cli::kExitOk) << both.err;
  auto pair = nlohmann::json::parse(both.out);
  ASSERT_EQ(pair["schemas"].size(), 2u);
  EXPECT_EQ(pair["schemas"][1]["name"], "k");
  testing::CliRun yaml_both =
      testing::runFelisc({"inspect", db.conninfo(), "--schema", "j", "--schema", "k"});
  EXPECT_EQ(yaml_both.exit_code, cli::kExitUsage);
  EXPECT_NE(yaml_both.err.find("exactly one --schema"), std::string::npos);
}

}  // namespace
}  // namespace felisc::testing
