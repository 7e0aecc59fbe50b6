#include "compiler/cli/alembic_revisions.h"

#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "compiler/cli/output.h"
#include "emitters/alembic/versions.h"
#include "emitters/plan_sql.h"
#include "emitters/sha256.h"
#include "schema_model/type_mapping.h"

namespace felisc::cli {

namespace {

namespace fs = std::filesystem;

void report(model::DiagId id, std::initializer_list<std::string_view> args, std::ostream& err) {
  model::Diagnostics diagnostics;
  diagnostics.report(id, "", {}, args);
  printDiagnostics(diagnostics, "", err);
}

}  // namespace

std::optional<std::string> resolveCreateDate(const std::string& forced, std::ostream& err) {
  if (!forced.empty()) {
    std::optional<std::string> date = alembic::parseCreateDate(forced);
    if (!date) report(model::DiagId::err_alembic_create_date, {forced}, err);
    return date;
  }
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr) {
    std::string text = epoch;
    bool digits = !text.empty() && text.size() <= 12;
    for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (!digits) {
      report(model::DiagId::err_source_date_epoch, {text}, err);
      return std::nullopt;
    }
    return alembic::formatCreateDate(std::stoll(text));
  }
  auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto micros = now.time_since_epoch().count();
  return alembic::formatCreateDate(micros / 1000000, static_cast<int>(micros % 1000000));
}

bool checkRevisionId(const std::string& id, std::ostream& err) {
  bool ok = !id.empty();
  for (char c : id) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_');
  if (!ok) report(model::DiagId::err_alembic_rev_id, {id}, err);
  return ok;
}

std::string planHash(const diff::Plan& plan, const alembic::AlembicOptions& options) {
  // Without the labels: the same change planned from other file names is the same plan.
  diff::Plan unlabelled = plan;
  unlabelled.old_label.clear();
  unlabelled.new_label.clear();
  std::string material = plan.schema;
  material += '\0' + emit::planSql(unlabelled, diff::Direction::Up);
  material += '\0' + emit::planSql(unlabelled, diff::Direction::Down);
  for (const std::string& statement : options.preamble) material += '\0' + statement;
  return emit::sha256Hex(material).substr(0, 16);
}

std::optional<PendingRevision> prepareRevision(const diff::Plan& plan, const RevisionTarget& target,
                                               alembic::AlembicOptions options, std::ostream& err) {
  const std::string& versions_dir = target.versions_dir;
  alembic::AlembicVersions versions = alembic::readAlembicVersions(versions_dir, target.head);
  err << alembic::renderAlembicDiagnostics(versions);
  if (!versions.ok()) return std::nullopt;
  if (!versions.exists && !target.new_history) {
    err << "felisc: error: '" << versions_dir
        << "' does not exist: no Alembic history to chain onto (a wrong --alembic-dir?); pass --new-history "
           "to start one\n";
    return std::nullopt;
  }
  if (!versions.exists) {
    model::Diagnostics diagnostics;
    diagnostics.report(model::DiagId::warn_alembic_no_versions_dir, "", {}, {versions_dir});
    printDiagnostics(diagnostics, "", err);
  }
  const std::string hash = planHash(plan, options);
  PendingRevision pending;
  pending.versions_dir = versions_dir;
  if (const alembic::AlembicRevisionFile* existing = versions.carrying(hash)) {
    pending.already_in = existing->path;
    pending.already_revision = existing->revision;
    pending.path = existing->path;
    return pending;
  }
  options.down_revision = versions.head;
  options.header.push_back(alembic::planHashLine(hash).substr(2));
  pending.down_revision = versions.head;
  pending.revision = alembic::alembicRevision(plan, options);
  if (std::string existing = versions.fileOf(pending.revision.revision); !existing.empty()) {
    report(model::DiagId::err_alembic_revision_exists, {pending.revision.revision, existing}, err);
    return std::nullopt;
  }
  pending.path = (fs::path(versions_dir) / pending.revision.file_name).string();
  return pending;
}

bool writeRevisions(const std::vector<PendingRevision>& revisions, std::ostream& err) {
  std::vector<std::string> written;
  std::vector<fs::path> created;
  auto undo = [&] {
    std::error_code ignored;
    for (const auto& path : written) fs::remove(path, ignored);
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it, ignored);
  };
  for (const PendingRevision& pending : revisions) {
    if (!pending.already_in.empty()) continue;
    // Create the missing directories one by one, to remove exactly those on failure.
    std::vector<fs::path> missing;
    std::error_code error;
    for (fs::path dir = pending.versions_dir; !dir.empty() && !fs::exists(dir, error);
         dir = dir.parent_path()) {
      missing.push_back(dir);
      if (dir == dir.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
      if (!fs::create_directory(*it, error) && error) {
        err << "felisc: error: cannot create directory '" << it->string() << "': " << error.message() << '\n';
        undo();
        return false;
      }
      created.push_back(*it);
    }
    if (!writeFileAtomically(pending.path, pending.revision.text, err)) {
      undo();
      return false;
    }
    written.push_back(pending.path);
    // mkstemp() made it private; a revision is read by whoever runs Alembic.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(pending.path.c_str(), 0666 & ~mask);
  }
  return true;
}

std::vector<std::string> lockTimeoutPreamble(const std::string& setting) {
  if (setting.empty()) return {};
  return {"SET LOCAL lock_timeout = " + model::postgresQuoteLiteral(setting)};
}

}  // namespace felisc::cli
