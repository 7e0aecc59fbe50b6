/// \file
/// Where one side of a diff comes from: a Felis file, a file at a git revision
/// (`REV:PATH`, the sdm_schemas pull-request case), or a live database.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::cli {

/// One loaded side, with what was reported on the way.
struct LoadedSchema {
  std::shared_ptr<const model::Schema> schema;  ///< null on failure
  std::string label;                            ///< "old.yaml", "main:yml/cdb_latiss.yaml", "db:cdb_latiss"
  std::string rendered_diagnostics;             ///< clang-style text, ready for stderr
  bool io_error = false;                        ///< unreadable input (exit 2), not invalid input (exit 1)
  std::string source_text;                      ///< the Felis text read (files only; TAP_SCHEMA facts)
};

/// Where sdm_schemas kept its schema files: `yml/` until 2024-10-25, then
/// python/lsst/sdm_schemas/schemas/, since 2025-02-26 python/lsst/sdm/schemas/
/// (with `yml` a symbolic link to it since 2024-10-25).
inline const std::vector<std::string> kSdmSchemaDirs = {"yml", "python/lsst/sdm_schemas/schemas",
                                                        "python/lsst/sdm/schemas"};

/// Whether `spec` names a git revision's file (`REV:PATH`) rather than a file:
/// it is not an existing path and has a ':' after a non-empty revision.
bool isGitSpec(const std::string& spec);

/// Reads a Felis file, or `REV:PATH` through `git show` in the current directory's
/// repository (git's own syntax: `REV:./PATH` is relative to the current directory),
/// following symbolic links in the tree at REV. A file of one of kSdmSchemaDirs
/// that is not at REV is read from another of them where it is (a moved schema
/// file), with a warning.
LoadedSchema loadFelisSide(const std::string& spec, const felis::ReadOptions& options);

/// Reads `path` (relative to `repo_dir`) as it is at git revision `rev` of the
/// repository `repo_dir` is in; the label is `REV:PATH`.
LoadedSchema loadFelisAtRevision(const std::string& repo_dir, const std::string& rev, const std::string& path,
                                 const felis::ReadOptions& options);

/// The regular files directly in `directory` (relative to `repo_dir`) at git
/// revision `rev`, as `directory/NAME`, sorted, following symbolic links in the
/// tree at `rev` (sdm_schemas' `yml` became one); empty when the directory does
/// not exist there; nullopt and `error` set when git fails (no repository,
/// unknown revision).
std::optional<std::vector<std::string>> listFilesAtRevision(const std::string& repo_dir,
                                                            const std::string& rev,
                                                            const std::string& directory, std::string& error);

/// `path` with every symbolic link of the tree at `rev` followed, as a checkout
/// of `rev` would see it, relative to the repository root. `path` is relative to
/// `repo_dir` (git's `REV:./PATH`), or to the root when `from_root` (git's
/// `REV:PATH`). Nullopt and `error` set when a component is not in the tree.
std::optional<std::string> resolvePathAtRevision(const std::string& repo_dir, const std::string& rev,
                                                 const std::string& path, bool from_root, std::string& error);

/// The full commit id of `rev` in the repository `repo_dir` is in; nullopt when git cannot say.
std::optional<std::string> commitId(const std::string& repo_dir, const std::string& rev);

/// Whether the working tree of `repo_dir` differs from its HEAD (tracked files).
bool workingTreeDiffers(const std::string& repo_dir);

/// Reads schema `schema_name` from the database behind `conninfo` (libpq conninfo,
/// URI, or "" for the PG* environment).
LoadedSchema loadDatabaseSide(const std::string& conninfo, const std::string& schema_name);

}  // namespace felisc::cli
