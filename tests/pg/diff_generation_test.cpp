// Generated key columns on a real PostgreSQL, with rows: serial and identity
// columns appearing, going away and changing kind (Felis files only ever give
// serial; a live database can hold identity columns). Each pair goes through
// the round trip of diff_roundtrip.h, both ways.
#include <gtest/gtest.h>

#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"
#include "tests/pg/diff_roundtrip.h"

namespace felisc::testing {
namespace {

using model::Generation;

/// A table `t` (id bigint key, v text) whose id is generated as `generation`.
model::Schema withGeneration(Generation generation, model::FelisType id_type = model::FelisType::Long) {
  model::Schema schema;
  schema.name = "gen";
  model::Table table;
  table.name = "t";
  model::Column id;
  id.name = "id";
  id.datatype = id_type;
  id.nullable = false;
  id.autoincrement = generation == Generation::Serial;
  model::Column value;
  value.name = "v";
  value.datatype = model::FelisType::Text;
  table.columns = {id, value};
  table.primary_key = model::PrimaryKey{"", {"id"}, {}};
  schema.tables.push_back(table);
  model::resolveSchema(schema, model::postgresDialect());
  model::Column& resolved = schema.tables[0].columns[0];
  if (generation != Generation::Serial) {
    resolved.generation = generation;
    resolved.sequence = generation == Generation::None ? "" : "t_id_seq";
  }
  return schema;
}

struct GenerationPair {
  Generation from;
  Generation to;
  const char* name;
};

class DiffGeneration : public ::testing::TestWithParam<GenerationPair> {};

TEST_P(DiffGeneration, RoundTripWithRows) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  const GenerationPair& pair = GetParam();
  diffcheck::checkRoundTrip(db, withGeneration(pair.from), withGeneration(pair.to), pair.name);
}

INSTANTIATE_TEST_SUITE_P(
    Pairs, DiffGeneration,
    ::testing::Values(GenerationPair{Generation::None, Generation::Serial, "none_to_serial"},
                      GenerationPair{Generation::None, Generation::IdentityAlways, "none_to_identity"},
                      GenerationPair{Generation::Serial, Generation::IdentityByDefault, "serial_to_identity"},
                      GenerationPair{Generation::IdentityAlways, Generation::IdentityByDefault,
                                     "identity_kind"}),
    [](const ::testing::TestParamInfo<GenerationPair>& pair_info) { return pair_info.param.name; });

TEST(DiffGenerationType, RenamedSerialColumnChangesTypeWithItsRenamedSequence) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  model::Schema a = withGeneration(Generation::Serial, model::FelisType::Int);
  model::Schema b = withGeneration(Generation::Serial, model::FelisType::Long);
  a.tables[0].columns[0].id = b.tables[0].columns[0].id = "#t.key";
  b.tables[0].columns[0].name = "key";
  b.tables[0].primary_key->columns = {"key"};
  b.tables[0].columns[0].sequence = "t_key_seq";
  diffcheck::checkRoundTrip(db, a, b, "renamed_serial_int_to_bigint");
  diffcheck::checkRoundTrip(db, b, a, "renamed_serial_bigint_to_int");
}

TEST(DiffGenerationType, SerialColumnChangesTypeWithItsSequence) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  diffcheck::checkRoundTrip(db, withGeneration(Generation::Serial, model::FelisType::Int),
                            withGeneration(Generation::Serial, model::FelisType::Long),
                            "serial_int_to_bigint");
}

}  // namespace
}  // namespace felisc::testing
