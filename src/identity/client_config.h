#pragma once
// An app client's settings: Cognito's defaults and rules for CreateUserPoolClient and
// UpdateUserPoolClient, and the UserPoolClientType rendering of a stored client.
//
// What config_json holds (store::AppClientRecord::config_json): the UserPoolClientType members
// other than UserPoolId, ClientId, ClientName, ClientSecret and the dates, with defaults written
// out. Update rebuilds it from the request: omitted members go back to their defaults, as on
// Cognito ("If you don't provide a value for an attribute, it will be set to the default value").
//
// Defaults written for a client created through the API:
// - RefreshTokenValidity 30 (days); access/ID validities and units only when given
//   (token_validity.h).
// - PreventUserExistenceErrors LEGACY: the documented API default ("When you create a new app
//   client with the Amazon Cognito user pools API, PreventUserExistenceErrors is LEGACY"); the
//   console chooses ENABLED.
// - EnableTokenRevocation true, EnablePropagateAdditionalUserContextData false,
//   AuthSessionValidity 3, AllowedOAuthFlowsUserPoolClient false.
// - ExplicitAuthFlows, Read/WriteAttributes, SupportedIdentityProviders, RefreshTokenRotation and
//   the OAuth lists are stored only when given; EffectiveAuthFlows() gives the flows an absent
//   ExplicitAuthFlows stands for.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace cognate::identity {

inline constexpr int kMaxClientsPerPool = 1000;

// What a client request is checked against.
struct ClientRules {
  std::string pool_id;
  const boost::json::array* schema = nullptr;  // the pool's SchemaAttributes
  bool has_secret = false;
  bool creating = true;  // Create (true) or Update (false): only changes message wording
  // The pool's custom OAuth scopes, "<resource server>/<scope>" (CustomScopesOf).
  std::vector<std::string> custom_scopes;
  // The pool's identity provider names (SupportedIdentityProviders may list them and COGNITO).
  std::vector<std::string> identity_providers;
};

// config_json for a Create/UpdateUserPoolClient request.
Result<boost::json::object> BuildClientConfig(const boost::json::object& request,
                                              const ClientRules& context);

struct ClientIdentity {
  std::string pool_id;
  std::string client_id;
  std::string name;
  std::optional<std::string> secret;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
};

// UserPoolClientType, members in Cognito's order.
boost::json::object RenderUserPoolClient(const ClientIdentity& client,
                                         const boost::json::object& config);

// The ALLOW_* flows a client permits. Absent ExplicitAuthFlows: ALLOW_REFRESH_TOKEN_AUTH,
// ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH. Legacy values: refresh and custom auth always, SRP
// unless CUSTOM_AUTH_FLOW_ONLY, plus ADMIN_NO_SRP_AUTH -> ALLOW_ADMIN_USER_PASSWORD_AUTH and
// USER_PASSWORD_AUTH -> ALLOW_USER_PASSWORD_AUTH.
std::vector<std::string> EffectiveAuthFlows(const boost::json::object& config);

}  // namespace cognate::identity
