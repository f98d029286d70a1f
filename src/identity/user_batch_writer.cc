#include "identity/user_batch_writer.h"

#include <utility>

namespace cognate::identity {

void UserBatchWriter::Add(int64_t tag, store::NewUser user) {
  pending_.push_back(std::move(user));
  tags_.push_back(tag);
  if (pending_.size() >= batch_size_) Flush();
}

void UserBatchWriter::Flush() {
  if (pending_.empty()) return;
  auto results = users_.CreateUsers(pending_);
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (results.ok()) {
      outcome_(tags_[i], (*results)[i]);
    } else {
      outcome_(tags_[i], users_.CreateUser(pending_[i].user, pending_[i].keys));
    }
  }
  pending_.clear();
  tags_.clear();
}

bool IsTakenUser(const Status& status) {
  return !status.ok() && (status.error().Is("UsernameExistsException") ||
                          status.error().Is("AliasExistsException"));
}

}  // namespace cognate::identity
