/// \file
/// Felis's ID map (felis-format.md §3): every @id of the schema, its tables, their
/// columns (columnRefs copies included) and constraints, mapped to the object.
/// Indexes and column groups are not in it, as in felis, so their @ids may repeat
/// anything. Internal to the Felis reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "compiler/felis/validator.h"
#include "schema_model/model.h"

namespace felisc::felis {

/// What an @id names.
struct IdTarget {
  enum class Kind : std::uint8_t { Schema, Table, Column, Constraint };
  Kind kind = Kind::Schema;
  std::size_t table = 0;  ///< the table, or the owning table of a column/constraint
  std::size_t item = 0;   ///< the column or constraint within the table
};

class IdMap {
 public:
  /// Builds the map of `schema`, reporting each @id defined twice (with a note at
  /// the first definition). Keys view the model's strings: the model must not
  /// change shape while the map lives.
  void build(const model::Schema& schema, const SchemaSite& site, DiagnosticBuffer& diagnostics);

  /// The object an @id names; nullptr if none.
  [[nodiscard]] const IdTarget* find(std::string_view id) const;

 private:
  void add(std::string_view id, IdTarget target, model::SourcePos pos, DiagnosticBuffer& diagnostics);

  struct Entry {
    IdTarget target;
    model::SourcePos pos;
  };
  std::unordered_map<std::string_view, Entry> entries_;
};

/// "the schema", "table 't'", "column 't.c'", "constraint 'c'": what an @id names.
std::string describeTarget(const model::Schema& schema, const IdTarget& target);

}  // namespace felisc::felis
