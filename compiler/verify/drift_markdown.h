/// \file
/// drift's report as GitHub-flavoured Markdown (a CI job summary or a comment):
///
///     ### felisc drift: schema `cdb_latiss` has drifted from cdb_latiss.yaml: 2 differences
///
///     | Object | Property | File | Database |
///     |---|---|---|---|
///     | table exposure, column foo | type | bigint | integer |
///
/// then the column-order notes, which are not drift, as a list.
#pragma once

#include <string>

#include "compiler/verify/migration_verify.h"

namespace felisc::verify {

std::string driftMarkdown(const DriftReport& report);

}  // namespace felisc::verify
