/// \file
/// The view part of a diff: which views to create, drop, or drop and recreate.
///
/// Views compare as a database shows them: columns (names, types, comments),
/// comment, options, grants, owner when both sides know it, dependencies, and the
/// definition text when both sides were read from a catalog (a view a profile rule
/// wrote is compared by its columns and dependencies, since its text is felisc's
/// spelling, not the server's).
///
/// PostgreSQL refuses to drop or retype a column a view reads. So a view kept by
/// the diff is still dropped before the plan and recreated after it, exactly as it
/// was, when it reads a column the plan retypes, or a view that is itself dropped
/// or recreated (transitively). A kept view that reads a table or column the plan
/// drops cannot be recreated: that is an error (FEL610). Renames do not force a
/// recreation: PostgreSQL rewrites a view's references when what it reads is
/// renamed, which is exactly what a reviewed rename wants.
#pragma once

#include "diff_engine/differ.h"

namespace felisc::diff {

/// Appends the view changes to `out`, whose table changes are already there.
void diffViews(const model::Schema& old_schema, const model::Schema& new_schema, const DiffOptions& options,
               ChangeSet& out);

/// Whether two views are the same to the database (see the file comment).
bool sameView(const model::View& a, const model::View& b);

}  // namespace felisc::diff
