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
  // migrate's "cdb_latiss: " names the schema a report is about, where a file would stand.
  const std::string subject = prefix.substr(0, prefix.find(':'));
  for (const std::string& unused : migration.plan.unused_backfills)
    report(err, model::DiagId::warn_unused_backfill, {unused}, subject);
  switch (migration.refusal) {
    case diff::MigrationRefusal::None:
    case diff::MigrationRefusal::Invalid: break;  // the differ's errors said it
    case diff::MigrationRefusal::DataLoss:
      report(err, model::DiagId::err_data_loss_refused, {}, subject);
      for (const std::string& change : migration.data_loss) err << "  " << change << '\n';
      for (const std::string& hint : migration.rename_hints)
        report(err, model::DiagId::note_rename_hint, {subject.empty() ? hint : subject + ':' + hint},
               subject);
      break;
    case diff::MigrationRefusal::VersionBump:
      report(err, model::DiagId::err_version_bump_refused, {}, subject);
      break;
  }
  return refusalExitCode(migration.refusal);
}

}  // namespace felisc::cli
