/// \file
/// The real material tests read: the sdm_schemas corpus (yml/*.yaml) and the 33
/// versions of history/cdb_latiss, loaded as felisc loads them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "schema_model/model.h"

namespace felisc::testing {

/// history/cdb_latiss/NN_*.yaml, in version order (33 files).
std::vector<std::filesystem::path> historyFiles();

/// The history version whose file name starts with `prefix` ("31").
std::filesystem::path historyVersion(const std::string& prefix);

/// The read options a history version needs: versions 02-09 reuse constraint
/// names across tables, which the felis of their day allowed and today's felis
/// rejects; they load with strict_felis off (PostgreSQL holds them).
felis::ReadOptions historyReadOptions(const std::filesystem::path& file);

/// Reads and resolves a corpus or history file with historyReadOptions();
/// fails the calling test when it does not read.
model::Schema readCorpusSchema(const std::filesystem::path& file);

}  // namespace felisc::testing
