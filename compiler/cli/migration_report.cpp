#include "compiler/cli/migration_report.h"

#include "compiler/cli/cli.h"
#include "compiler/cli/output.h"

namespace felisc::cli {

int refusalExitCode(diff::MigrationRefusal refusal) {
  switch (refusal) {
    case diff::MigrationRefusal::None: return kExitOk;
    case diff::MigrationRefusal::Invalid: return kExitUsage;
    case diff::MigrationRefusal::DataLoss: return kExitDataLoss;
    case diff::MigrationRefusal::VersionBump: return kExitVersionBump;
  }
  return kExitUsage;
}

int reportMigration(const diff::Migration& migration, const std::string& prefix, std::ostream& err) {
  printDiagnostics(migration.diagnostics, "", err);
  for (const std::string& unused : migration.plan.unused_backfills)
    err << "felisc: warning: " << prefix << "backfill for '" << unused << "' is not used by any step\n";
  switch (migration.refusal) {
    case diff::MigrationRefusal::None:
    case diff::MigrationRefusal::Invalid: break;  // the differ's errors said it
    case diff::MigrationRefusal::DataLoss:
      err << "felisc: error: " << prefix
          << "the upgrade loses data; nothing was written. Review these changes and pass "
             "--allow-data-loss to emit them:\n";
      for (const std::string& change : migration.data_loss) err << "  " << change << '\n';
      for (const std::string& hint : migration.rename_hints)
        err << "  (if this is a rename, say so: --rename " << prefix.substr(0, prefix.find(':'))
            << (prefix.empty() ? "" : ":") << hint << ")\n";
      break;
    case diff::MigrationRefusal::VersionBump:
      err << "felisc: error: " << prefix
          << "version.current is not bumped enough (--strict); nothing was written\n";
      break;
  }
  return refusalExitCode(migration.refusal);
}

}  // namespace felisc::cli
