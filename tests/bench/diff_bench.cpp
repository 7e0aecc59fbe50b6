// felisc_bench: how the diff engine scales. Two schemas of N tables each (ten
// columns, a primary key, a unique constraint, a foreign key to an earlier table,
// an index, descriptions), the second one edited on about one table in twenty
// (columns added, dropped, renamed with a stable @id, retyped, made NOT NULL;
// constraints renamed; tables added, dropped and renamed). Issue target: linear
// growth from 1,000 to 100,000 tables, under 0.3 s at 10,000.
//
//   felisc_bench --benchmark_filter=BM_Diff
#include <benchmark/benchmark.h>

#include <string>

#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "emitters/plan_sql.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace {

using felisc::model::Column;
using felisc::model::Constraint;
using felisc::model::ConstraintKind;
using felisc::model::FelisType;
using felisc::model::Schema;
using felisc::model::Table;

Column column(const std::string& table, int i) {
  static constexpr FelisType kTypes[] = {
      FelisType::Long, FelisType::Int,       FelisType::Double,  FelisType::Float, FelisType::String,
      FelisType::Text, FelisType::Timestamp, FelisType::Boolean, FelisType::Short, FelisType::Double};
  Column c;
  c.name = "col_" + std::to_string(i);
  c.id = "#" + table + "." + c.name;
  c.datatype = kTypes[i % 10];
  if (c.datatype == FelisType::String) c.length = 64;
  c.nullable = i > 1;
  c.description = "Column " + std::to_string(i) + " of " + table + ".";
  return c;
}

Table table(int t) {
  Table table;
  table.name = "table_" + std::to_string(t);
  table.id = "#" + table.name;
  table.description = "Table number " + std::to_string(t) + ".";
  for (int i = 0; i < 10; ++i) table.columns.push_back(column(table.name, i));
  table.primary_key = felisc::model::PrimaryKey{"", {"col_0", "col_1"}, {}};
  Constraint unique;
  unique.kind = ConstraintKind::Unique;
  unique.name = "un_" + table.name + "_col_4";
  unique.columns = {"col_4"};
  table.constraints.push_back(unique);
  if (t > 0) {
    Constraint fk;
    fk.kind = ConstraintKind::ForeignKey;
    fk.name = "fk_" + table.name + "_parent";
    fk.columns = {"col_0", "col_1"};
    fk.ref_table = "table_" + std::to_string(t / 2);
    fk.ref_columns = {"col_0", "col_1"};
    table.constraints.push_back(fk);
  }
  felisc::model::Index index;
  index.name = "ix_" + table.name + "_col_2";
  index.elements = {{"col_2", false}};
  table.indexes.push_back(index);
  return table;
}

Schema resolved(Schema schema) {
  felisc::model::resolveSchema(schema, felisc::model::postgresDialect());
  return schema;
}

Schema oldSchema(int tables) {
  Schema schema;
  schema.name = "bench";
  schema.tables.reserve(static_cast<std::size_t>(tables));
  for (int t = 0; t < tables; ++t) schema.tables.push_back(table(t));
  return resolved(schema);
}

/// One table in twenty edited, in one of twenty ways (a few tables added too).
Schema newSchema(const Schema& old_schema) {
  Schema schema = old_schema;
  const int tables = static_cast<int>(schema.tables.size());
  for (int t = 3; t < tables; t += 20) {
    Table& table = schema.tables[static_cast<std::size_t>(t)];
    switch ((t / 20) % 8) {
      case 0: table.columns.push_back(column(table.name, 10)); break;
      case 1: table.columns.erase(table.columns.begin() + 8); break;
      case 2: table.columns[5].name = "renamed_5"; break;  // @id stays: a rename
      case 3: table.columns[3].datatype = FelisType::Long; break;
      case 4: table.columns[6].nullable = false; break;
      case 5: table.constraints[0].name = "un_short_" + std::to_string(t); break;
      case 6: table.description = "Edited description."; break;
      default: table.name += "_renamed"; break;  // @id stays: a table rename (FKs into it follow)
    }
  }
  for (auto& table : schema.tables)
    for (auto& constraint : table.constraints)
      if (constraint.kind == ConstraintKind::ForeignKey && constraint.ref_table != "table_0") {
        const int target = std::stoi(constraint.ref_table.substr(6));
        constraint.ref_table = schema.tables[static_cast<std::size_t>(target)].name;
      }
  for (int t = tables; t < tables + tables / 100; ++t) schema.tables.push_back(table(t));
  return resolved(schema);
}

void BM_DiffSchemas(benchmark::State& state) {
  const Schema old_schema = oldSchema(static_cast<int>(state.range(0)));
  const Schema new_schema = newSchema(old_schema);
  std::size_t changes = 0;
  for (auto _ : state) {
    felisc::diff::ChangeSet set = felisc::diff::diffSchemas(old_schema, new_schema);
    changes = set.changes.size();
    benchmark::DoNotOptimize(set);
  }
  state.counters["changes"] = static_cast<double>(changes);
  state.SetComplexityN(state.range(0));
}

/// Diff, plan (order and render both ways) and the upgrade script: all of
/// `felisc diff` after reading the two files.
void BM_DiffPlanSql(benchmark::State& state) {
  const Schema old_schema = oldSchema(static_cast<int>(state.range(0)));
  const Schema new_schema = newSchema(old_schema);
  std::size_t bytes = 0;
  for (auto _ : state) {
    felisc::diff::Plan plan = felisc::diff::plan(felisc::diff::diffSchemas(old_schema, new_schema));
    std::string sql = felisc::emit::planSql(plan, felisc::diff::Direction::Up);
    bytes = sql.size();
    benchmark::DoNotOptimize(sql);
  }
  state.counters["sql_bytes"] = static_cast<double>(bytes);
  state.SetComplexityN(state.range(0));
}

BENCHMARK(BM_DiffSchemas)
    ->Arg(1000)
    ->Arg(3000)
    ->Arg(10000)
    ->Arg(30000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_DiffPlanSql)
    ->Arg(1000)
    ->Arg(3000)
    ->Arg(10000)
    ->Arg(30000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

}  // namespace
