/// \file
/// Compatibility classes of changes and migrations, the schema version bump they
/// need, and the check that a Felis file's `version.current` made that bump.
///
/// Two questions decide a change's class, with "code" meaning clients that
/// read and write the tables by name (SELECT/INSERT/UPDATE of named columns):
///   backward: does code written for the OLD schema still work on the NEW one?
///   forward:  does code written for the NEW schema work on the OLD one?
/// Both yes: `compatible`; only backward: `backward`; only forward: `forward`;
/// neither: `breaking`. A change no code can see (a comment) is `none`. A
/// migration answers yes to a question only if every change does.
///
/// Rules per change kind (backward / forward):
///   add table, create schema      yes / no   new code uses what old schemas lack
///   drop table, drop schema       no  / yes  new code no longer uses it
///   rename table or column        no  / no
///   add column                    yes / no   if nullable, with a default or generated;
///                                            NOT NULL without a default: no / no
///                                            (old INSERTs that leave it out fail)
///   drop column                   no  / yes  if nullable, with a default or generated;
///                                            otherwise no / no (new INSERTs fail on
///                                            the old schema)
///   alter column type             yes where every value of the old type fits the
///                                 new one (widening), forward where every value
///                                 of the new type fits the old one; no / no
///                                 between kinds of types (number, string,
///                                 character(n), timestamp, timestamptz, date,
///                                 boolean, bytea): readers get other values
///   SET NOT NULL                  no  / yes  old writers may write NULL
///   DROP NOT NULL                 yes / no   new writers may write NULL
///   default added                 yes / no   new writers may rely on it
///   default dropped               no  / yes  old writers relied on it
///   default changed               no  / no   writers that rely on it get the other value
///   serial or identity appears    yes / no   as a default added (identity ALWAYS:
///                                            no / no, old writers give values it rejects)
///   serial or identity goes       no  / yes  as a default dropped
///   identity BY DEFAULT -> ALWAYS no  / yes; ALWAYS -> BY DEFAULT yes / no
///   add unique, check or foreign key constraint, primary key or unique index
///   on an existing table          no  / yes  old writers may break it
///   drop one of those             yes / no   new writers may rely on it
///   (on a table the same plan creates or drops: as the table)
///   add or drop a non-unique index, rename a constraint, index or sequence
///                                 yes / yes  (code that names a constraint, as
///                                            ON CONFLICT ON CONSTRAINT does, breaks
///                                            on a rename: felisc assumes none does)
///   create or drop a view         as a table; a view dropped and recreated
///                                 around the plan: yes / yes (its base
///                                 tables' changes carry the class)
///   comment                       none
///
/// Version bumps follow Rubin's definitions, which count the directions that
/// stay compatible: lsst/daf_butler's ButlerVersionsManager.checkCompatibility
/// (registry/versions.py: "different major versions are not compatible at
/// all", different minor versions are compatible one way, "patch difference
/// does not matter") and lsst/sdm_schemas docs/APDB.md, which applies DMTN-269
/// (https://dmtn-269.lsst.io): "Add index: PATCH ... fully backward
/// compatible", "Remove column: MINOR or PATCH", "Change object metadata: does
/// not require a version change". So:
///   none -> no bump, compatible -> patch, backward or forward -> minor,
///   breaking -> major.
/// DMTN-269 fixes the one compatible direction of a minor bump as "a newer client
/// on an older database" and so calls adding a table or column MAJOR; felisc
/// accepts either direction for a minor bump, as semantic versioning does
/// ("MINOR: add functionality in a backward compatible manner") and as the
/// ConsDB schemas themselves do (history/cdb_latiss: 3.4.1 -> 3.5.0 adds a
/// nullable column).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diff_engine/planner.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::diff {

enum class CompatibilityClass : std::uint8_t {
  None,        ///< no code can see the change (comments)
  Compatible,  ///< old code works on the new schema and new code on the old one
  Backward,    ///< old code works on the new schema; new code fails on the old one
  Forward,     ///< new code works on the old schema; old code fails on the new one
  Breaking,    ///< neither
};
/// "none", "compatible", "backward", "forward", "breaking" (the JSON values).
std::string_view compatibilityName(CompatibilityClass compatibility);
/// For people: "no code can see it", "compatible both ways", "backward compatible", ...
std::string_view compatibilityTitle(CompatibilityClass compatibility);

enum class VersionBump : std::uint8_t { None, Patch, Minor, Major };
/// "none", "patch", "minor", "major".
std::string_view bumpName(VersionBump bump);
/// The bump a change of this class needs (see the file comment).
VersionBump bumpNeeded(CompatibilityClass compatibility);

/// The class of one change, with the reason in a few words.
struct ChangeCompatibility {
  CompatibilityClass compatibility = CompatibilityClass::None;
  std::string reason;
};
ChangeCompatibility classifyChange(const Change& change);

/// The class of a whole migration (the steps of one direction).
struct MigrationCompatibility {
  CompatibilityClass compatibility = CompatibilityClass::None;
  VersionBump bump_needed = VersionBump::None;
  std::vector<std::size_t> breaks_old_code;  ///< steps old code fails on (not backward compatible)
  std::vector<std::size_t> breaks_new_code;  ///< steps new code needs (not forward compatible)
};
MigrationCompatibility classifyMigration(const std::vector<Step>& steps);

/// A version made of 1 to 3 dot-separated non-negative integers ("3", "3.4",
/// "3.4.1"); missing parts are 0. Anything else ("v3", "3.4.1-rc1") is nullopt.
std::optional<std::vector<long long>> parseVersion(std::string_view text);

/// Whether the new file's `version.current` was bumped at least as much as the
/// upgrade needs.
struct VersionCheck {
  enum class Verdict : std::uint8_t {
    Ok,          ///< bumped enough
    TooSmall,    ///< bumped less than needed (or not at all)
    GoesDown,    ///< the new version is lower than the old one
    NotChecked,  ///< a side has no version, or one that is not numbers
  };
  Verdict verdict = Verdict::NotChecked;
  VersionBump needed = VersionBump::None;
  std::optional<std::string> from;  ///< old `version.current`
  std::optional<std::string> to;    ///< new `version.current`
  std::optional<VersionBump> made;  ///< the bump from `from` to `to`; nullopt when not comparable
  std::string why_not_checked;      ///< for NotChecked: "new.yaml has no version", ...
};
/// "ok", "too_small", "goes_down", "not_checked".
std::string_view verdictName(VersionCheck::Verdict verdict);

/// Checks the upgrade of `plan` (its up steps) against plan.old_version and plan.new_version.
VersionCheck checkVersionBump(const Plan& plan);

/// The diagnostics of a check, reported against the new side (plan.new_label):
/// a bump too small or a version that goes down is a warning (FEL640, FEL641),
/// an error when `strict`; a version that is not numbers is a warning (FEL642);
/// a missing version a note (FEL643). An empty plan gets none.
model::Diagnostics versionDiagnostics(const Plan& plan, const VersionCheck& check, bool strict);

}  // namespace felisc::diff
