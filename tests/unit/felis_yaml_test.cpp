// The model as a Felis file and as JSON: exact text, YAML quoting, and the
// warnings for what Felis cannot carry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emitters/felis_yaml.h"
#include "emitters/model_json.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::emit {
namespace {

using model::Scalar;

TEST(YamlText, PlainOnlyWhenYaml11ReadsTheSameString) {
  EXPECT_EQ(yamlString("exposure"), "exposure");
  EXPECT_EQ(yamlString("Mixed_Case9"), "Mixed_Case9");
  for (const char* text :
       {"yes", "No", "ON", "off", "y", "n", "true", "NULL", "1abc", "", "a b", "a:b", "#x", "-"})
    EXPECT_EQ(yamlString(text).front(), '"') << text;
}

TEST(YamlText, DoubleQuotedEscapes) {
  EXPECT_EQ(yamlQuoted("a \"b\" \\ c"), R"("a \"b\" \\ c")");
  EXPECT_EQ(yamlQuoted("line\nnext\ttab"), R"("line\nnext\ttab")");
  EXPECT_EQ(yamlQuoted(std::string("nul\0bell\a", 9)), R"("nul\x00bell\x07")");
  EXPECT_EQ(yamlQuoted("en\xE2\x80\x93"
                       "dash \xE2\x88\x82"),
            "\"en\xE2\x80\x93"
            "dash \xE2\x88\x82\"");  // kept
  EXPECT_EQ(yamlQuoted("sep\xE2\x80\xA8"
                       "x"),
            R"("sep\u2028x")");
  EXPECT_EQ(yamlQuoted("\xC2\x85"), R"("\x85")");
}

TEST(YamlText, FloatsInYaml11Form) {
  EXPECT_EQ(yamlFloat("1.5"), "1.5");
  EXPECT_EQ(yamlFloat("1e-07"), "1.0e-07");
  EXPECT_EQ(yamlFloat("1.5e+20"), "1.5e+20");
  EXPECT_EQ(yamlFloat("-2e+16"), "-2.0e+16");
  EXPECT_EQ(yamlFloat("inf"), ".inf");
  EXPECT_EQ(yamlFloat("-inf"), "-.inf");
  EXPECT_EQ(yamlFloat("nan"), ".nan");
}

model::Column column(const std::string& name, const std::string& sql_type, model::FelisType datatype) {
  model::Column out;
  out.name = name;
  out.sql_type = sql_type;
  out.datatype = datatype;
  return out;
}

/// A schema as the catalog reader gives it.
model::Schema catalogSchema() {
  model::Schema schema;
  schema.name = "cdb";
  schema.description = "Consolidated \"DB\"";
  model::Table table;
  table.name = "exposure";
  table.owner = "postgres";
  model::Column id = column("id", "bigint", model::FelisType::Long);
  id.nullable = false;
  id.generation = model::Generation::Serial;
  id.sequence = "exposure_id_seq";
  id.autoincrement = true;
  model::Column band = column("band", "character varying(8)", model::FelisType::String);
  band.length = 8;
  band.sql_default = "'r'::character varying";
  band.value = Scalar{Scalar::Kind::String, "r"};
  band.description = "Filter\nband";
  model::Column ratio = column("ratio", "real", model::FelisType::Float);
  ratio.postgresql_datatype = "real";
  ratio.sql_default = "0.0000001";
  ratio.value = Scalar{Scalar::Kind::Float, "1e-07"};
  table.columns = {id, band, ratio};
  table.primary_key = model::PrimaryKey{"exposure_pkey", {"id"}, {}};
  model::Constraint unique;
  unique.kind = model::ConstraintKind::Unique;
  unique.name = "un_band";
  unique.columns = {"band"};
  table.constraints.push_back(unique);
  model::Index index;
  index.name = "idx_ratio";
  index.elements = {{"ratio", false}};
  table.indexes.push_back(index);
  model::Table visit;
  visit.name = "visit";
  model::Column exposure_id = column("exposure_id", "bigint", model::FelisType::Long);
  exposure_id.nullable = false;
  visit.columns = {exposure_id};
  visit.primary_key = model::PrimaryKey{"visit_pkey", {"exposure_id"}, {}};
  model::Constraint fk;
  fk.kind = model::ConstraintKind::ForeignKey;
  fk.name = "fk_exposure";
  fk.columns = {"exposure_id"};
  fk.ref_table = "exposure";
  fk.ref_columns = {"id"};
  fk.on_delete = model::FkAction::Cascade;
  visit.constraints.push_back(fk);
  schema.tables = {table, visit};
  return schema;
}

TEST(FelisYaml, WritesTheExactFile) {
  model::Diagnostics diagnostics;
  std::string yaml = felisYaml(catalogSchema(), diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.all().front().message;
  EXPECT_EQ(yaml, R"(---
name: cdb
"@id": "#cdb"
description: "Consolidated \"DB\""
tables:
- name: exposure
  "@id": "#exposure"
  primaryKey:
  - "#exposure.id"
  columns:
  - name: id
    "@id": "#exposure.id"
    datatype: long
    nullable: false
    autoincrement: true
  - name: band
    "@id": "#exposure.band"
    datatype: string
    length: 8
    value: "r"
    description: "Filter\nband"
  - name: ratio
    "@id": "#exposure.ratio"
    datatype: float
    value: 1.0e-07
    postgresql:datatype: "real"
  constraints:
  - name: un_band
    "@id": "#exposure.un_band"
    "@type": Unique
    columns:
    - "#exposure.band"
  indexes:
  - name: idx_ratio
    "@id": "#exposure.idx_ratio"
    columns:
    - "#exposure.ratio"
- name: visit
  "@id": "#visit"
  primaryKey:
  - "#visit.exposure_id"
  columns:
  - name: exposure_id
    "@id": "#visit.exposure_id"
    datatype: long
    nullable: false
  constraints:
  - name: fk_exposure
    "@id": "#visit.fk_exposure"
    "@type": ForeignKey
    columns:
    - "#visit.exposure_id"
    referencedColumns:
    - "#exposure.id"
    on_delete: CASCADE
)");
}

TEST(FelisYaml, SoleIntegerKeyWithoutSerialSaysAutoincrementFalse) {
  model::Schema schema = catalogSchema();
  schema.tables[1].constraints.clear();  // no longer a foreign key column: the "auto" rule applies
  model::Diagnostics diagnostics;
  std::string yaml = felisYaml(schema, diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_NE(yaml.find("    nullable: false\n    autoincrement: false\n"), std::string::npos) << yaml;
}

std::vector<std::string> messages(const model::Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const auto& diagnostic : diagnostics.all()) out.push_back(diagnostic.message);
  return out;
}

TEST(FelisYaml, WarnsAboutWhatFelisCannotCarry) {
  model::Schema schema = catalogSchema();
  model::Table& exposure = schema.tables[0];
  exposure.columns[1].sql_default = "upper('r'::text)";  // not a literal
  exposure.columns[1].value.reset();
  exposure.primary_key->name = "un_band";  // taken by a unique constraint on other columns
  exposure.indexes[0].unique = true;
  exposure.grants.push_back(model::Grant{"usdf", "SELECT", "", false});
  model::Column identity = column("ident", "integer", model::FelisType::Int);
  identity.generation = model::Generation::IdentityAlways;
  identity.nullable = false;
  exposure.columns.push_back(identity);
  schema.tables[1].constraints[0].ref_schema = "elsewhere";
  model::View view;
  view.name = "v";
  schema.views.push_back(view);
  model::Diagnostics diagnostics;
  felisYaml(schema, diagnostics);
  const std::string prefix = "the Felis file cannot hold all the database holds: ";
  EXPECT_EQ(messages(diagnostics),
            (std::vector<std::string>{
                prefix + "table exposure: column band: default: expected upper('r'::text), got none",
                prefix + "table exposure: column ident: generation: expected identity always, got none",
                prefix + "table exposure: primary key: expected un_band (id), got exposure_pkey (id)",
                prefix + "table exposure: index idx_ratio: unique: expected true, got false",
                prefix + "table exposure: grants: expected (SELECT to usdf), got ()",
                prefix + "table visit: constraint fk_exposure: missing",
                prefix + "view v: Felis has no views",
            }));
  for (const auto& diagnostic : diagnostics.all()) EXPECT_EQ(diagnostic.severity, model::Severity::Warning);
}

TEST(FelisYaml, ProjectionResolvesLikeTheReader) {
  model::Schema projection = felisProjection(catalogSchema());
  const model::Table& exposure = projection.tables[0];
  EXPECT_EQ(exposure.primary_key->name, "exposure_pkey");
  EXPECT_EQ(exposure.columns[0].generation, model::Generation::Serial);
  EXPECT_EQ(exposure.columns[0].sequence, "exposure_id_seq");
  EXPECT_EQ(exposure.columns[1].sql_default, "'r'::character varying");
  EXPECT_EQ(exposure.columns[2].sql_type, "real");
  EXPECT_EQ(exposure.columns[2].sql_default, "0.0000001");
  EXPECT_EQ(exposure.columns[0].id, "#exposure.id");
}

TEST(FelisYaml, KeyStoredUnderAnotherNameIsWrittenAsAFoldedUniqueConstraint) {
  model::Schema schema = catalogSchema();
  schema.tables[0].primary_key->name = "un_exposure_ds";
  model::Diagnostics diagnostics;
  std::string yaml = felisYaml(schema, diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.all().front().message;
  EXPECT_NE(yaml.find(R"(  constraints:
  - name: un_exposure_ds
    "@id": "#exposure.un_exposure_ds"
    "@type": Unique
    columns:
    - "#exposure.id"
  - name: un_band
)"),
            std::string::npos)
      << yaml;
  model::Schema projection = felisProjection(schema);
  EXPECT_EQ(projection.tables[0].primary_key->name, "un_exposure_ds");
}

TEST(FelisYaml, RepeatedConstraintNamesAreReported) {
  model::Schema schema = catalogSchema();
  model::Constraint unique;
  unique.kind = model::ConstraintKind::Unique;
  unique.name = "un_band";
  unique.columns = {"exposure_id"};
  schema.tables[1].constraints.push_back(unique);
  model::Diagnostics diagnostics;
  felisYaml(schema, diagnostics);
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(
      diagnostics.all()[0].message,
      "the Felis file cannot hold all the database holds: constraint un_band: the name is used on 2 tables, "
      "which Felis rejects (felisc validate reports it)");
}

TEST(ModelJson, StableStructure) {
  auto json = nlohmann::json::parse(modelToJson(catalogSchema()));
  EXPECT_EQ(json["format"], "felisc-model");
  EXPECT_EQ(json["version"], kModelJsonVersion);
  EXPECT_EQ(json["name"], "cdb");
  EXPECT_TRUE(json["schema_version"].is_null());
  const auto& id = json["tables"][0]["columns"][0];
  EXPECT_EQ(id["sql_type"], "bigint");
  EXPECT_EQ(id["generation"], "serial");
  EXPECT_EQ(id["sequence"], "exposure_id_seq");
  EXPECT_TRUE(id["sql_default"].is_null());
  EXPECT_EQ(json["tables"][0]["columns"][1]["value"], (nlohmann::json{{"kind", "string"}, {"text", "r"}}));
  EXPECT_EQ(json["tables"][0]["primary_key"]["name"], "exposure_pkey");
  const auto& fk = json["tables"][1]["constraints"][0];
  EXPECT_EQ(fk["kind"], "foreign_key");
  EXPECT_EQ(fk["on_delete"], "CASCADE");
  EXPECT_EQ(fk["ref_columns"], nlohmann::json::array({"id"}));
  EXPECT_FALSE(fk.contains("expression"));
  // The text keeps the documented key order (nlohmann::json's parse sorts keys).
  std::string text = modelToJson(catalogSchema());
  EXPECT_LT(text.find("\"format\""), text.find("\"name\""));
  EXPECT_LT(text.find("\"datatype\""), text.find("\"sql_type\""));
  EXPECT_EQ(text, modelToJson(catalogSchema()));
}

TEST(ModelJson, SeveralSchemas) {
  auto json = nlohmann::json::parse(modelsToJson({catalogSchema(), catalogSchema()}));
  EXPECT_EQ(json["format"], "felisc-model");
  ASSERT_EQ(json["schemas"].size(), 2u);
  EXPECT_FALSE(json["schemas"][0].contains("format"));
  EXPECT_EQ(json["schemas"][1]["name"], "cdb");
}

}  // namespace
}  // namespace felisc::emit
