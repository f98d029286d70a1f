#pragma once
// Shared by the store backends: pages of listings and the not-found errors in Cognito's words.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/records.h"

namespace cognate::store {

// Turns up to limit + 1 rows, fetched in id order, into a page of at most `limit`: the extra
// row only says that another page follows, which then starts after this page's last id.
template <class T, class IdOf>
Page<T> MakePage(std::vector<T> rows, int limit, IdOf id_of) {
  Page<T> page;
  if (static_cast<int64_t>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_after = id_of(rows.back());
  }
  page.items = std::move(rows);
  return page;
}

// "User pool <id> does not exist."
inline Error PoolNotFound(const std::string& pool_id) {
  return Error::NotFound("User pool " + pool_id + " does not exist.");
}

// "User does not exist."
inline Error UserNotFound() { return Error::NotFound("User does not exist."); }

}  // namespace cognate::store
