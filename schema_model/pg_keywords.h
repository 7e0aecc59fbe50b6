/// \file
/// PostgreSQL 15's SQL keywords and their categories, as `pg_get_keywords()`
/// reports them. quote_ident() quotes every keyword that is not UNRESERVED.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace felisc::model {

/// The grammar category of a keyword (`pg_get_keywords().catcode`).
enum class KeywordCategory : char {
  Unreserved = 'U',
  ColumnName = 'C',    ///< unreserved, but cannot be a function or type name
  TypeFuncName = 'T',  ///< reserved, but can be a function or type name
  Reserved = 'R',
};

struct Keyword {
  std::string_view word;
  KeywordCategory category;
};

/// Every keyword, sorted by word (byte order).
std::span<const Keyword> postgresKeywords();

/// The category of `word` (lower case, exactly as the server spells keywords);
/// nullopt when it is not a keyword.
std::optional<KeywordCategory> postgresKeywordCategory(std::string_view word);

}  // namespace felisc::model
