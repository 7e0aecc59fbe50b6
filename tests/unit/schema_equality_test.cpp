// One definition of "the same schema": the differ (diff_engine/differ.h) finds
// no change exactly when the comparison verify and drift use
// (schema_model/compare.h) finds no difference. Over seeded random pairs, over
// variants that differ only in what a database cannot hold, and over every
// real file and every cdb_latiss history pair.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "diff_engine/differ.h"
#include "schema_model/compare.h"
#include "tests/support/corpus.h"
#include "tests/support/random_schema.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

/// What the two definitions say of one pair, with enough to debug a mismatch.
struct Verdicts {
  bool differ_equal;
  bool compare_equal;
  std::string detail;
};

Verdicts judge(const model::Schema& a, const model::Schema& b) {
  diff::ChangeSet changes = diff::diffSchemas(a, b);
  std::vector<std::string> differences = model::compareSchemas(a, b);
  Verdicts out{changes.empty(), differences.empty(), {}};
  out.detail += std::to_string(changes.changes.size()) + " change(s):";
  for (const diff::Change& change : changes.changes) out.detail += "\n  " + diff::describe(change);
  out.detail += "\n" + std::to_string(differences.size()) + " difference(s):";
  for (const std::string& line : differences) out.detail += "\n  " + line;
  return out;
}

void expectAgree(const model::Schema& a, const model::Schema& b, const std::string& what) {
  Verdicts verdicts = judge(a, b);
  EXPECT_EQ(verdicts.differ_equal, verdicts.compare_equal) << what << "\n" << verdicts.detail;
  // Both directions: equality is symmetric in both definitions.
  Verdicts back = judge(b, a);
  EXPECT_EQ(back.differ_equal, back.compare_equal) << what << " (reversed)\n" << back.detail;
  EXPECT_EQ(verdicts.differ_equal, back.differ_equal) << what << ": the differ is not symmetric";
}

/// `schema` changed only in what a database cannot hold: Felis-only facts
/// (ids, annotations, the version), an empty description for a missing one, the
/// order of constraints and indexes, a key column's nullability, a check's
/// parentheses. Both definitions must call it equal.
model::Schema databaseNeutralVariant(model::Schema schema) {
  schema.version.reset();
  for (model::Table& table : schema.tables) {
    table.id = "#variant." + table.name;
    if (!table.description || table.description->empty()) table.description = std::string();
    for (model::Column& column : table.columns) {
      column.id = "#variant." + table.name + "." + column.name;
      column.annotations.clear();
      if (!column.description || column.description->empty()) column.description = std::string();
    }
    // PostgreSQL makes a key column NOT NULL whatever the file says.
    if (table.primary_key)
      for (model::Column& column : table.columns)
        if (std::find(table.primary_key->columns.begin(), table.primary_key->columns.end(), column.name) !=
            table.primary_key->columns.end())
          column.nullable = true;
    // The server's spelling of a check: parenthesised, keywords in another case.
    for (model::Constraint& constraint : table.constraints)
      if (constraint.kind == model::ConstraintKind::Check)
        constraint.expression = "(" + constraint.expression + ")";
    std::reverse(table.constraints.begin(), table.constraints.end());
    std::reverse(table.indexes.begin(), table.indexes.end());
  }
  return schema;
}

TEST(SchemaEquality, DifferAndComparisonAgreeOnRandomPairs) {
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    RandomSchemas random(seed);
    model::Schema a = RandomSchemas::resolved(random.schema());
    model::Schema b = RandomSchemas::resolved(random.mutate(a));
    expectAgree(a, b, "seed " + std::to_string(seed));
    expectAgree(a, a, "seed " + std::to_string(seed) + " against itself");
    expectAgree(a, RandomSchemas::resolved(databaseNeutralVariant(a)),
                "seed " + std::to_string(seed) + " against its database-neutral variant");
  }
}

TEST(SchemaEquality, NeutralVariantsAreEqualToBoth) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    RandomSchemas random(seed);
    model::Schema a = RandomSchemas::resolved(random.schema());
    model::Schema variant = RandomSchemas::resolved(databaseNeutralVariant(a));
    Verdicts verdicts = judge(a, variant);
    EXPECT_TRUE(verdicts.differ_equal && verdicts.compare_equal) << "seed " << seed << "\n"
                                                                 << verdicts.detail;
  }
}

TEST(SchemaEquality, DifferAndComparisonAgreeOnTheRealCorpus) {
  std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "yml");
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    model::Schema schema = readCorpusSchema(file);
    expectAgree(schema, schema, file.filename().string());
    expectAgree(schema, databaseNeutralVariant(schema), file.filename().string() + " (neutral variant)");
  }
}

TEST(SchemaEquality, DifferAndComparisonAgreeOnEveryHistoryPair) {
  std::vector<fs::path> versions = historyFiles();
  std::vector<model::Schema> schemas;
  for (const fs::path& file : versions) schemas.push_back(readCorpusSchema(file));
  int equal_pairs = 0;
  for (std::size_t i = 0; i + 1 < schemas.size(); ++i) {
    expectAgree(schemas[i], schemas[i + 1],
                versions[i].filename().string() + " -> " + versions[i + 1].filename().string());
    if (model::compareSchemas(schemas[i], schemas[i + 1]).empty()) ++equal_pairs;
  }
  // Some consecutive versions change only Felis-level facts (descriptions of
  // nothing the database holds, the version): both definitions call them equal.
  EXPECT_GT(equal_pairs, 0);
}

}  // namespace
}  // namespace felisc::testing
