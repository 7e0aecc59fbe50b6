#include "emitters/plan_markdown.h"

#include <algorithm>
#include <cctype>

#include "emitters/plan_review.h"
#include "emitters/plan_text.h"

namespace felisc::emit {

namespace {

std::string code(std::string_view text) {
  // A code span cannot escape a backtick: fall back to escaped text.
  if (text.find('`') != std::string_view::npos) return markdownEscape(text);
  return "`" + std::string(text) + "`";
}

std::string groupHeading(const ReviewGroup& group) {
  switch (group.kind) {
    case ReviewGroup::Kind::Schema: return "#### Schema " + code(group.name);
    case ReviewGroup::Kind::View: return "#### View " + code(group.name) + " (" + group.status + ")";
    case ReviewGroup::Kind::Table: return "#### Table " + code(group.name) + " (" + group.status + ")";
  }
  return {};
}

std::string hazardText(const diff::Hazard& hazard) {
  return "**" + markdownEscape(diff::hazardName(hazard.kind)) + "**: " + markdownEscape(hazard.message);
}

/// The review part: summary and one table per group.
std::string reviewMarkdown(const Review& summary, const std::string& title) {
  std::string out = "### " + markdownEscape(title) + ": " + markdownEscape(summary.headline);
  if (summary.changes == 0) return out + ": no change\n";
  out += "\n\n- **Compatibility:** " + markdownEscape(summary.compatibility) + "\n";
  if (!summary.old_code_fails_on.empty())
    out += "  - old code fails on: " + markdownEscape(summary.old_code_fails_on) + "\n";
  if (!summary.new_code_fails_on.empty())
    out += "  - new code fails on the old schema: " + markdownEscape(summary.new_code_fails_on) + "\n";
  if (!summary.version.empty()) out += "- **Version:** " + markdownEscape(summary.version) + "\n";
  if (!summary.online.empty()) out += "- **Online:** " + markdownEscape(summary.online) + "\n";
  out += "- **Data loss:** " + markdownEscape(dataLossClause(summary.data_loss)) + "\n";
  out += "- **Missing backfills:** ";
  std::string missing;
  for (const auto& slot : summary.missing_backfills) missing += (missing.empty() ? "" : ", ") + slot;
  out += missing.empty() ? "none" : markdownEscape(missing);
  out += "\n";

  for (const ReviewGroup& group : summary.groups) {
    out += "\n" + groupHeading(group) + "\n\n| | Change | Hazards |\n|:-:|---|---|\n";
    for (const ReviewLine& line : group.lines) {
      std::string hazards;
      for (const diff::Hazard* hazard : line.hazards)
        hazards += (hazards.empty() ? "" : "<br>") + hazardText(*hazard);
      std::string text = markdownEscape(line.text);
      if (!line.note.empty()) text += " <br>_" + markdownEscape(line.note) + "_";
      out += "| `" + std::string(1, line.marker) + "` | " + text + " | " + hazards + " |\n";
    }
    if (!group.locks.empty()) out += "\n";
    for (const ReviewLock& lock : group.locks) {
      out += "**Lock:** " + hazardText({lock.kind, lock.message});
      if (lock.steps > 1) out += " (" + std::to_string(lock.steps) + " steps)";
      out += "\n\n";
    }
    if (!group.locks.empty()) out.pop_back();
  }
  return out;
}

}  // namespace

std::string markdownEscape(std::string_view text) {
  auto word = [&](std::size_t at) {
    return at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) != 0);
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    // What starts code, emphasis, a link, HTML or ends a table cell; `_` inside
    // a word (column_name) is plain text in GFM, so it stays readable unescaped.
    bool escape = std::string_view("\\`*|<[]~").find(c) != std::string_view::npos ||
                  (c == '_' && !(i > 0 && word(i - 1) && word(i + 1)));
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

std::string markdownDetails(const std::string& summary, const std::string& language,
                            const std::string& code) {
  std::size_t longest = 0;
  for (std::size_t i = 0, run = 0; i < code.size(); ++i) {
    run = code[i] == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string body = code;
  if (!body.empty() && body.back() != '\n') body += '\n';
  return "<details><summary>" + summary + "</summary>\n\n" + fence + language + "\n" + body + fence +
         "\n\n</details>\n";
}

std::string cutAtLine(const std::string& text, std::size_t budget, bool& cut) {
  cut = text.size() > budget;
  if (!cut) return text;
  std::size_t end = text.rfind('\n', budget == 0 ? 0 : budget - 1);
  return end == std::string::npos ? std::string() : text.substr(0, end + 1);
}

std::string planMarkdown(const diff::Plan& plan, diff::Direction direction, const MarkdownOptions& options) {
  Review summary = review(plan, direction);
  std::string out = reviewMarkdown(summary, options.title);
  if (plan.empty()) return out;
  std::string up = planSql(plan, diff::Direction::Up, options.sql);
  std::string down = planSql(plan, diff::Direction::Down, options.sql);
  const std::string up_title = "Upgrade SQL (" + std::to_string(plan.up.size()) + " steps)";
  const std::string down_title = "Downgrade SQL (" + std::to_string(plan.down.size()) + " steps)";
  std::string blocks = markdownDetails(up_title, "sql", up) + "\n" + markdownDetails(down_title, "sql", down);
  if (out.size() + 1 + blocks.size() <= options.limit) return out + "\n" + blocks;

  // Too long for a comment: share what is left between the two scripts, the
  // upgrade first (the one a reviewer reads), and say what was left out.
  const std::string note =
      "\n> [!NOTE]\n> The SQL is shortened to fit a GitHub comment (" + std::to_string(options.limit) +
      " characters). Write the whole scripts with `--format sql` (and `--direction down`).\n";
  std::size_t frame = out.size() + 1 + note.size() + 1 +
                      markdownDetails(up_title + ", shortened", "sql", "").size() + 1 +
                      markdownDetails(down_title + ", shortened", "sql", "").size() + 128;
  std::size_t budget = options.limit > frame ? options.limit - frame : 0;
  std::size_t up_budget = std::min(up.size(), budget - std::min(budget, std::min(down.size(), budget / 2)));
  bool up_cut = false;
  bool down_cut = false;
  std::string up_shown = cutAtLine(up, up_budget, up_cut);
  std::string down_shown = cutAtLine(down, budget - up_shown.size(), down_cut);
  if (up_cut)
    up_shown += "-- ... shortened: " + std::to_string(up.size() - up_shown.size()) + " more characters\n";
  if (down_cut)
    down_shown +=
        "-- ... shortened: " + std::to_string(down.size() - down_shown.size()) + " more characters\n";
  return out + note + "\n" + markdownDetails(up_title + (up_cut ? ", shortened" : ""), "sql", up_shown) +
         "\n" + markdownDetails(down_title + (down_cut ? ", shortened" : ""), "sql", down_shown);
}

}  // namespace felisc::emit
