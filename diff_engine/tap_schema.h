/// \file
/// TAP_SCHEMA as data: the rows felis's `load-tap-schema` inserts for a schema
/// (docs/tap-schema.md §3), and the row changes between two such states, each
/// with its exact inverse.
///
/// felis itself only inserts, so an update is defined as the doc's §4.2 defines
/// it: afterwards the schema's rows equal what a fresh load of the new file would
/// insert; rows of other schemas are left alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema_model/model.h"
#include "schema_model/tap_rows.h"

namespace felisc::diff {

/// felis's `load-tap-schema` options that change the rows (docs/tap-schema.md §1.2).
struct TapOptions {
  std::optional<std::int64_t> schema_index;                ///< -i/--tap-schema-index
  bool unique_keys = false;                                ///< -u/--unique-keys: key_id = <schema>_<name>
  bool force_unbounded_arraysize = false;                  ///< --force-unbounded-arraysize
  std::optional<std::int64_t> column_ref_index_increment;  ///< --column-ref-index-increment
};

/// The rows for `schema`, in felis's insert order (§4.1). `facts` are what the
/// model does not keep (which primary keys are single strings, which columns are
/// columnRefs copies).
model::TapRows tapRowsOf(const model::Schema& schema, const model::TapSourceFacts& facts,
                         const TapOptions& options = {});

/// The key_ids that occur more than once in `rows`, sorted. keys.key_id is the
/// primary key of `keys`, so such rows cannot be loaded (felis's load fails on it);
/// Felis files before 2024-07 reused foreign key names across tables.
std::vector<std::string> duplicateTapKeyIds(const model::TapRows& rows);

/// The TAP `datatype` of a Felis datatype (§3.3 table).
std::string_view tapDatatype(model::FelisType type);
/// `size` from an arraysize: "12" and "12*" give 12, anything else NULL (§3.3).
model::TapValue tapSizeOf(const model::TapValue& arraysize);

/// One row change.
struct TapChange {
  enum class Kind : std::uint8_t { Insert, Update, Delete };
  Kind kind = Kind::Insert;
  model::TapRow before;  ///< Update, Delete
  model::TapRow after;   ///< Insert, Update

  [[nodiscard]] model::TapTable table() const { return kind == Kind::Delete ? before.table : after.table; }
  /// Insert <-> Delete, Update with before and after swapped.
  [[nodiscard]] TapChange inverse() const;
  friend bool operator==(const TapChange&, const TapChange&) = default;
};

/// The changes that turn the rows `from` into `to`, in an order the foreign keys
/// k1-k5 allow: deletes (key_columns, keys, columns, tables, schemas), updates,
/// then inserts (schemas, tables, columns, each key followed by its columns). A
/// key whose from_table or target_table changes is deleted and inserted again
/// with its columns, since no single position of an UPDATE suits both tables.
std::vector<TapChange> diffTapRows(const model::TapRows& from, const model::TapRows& to);

/// The downgrade of `upgrade`: the inverses in reverse order.
std::vector<TapChange> inverseTapChanges(const std::vector<TapChange>& upgrade);

/// The names of the columns an Update changes, in table order.
std::vector<std::string> changedTapColumns(const TapChange& change);

}  // namespace felisc::diff
