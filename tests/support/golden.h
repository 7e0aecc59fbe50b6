/// \file
/// Golden files: expected output kept beside the fixtures, compared byte for
/// byte. `FELISC_UPDATE_GOLDEN=1` rewrites them instead (review the diff before
/// committing); a failure says so.
#pragma once

#include <filesystem>
#include <string>

namespace felisc::testing {

/// Whether this run rewrites golden files (FELISC_UPDATE_GOLDEN=1).
bool updatingGoldens();

/// `actual` equals the content of `golden`, or, when updating, is written to it.
/// `what` names the output in the failure message ("diagnostics of x.yaml").
void expectGolden(const std::filesystem::path& golden, const std::string& actual,
                  const std::string& what = "the output");

}  // namespace felisc::testing
