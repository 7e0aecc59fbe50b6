/// \file
/// SHA-256 (FIPS 180-4), for content-derived identifiers such as Alembic
/// revision ids. Small and dependency-free; not for secrets.
#pragma once

#include <string>
#include <string_view>

namespace felisc::emit {

/// The SHA-256 digest of `data` as 64 lower-case hex digits.
std::string sha256Hex(std::string_view data);

}  // namespace felisc::emit
