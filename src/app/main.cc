// cognate: command-line entry point.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/serve.h"
#include "crypto/kek.h"
#include "triggers/trigger_secret.h"

namespace {

// `cognate trigger-secret`: the pool's trigger signing secret under the server's KEK. Never
// creates a master key: a wrong --data must not print a secret the server does not use.
int PrintTriggerSecret(const std::string& data_dir, const std::string& pool_id) {
  const char* env = std::getenv("COGNATE_MASTER_KEY");
  const bool from_env = env != nullptr && *env != '\0';
  if (!from_env && !std::filesystem::exists(data_dir + "/master.key")) {
    std::fprintf(stderr, "cognate: no master key in %s (set --data, or COGNATE_MASTER_KEY)\n",
                 data_dir.c_str());
    return 1;
  }
  try {
    auto kek = cognate::crypto::KeyEncryptionKey::LoadOrCreate(data_dir, from_env ? env : "");
    std::printf("%s\n", cognate::triggers::TriggerSecret(kek, pool_id).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognate: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cognate::app;
  std::vector<std::string> args(argv + 1, argv + argc);
  ParsedArgs parsed = ParseArgs(args);
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "cognate: %s\n\n%s", parsed.error.c_str(), HelpText().c_str());
    return 2;
  }
  switch (parsed.command) {
    case Command::kVersion:
      std::printf("cognate %s\n", COGNATE_VERSION);
      return 0;
    case Command::kHelp:
      std::printf("%s", HelpText().c_str());
      return 0;
    case Command::kTriggerSecret:
      return PrintTriggerSecret(parsed.serve.data_dir, parsed.pool_id);
    case Command::kServe:
      return Serve(parsed.serve);
  }
  return 0;
}
