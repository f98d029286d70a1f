#pragma once
// UserStore::CreateUsers on either backend: inside the caller's write transaction, each user
// under a savepoint of its own, so that a refused one (a 4xx error) is rolled back alone and
// the batch goes on, while any other error ends the transaction. The savepoint SQL is the same
// in SQLite and PostgreSQL.

#include <utility>
#include <vector>

#include "common/result.h"
#include "store/user_records.h"

namespace cognate::store {

// `insert(conn, user, keys)` inserts one user as CreateUser does. `results` gets one Status
// per user (cleared first: a retried transaction starts over).
template <class Connection, class Insert>
Status InsertEach(Connection& conn, const std::vector<NewUser>& users, Insert insert,
                  std::vector<Status>& results) {
  results.clear();
  for (const NewUser& one : users) {
    COGNATE_RETURN_IF_ERROR(conn.ExecScript("SAVEPOINT new_user"));
    Status inserted = insert(conn, one.user, one.keys);
    if (!inserted.ok() && inserted.error().http_status >= 500) return inserted;
    if (!inserted.ok())
      COGNATE_RETURN_IF_ERROR(conn.ExecScript("ROLLBACK TO SAVEPOINT new_user"));
    COGNATE_RETURN_IF_ERROR(conn.ExecScript("RELEASE SAVEPOINT new_user"));
    results.push_back(std::move(inserted));
  }
  return OkStatus();
}

}  // namespace cognate::store
