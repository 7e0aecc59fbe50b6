// compareSchemas: equality on what a database holds, and readable differences.
#include "schema_model/compare.h"

#include <gtest/gtest.h>

namespace felisc::model {
namespace {

Column column(const std::string& name, const std::string& sql_type, bool nullable = true) {
  Column out;
  out.name = name;
  out.sql_type = sql_type;
  out.nullable = nullable;
  return out;
}

/// A small schema as a catalog would give it.
Schema catalogSchema() {
  Schema schema;
  schema.name = "cdb";
  Table exposure;
  exposure.name = "exposure";
  exposure.description = "Exposures";
  exposure.columns = {column("id", "bigint", false), column("day_obs", "integer", false),
                      column("band", "character varying(32)")};
  exposure.columns[0].generation = Generation::Serial;
  exposure.columns[0].sequence = "exposure_id_seq";
  exposure.columns[2].sql_default = "'r'::character varying";
  exposure.primary_key = PrimaryKey{"exposure_pkey", {"id"}, {}};
  Constraint unique;
  unique.kind = ConstraintKind::Unique;
  unique.name = "un_day";
  unique.columns = {"day_obs"};
  exposure.constraints.push_back(unique);
  Constraint check;
  check.kind = ConstraintKind::Check;
  check.name = "ck_day";
  check.expression = "((day_obs > 0) AND (day_obs < 99999999))";
  exposure.constraints.push_back(check);
  Index index;
  index.name = "idx_band";
  index.elements = {{"band", false}};
  exposure.indexes.push_back(index);
  Table visit;
  visit.name = "visit";
  visit.columns = {column("exposure_id", "bigint", false)};
  Constraint fk;
  fk.kind = ConstraintKind::ForeignKey;
  fk.name = "fk_exposure";
  fk.columns = {"exposure_id"};
  fk.ref_table = "exposure";
  fk.ref_columns = {"id"};
  visit.constraints.push_back(fk);
  schema.tables = {exposure, visit};
  return schema;
}

TEST(CompareSchemas, EqualModelsHaveNoDifferences) {
  EXPECT_TRUE(compareSchemas(catalogSchema(), catalogSchema()).empty());
}

TEST(CompareSchemas, ReportsAColumnTypeReadably) {
  Schema actual = catalogSchema();
  actual.tables[0].columns[1].sql_type = "bigint";
  EXPECT_EQ(compareSchemas(catalogSchema(), actual),
            std::vector<std::string>{"table exposure: column day_obs: type: expected integer, got bigint"});
}

TEST(CompareSchemas, IgnoresWhatOnlyFelisSays) {
  Schema felis = catalogSchema();
  felis.source_file = "cdb.yaml";
  felis.id = "#cdb";
  felis.version = SchemaVersion{"1.0.0", {}, {}, true};
  felis.annotations.push_back({"votable:utype", {Scalar::Kind::String, "x"}});
  Table& table = felis.tables[0];
  table.id = "#exposure";
  table.annotations.push_back({"tap:table_index", {Scalar::Kind::Integer, "1"}});
  table.column_groups.push_back(ColumnGroup{"g", "#g", std::nullopt, {"band"}, {}, {}});
  Column& band = table.columns[2];
  band.id = "#exposure.band";
  band.datatype = FelisType::String;
  band.length = 32;
  band.value = Scalar{Scalar::Kind::String, "r"};
  band.annotations.push_back({"ivoa:ucd", {Scalar::Kind::String, "instr.bandpass"}});
  band.annotations.push_back({"ivoa:unit", {Scalar::Kind::String, "deg"}});
  band.pos = SourcePos{12, 7};
  table.columns[0].autoincrement = true;
  table.constraints[0].id = "#un_day";
  Schema catalog = catalogSchema();
  catalog.tables[0].owner = "postgres";  // the file names no owner: not compared
  EXPECT_TRUE(compareSchemas(felis, catalog).empty());
}

TEST(CompareSchemas, PrimaryKeyColumnsAreNotNullAndEmptyCommentsAreNone) {
  Schema felis = catalogSchema();
  felis.tables[0].columns[0].nullable = true;  // a file may say so; PostgreSQL makes it NOT NULL
  felis.tables[1].description = "";            // COMMENT ... IS '' stores nothing
  EXPECT_TRUE(compareSchemas(felis, catalogSchema()).empty());
}

TEST(CompareSchemas, MissingAndUnexpectedObjects) {
  Schema actual = catalogSchema();
  actual.tables[0].columns.pop_back();
  actual.tables[0].columns.push_back(column("extra", "text"));
  actual.tables[0].indexes.clear();
  actual.tables.pop_back();
  Table other;
  other.name = "other";
  actual.tables.push_back(other);
  EXPECT_EQ(compareSchemas(catalogSchema(), actual), (std::vector<std::string>{
                                                         "table exposure: column band: missing",
                                                         "table exposure: column extra: unexpected",
                                                         "table exposure: index idx_band: missing",
                                                         "table visit: missing",
                                                         "table other: unexpected",
                                                     }));
}

TEST(CompareSchemas, UniqueConstraintFoldedIntoTheKeyIsNotMissing) {
  // As in the cdb_* files: a unique constraint on exactly the key's columns. The
  // server folds it into the key, which takes its name.
  Schema felis = catalogSchema();
  felis.source_file = "cdb.yaml";
  Constraint folded;
  folded.kind = ConstraintKind::Unique;
  folded.name = "un_exposure_id";
  folded.columns = {"id"};
  felis.tables[0].constraints.push_back(folded);
  felis.tables[0].primary_key->name = "un_exposure_id";
  Schema catalog = catalogSchema();
  catalog.tables[0].primary_key->name = "un_exposure_id";
  EXPECT_TRUE(compareSchemas(felis, catalog).empty());
  // A unique constraint on other columns is still missing.
  felis.tables[0].constraints.back().columns = {"id", "band"};
  EXPECT_EQ(compareSchemas(felis, catalog),
            std::vector<std::string>{"table exposure: constraint un_exposure_id: missing"});
}

TEST(CompareSchemas, ColumnOrderMatters) {
  Schema actual = catalogSchema();
  std::swap(actual.tables[0].columns[1], actual.tables[0].columns[2]);
  EXPECT_EQ(compareSchemas(catalogSchema(), actual),
            std::vector<std::string>{
                "table exposure: column order: expected (id, day_obs, band), got (id, band, day_obs)"});
}

TEST(CompareSchemas, ColumnFacts) {
  Schema actual = catalogSchema();
  Column& band = actual.tables[0].columns[2];
  band.nullable = false;
  band.sql_default.reset();
  band.description = "the band";
  Column& id = actual.tables[0].columns[0];
  id.generation = Generation::IdentityAlways;
  EXPECT_EQ(compareSchemas(catalogSchema(), actual),
            (std::vector<std::string>{
                "table exposure: column id: generation: expected serial, got identity always",
                "table exposure: column band: nullable: expected true, got false",
                "table exposure: column band: default: expected 'r'::character varying, got none",
                "table exposure: column band: description: expected none, got the band",
            }));
  Schema renamed_sequence = catalogSchema();
  renamed_sequence.tables[0].columns[0].sequence = "other_seq";
  EXPECT_EQ(compareSchemas(catalogSchema(), renamed_sequence),
            std::vector<std::string>{
                "table exposure: column id: sequence: expected exposure_id_seq, got other_seq"});
}

TEST(CompareSchemas, PrimaryKeyByNameAndColumns) {
  Schema actual = catalogSchema();
  actual.tables[0].primary_key->name = "exposure_key";
  actual.tables[1].primary_key = PrimaryKey{"visit_pkey", {"exposure_id"}, {}};
  EXPECT_EQ(compareSchemas(catalogSchema(), actual),
            (std::vector<std::string>{
                "table exposure: primary key: expected exposure_pkey (id), got exposure_key (id)",
                "table visit: primary key: expected none, got visit_pkey (exposure_id)",
            }));
}

TEST(CompareSchemas, ConstraintsByName) {
  Schema actual = catalogSchema();
  Constraint& fk = actual.tables[1].constraints[0];
  fk.on_delete = FkAction::Cascade;
  fk.deferrable = true;
  fk.ref_columns = {"day_obs"};
  actual.tables[0].constraints[0].kind = ConstraintKind::Check;
  EXPECT_EQ(compareSchemas(catalogSchema(), actual),
            (std::vector<std::string>{
                "table exposure: constraint un_day: kind: expected unique, got check",
                "table visit: constraint fk_exposure: referenced columns: expected (id), got (day_obs)",
                "table visit: constraint fk_exposure: on delete: expected NO ACTION, got CASCADE",
                "table visit: constraint fk_exposure: deferrable: expected false, got true",
            }));
}

TEST(CompareSchemas, CheckExpressionsModuloParenthesesSpaceAndCase) {
  Schema felis = catalogSchema();
  felis.tables[0].constraints[1].expression = "day_obs>0 and day_obs <  99999999";
  EXPECT_TRUE(compareSchemas(felis, catalogSchema()).empty());
  felis.tables[0].constraints[1].expression = "day_obs > 1 AND day_obs < 99999999";
  EXPECT_EQ(
      compareSchemas(felis, catalogSchema()),
      std::vector<std::string>{"table exposure: constraint ck_day: expression: expected day_obs > 1 AND "
                               "day_obs < 99999999, got ((day_obs > 0) AND (day_obs < 99999999))"});
}

TEST(CompareSchemas, NormalizedExpressions) {
  EXPECT_EQ(normalizeSqlExpression("((a > 0) AND (b < 10))"), "a > 0 and b < 10");
  EXPECT_EQ(normalizeSqlExpression("a>0 AND b<10"), "a > 0 and b < 10");
  EXPECT_EQ(normalizeSqlExpression("lower((band)::text)"), "lower band :: text");
  // Quoted text keeps its case and spacing.
  EXPECT_EQ(normalizeSqlExpression("\"Band\" = 'R  x'"), "\"Band\" = 'R  x'");
  EXPECT_EQ(normalizeSqlExpression("x = 'it''s (a)'"), "x = 'it''s (a)'");
  EXPECT_NE(normalizeSqlExpression("\"A\" = 1"), normalizeSqlExpression("\"a\" = 1"));
}

TEST(CompareSchemas, Indexes) {
  Schema actual = catalogSchema();
  Index& index = actual.tables[0].indexes[0];
  index.unique = true;
  index.method = "hash";
  index.predicate = "(band IS NOT NULL)";
  index.elements = {{"lower((band)::text)", true}};
  EXPECT_EQ(compareSchemas(catalogSchema(), actual),
            (std::vector<std::string>{
                "table exposure: index idx_band: keys: expected (band), got (lower((band)::text))",
                "table exposure: index idx_band: unique: expected false, got true",
                "table exposure: index idx_band: method: expected btree, got hash",
                "table exposure: index idx_band: predicate: expected none, got (band IS NOT NULL)",
            }));
}

TEST(CompareSchemas, GrantsOnlyBetweenCatalogs) {
  Schema with_grants = catalogSchema();
  with_grants.tables[0].grants.push_back(Grant{"usdf", "SELECT", "", false});
  EXPECT_EQ(compareSchemas(catalogSchema(), with_grants),
            std::vector<std::string>{"table exposure: grants: expected (), got (SELECT to usdf)"});
  Schema felis = catalogSchema();
  felis.source_file = "cdb.yaml";  // a Felis file cannot hold grants
  EXPECT_TRUE(compareSchemas(felis, with_grants).empty());
}

TEST(CompareSchemas, ViewsOnlyWhenBothHaveThem) {
  Schema with_view = catalogSchema();
  View view;
  view.name = "v";
  view.definition = " SELECT exposure.id FROM cdb.exposure;";
  view.columns = {ViewColumn{"id", "bigint", std::nullopt}};
  view.depends_on = {ViewDependency{"cdb", "exposure", "id"}};
  with_view.views.push_back(view);
  EXPECT_TRUE(compareSchemas(catalogSchema(), with_view).empty());
  Schema changed = with_view;
  changed.views[0].definition = " SELECT exposure.day_obs FROM cdb.exposure;";
  changed.views[0].depends_on[0].column = "day_obs";
  changed.views[0].columns[0].description = "the id";
  EXPECT_EQ(
      compareSchemas(with_view, changed),
      (std::vector<std::string>{
          "view v: definition: expected  SELECT exposure.id FROM cdb.exposure;, got  SELECT exposure.day_obs "
          "FROM cdb.exposure;",
          "view v: column id: description: expected none, got the id",
          "view v: depends on: expected (cdb.exposure.id), got (cdb.exposure.day_obs)",
      }));
}

TEST(CompareSchemas, GeneratedViewsCompareByColumnsNotByText) {
  Schema catalog = catalogSchema();
  View view;
  view.name = "visit1";
  view.definition = " SELECT exposure.id AS visit_id\n   FROM cdb.exposure;";
  view.columns = {ViewColumn{"visit_id", "bigint", std::string("the visit")}};
  view.depends_on = {ViewDependency{"cdb", "exposure", "id"}};
  view.grants = {Grant{"usdf", "SELECT", "", false}};
  catalog.views.push_back(view);
  Schema realized = catalog;
  realized.source_file = "cdb.yaml";
  realized.views[0].generated = true;
  realized.views[0].definition = "SELECT exposure.id AS visit_id FROM cdb.exposure";
  // felisc's spelling against pg_get_viewdef's: not a difference, either way round.
  EXPECT_TRUE(compareSchemas(realized, catalog).empty());
  EXPECT_TRUE(compareSchemas(catalog, realized).empty());
  // What the SELECT gives still counts.
  Schema drifted = catalog;
  drifted.views[0].columns[0].sql_type = "integer";
  drifted.views[0].columns[0].description = "changed";
  drifted.views[0].depends_on[0].column = "day_obs";
  drifted.views[0].grants.clear();
  EXPECT_EQ(compareSchemas(realized, drifted),
            (std::vector<std::string>{
                "view visit1: columns: expected (visit_id bigint), got (visit_id integer)",
                "view visit1: column visit_id: description: expected the visit, got changed",
                "view visit1: depends on: expected (cdb.exposure.id), got (cdb.exposure.day_obs)",
            }));
  // Grants of a realized model (the profile's) compare when asked.
  EXPECT_EQ(compareSchemas(realized, drifted, {.grants = true}).back(),
            "view visit1: grants: expected (SELECT to usdf), got ()");
  // Two catalog views still compare by their text.
  Schema retext = catalog;
  retext.views[0].definition = " SELECT exposure.id AS visit_id\n   FROM cdb.other;";
  EXPECT_EQ(compareSchemas(catalog, retext).size(), 1U);
}

}  // namespace
}  // namespace felisc::model
