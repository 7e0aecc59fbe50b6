/// \file
/// The Felis reader: YAML text -> validated, immutable schema model.
///
/// Two stages, as protoc does it: the YAML tree (yaml_tree.h) is read into the
/// model with every object keeping its source position, then validated
/// (felis_validator.h). All errors of a file are reported in one run.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::felis {

/// Felis's optional checks (`felis validate --check-*`), all off by default.
struct FelisChecks {
  bool description = false;          ///< --check-description
  bool redundant_datatypes = false;  ///< --check-redundant-datatypes
  bool tap_table_indexes = false;    ///< --check-tap-table-indexes
  bool tap_principal = false;        ///< --check-tap-principal
};

struct ReadOptions {
  bool id_generation = true;  ///< fill missing @ids, as the felis CLI does by default
  FelisChecks checks;
  /// Validate mode reports every rule felis enforces as an error. Otherwise
  /// (create, diff) a rule that only today's felis enforces and PostgreSQL accepts
  /// (e.g. a constraint name reused across tables, valid under older felis)
  /// becomes a warning, so that old files still load.
  bool strict_felis = true;
  /// Directory against which `resources` URIs are resolved for readFelisText
  /// (readFelisFile uses the file's own directory); empty means the current one.
  std::string base_directory;
};

/// The text of a file other than the one read (a `resources` file) that
/// diagnostics point into.
struct SourceText {
  std::string file;
  std::string text;
};

/// A file read into the model, with everything reported on the way.
struct ReadResult {
  std::shared_ptr<const model::Schema> schema;  ///< null when there were errors
  model::Diagnostics diagnostics;
  std::string source_text;  ///< the file's text, for rendering diagnostics
  /// Texts of resource files some diagnostics point into (when a resource failed).
  std::vector<SourceText> other_sources;
};

/// Reads, resolves and validates a Felis file. I/O errors are diagnostics too.
ReadResult readFelisFile(const std::string& path, const ReadOptions& options = {});
/// The same from text already in memory; `display_name` appears in diagnostics.
ReadResult readFelisText(std::string_view text, const std::string& display_name,
                         const ReadOptions& options = {});

/// Renders every diagnostic of `result` clang style, each with the text of the
/// file it points into (the file read, or one of its resources).
std::string renderDiagnostics(const ReadResult& result);

}  // namespace felisc::felis
