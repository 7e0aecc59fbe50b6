/// \file
/// The one PostgreSQL DDL writer (diff_engine/sql_writer.h) that create, diff,
/// the online forms and view recreation share.
#include "diff_engine/sql_writer.h"

#include <gtest/gtest.h>

namespace felisc::diff {
namespace {

model::Constraint constraint(model::ConstraintKind kind, std::string name) {
  model::Constraint c;
  c.kind = kind;
  c.name = std::move(name);
  return c;
}

TEST(SqlWriter, CheckIsNeverDeferrableOtherConstraintsAre) {
  model::Constraint check = constraint(model::ConstraintKind::Check, "ck");
  check.expression = "a > 0";
  check.deferrable = true;
  check.initially_deferred = true;
  EXPECT_EQ(SqlWriter::constraintDefinition(check, "s"), "CONSTRAINT ck CHECK (a > 0)");

  model::Constraint unique = constraint(model::ConstraintKind::Unique, "uq");
  unique.columns = {"a", "Mixed"};
  unique.deferrable = true;
  unique.initially_deferred = true;
  EXPECT_EQ(SqlWriter::constraintDefinition(unique, "s"),
            "CONSTRAINT uq UNIQUE (a, \"Mixed\") DEFERRABLE INITIALLY DEFERRED");

  model::Constraint fk = constraint(model::ConstraintKind::ForeignKey, "fk");
  fk.columns = {"p"};
  fk.ref_table = "parent";
  fk.ref_columns = {"id"};
  fk.on_delete = model::FkAction::Cascade;
  fk.deferrable = true;
  EXPECT_EQ(SqlWriter::constraintDefinition(fk, "other"),
            "CONSTRAINT fk FOREIGN KEY (p) REFERENCES other.parent (id) ON DELETE CASCADE DEFERRABLE");
}

TEST(SqlWriter, ReferencedSchemaFollowsTheOutputSchemaForTheModelsOwn) {
  SqlWriter sql("renamed");
  model::Constraint fk = constraint(model::ConstraintKind::ForeignKey, "fk");
  EXPECT_EQ(sql.referencedSchema(fk, "orig"), "renamed");
  fk.ref_schema = "orig";
  EXPECT_EQ(sql.referencedSchema(fk, "orig"), "renamed");
  fk.ref_schema = "Other";
  EXPECT_EQ(sql.referencedSchema(fk, "orig"), "Other");
}

TEST(SqlWriter, IndexesPlainAndConcurrent) {
  SqlWriter sql("s");
  model::Index index;
  index.name = "t_idx";
  index.unique = true;
  index.method = "hash";
  index.elements = {{"a", false}, {"lower(b)", true}};
  index.predicate = "a > 0";
  EXPECT_EQ(sql.createIndexOn("t", index),
            "CREATE UNIQUE INDEX t_idx ON s.t USING hash (a, (lower(b))) WHERE a > 0");
  EXPECT_EQ(
      sql.createIndexOn("t", index, {.concurrently = true, .if_not_exists = true}),
      "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_idx ON s.t USING hash (a, (lower(b))) WHERE a > 0");
  EXPECT_EQ(sql.dropIndex("t_idx"), "DROP INDEX s.t_idx");
  EXPECT_EQ(sql.dropIndex("t_idx", true), "DROP INDEX CONCURRENTLY IF EXISTS s.t_idx");
}

TEST(SqlWriter, TablesAndComments) {
  SqlWriter sql("s");
  EXPECT_EQ(sql.createTable("t", {}), "CREATE TABLE s.t ()");
  EXPECT_EQ(sql.createTable("t", {"a integer", "b text"}),
            "CREATE TABLE s.t (\n    a integer,\n    b text\n)");
  EXPECT_EQ(SqlWriter::comment(sql.columnTarget("t", "a"), std::string("it's")),
            "COMMENT ON COLUMN s.t.a IS 'it''s'");
  EXPECT_EQ(SqlWriter::comment(sql.constraintTarget("t", "ck"), std::nullopt),
            "COMMENT ON CONSTRAINT ck ON s.t IS NULL");
  EXPECT_EQ(sql.addToTable("t", SqlWriter::primaryKeyDefinition("t_pkey", {"a"})),
            "ALTER TABLE s.t ADD CONSTRAINT t_pkey PRIMARY KEY (a)");
}

}  // namespace
}  // namespace felisc::diff
