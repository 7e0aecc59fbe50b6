// The `create` emitter over models built in code: exact text for each construct.
// fixtures/create/ holds the golden files read from YAML (create_golden_test.cpp).
#include "emitters/postgres_ddl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema_model/resolve.h"

namespace felisc::emit {
namespace {

using model::Column;
using model::Constraint;
using model::ConstraintKind;
using model::FelisType;
using model::Index;
using model::Scalar;
using model::Schema;
using model::Table;

Column makeColumn(std::string name, FelisType type, std::optional<std::int64_t> length = std::nullopt) {
  Column column;
  column.name = std::move(name);
  column.datatype = type;
  column.length = length;
  return column;
}

Table makeTable(std::string name, std::vector<Column> columns) {
  Table table;
  table.name = std::move(name);
  table.columns = std::move(columns);
  return table;
}

CreateOptions options(bool create_schema, bool transaction, std::optional<std::string> schema_name = {}) {
  CreateOptions result;
  result.schema_name = std::move(schema_name);
  result.create_schema = create_schema;
  result.transaction = transaction;
  return result;
}

Schema resolvedSchema(std::string name, std::vector<Table> tables) {
  Schema schema;
  schema.name = std::move(name);
  schema.tables = std::move(tables);
  model::resolveSchema(schema, model::postgresDialect());
  return schema;
}

TEST(PostgresDdl, EmptySchema) {
  Schema schema = resolvedSchema("s", {});
  EXPECT_EQ(createSchemaSql(schema), "BEGIN;\n\nCREATE SCHEMA s;\n\nCOMMIT;\n");
}

TEST(PostgresDdl, OptionsDropSchemaAndTransaction) {
  Schema schema = resolvedSchema("s", {makeTable("t", {makeColumn("id", FelisType::Int)})});
  schema.description = "not emitted without CREATE SCHEMA";
  EXPECT_EQ(createSchemaSql(schema, options(false, false)), "CREATE TABLE s.t (\n    id integer\n);\n");
}

TEST(PostgresDdl, ColumnsDefaultsNotNullAndKey) {
  Column id = makeColumn("id", FelisType::Long);
  id.nullable = false;
  Column name = makeColumn("name", FelisType::String, 64);
  name.value = Scalar{Scalar::Kind::String, "it's"};
  name.nullable = false;
  Column ratio = makeColumn("ratio", FelisType::Float);
  ratio.value = Scalar{Scalar::Kind::Float, "1e-07"};
  Column flag = makeColumn("flag", FelisType::Boolean);
  flag.value = Scalar{Scalar::Kind::Boolean, "true"};
  Column taken = makeColumn("taken", FelisType::Timestamp);
  taken.precision = 6;
  taken.value = Scalar{Scalar::Kind::String, "CURRENT_TIMESTAMP"};
  Table table = makeTable("t", {id, name, ratio, flag, taken});
  table.primary_key = model::PrimaryKey{"", {"id"}, {}};
  EXPECT_EQ(createSchemaSql(resolvedSchema("s", {table})),
            "BEGIN;\n"
            "\n"
            "CREATE SCHEMA s;\n"
            "\n"
            "CREATE TABLE s.t (\n"
            "    id bigserial NOT NULL,\n"
            "    name character varying(64) DEFAULT 'it''s' NOT NULL,\n"
            "    ratio double precision DEFAULT 1e-07,\n"
            "    flag boolean DEFAULT true,\n"
            "    taken timestamp(6) without time zone DEFAULT CURRENT_TIMESTAMP,\n"
            "    CONSTRAINT t_pkey PRIMARY KEY (id)\n"
            ");\n"
            "\n"
            "COMMIT;\n");
}

TEST(PostgresDdl, IdentifiersAreQuotedAsQuoteIdentDoes) {
  Column key = makeColumn("key", FelisType::Int);  // unreserved: bare
  Column dec = makeColumn("dec", FelisType::Double);
  Column mixed = makeColumn("diaObjectId", FelisType::Long);
  Table table = makeTable("DiaObject", {mixed, key, dec});
  table.primary_key = model::PrimaryKey{"", {"diaObjectId"}, {}};
  EXPECT_EQ(createSchemaSql(resolvedSchema("ApdbSchema", {table}), options(true, false)),
            "CREATE SCHEMA \"ApdbSchema\";\n"
            "\n"
            "CREATE TABLE \"ApdbSchema\".\"DiaObject\" (\n"
            "    \"diaObjectId\" bigserial,\n"
            "    key integer,\n"
            "    \"dec\" double precision,\n"
            "    CONSTRAINT \"DiaObject_pkey\" PRIMARY KEY (\"diaObjectId\")\n"
            ");\n");
}

TEST(PostgresDdl, ConstraintsIndexesAndForeignKeysAfterAllTables) {
  Column parent_id = makeColumn("id", FelisType::Int);
  parent_id.autoincrement = false;
  Table parent = makeTable("parent", {parent_id, makeColumn("code", FelisType::String, 8)});
  parent.primary_key = model::PrimaryKey{"", {"id"}, {}};
  Constraint unique;
  unique.kind = ConstraintKind::Unique;
  unique.name = "uq_code";
  unique.columns = {"code"};
  unique.deferrable = true;
  unique.initially_deferred = true;
  Constraint check;
  check.kind = ConstraintKind::Check;
  check.name = "ck_id";
  check.expression = "id > 0";
  parent.constraints = {unique, check};

  Table child =
      makeTable("child", {makeColumn("parent_id", FelisType::Int), makeColumn("label", FelisType::Text)});
  Constraint fk;
  fk.kind = ConstraintKind::ForeignKey;
  fk.name = "fk_parent";
  fk.columns = {"parent_id"};
  fk.ref_table = "parent";
  fk.ref_columns = {"id"};
  fk.on_delete = model::FkAction::Cascade;
  fk.on_update = model::FkAction::SetNull;
  fk.deferrable = true;
  child.constraints = {fk};
  Index by_parent;
  by_parent.name = "child_parent_idx";
  by_parent.elements = {{"parent_id", false}, {"label", false}};
  Index by_label;
  by_label.name = "child_label_lower_idx";
  by_label.unique = true;
  by_label.elements = {{"lower(label)", true}};
  by_label.predicate = "label IS NOT NULL";
  Index hashed;
  hashed.name = "child_label_hash";
  hashed.method = "hash";
  hashed.elements = {{"label", false}};
  child.indexes = {by_parent, by_label, hashed};

  EXPECT_EQ(createSchemaSql(resolvedSchema("s", {child, parent}), options(true, false)),
            "CREATE SCHEMA s;\n"
            "\n"
            "CREATE TABLE s.child (\n"
            "    parent_id integer,\n"
            "    label text\n"
            ");\n"
            "CREATE INDEX child_parent_idx ON s.child (parent_id, label);\n"
            "CREATE UNIQUE INDEX child_label_lower_idx ON s.child ((lower(label))) WHERE label IS NOT NULL;\n"
            "CREATE INDEX child_label_hash ON s.child USING hash (label);\n"
            "\n"
            "CREATE TABLE s.parent (\n"
            "    id integer,\n"
            "    code character varying(8),\n"
            "    CONSTRAINT parent_pkey PRIMARY KEY (id),\n"
            "    CONSTRAINT uq_code UNIQUE (code) DEFERRABLE INITIALLY DEFERRED,\n"
            "    CONSTRAINT ck_id CHECK (id > 0)\n"
            ");\n"
            "\n"
            "ALTER TABLE s.child ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES s.parent (id) "
            "ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE;\n");
}

// Regression: `create` wrote DEFERRABLE on a CHECK with `deferrable: true`, which
// PostgreSQL refuses ("misplaced DEFERRABLE clause"); validate reports it (FEL227),
// and the writer never emits it for a model built another way.
TEST(PostgresDdl, CheckIsNeverDeferrable) {
  Table table = makeTable("t", {makeColumn("a", FelisType::Int)});
  Constraint check;
  check.kind = ConstraintKind::Check;
  check.name = "a_positive";
  check.expression = "a > 0";
  check.deferrable = true;
  check.initially_deferred = true;
  table.constraints = {check};
  EXPECT_EQ(createSchemaSql(resolvedSchema("s", {table}), options(false, false)),
            "CREATE TABLE s.t (\n"
            "    a integer,\n"
            "    CONSTRAINT a_positive CHECK (a > 0)\n"
            ");\n");
}

TEST(PostgresDdl, SchemaNameOverridesEverywhere) {
  Table parent = makeTable("p", {makeColumn("id", FelisType::Int)});
  parent.primary_key = model::PrimaryKey{"", {"id"}, {}};
  parent.description = "P";
  Table child = makeTable("c", {makeColumn("p_id", FelisType::Int)});
  Constraint fk;
  fk.kind = ConstraintKind::ForeignKey;
  fk.name = "fk";
  fk.columns = {"p_id"};
  fk.ref_table = "p";
  fk.ref_columns = {"id"};
  Constraint same_schema = fk;
  same_schema.name = "fk_named";
  same_schema.ref_schema = "orig";  // the model's own schema, named: moves too
  Constraint elsewhere = fk;
  elsewhere.name = "fk_other";
  elsewhere.ref_schema = "Other";
  child.constraints = {fk, same_schema, elsewhere};
  Index index;
  index.name = "c_idx";
  index.elements = {{"p_id", false}};
  index.description = "I";
  child.indexes = {index};
  Schema schema = resolvedSchema("orig", {parent, child});
  schema.description = "S";
  EXPECT_EQ(
      createSchemaSql(schema, options(true, false, "New Name")),
      "CREATE SCHEMA \"New Name\";\n"
      "\n"
      "CREATE TABLE \"New Name\".p (\n"
      "    id serial,\n"
      "    CONSTRAINT p_pkey PRIMARY KEY (id)\n"
      ");\n"
      "\n"
      "CREATE TABLE \"New Name\".c (\n"
      "    p_id integer\n"
      ");\n"
      "CREATE INDEX c_idx ON \"New Name\".c (p_id);\n"
      "\n"
      "ALTER TABLE \"New Name\".c ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES \"New Name\".p (id);\n"
      "ALTER TABLE \"New Name\".c ADD CONSTRAINT fk_named FOREIGN KEY (p_id) REFERENCES \"New Name\".p "
      "(id);\n"
      "ALTER TABLE \"New Name\".c ADD CONSTRAINT fk_other FOREIGN KEY (p_id) REFERENCES \"Other\".p (id);\n"
      "\n"
      "COMMENT ON SCHEMA \"New Name\" IS 'S';\n"
      "COMMENT ON TABLE \"New Name\".p IS 'P';\n"
      "COMMENT ON INDEX \"New Name\".c_idx IS 'I';\n");
}

TEST(PostgresDdl, CommentsForEveryDescriptionWithHostileText) {
  Column column = makeColumn("c", FelisType::Int);
  column.description = "it's 100% \\n $$dollar$$ \xE2\x80\x93 two\nlines";
  Column silent = makeColumn("d", FelisType::Int);
  silent.description = "";  // '' would mean "no comment": nothing is emitted
  Table table = makeTable("t", {column, silent});
  table.description = "Table 't'";
  Constraint unique;
  unique.kind = ConstraintKind::Unique;
  unique.name = "uq";
  unique.columns = {"c"};
  unique.description = "unique";
  table.constraints = {unique};
  Index index;
  index.name = "t_d_idx";
  index.elements = {{"d", false}};
  index.description = "index";
  table.indexes = {index};
  Schema schema = resolvedSchema("s", {table});
  schema.description = "schema";
  const std::string sql = createSchemaSql(schema, options(true, false));
  const std::string comments = sql.substr(sql.find("COMMENT ON"));
  EXPECT_EQ(comments,
            "COMMENT ON SCHEMA s IS 'schema';\n"
            "COMMENT ON TABLE s.t IS 'Table ''t''';\n"
            "COMMENT ON COLUMN s.t.c IS 'it''s 100% \\n $$dollar$$ \xE2\x80\x93 two\nlines';\n"
            "COMMENT ON CONSTRAINT uq ON s.t IS 'unique';\n"
            "COMMENT ON INDEX s.t_d_idx IS 'index';\n");
}

TEST(PostgresDdl, TableWithoutColumns) {
  EXPECT_EQ(createSchemaSql(resolvedSchema("s", {makeTable("empty", {})}), options(false, false)),
            "CREATE TABLE s.empty ();\n");
}

TEST(PostgresDdl, OverridesSerialAndCompositeKeys) {
  Column a = makeColumn("a", FelisType::Int);
  a.postgresql_datatype = "BIGINT";
  Column b = makeColumn("b", FelisType::Short);
  b.autoincrement = true;
  Column ts = makeColumn("ts", FelisType::Timestamp);
  ts.postgresql_datatype = "TIMESTAMP(6)";
  Column poly = makeColumn("region", FelisType::Binary, 100);
  poly.postgresql_datatype = "spoly";
  Table table = makeTable("t", {a, b, ts, poly});
  table.primary_key = model::PrimaryKey{"", {"a", "b"}, {}};
  EXPECT_EQ(createSchemaSql(resolvedSchema("s", {table}), options(false, false)),
            "CREATE TABLE s.t (\n"
            "    a bigint,\n"
            "    b smallserial,\n"
            "    ts timestamp(6) without time zone,\n"
            "    region spoly,\n"
            "    CONSTRAINT t_pkey PRIMARY KEY (a, b)\n"
            ");\n");
}

TEST(PostgresDdl, CatalogModelsUseTheirRenderedDefaultsAndIdentity) {
  Column id = makeColumn("id", FelisType::Long);
  id.sql_type = "bigint";
  id.generation = model::Generation::IdentityAlways;
  id.nullable = false;
  Column v = makeColumn("v", FelisType::Int);
  v.sql_type = "numeric(10,2)";
  v.sql_default = "'-1.5'::numeric";
  Schema schema;
  schema.name = "s";
  schema.tables = {makeTable("t", {id, v})};  // not resolved: facts as a catalog gives them
  EXPECT_EQ(createSchemaSql(schema, options(false, false)),
            "CREATE TABLE s.t (\n"
            "    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n"
            "    v numeric(10,2) DEFAULT '-1.5'::numeric\n"
            ");\n");
}

TEST(PostgresDdl, Deterministic) {
  Table table = makeTable("t", {makeColumn("id", FelisType::Int)});
  table.primary_key = model::PrimaryKey{"", {"id"}, {}};
  Schema schema = resolvedSchema("s", {table, makeTable("u", {makeColumn("x", FelisType::Text)})});
  const std::string first = createSchemaSql(schema);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(createSchemaSql(schema), first);
}

TEST(PostgresDdl, UniqueConstraintsTheServerWouldFoldAreLeftOut) {
  Table table =
      makeTable("exposure", {makeColumn("day_obs", FelisType::Int), makeColumn("seq_num", FelisType::Int)});
  table.primary_key = model::PrimaryKey{"", {"day_obs", "seq_num"}, {}};
  Constraint same;
  same.kind = ConstraintKind::Unique;
  same.name = "un_exposure_ds";
  same.columns = {"day_obs", "seq_num"};
  same.description = "lands on the key";
  Constraint twin = same;
  twin.name = "twin";
  twin.description = "lost";
  Constraint reordered = same;
  reordered.name = "un_exposure_sd";
  reordered.columns = {"seq_num", "day_obs"};
  reordered.description = "kept";
  table.constraints = {same, twin, reordered};
  EXPECT_EQ(createSchemaSql(resolvedSchema("s", {table}), options(false, false)),
            "CREATE TABLE s.exposure (\n"
            "    day_obs integer,\n"
            "    seq_num integer,\n"
            "    CONSTRAINT un_exposure_ds PRIMARY KEY (day_obs, seq_num),\n"
            "    CONSTRAINT un_exposure_sd UNIQUE (seq_num, day_obs)\n"
            ");\n"
            "\n"
            "COMMENT ON CONSTRAINT un_exposure_ds ON s.exposure IS 'lands on the key';\n"
            "COMMENT ON CONSTRAINT un_exposure_sd ON s.exposure IS 'kept';\n");
}

}  // namespace
}  // namespace felisc::emit
