/// \file
/// The Felis reader: every key lands in the model, YAML 1.1 and pydantic typing,
/// ID generation and @id resolution, columnRefs, strictness.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "compiler/felis/reader.h"
#include "compiler/felis/validator.h"
#include "tests/support/test_paths.h"

namespace felisc::felis {
namespace {

using model::Scalar;

ReadResult read(const std::string& yaml, const ReadOptions& options = {}) {
  return readFelisText(yaml, "test.yaml", options);
}

/// Reads text that must be valid; fails with the rendered diagnostics otherwise.
std::shared_ptr<const model::Schema> readValid(const std::string& yaml, const ReadOptions& options = {}) {
  ReadResult result = read(yaml, options);
  EXPECT_FALSE(result.diagnostics.hasErrors()) << renderDiagnostics(result);
  EXPECT_TRUE(result.schema != nullptr);
  return result.schema;
}

bool hasDiagnostic(const ReadResult& result, model::DiagId id) {
  const auto& all = result.diagnostics.all();
  return std::any_of(all.begin(), all.end(), [&](const model::Diagnostic& d) { return d.id == id; });
}

const model::Annotation* annotation(const std::vector<model::Annotation>& annotations, std::string_view key) {
  for (const auto& item : annotations)
    if (item.key == key) return &item;
  return nullptr;
}

/// A one-column schema, with `column_keys` (indented for a column) added.
std::string oneColumn(const std::string& column_keys, const std::string& datatype = "int") {
  return "name: s\ntables:\n- name: t\n  columns:\n  - name: c\n    datatype: " + datatype + "\n" +
         column_keys;
}

const model::Column& onlyColumn(const std::shared_ptr<const model::Schema>& schema) {
  return schema->tables.at(0).columns.at(0);
}

// --- keys ---------------------------------------------------------------------

TEST(FelisReader, SchemaKeysLandInTheModel) {
  auto schema = readValid(R"(---
name: sdm
'@id': '#sdm_id'
description: >
  A folded description
  loses its final newline.
votable:utype: schema-utype
version:
  current: 1.2.0
  compatible: [1.1.0, 1.0.0]
  read_compatible: [0.9.0]
tables: []
)");
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->name, "sdm");
  EXPECT_EQ(schema->id, "#sdm_id");
  EXPECT_EQ(schema->description, "A folded description loses its final newline.");
  ASSERT_TRUE(schema->version);
  EXPECT_TRUE(schema->version->is_mapping);
  EXPECT_EQ(schema->version->current, "1.2.0");
  EXPECT_EQ(schema->version->compatible, (std::vector<std::string>{"1.1.0", "1.0.0"}));
  EXPECT_EQ(schema->version->read_compatible, (std::vector<std::string>{"0.9.0"}));
  ASSERT_EQ(schema->annotations.size(), 1u);
  EXPECT_EQ(schema->annotations[0],
            (model::Annotation{"votable:utype", Scalar{Scalar::Kind::String, "schema-utype"}}));
  EXPECT_EQ(schema->source_file, "test.yaml");
  EXPECT_TRUE(schema->tables.empty());
}

TEST(FelisReader, PlainStringVersion) {
  auto schema = readValid("name: s\nversion: ' 10.0.0 '\ntables: []\n");
  ASSERT_TRUE(schema && schema->version);
  EXPECT_FALSE(schema->version->is_mapping);
  EXPECT_EQ(schema->version->current, "10.0.0");  // a Schema string field: stripped
}

TEST(FelisReader, TableKeysLandInTheModelWithAnnotationsInFileOrder) {
  auto schema = readValid(R"(name: s
tables:
- name: t
  '@id': '#custom'
  description: A table.
  mysql:engine: InnoDB
  tap:table_index: 7
  votable:utype: tu
  mysql:charset: latin1
  columns: []
)");
  ASSERT_TRUE(schema);
  const model::Table& table = schema->tables.at(0);
  EXPECT_EQ(table.name, "t");
  EXPECT_EQ(table.id, "#custom");
  EXPECT_EQ(table.description, "A table.");
  EXPECT_EQ(table.pos.line, 3u);
  EXPECT_EQ(table.pos.column, 3u);
  ASSERT_EQ(table.annotations.size(), 4u);
  EXPECT_EQ(table.annotations[0],
            (model::Annotation{"mysql:engine", Scalar{Scalar::Kind::String, "InnoDB"}}));
  EXPECT_EQ(table.annotations[1], (model::Annotation{"tap:table_index", Scalar{Scalar::Kind::Integer, "7"}}));
  EXPECT_EQ(table.annotations[2].key, "votable:utype");
  EXPECT_EQ(table.annotations[3].key, "mysql:charset");
  EXPECT_FALSE(table.primary_key);
}

TEST(FelisReader, ColumnKeysLandInTheModel) {
  auto schema = readValid(R"(name: s
tables:
- name: t
  columns:
  - name: obs_start
    datatype: timestamp
    precision: 6
    nullable: false
    value: CURRENT_TIMESTAMP
    description: Start.
    ivoa:ucd: time.start
    ivoa:unit: s
    tap:principal: 1
    tap:std: 0
    tap:column_index: 12
    votable:arraysize: '*'
    votable:xtype: timestamp
    votable:datatype: char
    votable:utype: cu
    mysql:datatype: DATETIME(6)
    postgresql:datatype: TIMESTAMP
  - name: flag
    datatype: boolean
    autoincrement: false
    fits:tunit: ''
)");
  ASSERT_TRUE(schema);
  const model::Column& column = schema->tables.at(0).columns.at(0);
  EXPECT_EQ(column.name, "obs_start");
  EXPECT_EQ(column.id, "#t.obs_start");
  EXPECT_EQ(column.datatype, model::FelisType::Timestamp);
  EXPECT_EQ(column.precision, 6);
  EXPECT_FALSE(column.length);
  EXPECT_FALSE(column.nullable);
  EXPECT_EQ(column.value, (Scalar{Scalar::Kind::String, "CURRENT_TIMESTAMP"}));
  EXPECT_EQ(column.description, "Start.");
  EXPECT_EQ(column.mysql_datatype, "DATETIME(6)");
  EXPECT_EQ(column.postgresql_datatype, "TIMESTAMP");
  std::vector<std::string> keys;
  for (const auto& a : column.annotations) keys.push_back(a.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ivoa:ucd", "ivoa:unit", "tap:principal", "tap:std",
                                            "tap:column_index", "votable:arraysize", "votable:xtype",
                                            "votable:datatype", "votable:utype"}));
  EXPECT_EQ(annotation(column.annotations, "tap:principal")->value, (Scalar{Scalar::Kind::Integer, "1"}));
  EXPECT_EQ(annotation(column.annotations, "tap:column_index")->value, (Scalar{Scalar::Kind::Integer, "12"}));
  EXPECT_EQ(annotation(column.annotations, "votable:arraysize")->value, (Scalar{Scalar::Kind::String, "*"}));

  const model::Column& flag = schema->tables.at(0).columns.at(1);
  EXPECT_EQ(flag.autoincrement, false);
  EXPECT_TRUE(flag.nullable);
  // An empty `fits:tunit:` is YAML null ('' is the empty string).
  EXPECT_EQ(annotation(flag.annotations, "fits:tunit")->value, (Scalar{Scalar::Kind::String, ""}));
}

TEST(FelisReader, ConstraintsIndexesAndGroupsAreResolvedToNames) {
  auto schema = readValid(R"(name: s
tables:
- name: parent
  primaryKey: ['#parent.a', '#parent.b']
  columns:
  - name: a
    datatype: int
  - name: b
    datatype: int
- name: child
  primaryKey: '#child_id_custom'
  columns:
  - name: id
    '@id': '#child_id_custom'
    datatype: long
  - name: pa
    datatype: int
  - name: pb
    datatype: int
  constraints:
  - name: fk_child_parent
    '@type': ForeignKey
    columns: ['#child.pa', '#child.pb']
    referencedColumns: ['#parent.a', '#parent.b']
    on_delete: CASCADE
    on_update: SET NULL
    deferrable: true
    initially: DEFERRED
    votable:utype: fk-utype
  - name: uq_child
    '@type': Unique
    columns: ['#child.pa']
  - name: ck_child
    '@type': Check
    expression: '  pa > 0  '
  indexes:
  - name: idx_child
    columns: ['#child.pb', '#child.pa']
    description: Two columns.
  - name: idx_expr
    expressions: ['lower(x)']
  columnGroups:
  - name: grp
    ivoa:ucd: meta.id
    columns: ['#child.pa', '#child.pb']
)");
  ASSERT_TRUE(schema);
  const model::Table& parent = schema->tables.at(0);
  ASSERT_TRUE(parent.primary_key);
  EXPECT_EQ(parent.primary_key->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parent.primary_key->name, "parent_pkey");

  const model::Table& child = schema->tables.at(1);
  // The primary key names its column by the custom @id; the model holds the name.
  ASSERT_TRUE(child.primary_key);
  EXPECT_EQ(child.primary_key->columns, (std::vector<std::string>{"id"}));
  ASSERT_EQ(child.constraints.size(), 3u);
  const model::Constraint& fk = child.constraints[0];
  EXPECT_EQ(fk.kind, model::ConstraintKind::ForeignKey);
  EXPECT_EQ(fk.id, "#fk_child_parent");
  EXPECT_EQ(fk.columns, (std::vector<std::string>{"pa", "pb"}));
  EXPECT_EQ(fk.ref_table, "parent");
  EXPECT_EQ(fk.ref_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(fk.on_delete, model::FkAction::Cascade);
  EXPECT_EQ(fk.on_update, model::FkAction::SetNull);
  EXPECT_TRUE(fk.deferrable);
  EXPECT_TRUE(fk.initially_deferred);
  ASSERT_EQ(fk.annotations.size(), 1u);
  EXPECT_EQ(fk.annotations[0].key, "votable:utype");
  EXPECT_EQ(child.constraints[1].kind, model::ConstraintKind::Unique);
  EXPECT_EQ(child.constraints[1].columns, (std::vector<std::string>{"pa"}));
  EXPECT_EQ(child.constraints[2].kind, model::ConstraintKind::Check);
  EXPECT_EQ(child.constraints[2].expression, "pa > 0");

  ASSERT_EQ(child.indexes.size(), 2u);
  EXPECT_EQ(child.indexes[0].id, "#idx_child");
  EXPECT_EQ(child.indexes[0].elements, (std::vector<model::IndexElement>{{"pb", false}, {"pa", false}}));
  EXPECT_EQ(child.indexes[1].elements, (std::vector<model::IndexElement>{{"lower(x)", true}}));

  ASSERT_EQ(child.column_groups.size(), 1u);
  EXPECT_EQ(child.column_groups[0].id, "#child.grp");
  EXPECT_EQ(child.column_groups[0].columns, (std::vector<std::string>{"pa", "pb"}));
  EXPECT_EQ(child.column_groups[0].annotations.at(0).key, "ivoa:ucd");
}

TEST(FelisReader, ReferencesAreAtIdsNotNames) {
  // A column with a custom @id is referenced by that @id; its generated-style
  // spelling names nothing (dp02's CoaddPatches uses '#coaddpatches.*').
  const std::string yaml = R"(name: s
tables:
- name: T
  primaryKey: %PK%
  columns:
  - name: id
    '@id': '#t.id'
    datatype: long
)";
  auto with = [&](const std::string& pk) {
    std::string text = yaml;
    text.replace(text.find("%PK%"), 4, pk);
    return read(text);
  };
  ReadResult good = with("'#t.id'");
  ASSERT_TRUE(good.schema) << renderDiagnostics(good);
  EXPECT_EQ(good.schema->tables[0].primary_key->columns, (std::vector<std::string>{"id"}));
  EXPECT_TRUE(hasDiagnostic(with("'#T.id'"), model::DiagId::err_dangling_reference));
  EXPECT_TRUE(hasDiagnostic(with("id"), model::DiagId::err_dangling_reference));
}

TEST(FelisReader, EmptyPrimaryKeyListMeansNoPrimaryKey) {
  auto schema = readValid(oneColumn("") + "  primaryKey: []\n");
  ASSERT_TRUE(schema);
  EXPECT_FALSE(schema->tables[0].primary_key);
}

TEST(FelisReader, ResolutionFillsSqlFacts) {
  auto schema = readValid(R"(name: s
tables:
- name: t
  primaryKey: '#t.id'
  columns:
  - name: id
    datatype: long
  - name: s
    datatype: string
    length: 10
)");
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->tables[0].columns[0].sql_type, "bigint");
  EXPECT_EQ(schema->tables[0].columns[0].generation, model::Generation::Serial);
  EXPECT_EQ(schema->tables[0].columns[1].sql_type, "character varying(10)");
}

// --- typing ---------------------------------------------------------------------

TEST(FelisReader, BooleanFieldsTakeYaml11AndPydanticLaxValues) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, bool>>{{"no", false},
                                                                                {"Off", false},
                                                                                {"YES", true},
                                                                                {"on", true},
                                                                                {"'true'", true},
                                                                                {"'off'", false},
                                                                                {"0", false},
                                                                                {"1", true},
                                                                                {"false", false},
                                                                                {"'n'", false}}) {
    auto schema = readValid(oneColumn("    nullable: " + text + "\n"));
    ASSERT_TRUE(schema) << text;
    EXPECT_EQ(onlyColumn(schema).nullable, expected) << text;
  }
  EXPECT_TRUE(hasDiagnostic(read(oneColumn("    nullable: 2\n")), model::DiagId::err_wrong_type_in));
  EXPECT_TRUE(hasDiagnostic(read(oneColumn("    nullable: null\n")), model::DiagId::err_wrong_type_in));
  EXPECT_TRUE(hasDiagnostic(read(oneColumn("    nullable: y\n")), model::DiagId::err_wrong_type_in) == false)
      << "'y' is a string in YAML 1.1, and pydantic takes it as true";
}

TEST(FelisReader, IntegerFieldsTakeYaml11AndPydanticLaxValues) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::int64_t>>{{"5", 5},
                                                                                        {"'5'", 5},
                                                                                        {"5.0", 5},
                                                                                        {"true", 1},
                                                                                        {"0x10", 16},
                                                                                        {"017", 15},
                                                                                        {"1_000", 1000},
                                                                                        {"1:30", 90},
                                                                                        {"'  7 '", 7}}) {
    auto schema = readValid(oneColumn("    length: " + text + "\n", "string"));
    ASSERT_TRUE(schema) << text;
    EXPECT_EQ(onlyColumn(schema).length, expected) << text;
  }
  EXPECT_TRUE(
      hasDiagnostic(read(oneColumn("    length: 1.5\n", "string")), model::DiagId::err_wrong_type_in));
  EXPECT_TRUE(hasDiagnostic(read(oneColumn("    length: 1e3\n", "string")), model::DiagId::err_wrong_type_in))
      << "1e3 is a string in YAML 1.1 and not an integer literal";
  auto principal = readValid(oneColumn("    tap:principal: yes\n"));
  ASSERT_TRUE(principal);
  EXPECT_EQ(annotation(onlyColumn(principal).annotations, "tap:principal")->value,
            (Scalar{Scalar::Kind::Integer, "1"}));
}

TEST(FelisReader, StringFieldsRejectNumbersAndAreStripped) {
  EXPECT_TRUE(hasDiagnostic(read("name: 123\ntables: []\n"), model::DiagId::err_wrong_type_in));
  EXPECT_TRUE(
      hasDiagnostic(read("name: s\ndescription: 1.5\ntables: []\n"), model::DiagId::err_wrong_type_in));
  EXPECT_TRUE(hasDiagnostic(read("name: true\ntables: []\n"), model::DiagId::err_wrong_type_in));
  auto schema =
      readValid("name: '  spaced  '\n'@id': \"\\u00a0#id\\t\"\ndescription: \"  text \\n\"\ntables: []\n");
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->name, "spaced");
  EXPECT_EQ(schema->id, "#id");  // Unicode whitespace (U+00A0) too
  EXPECT_EQ(schema->description, "text");
  // A description may be null.
  auto null_description = readValid("name: s\ndescription:\ntables: []\n");
  ASSERT_TRUE(null_description);
  EXPECT_FALSE(null_description->description);
}

TEST(FelisReader, ValuesAreTypedByYaml11) {
  struct Case {
    std::string text;
    std::string datatype;
    Scalar expected;
  };
  for (const Case& c : std::vector<Case>{
           {"1.0e+3", "double", {Scalar::Kind::Float, "1000.0"}},
           {"-1", "int", {Scalar::Kind::Integer, "-1"}},
           {"0x1F", "long", {Scalar::Kind::Integer, "31"}},
           {"true", "int", {Scalar::Kind::Boolean, "true"}},  // a bool passes as an int
           {"Yes", "boolean", {Scalar::Kind::Boolean, "true"}},
           {"' ab '", "text", {Scalar::Kind::String, "ab"}},
           {"now()", "timestamp", {Scalar::Kind::String, "now()"}},
           {"1e3", "binary\n    length: 4", {Scalar::Kind::String, "1e3"}},
       }) {
    auto schema = readValid(oneColumn("    value: " + c.text + "\n", c.datatype));
    ASSERT_TRUE(schema) << c.text;
    EXPECT_EQ(onlyColumn(schema).value, c.expected) << c.text;
  }
  auto none = readValid(oneColumn("    value: ~\n"));
  ASSERT_TRUE(none);
  EXPECT_FALSE(onlyColumn(none).value);
  EXPECT_TRUE(hasDiagnostic(read(oneColumn("    value: 1e3\n", "double")), model::DiagId::err_value_type));
}

TEST(FelisReader, DuplicateKeyKeepsFirstPositionAndLastValue) {
  ReadResult result = read(oneColumn("    ivoa:ucd: first\n    ivoa:unit: m\n    ivoa:ucd: last\n"));
  ASSERT_TRUE(result.schema) << renderDiagnostics(result);
  const auto& annotations = onlyColumn(result.schema).annotations;
  ASSERT_EQ(annotations.size(), 2u);
  EXPECT_EQ(annotations[0], (model::Annotation{"ivoa:ucd", Scalar{Scalar::Kind::String, "last"}}));
  EXPECT_EQ(annotations[1].key, "ivoa:unit");
  EXPECT_EQ(result.diagnostics.warningCount(), 1u);  // the parser's duplicate-key warning
}

TEST(FelisReader, IntegerArraysizeBecomesAStringWithAWarning) {
  ReadResult result = read(oneColumn("    length: 4\n    votable:arraysize: 4\n", "char"));
  ASSERT_TRUE(result.schema);
  EXPECT_TRUE(hasDiagnostic(result, model::DiagId::warn_integer_arraysize));
  EXPECT_EQ(annotation(onlyColumn(result.schema).annotations, "votable:arraysize")->value,
            (Scalar{Scalar::Kind::String, "4"}));
}

// --- IDs ------------------------------------------------------------------------

TEST(FelisReader, IdGenerationFollowsFelis) {
  auto schema = readValid(R"(name: s
tables:
- name: t
  '@id': '#custom_table'
  columns:
  - name: a
    datatype: int
  constraints:
  - name: uq_a
    '@type': Unique
    columns: ['#t.a']
  indexes:
  - name: idx_a
    columns: ['#t.a']
  columnGroups:
  - name: g
    columns: ['#t.a']
)");
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->id, "#s");
  const model::Table& table = schema->tables[0];
  EXPECT_EQ(table.id, "#custom_table");
  EXPECT_EQ(table.columns[0].id, "#t.a");  // the table *name*, even with a custom table @id
  EXPECT_EQ(table.constraints[0].id, "#uq_a");
  EXPECT_EQ(table.indexes[0].id, "#idx_a");
  EXPECT_EQ(table.column_groups[0].id, "#t.g");
}

TEST(FelisReader, IdAliasIsUsedAndNothingIsGenerated) {
  // felis would generate an @id beside `id:` and then reject `id` as an extra key.
  auto schema = readValid(oneColumn("    id: '#my.column'\n") + "  primaryKey: '#my.column'\n");
  ASSERT_TRUE(schema);
  EXPECT_EQ(onlyColumn(schema).id, "#my.column");
  EXPECT_TRUE(
      hasDiagnostic(read(oneColumn("    id: '#x'\n    '@id': '#y'\n")), model::DiagId::err_alias_conflict));
}

TEST(FelisReader, WithoutIdGenerationIdsAreRequired) {
  ReadOptions options;
  options.id_generation = false;
  ReadResult result = read(oneColumn(""), options);
  EXPECT_FALSE(result.schema);
  std::size_t missing = 0;
  for (const auto& d : result.diagnostics.all()) missing += d.id == model::DiagId::err_missing_key;
  EXPECT_EQ(missing, 3u);  // schema, table, column
  EXPECT_TRUE(readValid("name: s\n'@id': '#s'\ntables: []\n", options));
}

TEST(FelisReader, AlternateSpellingsAreAccepted) {
  auto schema = readValid(R"(name: s
tables:
- name: t
  primary_key: ['#t.a']
  tap_table_index: 3
  columns:
  - name: a
    datatype: int
    tap_principal: 1
    ivoa_ucd: meta.id
  - name: b
    datatype: int
  constraints:
  - name: fk
    type: ForeignKey
    columns: ['#t.b']
    referenced_columns: ['#t.a']
)");
  ASSERT_TRUE(schema);
  const model::Table& table = schema->tables[0];
  EXPECT_EQ(table.primary_key->columns, (std::vector<std::string>{"a"}));
  EXPECT_EQ(table.annotations.at(0).key, "tap:table_index");  // stored under the Felis spelling
  EXPECT_EQ(table.columns[0].annotations.at(0).key, "tap:principal");
  EXPECT_EQ(table.constraints[0].ref_columns, (std::vector<std::string>{"a"}));
}

// --- columnRefs -----------------------------------------------------------------

TEST(FelisReader, ColumnRefsCopyColumnsAfterLocalOnesWithOverrides) {
  const auto path = testing::fixturesDir() / "reader" / "column_refs" / "main.yaml";
  ReadResult result = readFelisFile(path.string());
  ASSERT_TRUE(result.schema) << renderDiagnostics(result);
  const model::Table& object = result.schema->tables.at(0);
  ASSERT_EQ(object.columns.size(), 4u);
  EXPECT_EQ(object.columns[0].name, "local");
  EXPECT_EQ(object.columns[1].name, "sourceId");
  EXPECT_EQ(object.columns[1].id, "#obj.sourceId");  // <table @id>.<key>
  EXPECT_EQ(object.columns[1].datatype, model::FelisType::Long);
  EXPECT_FALSE(object.columns[1].nullable);
  EXPECT_EQ(object.columns[1].description, "Unique id.");
  EXPECT_EQ(annotation(object.columns[1].annotations, "ivoa:ucd")->value.text, "meta.id;src");

  const model::Column& psf = object.columns[2];
  EXPECT_EQ(psf.name, "psfFlux");
  EXPECT_EQ(psf.datatype, model::FelisType::Float);
  EXPECT_EQ(psf.sql_type, "double precision");  // resolved for the referencing schema
  EXPECT_EQ(psf.description, "PSF flux, as a float.");
  EXPECT_FALSE(psf.nullable);
  EXPECT_EQ(annotation(psf.annotations, "tap:principal")->value, (Scalar{Scalar::Kind::Integer, "1"}));
  EXPECT_EQ(annotation(psf.annotations, "tap:column_index")->value.text, "10");
  EXPECT_EQ(annotation(psf.annotations, "ivoa:unit")->value.text, "nJy");

  EXPECT_EQ(object.columns[3].name, "filter");
  EXPECT_EQ(object.columns[3].length, 2);
  EXPECT_EQ(object.columns[3].sql_type, "character(2)");

  ASSERT_TRUE(object.primary_key);
  EXPECT_EQ(object.primary_key->columns, (std::vector<std::string>{"sourceId"}));
  const model::Constraint& fk = result.schema->tables.at(1).constraints.at(0);
  EXPECT_EQ(fk.ref_table, "Object");
  EXPECT_EQ(fk.ref_columns, (std::vector<std::string>{"sourceId"}));
}

TEST(FelisReader, ReadFelisTextResolvesResourcesAgainstTheBaseDirectory) {
  const auto dir = testing::fixturesDir() / "reader" / "column_refs";
  const std::string text = testing::readFile(dir / "main.yaml");
  ReadOptions options;
  options.base_directory = dir.string();
  ReadResult result = readFelisText(text, "main.yaml", options);
  ASSERT_TRUE(result.schema) << renderDiagnostics(result);
  EXPECT_EQ(result.schema->tables.at(0).columns.size(), 4u);

  ReadOptions elsewhere;
  elsewhere.base_directory = testing::fixturesDir().string();
  ReadResult missing = readFelisText(text, "main.yaml", elsewhere);
  EXPECT_FALSE(missing.schema);
  EXPECT_TRUE(hasDiagnostic(missing, model::DiagId::err_resource_load));
  EXPECT_TRUE(hasDiagnostic(missing, model::DiagId::err_io));
}

TEST(FelisReader, ResourceDiagnosticsRenderWithTheResourceSource) {
  const auto dir = testing::fixturesDir() / "validate";
  ReadResult result = readFelisFile((dir / "resource_invalid.yaml").string());
  ASSERT_FALSE(result.schema);
  const std::string rendered = renderDiagnostics(result);
  // The error inside resources/broken.yaml shows that file's line, not the main file's.
  EXPECT_NE(rendered.find("broken.yaml:6:15: error: unknown datatype 'bigint'"), std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("      datatype: bigint\n"), std::string::npos) << rendered;
}

// --- strictness and results -------------------------------------------------------

TEST(FelisReader, ReusedForeignKeyNamesFailValidateButLoadForCreate) {
  const std::string yaml = R"(name: s
tables:
- name: a
  columns:
  - name: id
    datatype: int
- name: b
  columns:
  - name: a_id
    datatype: int
  constraints:
  - name: fk_a
    '@id': '#b_fk_a'
    '@type': ForeignKey
    columns: ['#b.a_id']
    referencedColumns: ['#a.id']
- name: c
  columns:
  - name: a_id
    datatype: int
  constraints:
  - name: fk_a
    '@id': '#c_fk_a'
    '@type': ForeignKey
    columns: ['#c.a_id']
    referencedColumns: ['#a.id']
)";
  ReadResult strict = read(yaml);
  EXPECT_FALSE(strict.schema);
  EXPECT_TRUE(hasDiagnostic(strict, model::DiagId::err_duplicate_constraint_name));
  ReadOptions loose;
  loose.strict_felis = false;
  ReadResult created = read(yaml, loose);
  ASSERT_TRUE(created.schema) << renderDiagnostics(created);
  EXPECT_EQ(created.diagnostics.warningCount(), 1u);
  EXPECT_TRUE(hasDiagnostic(created, model::DiagId::warn_duplicate_constraint_name));
}

TEST(FelisReader, ErrorsYieldNoModelButKeepSourceAndPositions) {
  const std::string yaml = "name: s\ntables:\n- name: t\n  columns:\n  - name: c\n    datatype: INT\n";
  ReadResult result = read(yaml);
  EXPECT_FALSE(result.schema);
  EXPECT_EQ(result.source_text, yaml);
  ASSERT_EQ(result.diagnostics.errorCount(), 1u);
  const model::Diagnostic& d = result.diagnostics.all()[0];
  EXPECT_EQ(d.id, model::DiagId::err_unknown_datatype);
  EXPECT_EQ(d.file, "test.yaml");
  EXPECT_EQ(d.pos, (model::SourcePos{6, 15}));
}

TEST(FelisReader, AllErrorsOfAFileAreReportedInOneRun) {
  ReadResult result = read(R"(name: s
tables:
- name: t
  primaryKey: '#t.nope'
  columns:
  - name: a
    datatype: string
  - name: a
    datatype: int
    nulable: true
)");
  EXPECT_FALSE(result.schema);
  EXPECT_TRUE(hasDiagnostic(result, model::DiagId::err_unknown_key_suggest));
  EXPECT_TRUE(hasDiagnostic(result, model::DiagId::err_length_required));
  EXPECT_TRUE(hasDiagnostic(result, model::DiagId::err_duplicate_column));
  EXPECT_TRUE(hasDiagnostic(result, model::DiagId::err_duplicate_id));
  EXPECT_TRUE(hasDiagnostic(result, model::DiagId::err_dangling_reference));
}

TEST(FelisReader, UnreadableFileIsAnIoDiagnostic) {
  ReadResult result = readFelisFile((testing::fixturesDir() / "reader" / "no_such_file.yaml").string());
  EXPECT_FALSE(result.schema);
  EXPECT_TRUE(hasDiagnostic(result, model::DiagId::err_io));
}

TEST(FelisReader, EditDistanceGivesUpPastTheLimit) {
  EXPECT_EQ(editDistance("nulable", "nullable", 2), 1u);
  EXPECT_EQ(editDistance("primaryKeys", "primaryKey", 2), 1u);
  EXPECT_EQ(editDistance("abc", "abc", 2), 0u);
  EXPECT_EQ(editDistance("defaultValue", "value", 2), 3u);
}

}  // namespace
}  // namespace felisc::felis
