#include "crypto/kek.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace cognate::crypto {
namespace {

constexpr std::string_view kPrefix = "v1.";
constexpr std::size_t kKeySize = 32;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
constexpr char kKeyFileName[] = "master.key";
constexpr std::size_t kMaxLength = INT_MAX / 2;  // keeps every EVP int length in range

// Wipes a string holding secret bytes (including spare capacity) when the scope exits.
// It references rather than owns the string, so the secret is never moved (moving a short
// string copies it and leaves the original bytes behind).
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& s) : s_(s) {}
  ~WipeOnExit() {
    s_.resize(s_.capacity());
    if (!s_.empty()) sodium_memzero(s_.data(), s_.size());
    s_.clear();
  }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::string& s_;
};

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

std::string_view TrimWhitespace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::string ErrnoText(int err) { return std::string(std::strerror(err)); }

// Decodes base64 text holding exactly 32 bytes; throws naming `source`, never echoing the value.
KeyEncryptionKey ParseKey(std::string_view text, const std::string& source) {
  auto decoded = Base64Decode(TrimWhitespace(text));
  if (!decoded) {
    throw std::runtime_error(source + " is malformed: expected base64 of 32 bytes");
  }
  WipeOnExit wipe(*decoded);
  if (decoded->size() != kKeySize) {
    throw std::runtime_error(source + " is malformed: expected 32 bytes, got " +
                             std::to_string(decoded->size()));
  }
  return KeyEncryptionKey(*decoded);
}

// Reads the whole (small) file into `out`; false when it does not exist.
bool ReadKeyFile(const std::string& path, std::string& out) {
  constexpr std::size_t kMaxSize = 4096;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;
    throw std::runtime_error("cannot open " + path + ": " + ErrnoText(errno));
  }
  out.clear();
  out.reserve(kMaxSize + 1);  // reading never reallocates, so no unwiped copy is freed
  char buf[256];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    const int err = errno;
    if (n > 0 && out.size() + static_cast<std::size_t>(n) <= kMaxSize) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    sodium_memzero(buf, sizeof buf);
    ::close(fd);
    if (n == 0) return true;
    if (n < 0) throw std::runtime_error("cannot read " + path + ": " + ErrnoText(err));
    throw std::runtime_error(path + " is malformed: too large for a key file");
  }
}

// Creates every missing directory of `dir` with mode 0700 (the key must not be listable).
void MakeDataDir(const std::string& dir) {
  std::filesystem::path partial;
  for (const auto& part : std::filesystem::path(dir)) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      throw std::runtime_error("cannot create data directory " + partial.string() + ": " +
                               ErrnoText(errno));
    }
  }
}

void WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write " + path + ": " + ErrnoText(errno));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void FsyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the file itself is already durable
  ::fsync(fd);
  ::close(fd);
}

// Writes `text` and a newline to a fresh temporary file beside `path` (mode 0600), synced to
// disk; returns its name. The caller links or renames it into place.
std::string WriteTempKeyFile(const std::string& path, std::string_view text) {
  const std::string tmp = path + ".tmp." + RandomString(12, kLowerAlnum);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + ErrnoText(errno));
  try {
    WriteAll(fd, text, tmp);
    WriteAll(fd, "\n", tmp);
    if (::fsync(fd) != 0) {
      throw std::runtime_error("cannot fsync " + tmp + ": " + ErrnoText(errno));
    }
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  return tmp;
}

// Writes `text` to `path` atomically with mode 0600. Returns false when another process
// published a key first (the caller then reads that one so both agree).
bool PublishKeyFile(const std::string& dir, const std::string& path, std::string_view text) {
  const std::string tmp = WriteTempKeyFile(path, text);
  // link() never replaces an existing master.key, unlike rename(), so two processes starting
  // together cannot end up with different keys. rename() is the fallback for filesystems
  // without hard links.
  bool published = true;
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    if (err == EEXIST) {
      published = false;
    } else if (err == EPERM || err == EOPNOTSUPP || err == ENOSYS) {
      if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int rename_err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot create " + path + ": " + ErrnoText(rename_err));
      }
    } else {
      ::unlink(tmp.c_str());
      throw std::runtime_error("cannot create " + path + ": " + ErrnoText(err));
    }
  }
  ::unlink(tmp.c_str());
  FsyncDir(dir);
  return published;
}

Error OpenFailed() { return Error::Internal("Sealed value could not be opened."); }

using Key = std::array<unsigned char, kKeySize>;

// AES-256-GCM under `key`: base64(nonce || ciphertext || tag).
// Fetched once, as FetchedSha256: EVP_aes_256_gcm() would look the cipher up on every call.
const EVP_CIPHER* Aes256Gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (cipher == nullptr) throw std::runtime_error("OpenSSL: AES-256-GCM unavailable");
  return cipher;
}

std::string SealBlob(const Key& key, std::string_view plaintext, std::string_view aad) {
  // EVP takes int lengths; nothing sealed here comes close, so this is a programming error.
  if (plaintext.size() > kMaxLength || aad.size() > kMaxLength) {
    throw std::length_error("KeyEncryptionKey::Seal: input too large");
  }
  const std::string nonce = RandomBytes(kNonceSize);
  std::string blob(kNonceSize + plaintext.size() + kTagSize, '\0');
  std::memcpy(blob.data(), nonce.data(), kNonceSize);
  auto* ct = reinterpret_cast<unsigned char*>(blob.data() + kNonceSize);

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), Aes256Gcm(), nullptr, key.data(),
                         reinterpret_cast<const unsigned char*>(nonce.data())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                        reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ct, &len,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          ct + plaintext.size()) != 1) {
    throw std::runtime_error("OpenSSL: AES-256-GCM seal failed");
  }
  return Base64Encode(blob);
}

Result<std::string> OpenBlob(const Key& key, std::string_view encoded, std::string_view aad) {
  if (aad.size() > kMaxLength) return OpenFailed();
  auto blob = Base64Decode(encoded);
  if (!blob || blob->size() < kNonceSize + kTagSize) return OpenFailed();
  const std::size_t ct_size = blob->size() - kNonceSize - kTagSize;
  if (ct_size > kMaxLength) return OpenFailed();

  auto* nonce = reinterpret_cast<unsigned char*>(blob->data());
  unsigned char* ct = nonce + kNonceSize;
  unsigned char* tag = ct + ct_size;
  std::string plain(ct_size, '\0');
  WipeOnExit wipe_plain(plain);  // also covers unauthenticated output on failure
  auto* pt = reinterpret_cast<unsigned char*>(plain.data());

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), Aes256Gcm(), nullptr, key.data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                        reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), pt, &len, ct, static_cast<int>(ct_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), pt + len, &final_len) != 1) {
    return OpenFailed();
  }
  return std::string(plain);  // a copy, so the wiped local never shares its buffer
}

constexpr std::string_view kDataKeyPrefix = "v2.";

std::string DataKeyAad(std::string_view id) { return std::string("data-key:").append(id); }

// Data key `id`'s raw bytes wrapped (v1) under the master key `under`.
std::string WrapDataKey(const Key& under, std::string_view id, std::string_view raw) {
  return std::string(kPrefix) + SealBlob(under, raw, DataKeyAad(id));
}

bool ValidDataKeyId(std::string_view id) {
  if (id.empty() || id.size() > 16) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

}  // namespace

KeyEncryptionKey KeyEncryptionKey::LoadOrCreate(const std::string& data_dir,
                                                const std::string& env_value) {
  if (!env_value.empty()) return ParseKey(env_value, "COGNATE_MASTER_KEY");

  const std::string path = (std::filesystem::path(data_dir) / kKeyFileName).string();
  std::string text;
  WipeOnExit wipe_text(text);
  if (ReadKeyFile(path, text)) return ParseKey(text, path);

  MakeDataDir(data_dir);
  std::string raw = RandomBytes(kKeySize);
  WipeOnExit wipe_raw(raw);
  std::string encoded = Base64Encode(raw);
  WipeOnExit wipe_encoded(encoded);
  if (PublishKeyFile(data_dir, path, encoded)) return KeyEncryptionKey(raw);
  // Lost a creation race with another process: use the key it wrote.
  if (!ReadKeyFile(path, text)) {
    throw std::runtime_error("cannot read " + path + ": it vanished after creation");
  }
  return ParseKey(text, path);
}

KeyEncryptionKey KeyEncryptionKey::FromFile(const std::string& path) {
  std::string text;
  WipeOnExit wipe_text(text);
  if (!ReadKeyFile(path, text)) throw std::runtime_error("cannot open " + path + ": no such file");
  return ParseKey(text, path);
}

KeyEncryptionKey::KeyEncryptionKey(std::string_view raw32) {
  if (raw32.size() != key_.size()) {
    throw std::invalid_argument("KeyEncryptionKey: key must be 32 bytes");
  }
  std::memcpy(key_.data(), raw32.data(), key_.size());
}

KeyEncryptionKey::~KeyEncryptionKey() {
  sodium_memzero(key_.data(), key_.size());
  for (auto& [id, key] : data_keys_) sodium_memzero(key.data(), key.size());
}

KeyEncryptionKey::KeyEncryptionKey(KeyEncryptionKey&& other) noexcept
    : key_(other.key_), data_keys_(std::move(other.data_keys_)), current_(std::move(other.current_)) {
  sodium_memzero(other.key_.data(), other.key_.size());
  other.data_keys_.clear();
}

std::string KeyEncryptionKey::Seal(std::string_view plaintext, std::string_view aad) const {
  if (current_.empty()) return std::string(kPrefix) + SealBlob(key_, plaintext, aad);
  for (const auto& [id, key] : data_keys_) {
    if (id == current_) {
      return std::string(kDataKeyPrefix) + id + "." + SealBlob(key, plaintext, aad);
    }
  }
  throw std::logic_error("KeyEncryptionKey: current data key missing");
}

Result<std::string> KeyEncryptionKey::Open(std::string_view sealed, std::string_view aad) const {
  if (sealed.substr(0, kPrefix.size()) == kPrefix) {
    return OpenBlob(key_, sealed.substr(kPrefix.size()), aad);
  }
  if (sealed.substr(0, kDataKeyPrefix.size()) != kDataKeyPrefix) return OpenFailed();
  sealed.remove_prefix(kDataKeyPrefix.size());
  const auto dot = sealed.find('.');
  if (dot == std::string_view::npos) return OpenFailed();
  const std::string_view id = sealed.substr(0, dot);
  for (const auto& [key_id, key] : data_keys_) {
    if (key_id == id) return OpenBlob(key, sealed.substr(dot + 1), aad);
  }
  return OpenFailed();
}

std::string KeyEncryptionKey::Derive(std::string_view purpose) const {
  std::string_view key(reinterpret_cast<const char*>(key_.data()), key_.size());
  return HmacSha256(key, std::string("cognate-derive:").append(purpose));
}

void KeyEncryptionKey::ReplaceKeyFile(const std::string& data_dir, std::string_view raw32) {
  if (raw32.size() != kKeySize) throw std::invalid_argument("master key must be 32 bytes");
  MakeDataDir(data_dir);
  const std::string path = (std::filesystem::path(data_dir) / kKeyFileName).string();
  std::string encoded = Base64Encode(raw32);
  WipeOnExit wipe_encoded(encoded);
  const std::string tmp = WriteTempKeyFile(path, encoded);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot replace " + path + ": " + ErrnoText(err));
  }
  FsyncDir(data_dir);
}

std::string KeyEncryptionKey::Fingerprint() const {
  return HexEncode(Derive("master-key-fingerprint")).substr(0, 16);
}

WrappedDataKey KeyEncryptionKey::WrapOwnBytes(std::string id) const {
  std::string_view raw(reinterpret_cast<const char*>(key_.data()), key_.size());
  std::string wrapped = WrapDataKey(key_, id, raw);
  return {std::move(id), std::move(wrapped)};
}

WrappedDataKey KeyEncryptionKey::NewDataKey(std::string id) const {
  std::string raw = RandomBytes(kKeySize);
  WipeOnExit wipe(raw);
  std::string wrapped = WrapDataKey(key_, id, raw);
  return {std::move(id), std::move(wrapped)};
}

Result<std::string> KeyEncryptionKey::Unwrap(const WrappedDataKey& key) const {
  if (!ValidDataKeyId(key.id) || key.wrapped.substr(0, kPrefix.size()) != kPrefix) {
    return OpenFailed();
  }
  auto raw = OpenBlob(key_, std::string_view(key.wrapped).substr(kPrefix.size()),
                      DataKeyAad(key.id));
  if (raw.ok() && raw->size() != kKeySize) return OpenFailed();
  return raw;
}

Result<WrappedDataKey> KeyEncryptionKey::Rewrap(const WrappedDataKey& key,
                                                const KeyEncryptionKey& next) const {
  auto raw = Unwrap(key);
  if (!raw.ok()) return std::move(raw).error();
  WipeOnExit wipe(*raw);
  return WrappedDataKey{key.id, WrapDataKey(next.key_, key.id, *raw)};
}

Result<KeyEncryptionKey> KeyEncryptionKey::WithDataKeys(const std::vector<WrappedDataKey>& keys,
                                                        std::string_view root_id,
                                                        std::string_view current_id) const {
  KeyEncryptionKey set;
  bool has_root = false;
  bool has_current = false;
  for (const WrappedDataKey& wrapped : keys) {
    auto raw = Unwrap(wrapped);
    if (!raw.ok()) {
      return Error::Internal("Data key " + wrapped.id + " does not open with this master key.");
    }
    WipeOnExit wipe(*raw);
    Key key{};
    std::memcpy(key.data(), raw->data(), kKeySize);
    if (wrapped.id == root_id) {
      set.key_ = key;
      has_root = true;
    }
    has_current = has_current || wrapped.id == current_id;
    set.data_keys_.emplace_back(wrapped.id, key);
    sodium_memzero(key.data(), key.size());
  }
  if (!has_root || !has_current) return Error::Internal("Data keys are missing.");
  set.current_ = std::string(current_id);
  return set;
}

}  // namespace cognate::crypto
