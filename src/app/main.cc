// cognate: command-line entry point.
#include <cstdio>
#include <string>
#include <vector>

#include "app/admin_commands.h"
#include "app/user_transfer.h"
#include "app/config.h"
#include "app/serve.h"

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
      return PrintTriggerSecret(parsed);
    case Command::kRotateKeys:
      return RotateKeys(parsed);
    case Command::kRotateMasterKey:
      return RotateMasterKey(parsed);
    case Command::kUsersExport:
      return ExportUsers(parsed);
    case Command::kUsersImport:
      return ImportUsers(parsed);
    case Command::kServe:
      return Serve(parsed.serve);
  }
  return 0;
}
