/// \file
/// How a command reports a planned migration (diff_engine/migration.h): its
/// diagnostics, its warnings, and a refusal with the exit code it means. diff,
/// migrate and verify all report through here, so a refusal reads and exits the
/// same through every command.
#pragma once

#include <ostream>
#include <string>

#include "diff_engine/migration.h"

namespace felisc::cli {

/// The exit code of a refusal (kExitOk for none).
int refusalExitCode(diff::MigrationRefusal refusal);

/// Prints `migration`'s diagnostics and warnings (unused backfills) to `err`,
/// then its refusal, if any, each line prefixed with `prefix` ("cdb_latiss: "
/// in migrate, empty elsewhere). Returns refusalExitCode(migration.refusal).
int reportMigration(const diff::Migration& migration, const std::string& prefix, std::ostream& err);

}  // namespace felisc::cli
