#pragma once
// One-shot commands run beside the server, on the data directory and store the nodes use:
// `cognate trigger-secret`, `cognate rotate-keys` and `cognate rotate-master-key`. Neither creates a master key: with a wrong
// --data they fail instead of using a key the servers do not have.

#include "app/config.h"

namespace cognate::app {

// Prints the pool's trigger signing secret. Exit status 0 on success.
int PrintTriggerSecret(const ParsedArgs& args);
// Adds fresh "id" and "access" signing keys to the pool, dated args.publish_ahead_seconds from
// now: every node verifies with them at once (the Keyring re-reads keys every second) and signs
// with them from that time; older keys stay published and keep verifying. Exit status 0 on
// success.
int RotateKeys(const ParsedArgs& args);
// Re-wraps every data key under a new master key (generated into <data>/master.key, or read
// from args.master_key.new_key_file) and, unless keep_old, deletes the old key's wrappings.
// Nothing is re-encrypted and running servers keep their unwrapped keys: no downtime. With
// retire_old it only deletes the wrappings of every master key but the current one.
int RotateMasterKey(const ParsedArgs& args);

}  // namespace cognate::app
