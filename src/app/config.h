#pragma once
// Command-line parsing for `cognate`. Pure: no I/O, so it is unit-tested directly.

#include <string>
#include <vector>

#include "app/log.h"

namespace cognate::app {

struct ServeConfig {
  std::string data_dir = "./data";
  std::string host = "127.0.0.1";
  unsigned short port = 9330;
  std::string region = "us-east-1";
  std::string public_url;  // Empty: derived from the bound address.
  std::string tls_cert;
  std::string tls_key;
  LogLevel log_level = LogLevel::kInfo;
  int threads = 0;
};

enum class Command { kServe, kVersion, kHelp };

struct ParsedArgs {
  Command command = Command::kHelp;
  ServeConfig serve;
  std::string error;  // Non-empty when the arguments are invalid.
};

ParsedArgs ParseArgs(const std::vector<std::string>& args);  // args exclude argv[0]
// Splits "host:port" or "[v6]:port". False when malformed.
bool ParseListen(const std::string& text, std::string& host, unsigned short& port);
std::string HelpText();

}  // namespace cognate::app
