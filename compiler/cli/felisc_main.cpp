// The felisc command: a thin shell over the felisc_cli library.
#include <iostream>

#include "compiler/cli/cli.h"

int main(int argc, char** argv) { return felisc::cli::run(argc, argv, std::cout, std::cerr); }
