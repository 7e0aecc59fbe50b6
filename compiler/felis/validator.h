/// \file
/// Stage 2 of the Felis reader: the semantic rules of Felis (felis-format.md §5),
/// the checks felis leaves out that would break DDL (§5.2), PostgreSQL's own
/// limits, and resolution of every @id reference into column and table names.
///
/// Stage 1 (felis_reader.cpp) builds the model from the YAML tree and, beside it,
/// a *site map*: where each object and each of its keys is in the file, and the
/// references as written (@ids). The model keeps no @id references: after
/// validation every reference is a column name (and a table name for foreign keys),
/// which is what a database holds. The site map is what lets a rule found long
/// after parsing still point at line:column, as protoc's SourceLocationTable does.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/felis/reader.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::felis {

/// A reference by @id as written in the file (primaryKey, constraint and index
/// columns, group entries).
struct IdRef {
  std::string id;
  model::SourcePos pos;
};

/// Where one object and its keys are.
struct ObjectSite {
  model::SourcePos pos;  ///< start of the object's mapping
  /// Canonical key (e.g. "tap:principal", also when written `tap_principal`) ->
  /// position of the key in the file. Small, so a vector.
  std::vector<std::pair<std::string_view, model::SourcePos>> keys;
  bool has_name = false;  ///< `name` was given (a string)
  bool has_id = false;    ///< the object has an @id (given, aliased or generated)

  /// Position of `key`, or of the object when the key is absent.
  [[nodiscard]] model::SourcePos at(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const;
};

struct ColumnSite : ObjectSite {
  bool datatype_valid = false;  ///< a known datatype was read
  /// Copied from a resource by `columnRefs` (felis-format.md §2.4); `pos` is the
  /// columnRefs entry.
  bool from_column_ref = false;
};

struct ConstraintSite : ObjectSite {
  std::vector<IdRef> columns;
  std::vector<IdRef> referenced_columns;  ///< ForeignKey only
};

struct IndexSite : ObjectSite {
  std::vector<IdRef> columns;  ///< when the index is on columns
};

/// One entry of a column group: an @id, or a column written inline.
struct GroupEntry {
  IdRef ref;  ///< the @id (of the inline column, for an inline entry)
  bool is_inline = false;
  std::string inline_name;
};

struct GroupSite : ObjectSite {
  std::vector<GroupEntry> entries;
};

struct TableSite : ObjectSite {
  std::vector<ColumnSite> columns;  ///< parallel to model::Table::columns
  bool has_primary_key = false;
  std::vector<IdRef> primary_key;
  std::vector<ConstraintSite> constraints;  ///< parallel to model::Table::constraints
  std::vector<IndexSite> indexes;           ///< parallel to model::Table::indexes
  std::vector<GroupSite> groups;            ///< parallel to model::Table::column_groups
};

/// The site map of one Felis file, parallel to the model read from it.
struct SchemaSite : ObjectSite {
  std::vector<TableSite> tables;  ///< parallel to model::Schema::tables
};

/// Collects diagnostics of one stage and hands them on sorted by position, so
/// that each stage reports in file order however its checks are organised. A
/// note stays right after the diagnostic it belongs to.
class DiagnosticBuffer {
 public:
  explicit DiagnosticBuffer(const std::string& file) : file_(file) {}
  void report(model::DiagId id, model::SourcePos pos, std::initializer_list<std::string_view> args = {});
  void report(model::DiagId id, model::Severity severity, model::SourcePos pos,
              std::initializer_list<std::string_view> args = {});
  /// A note attached to the last diagnostic reported.
  void note(model::DiagId id, model::SourcePos pos, std::initializer_list<std::string_view> args = {});
  [[nodiscard]] bool hasErrors() const { return errors_ != 0; }
  /// Moves everything into `diagnostics`, in file order; the buffer is empty after.
  void flushTo(model::Diagnostics& diagnostics);

 private:
  struct Pending {
    model::DiagId id;
    model::Severity severity;
    model::SourcePos pos;
    std::vector<std::string> args;
    std::size_t group;  ///< index of the primary diagnostic (itself for a primary)
  };
  const std::string& file_;
  std::vector<Pending> pending_;
  std::size_t errors_ = 0;
};

/// Checks `schema` against every Felis rule and felisc's own checks, reporting
/// into `diagnostics` (all of them, not only the first), and resolves the @id
/// references of `site` into the model's column and table names. `file` names
/// the file in diagnostics. The model is only meaningful when no error was
/// reported.
void validateFelis(model::Schema& schema, const SchemaSite& site, const ReadOptions& options,
                   const std::string& file, model::Diagnostics& diagnostics);

/// Levenshtein distance, for "did you mean" suggestions; gives up (returns
/// `limit + 1`) once the distance exceeds `limit`.
std::size_t editDistance(std::string_view a, std::string_view b, std::size_t limit);

}  // namespace felisc::felis
