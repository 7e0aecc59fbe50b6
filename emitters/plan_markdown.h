/// \file
/// A plan as GitHub-flavoured Markdown, for a pull-request comment or
/// $GITHUB_STEP_SUMMARY: the review of plan_review.h laid out as
///
///     ### felisc diff: upgrade of schema `cdb_latiss` (a.yaml -> b.yaml), 4 changes
///
///     - **Compatibility:** forward compatible (...)
///     - **Version:** needs a minor version bump; version 3.4.0 -> 3.4.1 is ...
///     - **Data loss:** 1 change: drop column exposure.bar
///     - **Missing backfills:** none
///
///     #### Table `exposure` (changed)
///
///     | | Change | Hazards |
///     |:-:|---|---|
///     | `-` | column bar double precision | DELETES_DATA: drops column exposure.bar and its values |
///
///     **Lock:** ACQUIRES_ACCESS_EXCLUSIVE_LOCK: takes an ACCESS EXCLUSIVE lock on table exposure: ...
///
///     <details><summary>Upgrade SQL</summary> ```sql ... ``` </details>
///     <details><summary>Downgrade SQL</summary> ... </details>
///
/// A GitHub comment holds 65,536 characters at most: past `limit`, the SQL
/// blocks are cut at a line (the review itself is never cut) and a line says
/// so and how to get the whole script.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "diff_engine/planner.h"
#include "emitters/plan_sql.h"

namespace felisc::emit {

struct MarkdownOptions {
  SqlOptions sql;             ///< how the SQL blocks are written
  std::size_t limit = 65536;  ///< GitHub's size limit of a comment, in characters
  std::string title = "felisc diff";
};

/// The review of `direction` of `plan`, then its upgrade and downgrade SQL in
/// collapsed blocks.
std::string planMarkdown(const diff::Plan& plan, diff::Direction direction,
                         const MarkdownOptions& options = {});

/// `text` safe in a Markdown paragraph or table cell (never at a line start):
/// what GFM would read as code, emphasis, a link, HTML or a cell's end is
/// backslash-escaped, and line breaks become spaces.
std::string markdownEscape(std::string_view text);

/// A collapsed block: <details><summary>`summary`</summary>, a fenced code block
/// of `language` holding `code`, </details>. The fence is longer than any run of
/// backticks in `code`.
std::string markdownDetails(const std::string& summary, const std::string& language, const std::string& code);

/// `text` cut at a line boundary to at most `budget` characters; `cut` tells
/// whether anything was left out.
std::string cutAtLine(const std::string& text, std::size_t budget, bool& cut);

}  // namespace felisc::emit
