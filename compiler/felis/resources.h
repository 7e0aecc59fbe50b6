/// \file
/// `resources` and `columnRefs` (felis-format.md §2.4): columns copied from other
/// Felis files. Internal to the Felis reader.
///
/// A table's `columnRefs` names columns of a table of another Felis file (a
/// *resource*, declared in the schema's `resources` with a URI relative to the
/// referencing file). Each one is copied after the table's own columns, renamed
/// to its key, given the @id `<table @id>.<key>`, and optionally overridden.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/felis/reader.h"
#include "compiler/felis/validator.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::felis {

/// One entry of the schema's `resources`.
struct ResourceDecl {
  std::string name;
  std::string uri;
  model::SourcePos pos;  ///< of the URI
};

/// What a columnRefs entry's `overrides` may change.
struct ColumnOverrides {
  std::optional<model::FelisType> datatype;
  std::optional<std::int64_t> length;
  std::optional<std::string> description;
  std::optional<bool> nullable;
  std::optional<model::Scalar> tap_principal;
  std::optional<model::Scalar> tap_column_index;
};

/// One column to copy: `columnRefs: {resource: {ref_table: {new_name: {ref_name, overrides}}}}`.
struct ColumnRefRequest {
  std::size_t table = 0;  ///< index of the referencing table in the schema
  std::string resource;
  model::SourcePos resource_pos;
  std::string ref_table;
  model::SourcePos ref_table_pos;
  std::string new_name;
  std::string ref_name;  ///< the column in the resource; `new_name` when not given
  model::SourcePos pos;  ///< of the new name (the key)
  ColumnOverrides overrides;
};

/// State shared by the reads of one top-level file and of its resources.
struct ResourceContext {
  /// Canonical paths of the files being read, outermost first (cycle detection).
  std::vector<std::string> loading;
  /// Each resource file is read once per top-level read.
  std::map<std::string, std::shared_ptr<const ReadResult>> cache;
};

/// Reads `text` (stage 1, resources, stage 2, resolution). `base_directory`
/// resolves resource URIs.
ReadResult readFelisWithContext(std::string_view text, const std::string& display_name,
                                const ReadOptions& options, const std::string& base_directory,
                                ResourceContext& context);

/// Copies the requested columns into `schema` (and their sites into `site`),
/// after each table's own columns, in request order.
void applyColumnRefs(model::Schema& schema, SchemaSite& site, const std::vector<ResourceDecl>& resources,
                     const std::vector<ColumnRefRequest>& requests, const ReadOptions& options,
                     const std::string& base_directory, ResourceContext& context,
                     DiagnosticBuffer& diagnostics, std::vector<SourceText>& other_sources,
                     model::Diagnostics& resource_diagnostics);

}  // namespace felisc::felis
