/// \file
/// Alembic revisions on disk, shared by `felisc diff --format alembic` and
/// `felisc migrate`: the Create Date, chaining onto the head of a versions
/// directory, and writing every revision of a run or none.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "diff_engine/planner.h"
#include "emitters/alembic/revision.h"

namespace felisc::cli {

/// The options a user gives for the revisions of a run.
struct RevisionArgs {
  std::string message;      ///< -m; empty: the default message of each schema
  std::string rev_id;       ///< --rev-id; empty: derived from the content
  std::string create_date;  ///< --create-date; empty: SOURCE_DATE_EPOCH, else now
};

/// The Create Date of this run: --create-date, else $SOURCE_DATE_EPOCH (the
/// reproducible-builds convention), else the current time, all in UTC. Reports
/// a malformed value on `err` and returns nullopt.
std::optional<std::string> resolveCreateDate(const std::string& forced, std::ostream& err);

/// Whether `id` can be a revision id (letters, digits, `_`); reports it if not.
bool checkRevisionId(const std::string& id, std::ostream& err);

/// A revision computed for a versions directory and not yet written.
struct PendingRevision {
  std::string versions_dir;
  std::string path;  ///< versions_dir/file_name; with `already_in`, that file
  alembic::AlembicRevision revision;
  std::optional<std::string> down_revision;
  /// A revision of the directory already carries this plan (same plan hash): the
  /// run writes nothing and names it. Empty otherwise.
  std::string already_in;
  std::string already_revision;  ///< that revision's id
};

/// Where a revision goes and how it may be chained.
struct RevisionTarget {
  std::string versions_dir;
  std::string head;          ///< --head: the head to chain onto when there are several
  bool new_history = false;  ///< a missing versions directory starts a history (--new-history)
};

/// The plan hash a revision records (planHashLine()): SHA-256 of the schema, the
/// upgrade and downgrade SQL and the preamble, so the same change chained onto
/// another head keeps its hash.
std::string planHash(const diff::Plan& plan, const alembic::AlembicOptions& options);

/// The revision of `plan` chained onto the head of the target's versions
/// directory, recording its plan hash. A missing directory is an error unless
/// `new_history`. When a revision there already carries the same plan, the result
/// names it (already_in) and there is nothing to write. Reports what is wrong
/// with the directory on `err` and returns nullopt.
std::optional<PendingRevision> prepareRevision(const diff::Plan& plan, const RevisionTarget& target,
                                               alembic::AlembicOptions options, std::ostream& err);

/// The lock timeout every revision sets first (SET LOCAL: Alembic runs each
/// migration in a transaction on PostgreSQL), so a migration waiting on a busy
/// table fails instead of queueing every reader behind it. Empty `setting`: none.
std::vector<std::string> lockTimeoutPreamble(const std::string& setting);

/// The lock timeout felisc's scripts set unless told otherwise.
inline constexpr const char* kDefaultLockTimeout = "10s";

/// Writes every revision (those not `already_in` a directory; each atomically, creating missing versions
/// directories), or on the first failure removes those already written, so a
/// failed run leaves no revision behind. False on failure, reported on `err`.
bool writeRevisions(const std::vector<PendingRevision>& revisions, std::ostream& err);

}  // namespace felisc::cli
