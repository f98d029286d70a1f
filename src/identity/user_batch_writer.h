#pragma once
// Bulk user creation for imports: users go to the store in batches of one transaction each
// (UserStore::CreateUsers), so a million users cost a few thousand commits instead of a million.
// A batch that fails as a whole (a repeated sub, the database away) is retried one user at a
// time, so every user still gets its own outcome.

#include <cstdint>
#include <functional>
#include <vector>

#include "common/result.h"
#include "store/user_stores.h"

namespace cognate::identity {

class UserBatchWriter {
 public:
  // Called once per added user, in order, with the tag it was added with and how its insert
  // went (UsernameExistsException / AliasExistsException when taken).
  using Outcome = std::function<void(int64_t tag, const Status& status)>;

  UserBatchWriter(store::UserStore& users, std::size_t batch_size, Outcome outcome)
      : users_(users), batch_size_(batch_size), outcome_(std::move(outcome)) {}

  void Add(int64_t tag, store::NewUser user);
  void Flush();  // inserts what is pending; call at the end

 private:
  store::UserStore& users_;
  const std::size_t batch_size_;
  Outcome outcome_;
  std::vector<store::NewUser> pending_;
  std::vector<int64_t> tags_;
};

// True for the outcomes an import counts as skipped rather than failed.
bool IsTakenUser(const Status& status);

}  // namespace cognate::identity
