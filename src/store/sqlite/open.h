#pragma once
// Opens (creating if needed) the SQLite store at `path` ("<data>/cognate.db", or ":memory:" for
// tests): WAL journal, synchronous=FULL, a busy timeout, foreign keys on, and every pending
// migration applied in order inside a transaction. Throws std::runtime_error on failure (start-up).

#include <string>

#include "store/stores.h"

namespace cognate::store::sqlite {

Stores Open(const std::string& path);

}  // namespace cognate::store::sqlite
