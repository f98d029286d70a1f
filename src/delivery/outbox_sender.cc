#include "delivery/outbox_sender.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string_view>
#include <utility>

namespace cognate::delivery {
namespace {

constexpr mode_t kOutboxMode = 0600;

// Appends `s` as a JSON string literal. Hand-rolled rather than via boost::json so the code
// lives in exactly one buffer, which Send() wipes. Input is valid UTF-8 (the requests it comes
// from were parsed as JSON), so only quotes, backslashes and control characters need escaping.
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (u < 0x20 || u == 0x7f) {
      out.append("\\u00");
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void AppendMember(std::string& out, std::string_view key, std::string_view value) {
  if (out.size() > 1) out.push_back(',');
  AppendJsonString(out, key);
  out.push_back(':');
  AppendJsonString(out, value);
}

Error IoError(std::string_view what, const std::string& path, int err) {
  return Error::Internal("Outbox " + std::string(what) + " failed for " + path + ": " +
                         std::strerror(err));
}

}  // namespace

std::string FormatIso8601Utc(int64_t ms) {
  int64_t seconds = ms / 1000;
  int64_t millis = ms % 1000;
  if (millis < 0) {  // Floor division, so times before 1970 still format.
    millis += 1000;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[80];  // Room for any int year, which keeps -Wformat-truncation quiet.
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

Result<std::unique_ptr<OutboxSender>> OutboxSender::Open(const std::string& path,
                                                         const Clock& clock) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, kOutboxMode);
  if (fd < 0) return IoError("open", path, errno);
  // The creation mode does not apply to an existing file, and umask can only narrow it.
  if (::fchmod(fd, kOutboxMode) != 0) {
    const int err = errno;
    ::close(fd);
    return IoError("chmod", path, err);
  }
  return std::unique_ptr<OutboxSender>(new OutboxSender(path, fd, clock));
}

OutboxSender::OutboxSender(std::string path, int fd, const Clock& clock)
    : path_(std::move(path)), fd_(fd), clock_(clock) {}

OutboxSender::~OutboxSender() { ::close(fd_); }

Status OutboxSender::Send(const OutgoingMessage& m) {
  std::string line = "{";
  line.reserve(256 + m.body.size() + m.subject.size());
  AppendMember(line, "time", FormatIso8601Utc(clock_.NowMs()));
  AppendMember(line, "pool_id", m.pool_id);
  AppendMember(line, "username", m.username);
  AppendMember(line, "channel", m.channel);
  AppendMember(line, "destination", m.destination);
  AppendMember(line, "purpose", m.purpose);
  AppendMember(line, "code", m.code);
  AppendMember(line, "subject", m.subject);
  AppendMember(line, "body", m.body);
  line.append("}\n");

  Status status = OkStatus();
  {
    std::lock_guard<std::mutex> lock(mu_);
    size_t written = 0;
    while (written < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        status = IoError("write", path_, errno);
        break;
      }
      written += static_cast<size_t>(n);
    }
    if (status.ok() && ::fdatasync(fd_) != 0) status = IoError("fdatasync", path_, errno);
  }
  sodium_memzero(line.data(), line.size());  // Codes stay in memory no longer than needed.
  return status;
}

}  // namespace cognate::delivery
