/// \file
/// Source positions carried by every model object, so that diagnostics found
/// long after parsing still point at the right line and column.
#pragma once

#include <cstdint>

namespace felisc::model {

/// A 1-based line and column in the file a model came from; 0 means unknown
/// (objects read from a database catalog have no source position).
struct SourcePos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  [[nodiscard]] bool known() const { return line != 0; }
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

}  // namespace felisc::model
