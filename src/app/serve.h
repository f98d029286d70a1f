#pragma once
// The composition root: builds config -> key-encryption key -> stores -> services -> protocol
// handlers -> HTTP server, once, and serves until SIGINT/SIGTERM. No globals.

#include "app/config.h"
#include "store/stores.h"

namespace cognate::app {

// Returns the process exit code. Start-up failures are reported and give a non-zero code.
int Serve(const ServeConfig& config);

// The store the config names: PostgreSQL for --store, else SQLite in DATA/cognate.db. Throws
// std::runtime_error when it cannot be opened.
store::Stores OpenStores(const ServeConfig& config);

}  // namespace cognate::app
