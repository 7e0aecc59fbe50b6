/// \file
/// A plan as an Alembic revision file, in the layout ConsDB keeps them
/// (`alembic/<name>/versions/<rev>_<slug>.py`, Alembic's typed template):
///
///     """cdb_latiss 3.2.0 -> 3.3.0
///
///     Revision ID: 3f2a9c0d1b7e
///     Revises: 9e671b59d28f
///     Create Date: 2025-06-09 21:34:43.492403+00:00
///
///     """
///
///     from typing import Sequence, Union
///
///     from alembic import op
///     import sqlalchemy as sa
///
///     # revision identifiers, used by Alembic.
///     revision: str = "3f2a9c0d1b7e"
///     down_revision: Union[str, None] = "9e671b59d28f"
///     ...
///
///     def upgrade() -> None:
///         # add column exposure.can_see_sky boolean
///         op.add_column("exposure", sa.Column("can_see_sky", sa.BOOLEAN(), nullable=True, ...), ...)
///
/// upgrade() and downgrade() run the plan's steps in the plan's order (the SQL
/// emitter's), each under a comment saying what it does and what it risks.
/// A step becomes the idiomatic `op.*` calls when SQLAlchemy renders exactly the
/// statements the SQL emitter writes (same catalog, in online and offline
/// `--sql` mode alike); otherwise, and for every change kind without an Alembic
/// operation (schemas, renames of constraints, indexes and sequences, backfills,
/// serial and identity columns, and change kinds added later), it is
/// `op.execute()` of the step's own SQL. So every plan converts, and a revision
/// does what `felisc diff --format sql` does.
///
/// Exactness rules the mapping keeps (checked on PostgreSQL 15 with Debian's
/// Alembic 1.8 / SQLAlchemy 1.4, see tests/pg/alembic_pg_test.cpp):
///  - types are the SQLAlchemy classes whose DDL gives the same format_type();
///    a type SQLAlchemy cannot spell (pgsphere `spoly`, arrays, ...) is a
///    `PgType("spoly")`, a UserDefinedType the file defines, rendering it verbatim;
///  - SQL text that SQLAlchemy's text() would read a `:name` bind parameter in
///    goes through op.execute(sa.DDL(...)) (a step needing it in a server
///    default, check or index expression falls back to its SQL);
///  - comments with a backslash are written as COMMENT statements, because
///    SQLAlchemy doubles backslashes in offline mode;
///  - names PostgreSQL reserves but SQLAlchemy does not quote fall back to SQL.
///
/// Online plans (`diff --online`, diff_engine/online.h): a step that is one part
/// of its change's online form (it has a `note`) is always op.execute() of its
/// own SQL, never its change's op.* (which would create the whole object again);
/// a step outside any transaction block (CREATE/DROP INDEX CONCURRENTLY) runs
/// inside `op.get_context().autocommit_block()`, and a step that starts a new
/// transaction (VALIDATE CONSTRAINT) follows an empty one, which commits; the
/// preamble runs again in each new transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diff_engine/planner.h"
#include "schema_model/model.h"

namespace felisc::alembic {

/// What a revision needs besides the plan.
struct AlembicOptions {
  /// The docstring's first part and the file name's slug; empty: "update <schema>".
  std::string message;
  /// The revision this one follows; nullopt for the first one (`None`).
  std::optional<std::string> down_revision;
  /// Forced revision id; empty: derived from the content (alembicRevisionId()).
  std::string revision_id;
  /// As Alembic writes it, e.g. "2025-06-09 21:34:43.492403+00:00" (formatCreateDate()).
  std::string create_date;
  /// Statements that open upgrade() and downgrade(), before the first step
  /// (e.g. "SET LOCAL lock_timeout = '5s'"); part of the revision id.
  std::vector<std::string> preamble;
  /// Comment lines written after the "# Written by felisc" line, each without
  /// its "# " (the resolved sources of a `felisc migrate` revision, its plan
  /// hash); not part of the revision id.
  std::vector<std::string> header;
};

/// A revision file ready to write.
struct AlembicRevision {
  std::string revision;   ///< the revision id
  std::string file_name;  ///< "<revision>_<slug>.py"
  std::string text;       ///< the whole file
};

/// The revision file of `plan` (both directions). Deterministic: the same plan
/// and options give byte-identical text.
AlembicRevision alembicRevision(const diff::Plan& plan, const AlembicOptions& options);

/// The revision id Alembic-style (12 lower-case hex digits), derived from what
/// the revision does: SHA-256 of the schema, the down revision and the bodies of
/// upgrade() and downgrade(). Not the message or the date, so regenerating a
/// revision with another message or at another time keeps its id.
std::string alembicRevisionId(std::string_view schema, const std::optional<std::string>& down_revision,
                              std::string_view upgrade_body, std::string_view downgrade_body);

/// The default message: "cdb_latiss 3.2.0 -> 3.3.0" when both versions are known
/// and differ, "create cdb_latiss 3.3.0" when the old side has no table, else
/// "update cdb_latiss".
std::string defaultRevisionMessage(const model::Schema& old_schema, const model::Schema& new_schema,
                                   bool old_schema_absent = false);

/// Alembic's file-name slug of a message: its words (ASCII letters, digits,
/// `_`) joined by `_`, lower case, cut at a word boundary after 40 characters
/// (Alembic's truncate_slug_length) with a trailing `_`. Alembic keeps non-ASCII
/// letters; felisc leaves them out of file names.
std::string alembicSlug(std::string_view message);

/// A Python string literal for `text` (double quotes, escapes for `\`, `"`,
/// control, line-separator, bidirectional and other invisible characters;
/// other non-ASCII characters as they are, since Python source is UTF-8).
std::string pythonString(std::string_view text);

/// `epoch_seconds` (UTC) and microseconds as Python's str() of an aware UTC
/// datetime, the way Alembic writes Create Date with `timezone = UTC`:
/// "2025-06-09 21:34:43.492403+00:00", without the fraction when it is zero.
std::string formatCreateDate(std::int64_t epoch_seconds, int microseconds = 0);

/// Reads "YYYY-MM-DD HH:MM:SS[.ffffff]" (also with 'T', and a "+00:00" or "Z"
/// suffix: UTC only) into formatCreateDate()'s form; nullopt when malformed.
std::optional<std::string> parseCreateDate(std::string_view text);

/// Whether SQLAlchemy's text() reads `sql` back unchanged: no `:name` it would
/// take for a bind parameter and no `\:` it would unescape. Conservative: a
/// colon next to a non-ASCII character counts as unsafe.
bool sqlTextSafe(std::string_view sql);

}  // namespace felisc::alembic
