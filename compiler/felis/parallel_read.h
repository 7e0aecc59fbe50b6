/// \file
/// Reading several Felis files at once, on the machine's cores (issue 17:
/// `felisc validate FILE...` of the whole corpus).
#pragma once

#include <string>
#include <vector>

#include "compiler/felis/reader.h"

namespace felisc::felis {

/// readFelisFile on every path, on up to `max_threads` threads (0: one per
/// core), the results in the order of `paths`: the same results as reading
/// them one after another, so output stays deterministic.
std::vector<ReadResult> readFelisFiles(const std::vector<std::string>& paths, const ReadOptions& options,
                                       unsigned max_threads = 0);

}  // namespace felisc::felis
