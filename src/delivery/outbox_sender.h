#pragma once
// A MessageSender that "delivers" by appending each message as one JSON line to a local file
// (e.g. DATA/outbox.jsonl), for development, tests and air-gapped setups where an operator or a
// script reads codes from the file.
//
// Line format, one object per line, members in this order:
//   {"time":"2023-11-14T22:13:20.123Z","pool_id":..,"username":..,"channel":..,"destination":..,
//    "purpose":..,"code":..,"subject":..,"body":..}
// Guarantees:
// - The file is created with mode 0600 and forced to 0600 when it already exists: it holds codes
//   and temporary passwords.
// - Send() writes a whole line with one write(2) on an O_APPEND descriptor under a mutex, then
//   fdatasync(2)s it, so concurrent senders (threads, or processes sharing the file) never
//   interleave lines and an accepted message survives a crash. fdatasync costs a disk flush per
//   message (~ms on SSDs); fine for the rates codes are sent at (5 per user and hour).
// - Failures (open, write, sync) are InternalErrorException; the message names the file, never
//   the content.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "delivery/sender.h"

namespace cognate::delivery {

class OutboxSender final : public MessageSender {
 public:
  // Opens `path` for appending, creating it. `clock` stamps the lines and must outlive the sender.
  static Result<std::unique_ptr<OutboxSender>> Open(const std::string& path, const Clock& clock);

  ~OutboxSender() override;
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  Status Send(const OutgoingMessage& message) override;

  const std::string& path() const { return path_; }

 private:
  OutboxSender(std::string path, int fd, const Clock& clock);

  const std::string path_;
  const int fd_;
  const Clock& clock_;
  std::mutex mu_;  // Serialises write+fdatasync so each line is whole and synced in order.
};

// "2023-11-14T22:13:20.123Z" for epoch milliseconds `ms`.
std::string FormatIso8601Utc(int64_t ms);

}  // namespace cognate::delivery
