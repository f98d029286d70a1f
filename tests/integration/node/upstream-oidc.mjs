// A small upstream OpenID Connect provider for Cognate's federation tests: oidc-provider on a
// loopback port with one confidential client and one test account.
//
//   node upstream-oidc.mjs <port> [client_id] [client_secret] [redirect_uri]
//   (or UPSTREAM_CLIENT_ID, UPSTREAM_CLIENT_SECRET, UPSTREAM_REDIRECT_URI in the environment;
//   several redirect URIs may be given separated by spaces)
//
// Prints "READY <issuer>" once listening. Sign-in uses oidc-provider's built-in development
// interactions: any login name and password sign in as the one account, whose sub is always
// "upstream-user-1"; consent is granted without a prompt. PKCE is accepted, not required.
// The client authenticates with client_secret_basic (oidc-provider's default).

import Provider from 'oidc-provider';

const [portArg, idArg, secretArg, redirectArg] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node upstream-oidc.mjs <port> [client_id] [client_secret] [redirect_uri]');
  process.exit(2);
}
const clientId = idArg || process.env.UPSTREAM_CLIENT_ID || 'cognate-upstream-client';
const clientSecret = secretArg || process.env.UPSTREAM_CLIENT_SECRET || 'cognate-upstream-secret';
const redirectUris = (redirectArg || process.env.UPSTREAM_REDIRECT_URI
  || 'http://127.0.0.1/oauth2/idpresponse').split(/\s+/).filter(Boolean);
const issuer = `http://127.0.0.1:${port}`;

const SUB = 'upstream-user-1';
const ACCOUNT_CLAIMS = {
  sub: SUB,
  email: 'upstream.user@example.com',
  email_verified: true,
  given_name: 'Upstream',
  family_name: 'User',
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  async findAccount(ctx, id) {
    if (id !== SUB) return undefined;
    return {
      accountId: SUB,
      async claims() { return { ...ACCOUNT_CLAIMS }; },
    };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name'],
  },
  // Consent is implied: the grant covers what the client asked for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.account.accountId,
    });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ')
      : 'openid email profile');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ['cognate-upstream-test-cookie-key'] },
});
provider.proxy = false;
// Whatever login name the development form gets, it signs in the one account.
const finishInteraction = provider.interactionFinished.bind(provider);
provider.interactionFinished = (req, res, result, options) => finishInteraction(
  req, res, result?.login ? { ...result, login: { ...result.login, accountId: SUB } } : result,
  options,
);
provider.on('server_error', (ctx, err) => console.error('server_error', err));

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
