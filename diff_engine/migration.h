/// \file
/// The one entry that plans a migration: two models (each already as the
/// database holds it) and the planning options -> a Plan with its analysis,
/// computed once: the differ's diagnostics, the version verdict, the
/// compatibility class, the steps that lose data, the backfills nothing fills,
/// and whether the plan is refused and why.
///
/// `felisc diff`, `felisc migrate` and `felisc verify` all plan through it, so
/// the same inputs give the same plan and the same refusals through every
/// command; the commands only decide where the plan and its messages go.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "diff_engine/compatibility.h"
#include "diff_engine/planner.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::diff {

/// What shapes a plan and what it must pass.
struct MigrationOptions {
  /// Rename hints (DiffOptions::renames): "old=new", "table.old=new".
  std::vector<std::string> renames;
  /// Backfill SQL per "table.column" (PlanOptions::backfills).
  std::map<std::string, std::string> backfills;
  /// The schema the SQL qualifies names with; empty: the new model's name.
  std::string schema;
  /// The old side has no schema at all: the plan starts with CREATE SCHEMA.
  bool old_schema_absent = false;
  /// The old side is a live database: its views the new side does not list are
  /// the deployment's own and are kept (DiffOptions::keep_unlisted_views); a
  /// plan that drops what such a view reads is refused (FEL610).
  bool old_from_database = false;
  /// Plan for a live database (online.h).
  bool online = false;
  /// A version.current bumped less than the changes need is a refusal.
  bool strict = false;
  /// Steps that lose data are allowed; without it they are a refusal.
  bool allow_data_loss = false;
  std::string old_label;  ///< "old.yaml", "main:yml/cdb_latiss.yaml", "database schema x"
  std::string new_label;
};

/// Why a plan must not be written; the first that applies, in this order.
enum class MigrationRefusal : std::uint8_t {
  None,         ///< the plan may be written
  Invalid,      ///< the differ reported errors (bad hint, FEL610, FEL611): no plan
  DataLoss,     ///< the upgrade loses data and allow_data_loss is not set
  VersionBump,  ///< strict, and version.current is not bumped enough (or goes down)
};

/// A plan and everything known about it.
struct Migration {
  Plan plan;  ///< empty when refused as Invalid
  /// The differ's diagnostics, then the version check's (warnings, errors under strict).
  model::Diagnostics diagnostics;
  VersionCheck version;                   ///< the version verdict of the upgrade
  MigrationCompatibility compatibility;   ///< the class of the upgrade
  std::vector<std::string> data_loss;     ///< the upgrade's changes that lose data, described
  std::vector<std::string> rename_hints;  ///< "table.old=new" for a dropped and an added column of one type
  std::vector<BackfillSlot> missing_backfills;  ///< upgrade slots nothing fills
  MigrationRefusal refusal = MigrationRefusal::None;

  [[nodiscard]] bool refused() const { return refusal != MigrationRefusal::None; }
};

/// Plans `old_schema` -> `new_schema`. Both must be resolved and, with a
/// deployment profile, realized with it beforehand (the profile is the caller's:
/// it knows whether a side is a file to realize or a database to check).
Migration planMigration(const model::Schema& old_schema, const model::Schema& new_schema,
                        const MigrationOptions& options);

}  // namespace felisc::diff
