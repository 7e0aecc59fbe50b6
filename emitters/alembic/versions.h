/// \file
/// The revisions of an Alembic versions directory, read without running Python.
///
/// A revision file is a Python module; Alembic imports it. felisc only needs to
/// know which revision it is and which it follows, so it reads the module-level
/// assignments statically:
///
///     revision: str = "6b023af1fe56"          # or revision = '6b023af1fe56'
///     down_revision: Union[str, None] = "28c1d06f768d"   # None, "x", ("x", "y")
///
/// (assignments at the start of a line, outside triple-quoted strings; the last
/// one wins, as in Python). A value that is not a literal (a computed id) is an
/// error rather than a guess. The head is the one revision no other revision
/// follows; several heads, a cycle, a revision defined twice or a
/// down_revision that names nothing are errors, as `alembic revision` would
/// refuse them too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema_model/diagnostic.h"
#include "schema_model/source_location.h"

namespace felisc::alembic {

/// One revision file, read statically.
struct AlembicRevisionFile {
  std::string path;
  std::string revision;
  std::vector<std::string> down_revisions;  ///< empty for a first revision (None); several for a merge
  model::SourcePos pos;                     ///< of the `revision` assignment
  /// The `# felisc plan: HASH` line felisc writes into a revision it puts in a
  /// versions directory (planHashLine()); empty for any other revision.
  std::string plan_hash;
};

/// The header line that records which plan a revision carries, so that running
/// felisc again for the same change finds it instead of stacking a copy.
std::string planHashLine(std::string_view hash);

/// Reads the `revision` and `down_revision` of one revision file's text;
/// nullopt (and a diagnostic against `path`) when either cannot be read.
std::optional<AlembicRevisionFile> parseAlembicRevisionFile(std::string_view text, const std::string& path,
                                                            model::Diagnostics& diagnostics);

/// The heads of `files` as Alembic finds them: the revisions no other revision
/// names as a down_revision (a merge revision names several), sorted.
std::vector<std::string> alembicHeads(const std::vector<AlembicRevisionFile>& files);

/// The head of `files`: nullopt when there is no revision, or on an error
/// (several heads, a cycle, a duplicate, a dangling down_revision), which is
/// then reported in `diagnostics`. `directory` names the directory in messages.
/// With `chosen_head` (--head), several heads are no error: the chosen one is
/// the head, and naming a revision that is not a head is the error.
std::optional<std::string> alembicHead(const std::vector<AlembicRevisionFile>& files,
                                       const std::string& directory, model::Diagnostics& diagnostics,
                                       const std::string& chosen_head = {});

/// Everything known about one versions directory.
struct AlembicVersions {
  bool exists = false;                     ///< the directory is there
  std::vector<AlembicRevisionFile> files;  ///< sorted by path
  std::optional<std::string> head;         ///< nullopt: no revision yet (or an error)
  std::vector<std::string> heads;          ///< every head (alembicHeads())
  model::Diagnostics diagnostics;

  [[nodiscard]] bool ok() const { return !diagnostics.hasErrors(); }
  /// Whether `revision` is defined by one of the files; the file's path, or "".
  [[nodiscard]] std::string fileOf(std::string_view revision) const;
  /// The revision that carries the plan with this hash (plan_hash), or nullptr.
  [[nodiscard]] const AlembicRevisionFile* carrying(std::string_view plan_hash) const;
};

/// Reads every `*.py` of `versions_dir` (not `__init__.py`, hidden or editor
/// backup files) and finds the head. A missing directory is no error: it has no
/// revision yet (`exists` is false).
/// `chosen_head` as in alembicHead().
AlembicVersions readAlembicVersions(const std::string& versions_dir, const std::string& chosen_head = {});

/// Renders the diagnostics of `versions`, each with the line it points into.
std::string renderAlembicDiagnostics(const AlembicVersions& versions);

}  // namespace felisc::alembic
