#include "app/admin_credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "crypto/random.h"

namespace cognate::app {
namespace {

constexpr const char* kFileName = "admin-credentials";
constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

bool ValidKeyId(const std::string& id) {
  if (id.size() < 16 || id.size() > 128) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Reads KEY=VALUE lines (shell-sourceable), ignoring comments.
AdminCredentials ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  AdminCredentials c;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("AWS_ACCESS_KEY_ID=")) c.access_key_id = line.substr(18);
    if (line.starts_with("AWS_SECRET_ACCESS_KEY=")) c.secret_access_key = line.substr(22);
  }
  if (!ValidKeyId(c.access_key_id) || c.secret_access_key.size() < 16)
    throw std::runtime_error(path + " is malformed; delete it to generate a new admin key");
  c.source = "file";
  return c;
}

void WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write " + path);
}

}  // namespace

AdminCredentials EnsureAdminCredentials(const std::string& data_dir,
                                        const api::AccessKeyAuthorizer& authorizer) {
  AdminCredentials c;
  const std::string path = data_dir + "/" + kFileName;
  std::string env_id = Env("COGNATE_ADMIN_ACCESS_KEY_ID");
  std::string env_secret = Env("COGNATE_ADMIN_SECRET_ACCESS_KEY");
  if (!env_id.empty() || !env_secret.empty()) {
    if (!ValidKeyId(env_id))
      throw std::runtime_error("COGNATE_ADMIN_ACCESS_KEY_ID must be 16-128 letters and digits");
    if (env_secret.size() < 16 || env_secret.size() > 128)
      throw std::runtime_error("COGNATE_ADMIN_SECRET_ACCESS_KEY must be 16-128 characters");
    c = {env_id, env_secret, false, "environment"};
  } else if (::access(path.c_str(), F_OK) == 0) {
    c = ReadFile(path);
  } else {
    c.access_key_id = "AKCG" + crypto::RandomString(16, kUpperAlnum);
    c.secret_access_key = crypto::RandomString(40, crypto::kAlnum);
    c.generated = true;
    c.source = "generated";
    WriteFileAtomically(path, "# Cognate admin credentials. Keep this file secret.\n"
                              "AWS_ACCESS_KEY_ID=" + c.access_key_id + "\n" +
                              "AWS_SECRET_ACCESS_KEY=" + c.secret_access_key + "\n");
  }
  auto put = authorizer.PutKey(c.access_key_id, c.secret_access_key,
                               api::AccessKeyPolicy::Admin(), "admin (" + c.source + ")");
  if (!put.ok()) throw std::runtime_error("cannot store the admin key: " + put.error().message);
  return c;
}

}  // namespace cognate::app
