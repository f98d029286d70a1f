// PostConfirmation: the event, the code kept for an undo, and UserService::AfterConfirmation.

#include "identity/post_confirmation.h"

#include <string>
#include <utility>

#include "identity/trigger_events.h"
#include "identity/user_service.h"

namespace cognate::identity {
namespace json = boost::json;

using triggers::Trigger;

bool PostConfirmationConfigured(const UserDirectory& directory, const PoolContext& pool) {
  return directory.triggers().Configured(pool.config, Trigger::kPostConfirmation);
}

Status RunPostConfirmation(const UserDirectory& directory, const PoolContext& pool,
                           const store::UserRecord& confirmed, std::string_view trigger_source,
                           std::string_view client_id, const json::object& client_metadata) {
  if (!PostConfirmationConfigured(directory, pool)) return OkStatus();
  auto attributes = TriggerUserAttributes(confirmed);
  if (!attributes.ok()) return std::move(attributes).error();
  json::object request{{"userAttributes", std::move(*attributes)}};
  AddClientMetadata(request, client_metadata);
  triggers::TriggerCall call{std::string(trigger_source), confirmed.username,
                             std::string(client_id), std::move(request)};
  auto response =
      directory.triggers().Invoke(pool.id(), pool.config, Trigger::kPostConfirmation, call);
  if (!response.ok()) return std::move(response).error();
  return OkStatus();  // Cognito reads nothing from the answer.
}

Result<std::optional<store::CodeRecord>> CodeToRestore(const UserDirectory& directory,
                                                       const PoolContext& pool,
                                                       const store::UserRecord& user,
                                                       std::string_view purpose) {
  if (!PostConfirmationConfigured(directory, pool)) return std::optional<store::CodeRecord>();
  return directory.stores().codes->GetCode(pool.id(), user.username_key, std::string(purpose));
}

Status RestoreCode(const UserDirectory& directory, const store::CodeRecord& spent) {
  store::CodeStore& codes = *directory.stores().codes;
  auto current = codes.GetCode(spent.pool_id, spent.username_key, spent.purpose);
  if (!current.ok()) return std::move(current).error();
  if (current->has_value()) return OkStatus();
  return codes.PutCode(spent);
}

Status UserService::AfterConfirmation(const PoolContext& pool, const store::UserRecord& saved,
                                      std::string_view trigger_source, std::string_view client_id,
                                      const json::object& request, const UserChange& undo,
                                      const std::optional<store::CodeRecord>& spent) const {
  Status ran = RunPostConfirmation(directory_, pool, saved, trigger_source, client_id,
                                   ClientMetadataOf(request));
  if (ran.ok()) return ran;
  // The trigger's error is the answer even if the undo fails (e.g. the user was deleted
  // meanwhile: then there is nothing left to undo).
  auto undone = UpdateUser(pool, saved.username, undo);
  if (undone.ok() && spent) (void)RestoreCode(directory_, *spent);
  return ran;
}

}  // namespace cognate::identity
